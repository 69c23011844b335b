/* clone3 (435, the same number on i386 and x86-64) with a struct clone_args of 64-bit fields:
 * Linux's checks of the struct, a fork-like child with its exit signal, CLONE_PARENT_SETTID and
 * CLONE_CHILD_SETTID, CLONE_CLEAR_SIGHAND, and threads that glibc's pthread_create makes (through
 * clone3 where the kernel has it: each on a stack of its own, its stack pointer at the area's top). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif

struct args {
    uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

static long clone3(void *a, size_t size) {
    return syscall(435, a, size);
}

static void report(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static void bad(const char *what, struct args a, size_t size) {
    report(what, clone3(&a, size));
}

/* The child's status as the parent sees it through waitpid. */
static void reap(const char *what, long pid) {
    int st = 0;
    long w = waitpid(pid, &st, 0);
    printf("%s: waited %s, exited %d status %d\n", what, w == pid ? "the child" : "another", WIFEXITED(st), WEXITSTATUS(st));
}

static volatile int hits;

static void handler(int sig) {
    (void) sig;
    hits++;
}

static void *worker(void *p) {
    return (void *) ((intptr_t) p * 3);
}

static char child_stack[4096];

int main(void) {
    struct args zero;
    memset(&zero, 0, sizeof zero);
    struct args a = zero;

    bad("size 63", a, 63);
    bad("size 4097", a, 4097);
    unsigned char big[128];
    memset(big, 0, sizeof big);
    big[100] = 1;
    report("a newer struct's field set", clone3(big, sizeof big));
    report("the struct at a bad address", clone3((void *) 16, 64));
    a = zero; a.exit_signal = 65;
    bad("exit signal 65", a, 64);
    a = zero; a.exit_signal = 1ULL << 32 | SIGCHLD;
    bad("exit signal with high bits", a, 64);
    a = zero; a.flags = SIGCHLD;
    bad("a signal in the flags", a, 64);
    a = zero; a.flags = 1ULL << 40;
    bad("an unknown high flag", a, 64);
    a = zero; a.flags = CLONE_VM | CLONE_SIGHAND | CLONE_THREAD; a.exit_signal = SIGCHLD;
    bad("a thread with an exit signal", a, 64);
    a = zero; a.flags = CLONE_SIGHAND | CLONE_VM | CLONE_CLEAR_SIGHAND;
    bad("CLONE_SIGHAND with CLONE_CLEAR_SIGHAND", a, 64);
    a = zero; a.stack = (uintptr_t) child_stack;
    bad("a stack without a size", a, 64);
    a = zero; a.stack_size = 4096;
    bad("a size without a stack", a, 64);
    a = zero; a.set_tid_size = 1;
    bad("set_tid_size without set_tid", a, 88);

    /* A fork-like child: its exit signal, its pid at parent_tid and child_tid. */
    pid_t ptid = 0, ctid = 0;
    a = zero;
    a.flags = CLONE_PARENT_SETTID | CLONE_CHILD_SETTID;
    a.parent_tid = (uintptr_t) &ptid;
    a.child_tid = (uintptr_t) &ctid;
    a.exit_signal = SIGCHLD;
    fflush(stdout);
    long pid = clone3(&a, sizeof a);
    if (pid == 0) _exit(ctid == getpid() ? 7 : 9);
    printf("fork-like: child %s, parent_tid %s\n", pid > 0 ? "made" : strerror(errno), ptid == pid ? "holds its pid" : "wrong");
    reap("fork-like", pid);

    /* parent_tid and child_tid past the user part: Linux's writes there fail and are skipped. */
    ptid = 0;
    ctid = 0;
    a.parent_tid = (1ULL << 63) | (uintptr_t) &ptid;
    a.child_tid = (1ULL << 63) | (uintptr_t) &ctid;
    fflush(stdout);
    pid = clone3(&a, sizeof a);
    if (pid == 0) _exit(ctid == 0 ? 7 : 9);
    printf("tids past the user part: child %s, parent_tid %s\n", pid > 0 ? "made" : strerror(errno), ptid == 0 ? "untouched" : "written");
    reap("tids past the user part", pid);

    /* CLONE_CLEAR_SIGHAND: the child's handled signals back to their defaults, ignored ones kept. */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = handler;
    sigaction(SIGUSR1, &sa, NULL);
    signal(SIGUSR2, SIG_IGN);
    a = zero;
    a.flags = CLONE_CLEAR_SIGHAND;
    a.exit_signal = SIGCHLD;
    fflush(stdout);
    pid = clone3(&a, 64);
    if (pid == 0) {
        struct sigaction o1, o2;
        sigaction(SIGUSR1, NULL, &o1);
        sigaction(SIGUSR2, NULL, &o2);
        _exit((o1.sa_handler == SIG_DFL ? 1 : 0) | (o2.sa_handler == SIG_IGN ? 2 : 0));
    }
    reap("CLONE_CLEAR_SIGHAND (1: USR1 default, 2: USR2 still ignored)", pid);
    a.flags = 0;
    fflush(stdout);
    pid = clone3(&a, 64);
    if (pid == 0) {
        struct sigaction o1;
        sigaction(SIGUSR1, NULL, &o1);
        _exit(o1.sa_handler == handler ? 5 : 6);
    }
    reap("without it (5: the handler kept)", pid);

    /* Threads, as glibc makes them. */
    long sum = 0;
    for (int i = 1; i <= 4; i++) {
        pthread_t t;
        void *r = NULL;
        if (pthread_create(&t, NULL, worker, (void *) (intptr_t) i) != 0 || pthread_join(t, &r) != 0) {
            printf("pthread failed\n");
            return 1;
        }
        sum += (intptr_t) r;
    }
    printf("threads: %ld\n", sum);
    printf("handler hits: %d\n", hits);
    return 0;
}
