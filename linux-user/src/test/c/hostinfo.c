/* What the host tells a program about itself: allowed CPUs, supplementary groups; and
 * posix_fadvise, which only checks its arguments. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

int main(void) {
    cpu_set_t set;
    CPU_ZERO(&set);
    int r = sched_getaffinity(0, sizeof set, &set);
    printf("sched_getaffinity: %d, %d CPUs, first %d\n", r, CPU_COUNT(&set), CPU_ISSET(0, &set));
    long bytes = syscall(SYS_sched_getaffinity, 0, sizeof set, &set);
    printf("bytes written in whole longs: %d\n", bytes > 0 && bytes % 4 == 0 && bytes <= (long) sizeof set);
    show("too small a mask", syscall(SYS_sched_getaffinity, 0, 1, &set));
    show("a size not in whole longs", syscall(SYS_sched_getaffinity, 0, sizeof set - 2, &set));
    show("no such thread", sched_getaffinity(0x7ffffff0, sizeof set, &set));
    show("sched_setaffinity to the same CPUs", sched_setaffinity(0, sizeof set, &set));
    cpu_set_t none;
    CPU_ZERO(&none);
    show("sched_setaffinity to none", sched_setaffinity(0, sizeof none, &none));

    int n = getgroups(0, NULL);
    gid_t g[256];
    int m = getgroups(256, g);
    printf("getgroups: %d, then %d\n", n, m);
    if (n > 1) show("too small a list", getgroups(n - 1, g));
    show("negative size", syscall(SYS_getgroups32, -1, g));

    int f = open("advice.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    printf("fadvise sequential: %d\n", posix_fadvise(f, 0, 0, POSIX_FADV_SEQUENTIAL));
    printf("fadvise, unknown advice: %s\n", strerror(posix_fadvise(f, 0, 0, 77)));
    int p[2];
    pipe(p);
    printf("fadvise on a pipe: %s\n", strerror(posix_fadvise(p[0], 0, 0, POSIX_FADV_DONTNEED)));
    printf("fadvise on a closed descriptor: %s\n", strerror(posix_fadvise(55, 0, 0, POSIX_FADV_NORMAL)));
    printf("fadvise64: %ld\n", syscall(SYS_fadvise64, f, 0, 0, 0, POSIX_FADV_WILLNEED));
    unlink("advice.txt");
    return 0;
}
