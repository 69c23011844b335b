/* fcntl's record locks: F_GETLK and F_GETLK64 on a range nobody else holds answer F_UNLCK (a
 * process's own locks never conflict with it); another process sees the lock that stands in its
 * way, fails with EAGAIN or waits (F_SETLKW) until a close of any of the holder's descriptors of
 * the file releases it; read locks share; unlocking part of a range splits it; EINVAL, EBADF. */
#define _LARGEFILE64_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static struct flock range(short type, off_t start, off_t len) {
    struct flock l;
    memset(&l, 0, sizeof l);
    l.l_type = type;
    l.l_whence = SEEK_SET;
    l.l_start = start;
    l.l_len = len;
    return l;
}

static int lock(int fd, int cmd, short type, off_t start, off_t len) {
    struct flock l = range(type, start, len);
    return fcntl(fd, cmd, &l);
}

static void probe(const char *what, int fd, short type, off_t start, off_t len, pid_t holder) {
    struct flock l = range(type, start, len);
    int r = fcntl(fd, F_GETLK, &l);
    if (l.l_type == F_UNLCK) printf("%s: %d F_UNLCK\n", what, r);
    else printf("%s: %d %s start %ld len %ld, the holder's pid %d\n", what, r, l.l_type == F_WRLCK ? "F_WRLCK" : "F_RDLCK",
            (long) l.l_start, (long) l.l_len, l.l_pid == holder);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
    int fd = open("recordlocks.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    struct flock l;
    memset(&l, 0, sizeof l);
    l.l_type = F_WRLCK;
    l.l_whence = SEEK_SET;
    l.l_start = 128;
    l.l_len = 1;
    int r = fcntl(fd, F_GETLK, &l);
    printf("F_GETLK: %d type %s start %ld len %ld\n", r, l.l_type == F_UNLCK ? "F_UNLCK" : "held", (long) l.l_start, (long) l.l_len);
    l.l_type = F_RDLCK;
    printf("F_SETLK: %d\n", fcntl(fd, F_SETLK, &l));
    l.l_type = F_WRLCK;
    r = fcntl(fd, F_GETLK, &l);
    printf("own lock: %d type %s\n", r, l.l_type == F_UNLCK ? "F_UNLCK" : "held");
    struct flock64 w;
    memset(&w, 0, sizeof w);
    w.l_type = F_WRLCK;
    w.l_whence = SEEK_SET;
    w.l_start = 1LL << 33;
    w.l_len = 10;
    r = fcntl(fd, F_GETLK64, &w);
    printf("F_GETLK64: %d type %s start %lld len %lld\n", r, w.l_type == F_UNLCK ? "F_UNLCK" : "held", (long long) w.l_start, (long long) w.l_len);
    w.l_type = 7;
    r = fcntl(fd, F_SETLK64, &w);
    printf("bad type: %d %s\n", r, r < 0 ? strerror(errno) : "");
    lock(fd, F_SETLK, F_UNLCK, 0, 0);

    setvbuf(stdout, NULL, _IONBF, 0);
    pid_t me = getpid();
    printf("write lock 0-99: %d\n", lock(fd, F_SETLK, F_WRLCK, 0, 100));
    pid_t p = fork();
    if (p == 0) {
        probe("child asks for 50-60", fd, F_WRLCK, 50, 11, me);
        int r = lock(fd, F_SETLK, F_WRLCK, 50, 11);
        printf("child locks 50-60: %d %s\n", r, r < 0 ? strerror(errno) : "");
        printf("child locks 100-199: %d\n", lock(fd, F_SETLK, F_RDLCK, 100, 100));
        _exit(0);
    }
    waitpid(p, 0, 0);
    probe("the child's lock went with it", fd, F_WRLCK, 100, 100, 0);
    printf("unlock 0-49: %d\n", lock(fd, F_SETLK, F_UNLCK, 0, 50));
    p = fork();
    if (p == 0) {
        probe("child asks for 0-199", fd, F_RDLCK, 0, 200, me);
        _exit(0);
    }
    waitpid(p, 0, 0);

    int other = open("recordlocks.tmp", O_RDWR);
    p = fork();
    if (p == 0) {
        double t0 = now();
        int r = lock(fd, F_SETLKW, F_WRLCK, 50, 11);
        printf("child waited for 50-60: %d after the close %d\n", r, now() - t0 > 0.08);
        _exit(0);
    }
    usleep(150000);
    close(other); /* any descriptor of the file: all of this process's locks on it go */
    waitpid(p, 0, 0);

    printf("read lock 0-9: %d\n", lock(fd, F_SETLK, F_RDLCK, 0, 10));
    p = fork();
    if (p == 0) {
        printf("child's read lock 0-9: %d\n", lock(fd, F_SETLK, F_RDLCK, 0, 10));
        int r = lock(fd, F_SETLK, F_WRLCK, 5, 1);
        printf("child's write lock 5: %d %s\n", r, r < 0 ? strerror(errno) : "");
        _exit(0);
    }
    waitpid(p, 0, 0);
    int ro = open("recordlocks.tmp", O_RDONLY);
    r = lock(ro, F_SETLK, F_WRLCK, 0, 1);
    printf("write lock through a read-only descriptor: %d %s\n", r, r < 0 ? strerror(errno) : "");
    close(ro);
    close(fd);
    unlink("recordlocks.tmp");
    return 0;
}
