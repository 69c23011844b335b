/* waitid, and the scheduling settings a process reads back: nice, getpriority/setpriority and
 * the sched_* policy calls. Values are printed relative to the starting nice value, so that the
 * output does not depend on how the test was started. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void report(const char *what, int r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static void show(const char *what, int r, siginfo_t *si) {
    printf("%s: %d signo %d code %d status %d\n", what, r, si->si_signo, si->si_code, si->si_status);
}

int main(void) {
    siginfo_t si;
    setvbuf(stdout, NULL, _IONBF, 0); /* nothing buffered for a fork's child to print again */
    pid_t a = fork();
    if (a == 0) _exit(7);
    memset(&si, 0x55, sizeof si);
    int r = waitid(P_PID, a, &si, WEXITED | WNOWAIT);
    show("WNOWAIT", r, &si);
    printf("pid matches %d\n", si.si_pid == a);
    memset(&si, 0x55, sizeof si);
    r = waitid(P_ALL, 0, &si, WEXITED);
    show("P_ALL", r, &si);
    printf("still the same child %d\n", si.si_pid == a);
    report("gone", waitid(P_PID, a, &si, WEXITED));

    int fds[2];
    pipe(fds);
    pid_t b = fork();
    if (b == 0) {
        char c;
        read(fds[0], &c, 1); /* waits for the parent */
        _exit(0);
    }
    memset(&si, 0x55, sizeof si);
    r = waitid(P_PID, b, &si, WEXITED | WNOHANG);
    printf("WNOHANG, still running: %d pid %d signo %d\n", r, si.si_pid, si.si_signo);
    r = waitid(P_PID, b, &si, WSTOPPED | WNOHANG);
    printf("WSTOPPED alone: %d pid %d\n", r, si.si_pid);
    kill(b, SIGTERM);
    r = waitid(P_PGID, 0, &si, WEXITED);
    show("killed", r, &si);
    report("no children", waitid(P_ALL, 0, &si, WEXITED));
    report("no event asked", waitid(P_ALL, 0, &si, WNOHANG));
    report("bad idtype", waitid(7, 0, &si, WEXITED));
    report("bad pid", waitid(P_PID, 0, &si, WEXITED));

    errno = 0;
    int start = getpriority(PRIO_PROCESS, 0);
    printf("getpriority: errno %d\n", errno);
    report("nice(3)", nice(3) - start);
    printf("getpriority now: %d\n", getpriority(PRIO_PROCESS, getpid()) - start);
    report("setpriority +5", setpriority(PRIO_PROCESS, 0, start + 5));
    printf("after: %d\n", getpriority(PRIO_PROCESS, 0) - start);
    r = setpriority(PRIO_PROCESS, 0, start + 1);
    printf("lower again: %s\n", (r == 0) == (geteuid() == 0) ? "as privilege says" : "wrong");
    setpriority(PRIO_PROCESS, 0, start + 6);
    pid_t c = fork();
    if (c == 0) {
        printf("child inherits: %d\n", getpriority(PRIO_PROCESS, 0) - start);
        setpgid(0, 0); /* a group of its own: the group's highest priority is its own */
        printf("its group: %d\n", getpriority(PRIO_PGRP, 0) - start);
        _exit(0);
    }
    waitpid(c, 0, 0);
    report("clamped", setpriority(PRIO_PROCESS, 0, 100));
    printf("at most 19: %d\n", getpriority(PRIO_PROCESS, 0));
    errno = 0;
    report("bad which", getpriority(9, 0));
    errno = 0;
    report("no such process", getpriority(PRIO_PROCESS, 999999));

    struct sched_param sp = {0};
    report("getscheduler", sched_getscheduler(0));
    report("getparam", sched_getparam(0, &sp));
    printf("priority %d\n", sp.sched_priority);
    report("max FIFO", sched_get_priority_max(SCHED_FIFO));
    report("min RR", sched_get_priority_min(SCHED_RR));
    report("max OTHER", sched_get_priority_max(SCHED_OTHER));
    report("bad policy", sched_get_priority_max(42));
    report("setscheduler BATCH", sched_setscheduler(0, SCHED_BATCH, &sp));
    report("getscheduler", sched_getscheduler(0));
    sp.sched_priority = 5;
    report("BATCH with a priority", sched_setscheduler(0, SCHED_BATCH, &sp));
    report("getscheduler of nobody", sched_getscheduler(999999));
    struct timespec slice = {7, 7};
    report("rr interval", sched_rr_get_interval(0, &slice));
    /* a fair-class slice in whole jiffies: zero on hosts whose slice is under a jiffy, small anyway */
    printf("under 50 ms: %d\n", slice.tv_sec == 0 && slice.tv_nsec < 50000000);
    report("rr interval of nobody", sched_rr_get_interval(999999, &slice));
    report("rr interval of -1", sched_rr_get_interval(-1, &slice));
    /* the call itself: glibc's i386 wrapper stores through a struct of its own and would fault */
    report("rr interval to a bad address", syscall(SYS_sched_rr_get_interval, 0, (struct timespec *)16));
    return 0;
}
