/* CPU accounting: getrusage (self, children, thread), times, wait4's rusage and the CPU time
 * clocks, after spending CPU time on purpose. Times are only checked for plausibility. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/times.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double secs(struct timeval t) { return t.tv_sec + t.tv_usec / 1e6; }
static double cpu(clockid_t c) {
    struct timespec t;
    clock_gettime(c, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

/* Spends about {@code s} seconds of this thread's CPU time. */
static void burn(double s) {
    double start = cpu(CLOCK_THREAD_CPUTIME_ID);
    volatile unsigned x = 1;
    while (cpu(CLOCK_THREAD_CPUTIME_ID) - start < s) {
        for (int i = 0; i < 10000; i++) x = x * 1664525 + 1013904223;
    }
}

static void *worker(void *arg) {
    (void) arg;
    burn(0.1);
    return NULL;
}

int main(void) {
    struct rusage ru, th, ch;
    struct timespec w0, w1;
    clock_gettime(CLOCK_MONOTONIC, &w0);
    getrusage(RUSAGE_CHILDREN, &ch);
    printf("children before any: %d\n", ch.ru_utime.tv_sec == 0 && ch.ru_utime.tv_usec == 0 && ch.ru_stime.tv_usec == 0);
    burn(0.2);
    pthread_t t;
    pthread_create(&t, NULL, worker, NULL);
    pthread_join(t, NULL);
    getrusage(RUSAGE_SELF, &ru);
    getrusage(RUSAGE_THREAD, &th);
    clock_gettime(CLOCK_MONOTONIC, &w1);
    double self = secs(ru.ru_utime) + secs(ru.ru_stime), thread = secs(th.ru_utime) + secs(th.ru_stime);
    double wall = (w1.tv_sec - w0.tv_sec) + (w1.tv_nsec - w0.tv_nsec) / 1e9;
    printf("self has both threads: %d, thread has its own: %d, thread <= self: %d, self <= elapsed: %d\n", self >= 0.28,
           thread >= 0.19, thread <= self + 0.001, self <= wall * 2 + 0.05);
    printf("usec fields below a million: %d, maxrss > 0: %d\n", ru.ru_utime.tv_usec < 1000000 && ru.ru_stime.tv_usec < 1000000,
           ru.ru_maxrss > 0);
    double process = cpu(CLOCK_PROCESS_CPUTIME_ID);
    printf("process CPU clock: %d\n", process >= 0.28 && process <= self + 0.2);
    clockid_t cid;
    printf("clock_getcpuclockid: %d, ", clock_getcpuclockid(0, &cid));
    printf("reads the same: %d\n", cpu(cid) >= process);
    pthread_getcpuclockid(pthread_self(), &cid);
    printf("pthread_getcpuclockid reads this thread: %d\n", cpu(cid) >= 0.19 && cpu(cid) <= cpu(CLOCK_PROCESS_CPUTIME_ID));
    struct timespec res;
    clock_getres(CLOCK_PROCESS_CPUTIME_ID, &res);
    printf("clock_getres, CPU clocks: %ld ns, ", res.tv_nsec);
    clock_getres(CLOCK_THREAD_CPUTIME_ID, &res);
    printf("%ld ns\n", res.tv_nsec);
    int r = clock_getres(99, &res);
    printf("clock_getres, no such clock: %d %s\n", r, strerror(errno));
    r = clock_gettime(99, &res);
    printf("clock_gettime, no such clock: %d %s\n", r, strerror(errno));
    r = getrusage(5, &ru);
    printf("getrusage, unknown who: %d %s\n", r, strerror(errno));

    struct tms tm;
    clock_t before = times(&tm);
    printf("times: own ticks >= 25: %d, no children yet: %d\n", tm.tms_utime + tm.tms_stime >= 25, tm.tms_cutime + tm.tms_cstime == 0);
    pid_t child = fork();
    if (child == 0) {
        burn(0.25); /* times() truncates user and system time to ticks apart: up to two ticks go */
        _exit(3);
    }
    int status;
    struct rusage cr;
    pid_t got = wait4(child, &status, 0, &cr);
    printf("wait4: the child %d, status %d, its CPU time in rusage: %d\n", got == child, WEXITSTATUS(status),
           secs(cr.ru_utime) + secs(cr.ru_stime) >= 0.19);
    getrusage(RUSAGE_CHILDREN, &ch);
    printf("children after the wait: %d\n", secs(ch.ru_utime) + secs(ch.ru_stime) >= 0.19);
    clock_t after = times(&tm);
    printf("times: children's ticks >= 19: %d, clock went forward: %d\n", tm.tms_cutime + tm.tms_cstime >= 19, after - before >= 19);
    return 0;
}
