/* timerfd: one-shot and periodic timers on CLOCK_MONOTONIC, relative and absolute, read (the
 * expirations since the last read, EAGAIN when none and non-blocking), gettime, disarming, and
 * readiness through poll and epoll. Times are checked as ranges; prints what it sees, and the
 * test compares it with the expected lines. */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

static long ms(const struct timespec *t) { return t->tv_sec * 1000L + t->tv_nsec / 1000000L; }

static long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return ms(&t);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
    printf("create: %d\n", fd >= 0);
    uint64_t n = 0;
    errno = 0;
    ssize_t got8 = read(fd, &n, 8);
    printf("read unarmed: %zd %s\n", got8, strerror(errno));
    struct itimerspec its = {{0, 0}, {0, 200 * 1000000}}, old;
    printf("settime: %d\n", timerfd_settime(fd, 0, &its, NULL));
    struct itimerspec cur;
    timerfd_gettime(fd, &cur);
    printf("gettime: left in (100, 200] ms %d, interval %ld\n", ms(&cur.it_value) > 100 && ms(&cur.it_value) <= 200,
           ms(&cur.it_interval));
    struct pollfd p = {fd, POLLIN, 0};
    printf("poll now: %d\n", poll(&p, 1, 0));
    long t0 = now_ms();
    int r = poll(&p, 1, 2000);
    long waited = now_ms() - t0;
    printf("poll: %d revents %x, after 150-1000 ms %d\n", r, p.revents, waited >= 150 && waited <= 1000);
    got8 = read(fd, &n, 8);
    printf("read: %zd, expirations %llu\n", got8, (unsigned long long)n);
    timerfd_gettime(fd, &cur);
    printf("disarmed: %ld %ld\n", ms(&cur.it_value), ms(&cur.it_interval));
    errno = 0;
    got8 = read(fd, &n, 4);
    printf("short read: %zd %s\n", got8, strerror(errno));

    /* periodic, every 20 ms from 20 ms on */
    struct itimerspec per = {{0, 20 * 1000000}, {0, 20 * 1000000}};
    timerfd_settime(fd, 0, &per, &old);
    printf("old setting: %ld %ld\n", ms(&old.it_value), ms(&old.it_interval));
    usleep(110 * 1000);
    read(fd, &n, 8);
    printf("periodic after 110 ms: 4-20 expirations %d\n", n >= 4 && n <= 20);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {.u32 = 7}}, got;
    epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    r = epoll_wait(ep, &got, 1, 1000);
    printf("epoll: %d data %u\n", r, got.data.u32);
    read(fd, &n, 8);
    printf("read after epoll: at least 1 %d\n", n >= 1);

    /* absolute, in the past: expires at once */
    struct timespec nowts;
    clock_gettime(CLOCK_MONOTONIC, &nowts);
    struct itimerspec abs = {{0, 0}, {nowts.tv_sec - 1, nowts.tv_nsec}};
    timerfd_settime(fd, TFD_TIMER_ABSTIME, &abs, NULL);
    got8 = read(fd, &n, 8);
    printf("absolute in the past: read %zd expirations %llu\n", got8, (unsigned long long)n);

    /* a blocking read waits for the next expiration */
    int b = timerfd_create(CLOCK_MONOTONIC, 0);
    struct itimerspec once = {{0, 0}, {0, 50 * 1000000}};
    timerfd_settime(b, 0, &once, NULL);
    t0 = now_ms();
    read(b, &n, 8);
    waited = now_ms() - t0;
    printf("blocking read: %llu after 30-1000 ms %d\n", (unsigned long long)n, waited >= 30 && waited <= 1000);

    /* disarm with zeros */
    timerfd_settime(fd, 0, &per, NULL);
    struct itimerspec zero = {{0, 0}, {0, 0}};
    timerfd_settime(fd, 0, &zero, NULL);
    usleep(50 * 1000);
    printf("disarmed timer: poll %d\n", poll(&p, 1, 0));
    errno = 0;
    r = timerfd_create(12345, 0);
    printf("bad clock: %d %s\n", r, strerror(errno));
    errno = 0;
    struct itimerspec bad = {{0, 0}, {0, 1000000000}};
    r = timerfd_settime(fd, 0, &bad, NULL);
    printf("bad nsec: %d %s\n", r, strerror(errno));
    errno = 0;
    r = timerfd_settime(ep, 0, &zero, NULL);
    printf("not a timer: %d %s\n", r, strerror(errno));
    return 0;
}
