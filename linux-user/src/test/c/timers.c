/* Timers and waiting for signals: alarm, setitimer/getitimer (ITIMER_REAL, VIRTUAL, PROF), POSIX
 * timers, and what a SIGALRM does to pause, sigsuspend, nanosleep, poll, select and pipe reads
 * (EINTR without SA_RESTART, a restart with it), sigtimedwait and sigpending. Prints only what
 * does not depend on timing; times are checked against generous bounds. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int alarms, usr1, vt, prof;
static volatile int code, value;

static void on_alarm(int sig) { (void) sig; alarms++; }
static void on_vtalrm(int sig) { (void) sig; vt++; }
static void on_prof(int sig) { (void) sig; prof++; }
static void on_usr1(int sig, siginfo_t *info, void *uc) {
    (void) sig; (void) uc;
    usr1++;
    code = info->si_code;
    value = info->si_value.sival_int;
}

static void handle(int sig, void (*fn)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

/* ITIMER_REAL once, after ms milliseconds. */
static void real_in(int ms) {
    struct itimerval it = {{0, 0}, {ms / 1000, (ms % 1000) * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
}

static const char *err(int r) { return r == -1 ? strerror(errno) : "ok"; }

static double since(struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void itimers(void) {
    printf("alarm, none before: %u\n", alarm(5));
    printf("alarm, replaced: %u\n", alarm(0));
    printf("alarm, none left: %u\n", alarm(0));
    struct itimerval it = {{0, 20000}, {0, 300000}}, got;
    setitimer(ITIMER_REAL, &it, NULL);
    getitimer(ITIMER_REAL, &got);
    printf("getitimer: interval %ld us, value in (0, 300 ms]: %d\n", (long) got.it_interval.tv_usec,
           got.it_value.tv_sec == 0 && got.it_value.tv_usec > 0 && got.it_value.tv_usec <= 300000);
    struct itimerval zero = {{0, 0}, {0, 0}}, old;
    setitimer(ITIMER_REAL, &zero, &old);
    printf("old value returned: %d\n", old.it_interval.tv_usec == 20000 && old.it_value.tv_usec > 0);
    getitimer(ITIMER_REAL, &got);
    printf("disarmed: %ld %ld\n", (long) got.it_value.tv_sec, (long) got.it_value.tv_usec);
    struct itimerval bad = {{0, 0}, {0, 1000000}};
    int r = setitimer(ITIMER_REAL, &bad, NULL);
    printf("usec of a million: %d %s\n", r, err(r));
    r = setitimer(7, &zero, NULL);
    printf("unknown timer: %d %s\n", r, err(r));
    r = getitimer(-1, &got);
    printf("getitimer, unknown timer: %d %s\n", r, err(r));
}

static void interruptions(void) {
    handle(SIGALRM, on_alarm, 0);
    alarms = 0;
    real_in(30);
    int r = pause();
    printf("pause: %d %s, handled %d\n", r, err(r), alarms);

    struct timespec req = {2, 0}, rem = {0, 0}, t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    real_in(30);
    r = nanosleep(&req, &rem);
    printf("nanosleep: %d %s, time left in (1, 2) s: %d, returned early: %d\n", r, err(r),
           rem.tv_sec == 1 || (rem.tv_sec == 0 && rem.tv_nsec > 0), since(&t0) < 1.5);

    int p[2];
    pipe(p);
    struct pollfd pf = {p[0], POLLIN, 0};
    real_in(30);
    r = poll(&pf, 1, 2000);
    printf("poll: %d %s\n", r, err(r));

    fd_set in;
    FD_ZERO(&in);
    FD_SET(p[0], &in);
    struct timeval tv = {2, 0};
    real_in(30);
    r = select(p[0] + 1, &in, NULL, NULL, &tv);
    printf("select: %d %s\n", r, err(r)); /* the time left: Linux writes it back, qemu-i386 does not */

    char c;
    real_in(30);
    r = read(p[0], &c, 1);
    printf("pipe read: %d %s\n", r, err(r));

    handle(SIGALRM, on_alarm, SA_RESTART);
    pid_t child = fork();
    if (child == 0) {
        usleep(200000);
        write(p[1], "x", 1);
        _exit(0);
    }
    alarms = 0;
    real_in(30);
    r = read(p[0], &c, 1);
    printf("pipe read with SA_RESTART: %d %c, handled %d\n", r, r == 1 ? c : '-', alarms);
    waitpid(child, NULL, 0);

    /* A signal pending before a read that finds data: the data comes first. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    handle(SIGALRM, on_alarm, 0);
    sigprocmask(SIG_BLOCK, &block, &old);
    alarms = 0;
    write(p[1], "y", 1);
    raise(SIGALRM);
    sigset_t pending;
    sigpending(&pending);
    printf("sigpending: SIGALRM %d, SIGUSR1 %d\n", sigismember(&pending, SIGALRM), sigismember(&pending, SIGUSR1));
    sigprocmask(SIG_SETMASK, &old, NULL);
    r = read(p[0], &c, 1);
    printf("handled when unblocked: %d, then read: %d %c\n", alarms, r, c);

    /* sigsuspend: SIGALRM blocked around it, let through while it waits. */
    sigprocmask(SIG_BLOCK, &block, &old);
    alarms = 0;
    real_in(30);
    sigset_t none;
    sigemptyset(&none);
    r = sigsuspend(&none);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("sigsuspend: %d %s, handled %d, blocked again after: %d\n", r, err(r), alarms, sigismember(&now, SIGALRM));

    /* sigtimedwait: takes the blocked SIGALRM without a handler running. */
    alarms = 0;
    real_in(30);
    siginfo_t info;
    struct timespec two = {2, 0};
    r = sigtimedwait(&block, &info, &two);
    printf("sigtimedwait: %d, si_signo %d, si_code %d, handler ran %d\n", r, info.si_signo, info.si_code, alarms);
    struct timespec short_wait = {0, 50000000};
    r = sigtimedwait(&block, &info, &short_wait);
    printf("sigtimedwait, nothing comes: %d %s\n", r, err(r));
    raise(SIGALRM);
    r = sigwaitinfo(&block, &info);
    printf("sigwaitinfo, pending already: %d, pid ours: %d\n", r, info.si_pid == getpid());
    sigprocmask(SIG_SETMASK, &old, NULL);
    close(p[0]);
    close(p[1]);
}

static void posix_timers(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent sev;
    memset(&sev, 0, sizeof sev);
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = SIGUSR1;
    sev.sigev_value.sival_int = 42;
    timer_t t;
    int r = timer_create(CLOCK_MONOTONIC, &sev, &t);
    printf("timer_create: %d\n", r);
    struct itimerspec its = {{0, 10000000}, {0, 30000000}}, cur;
    sigset_t block, old, none;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&none);
    sigprocmask(SIG_BLOCK, &block, &old);
    timer_settime(t, 0, &its, NULL);
    while (usr1 < 3) sigsuspend(&none);
    printf("three expiries: si_code SI_TIMER %d, si_value %d\n", code == SI_TIMER, value);
    timer_gettime(t, &cur);
    printf("timer_gettime: interval %ld ns, armed %d\n", cur.it_interval.tv_nsec, cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 0);
    struct itimerspec off = {{0, 0}, {0, 0}}, was;
    timer_settime(t, 0, &off, &was);
    printf("disarmed, old interval %ld ns\n", was.it_interval.tv_nsec);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("timer_delete: %d\n", timer_delete(t));
    r = timer_gettime(t, &cur);
    printf("timer_gettime after delete: %d %s\n", r, err(r));

    /* Absolute expiry on CLOCK_REALTIME, taken with sigwaitinfo. */
    sev.sigev_value.sival_int = 7;
    timer_create(CLOCK_REALTIME, &sev, &t);
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    now.tv_nsec += 30000000;
    if (now.tv_nsec >= 1000000000) { now.tv_sec++; now.tv_nsec -= 1000000000; }
    struct itimerspec abs = {{0, 0}, now};
    sigprocmask(SIG_BLOCK, &block, &old);
    r = timer_settime(t, TIMER_ABSTIME, &abs, NULL);
    siginfo_t info;
    int sig = sigwaitinfo(&block, &info);
    printf("absolute: %d, signal %d, si_value %d, overrun %d\n", r, sig, info.si_value.sival_int, timer_getoverrun(t));
    sigprocmask(SIG_SETMASK, &old, NULL);
    timer_delete(t);

    /* SIGEV_NONE: nothing comes, the time left can be read. */
    sev.sigev_notify = SIGEV_NONE;
    timer_create(CLOCK_MONOTONIC, &sev, &t);
    struct itimerspec one = {{0, 0}, {1, 0}};
    timer_settime(t, 0, &one, NULL);
    timer_gettime(t, &cur);
    printf("SIGEV_NONE: time left in (0.5, 1] s: %d\n", (cur.it_value.tv_sec == 0 && cur.it_value.tv_nsec > 500000000) || cur.it_value.tv_sec == 1);
    struct itimerspec badns = {{0, 0}, {0, 1000000000}};
    r = timer_settime(t, 0, &badns, NULL);
    printf("timer_settime, a billion ns: %d %s\n", r, err(r));
    timer_delete(t);
    r = timer_create(99, &sev, &t);
    printf("timer_create, no such clock: %d %s\n", r, err(r));
    sev.sigev_notify = SIGEV_SIGNAL;
    sev.sigev_signo = 99;
    r = timer_create(CLOCK_MONOTONIC, &sev, &t);
    printf("timer_create, no such signal: %d %s\n", r, err(r));

    struct timespec at;
    clock_gettime(CLOCK_MONOTONIC, &at);
    at.tv_nsec += 20000000;
    if (at.tv_nsec >= 1000000000) { at.tv_sec++; at.tv_nsec -= 1000000000; }
    printf("clock_nanosleep, absolute: %d\n", clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL));
    struct timespec ms = {0, 1000000};
    printf("clock_nanosleep, thread CPU clock: %s\n", strerror(clock_nanosleep(CLOCK_THREAD_CPUTIME_ID, 0, &ms, NULL)));
    printf("clock_nanosleep, no such clock: %s\n", strerror(clock_nanosleep(99, 0, &ms, NULL)));
}

/* Guest code that never makes a system call is interrupted by the signals of timers. */
static void spin(void) {
    handle(SIGALRM, on_alarm, 0);
    handle(SIGVTALRM, on_vtalrm, 0);
    handle(SIGPROF, on_prof, 0);
    alarms = 0;
    struct itimerval it = {{0, 10000}, {0, 10000}};
    setitimer(ITIMER_REAL, &it, NULL);
    while (alarms < 5) { }
    struct itimerval zero = {{0, 0}, {0, 0}};
    setitimer(ITIMER_REAL, &zero, NULL);
    printf("spinning, handled %d\n", alarms);
    struct itimerval cpu = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_VIRTUAL, &cpu, NULL);
    while (!vt) { }
    setitimer(ITIMER_PROF, &cpu, NULL);
    while (!prof) { }
    printf("ITIMER_VIRTUAL %d, ITIMER_PROF %d\n", vt, prof);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "default") == 0) {
        printf("SIGALRM with its default action\n");
        real_in(30);
        pause();
        printf("not reached\n");
        return 1;
    }
    if (argc > 1 && strcmp(argv[1], "spin") == 0) {
        spin();
        return 0;
    }
    itimers();
    interruptions();
    posix_timers();
    return 0;
}
