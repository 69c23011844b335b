/* close_range (436 on i386 and x86-64): closes a range of descriptors, or marks them
 * close-on-exec; its flags and bounds checked as Linux checks them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long close_range_(unsigned first, unsigned last, unsigned flags) {
    return syscall(436, first, last, flags);
}

static void report(const char *what, long r) {
    printf("%s: %s\n", what, r < 0 ? strerror(errno) : "0");
}

static void open_ones(void) {
    for (int fd = 10; fd < 20; fd++) dup2(0, fd);
}

static void which_open(const char *what) {
    printf("%s:", what);
    for (int fd = 10; fd < 20; fd++) {
        int flags = fcntl(fd, F_GETFD);
        if (flags >= 0) printf(" %d%s", fd, flags & FD_CLOEXEC ? "e" : "");
    }
    printf("\n");
}

int main(void) {
    open_ones();
    report("close 12..14", close_range_(12, 14, 0));
    which_open("open after");
    report("cloexec 15..16", close_range_(15, 16, 4));
    which_open("open after");
    report("unshare, one thread, 17..17", close_range_(17, 17, 2));
    which_open("open after");
    report("first past last", close_range_(5, 4, 0));
    report("an unknown flag", close_range_(10, 11, 8));
    report("past the table", close_range_(100000, ~0u, 0));
    report("close 18..~0", close_range_(18, ~0u, 0));
    which_open("open after");
    return 0;
}
