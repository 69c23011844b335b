/* Faults end the process with the signal's status: a write to a read-only page (mprotect), then,
 * selected by argv[1], a null pointer, the supervisor area, or an illegal instruction. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
    const char *what = argc > 1 ? argv[1] : "null";
    char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    p[0] = 'x';
    printf("mapped, wrote %c\n", p[0]);
    fflush(stdout);
    if (!strcmp(what, "readonly")) {
        mprotect(p, 4096, PROT_READ);
        printf("still readable: %c\n", p[0]);
        fflush(stdout);
        p[1] = 'y';
    } else if (!strcmp(what, "unmapped")) {
        munmap(p, 4096);
        printf("%c\n", p[0]);
    } else if (!strcmp(what, "high")) {
        printf("%d\n", *(volatile int *) 0xFFC00000u);
    } else if (!strcmp(what, "ud2")) {
        __asm__ volatile("ud2");
    } else {
        *(volatile int *) 0 = 1;
    }
    printf("not reached\n");
    return 0;
}
