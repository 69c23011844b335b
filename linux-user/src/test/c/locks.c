/* flock between descriptions (two opens, dup, a forked child, a waiting child), truncate and
 * truncate64, ftruncate lengthening a file, and eventfd (counter, semaphore, non-blocking,
 * poll, select and epoll). Run in a scratch directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/file.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err(long r) { return r == -1 ? strerror(errno) : "ok"; }

static void locks(void) {
    int a = open("lockfile", O_CREAT | O_RDWR, 0644), b = open("lockfile", O_RDWR);
    printf("exclusive: %d\n", flock(a, LOCK_EX));
    long r = flock(b, LOCK_EX | LOCK_NB);
    printf("another open, exclusive: %ld %s\n", r, err(r));
    r = flock(b, LOCK_SH | LOCK_NB);
    printf("another open, shared: %ld %s\n", r, err(r));
    int d = dup(a);
    printf("through a dup: %d\n", flock(d, LOCK_EX | LOCK_NB));
    printf("downgraded to shared: %d, ", flock(a, LOCK_SH));
    printf("another open, shared: %d\n", flock(b, LOCK_SH | LOCK_NB));
    r = flock(b, LOCK_EX | LOCK_NB);
    printf("upgrade while another shares: %ld %s\n", r, err(r));
    int ua = flock(a, LOCK_UN);
    printf("unlock both: %d %d\n", ua, flock(b, LOCK_UN));
    r = flock(a, 0);
    printf("no operation: %ld %s\n", r, err(r));
    r = flock(99, LOCK_SH);
    printf("bad descriptor: %ld %s\n", r, err(r));

    flock(a, LOCK_EX);
    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        int own = open("lockfile", O_RDWR);
        long x = flock(own, LOCK_EX | LOCK_NB);
        printf("child, own open: %ld %s\n", x, err(x));
        printf("child, inherited descriptor shares the lock: %d\n", flock(a, LOCK_EX | LOCK_NB));
        close(a); /* the description stays locked through the parent's descriptors */
        close(d);
        write(p[1], "w", 1);
        x = flock(own, LOCK_EX); /* waits for the parent's close */
        printf("child, waited for it: %ld\n", x);
        _exit(0);
    }
    char w;
    read(p[0], &w, 1);
    usleep(50000);
    close(a);
    close(d);
    waitpid(c, NULL, 0);
    close(b);
    close(p[0]);
    close(p[1]);
}

static long size_of(const char *path) {
    struct stat st;
    return stat(path, &st) == 0 ? (long) st.st_size : -1;
}

static void truncation(void) {
    int fd = open("trunc", O_CREAT | O_RDWR, 0644);
    write(fd, "0123456789", 10);
    long r = truncate("trunc", 4);
    printf("truncate to 4: %ld, size %ld\n", r, size_of("trunc"));
    r = truncate("trunc", 100);
    printf("truncate to 100: %ld, size %ld\n", r, size_of("trunc"));
    char buf[8] = {1, 1, 1, 1, 1, 1, 1, 1};
    pread(fd, buf, 8, 2);
    printf("bytes 2-7: %c%c %d %d %d %d\n", buf[0], buf[1], buf[2], buf[3], buf[4], buf[5]);
    r = ftruncate(fd, 5000);
    printf("ftruncate to 5000: %ld, size %ld\n", r, size_of("trunc"));
    r = syscall(SYS_truncate64, "trunc", 3, 0);
    printf("truncate64 to 3: %ld, size %ld\n", r, size_of("trunc"));
    r = truncate("trunc", -1);
    printf("negative length: %ld %s\n", r, err(r));
    r = truncate("missing", 0);
    printf("no such file: %ld %s\n", r, err(r));
    mkdir("dir", 0755);
    r = truncate("dir", 0);
    printf("a directory: %ld %s\n", r, err(r));
    int ro = open("trunc", O_RDONLY);
    r = ftruncate(ro, 0);
    printf("ftruncate, read-only descriptor: %ld %s\n", r, err(r));
    close(ro);
    close(fd);
}

static void events(void) {
    int e = eventfd(3, 0);
    uint64_t v = 0;
    ssize_t n = read(e, &v, 8);
    printf("eventfd read: %zd, value %llu\n", n, (unsigned long long) v);
    v = 5;
    write(e, &v, 8);
    v = 2;
    write(e, &v, 8);
    read(e, &v, 8);
    printf("after two writes: %llu\n", (unsigned long long) v);
    long r = read(e, &v, 4);
    printf("read of 4 bytes: %ld %s\n", r, err(r));
    v = UINT64_MAX;
    r = write(e, &v, 8);
    printf("write of 2^64 - 1: %ld %s\n", r, err(r));
    close(e);

    int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
    read(s, &v, 8);
    printf("semaphore: %llu, ", (unsigned long long) v);
    read(s, &v, 8);
    printf("%llu, ", (unsigned long long) v);
    r = read(s, &v, 8);
    printf("then %ld %s; cloexec %d\n", r, err(r), (fcntl(s, F_GETFD) & FD_CLOEXEC) != 0);
    struct pollfd pf = {s, POLLIN | POLLOUT, 0};
    n = poll(&pf, 1, 0);
    printf("poll, empty: %zd revents %d\n", n, pf.revents);
    v = 0xfffffffffffffffeULL;
    write(s, &v, 8);
    n = poll(&pf, 1, 0);
    printf("poll, full: %zd revents %d\n", n, pf.revents);
    v = 1;
    r = write(s, &v, 8);
    printf("write past the maximum: %ld %s\n", r, err(r));
    close(s);
    r = syscall(SYS_eventfd2, 0, 0x10);
    printf("eventfd2, unknown flag: %ld %s\n", r, err(r));

    int f = eventfd(0, 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN | EPOLLET, {.u64 = 77}}, out;
    printf("epoll_ctl: %d, ", epoll_ctl(ep, EPOLL_CTL_ADD, f, &ev));
    printf("nothing yet: %d\n", epoll_wait(ep, &out, 1, 0));
    pid_t c = fork();
    if (c == 0) {
        usleep(50000);
        uint64_t one = 1;
        write(f, &one, 8);
        _exit(0);
    }
    r = epoll_wait(ep, &out, 1, 5000);
    printf("epoll_wait for a child's write: %ld, data %llu\n", r, (unsigned long long) out.data.u64);
    printf("edge-triggered, no new write: %d\n", epoll_wait(ep, &out, 1, 0));
    fd_set in;
    FD_ZERO(&in);
    FD_SET(f, &in);
    struct timeval tv = {0, 0};
    printf("select: %d\n", select(f + 1, &in, NULL, NULL, &tv));
    read(f, &v, 8);
    printf("blocking read after the wait: %llu\n", (unsigned long long) v);
    waitpid(c, NULL, 0);
    c = fork();
    if (c == 0) {
        usleep(50000);
        uint64_t two = 2;
        write(f, &two, 8);
        _exit(0);
    }
    read(f, &v, 8); /* waits for the child */
    printf("read waited for %llu\n", (unsigned long long) v);
    waitpid(c, NULL, 0);
    struct stat st;
    fstat(f, &st);
    printf("fstat mode %o\n", st.st_mode);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    locks();
    truncation();
    events();
    return 0;
}
