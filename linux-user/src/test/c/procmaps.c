/* /proc/self/maps lists the process's own mappings (32-bit addresses, its stack, its break, what
 * it maps and protects), and glibc's pthread_getattr_np finds the main thread's stack through it. */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* The line of /proc/self/maps that holds address a: its perms and name, and its bounds. */
static int line_of(uintptr_t a, char *perms, char *name, uintptr_t *lo, uintptr_t *hi) {
    FILE *f = fopen("/proc/self/maps", "r");
    if (!f) return -1;
    char line[512];
    int found = -1;
    while (fgets(line, sizeof line, f)) {
        unsigned long l, h;
        char p[8] = {0}, n[256] = {0};
        if (sscanf(line, "%lx-%lx %4s %*s %*s %*s %255s", &l, &h, p, n) < 3) continue;
        if (a >= l && a < h) {
            strcpy(perms, p);
            strcpy(name, n);
            *lo = l;
            *hi = h;
            found = 0;
        }
    }
    fclose(f);
    return found;
}

static void show(const char *what, const void *a) {
    char perms[8], name[256];
    uintptr_t lo, hi;
    if (line_of((uintptr_t) a, perms, name, &lo, &hi) < 0) printf("%s: not listed\n", what);
    else printf("%s: %s %s\n", what, perms, name[0] ? name : "(unnamed)");
}

int main(void) {
    int local = 1;
    show("a local variable", &local);
    char *small = malloc(64);
    show("a small malloc", small);
    long page = sysconf(_SC_PAGESIZE);
    char *m = mmap(NULL, 3 * page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    char perms[8], name[256];
    uintptr_t lo, hi;
    line_of((uintptr_t) m, perms, name, &lo, &hi);
    printf("three read-only pages: %s, %ld pages from the mapping's start\n", perms, (long) ((hi - (uintptr_t) m) / page));
    mprotect(m + page, page, PROT_READ | PROT_WRITE);
    show("the middle page after mprotect", m + page);
    line_of((uintptr_t) m + page, perms, name, &lo, &hi);
    printf("its line: %ld page(s)\n", (long) ((hi - lo) / page));
    show("the last page", m + 2 * page);
    char *s = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    line_of((uintptr_t) s, perms, name, &lo, &hi); /* Linux names it "/dev/zero (deleted)": not kept here */
    printf("a shared page: %s\n", perms);
    munmap(m, 3 * page);
    show("after munmap", m);

    pthread_attr_t attr;
    void *stack;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) == 0 && pthread_attr_getstack(&attr, &stack, &size) == 0) {
        printf("main thread's stack holds a local: %s\n", (char *) &local >= (char *) stack && (char *) &local < (char *) stack + size ? "yes" : "no");
    } else {
        printf("pthread_getattr_np failed\n");
    }
    return 0;
}
