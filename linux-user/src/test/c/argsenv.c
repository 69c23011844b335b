/* argv, envp and the auxiliary vector as the program sees them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *) a, *(char *const *) b); }

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d]=%s\n", i, argv[i]);
    /* Sorted: the order of the host's environment is not the program's business. */
    int n = 0;
    while (environ[n]) n++;
    char **sorted = malloc(n * sizeof *sorted);
    memcpy(sorted, environ, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp);
    for (int i = 0; i < n; i++) printf("env %s\n", sorted[i]);
    printf("KASOU_TEST=%s\n", getenv("KASOU_TEST") ? getenv("KASOU_TEST") : "(unset)");
    printf("pagesz=%lu clktck=%lu secure=%lu\n", getauxval(AT_PAGESZ), getauxval(AT_CLKTCK), getauxval(AT_SECURE));
    printf("uid matches: %d gid matches: %d\n", getauxval(AT_UID) == getuid(), getauxval(AT_GID) == getgid());
    const unsigned char *r = (const unsigned char *) getauxval(AT_RANDOM);
    printf("random present: %d\n", r != NULL);
    printf("platform=%s\n", (const char *) getauxval(AT_PLATFORM));
    printf("stack aligned: %d\n", ((unsigned long) __builtin_frame_address(0) & 3) == 0);
    return argc;
}
