/* sigqueue and rt_sigqueueinfo: a value with the signal, real-time signals queued one instance per
 * send in order, standard signals not queued, another process's instance with the sender's pid,
 * the kernel's rule against forged si_codes (EPERM), EINVAL, ESRCH, rt_tgsigqueueinfo. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile int seen_code, seen_value, seen_pid_ok;

static void on_rt(int sig, siginfo_t *si, void *ctx) {
    (void)sig; (void)ctx;
    seen_code = si->si_code;
    seen_value = si->si_value.sival_int;
    seen_pid_ok = si->si_pid == getpid();
}

static long queueinfo(pid_t pid, int sig, int code, int value) {
    siginfo_t si;
    memset(&si, 0, sizeof si);
    si.si_signo = sig;
    si.si_code = code;
    si.si_pid = getpid();
    si.si_uid = getuid();
    si.si_value.sival_int = value;
    return syscall(SYS_rt_sigqueueinfo, pid, sig, &si);
}

static void result(const char *what, long r) {
    printf("%s: %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerror(errno) : "");
}

int main(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_rt;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGRTMIN, &sa, NULL);

    union sigval v = {.sival_int = 42};
    result("sigqueue to itself", sigqueue(getpid(), SIGRTMIN, v));
    printf("handler: code %d (SI_QUEUE %d) value %d pid matches %d\n", seen_code, SI_QUEUE, seen_value, seen_pid_ok);

    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGRTMIN + 1);
    sigaddset(&block, SIGRTMIN + 2);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    for (int i = 1; i <= 3; i++) sigqueue(getpid(), SIGRTMIN + 2, (union sigval){.sival_int = 20 + i});
    for (int i = 1; i <= 3; i++) sigqueue(getpid(), SIGRTMIN + 1, (union sigval){.sival_int = 10 + i});
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    printf("taken:");
    struct timespec zero = {0, 0};
    siginfo_t si;
    int sig;
    while ((sig = sigtimedwait(&block, &si, &zero)) > 0) {
        if (sig == SIGUSR1) printf(" USR1(code %d)", si.si_code);
        else printf(" RTMIN+%d=%d", sig - SIGRTMIN, si.si_value.sival_int);
    }
    printf(" then %s\n", strerror(errno));

    /* a standard signal sent again while pending is dropped: the first sender's siginfo stays */
    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 1});
    sigqueue(getpid(), SIGUSR1, (union sigval){.sival_int = 2});
    sig = sigtimedwait(&block, &si, &zero);
    printf("USR1 twice: took %d value %d, then %d\n", sig == SIGUSR1, si.si_value.sival_int, sigtimedwait(&block, &si, &zero));

    int ready[2];
    if (pipe(ready) != 0) return 1;
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        sigset_t w;
        sigemptyset(&w);
        sigaddset(&w, SIGRTMIN);
        sigprocmask(SIG_BLOCK, &w, NULL);
        (void)!write(ready[1], "r", 1);
        siginfo_t ci;
        int s = sigwaitinfo(&w, &ci);
        printf("child: signal RTMIN+%d code %d value %d from its parent %d\n", s - SIGRTMIN, ci.si_code,
               ci.si_value.sival_int, ci.si_pid == getppid());
        fflush(stdout);
        _exit(0);
    }
    char c;
    (void)!read(ready[0], &c, 1);
    result("forged SI_USER to the child", queueinfo(child, SIGRTMIN, SI_USER, 1));
    result("forged SI_TKILL to the child", queueinfo(child, SIGRTMIN, SI_TKILL, 2));
    result("SI_QUEUE to the child", queueinfo(child, SIGRTMIN, SI_QUEUE, 7));
    int status;
    waitpid(child, &status, 0);
    printf("child exit %d\n", WEXITSTATUS(status));

    seen_code = 0;
    result("SI_USER code to itself", queueinfo(getpid(), SIGRTMIN, SI_USER, 5));
    printf("handler: code %d value %d\n", seen_code, seen_value);
    result("signal 65", queueinfo(getpid(), 65, SI_QUEUE, 0));
    result("no such process", queueinfo(0x3ffffff0, SIGRTMIN, SI_QUEUE, 0));
    result("signal 0 probe", queueinfo(getpid(), 0, SI_QUEUE, 0));

    siginfo_t ti;
    memset(&ti, 0, sizeof ti);
    ti.si_code = SI_QUEUE;
    ti.si_value.sival_int = 99;
    seen_code = 0;
    result("rt_tgsigqueueinfo to its thread", syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGRTMIN, &ti));
    printf("handler: code %d value %d\n", seen_code, seen_value);
    result("rt_tgsigqueueinfo tid 0", syscall(SYS_rt_tgsigqueueinfo, getpid(), 0, SIGRTMIN, &ti));
    result("rt_sigqueueinfo bad address", syscall(SYS_rt_sigqueueinfo, getpid(), SIGRTMIN, (void *)16));
    return 0;
}
