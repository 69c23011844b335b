/* SysV semaphores: semget, semop, semtimedop, semctl; operations that wait for another process,
 * IPC_NOWAIT, timeouts, a signal, SEM_UNDO at a process's end, removal under a waiter, the
 * counts of waiters, the errors, and the same through i386's ipc() multiplexer. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void report(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static void values(const char *what, int id) {
    unsigned short v[3];
    semctl(id, 0, GETALL, v);
    printf("%s: %u %u %u\n", what, v[0], v[1], v[2]);
}

static long op(int id, int num, int change, int flags) {
    struct sembuf b = {(unsigned short) num, (short) change, (short) flags};
    return semop(id, &b, 1);
}

static double since(struct timespec *t0) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (t.tv_sec - t0->tv_sec) + (t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The count GETNCNT or GETZCNT gives once a waiter is there (at most 10 s): a fork's child may take a while to start waiting. */
static int waiters(int id, int num, int cmd) {
    int n = 0;
    for (int i = 0; i < 1000 && (n = semctl(id, num, cmd)) == 0; i++) usleep(10000);
    return n;
}

static void on_usr1(int sig) {
    (void) sig;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0); /* nothing buffered for a fork's child to print again */
    int id = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
    printf("semget: %d\n", id >= 0);
    values("fresh", id);
    report("SETVAL", semctl(id, 0, SETVAL, 5));
    report("GETVAL", semctl(id, 0, GETVAL));
    unsigned short all[3] = {1, 2, 3};
    report("SETALL", semctl(id, 0, SETALL, all));
    values("after SETALL", id);
    struct sembuf two[2] = {{0, -1, 0}, {1, 2, 0}};
    report("two at once", semop(id, two, 2));
    values("now", id);
    struct sembuf cannot[2] = {{1, 1, 0}, {0, -1, IPC_NOWAIT}};
    report("one of two cannot, IPC_NOWAIT", semop(id, cannot, 2));
    values("unchanged", id);
    report("wait for zero where it is zero", op(id, 0, 0, 0));
    struct timespec t0, limit = {0, 50000000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct sembuf down = {0, -1, 0};
    report("semtimedop, 50 ms", semtimedop(id, &down, 1, &limit));
    printf("waited long enough: %d\n", since(&t0) >= 0.045);
    report("GETPID is ours", semctl(id, 1, GETPID) == getpid() ? 0 : -1);

    /* Another process releases what this one waits for. */
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        op(id, 0, 1, 0);
        _exit(0);
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    report("down, released by the child", op(id, 0, -1, 0));
    printf("it waited: %d; last pid ours: %d\n", since(&t0) >= 0.05, semctl(id, 0, GETPID) == getpid());
    int status;
    waitpid(child, &status, 0);

    /* A waiter for zero counted by GETZCNT, released by SETVAL. */
    child = fork();
    if (child == 0) _exit(op(id, 2, 0, 0) == 0 ? 0 : 1);
    report("GETZCNT", waiters(id, 2, GETZCNT));
    report("SETVAL to zero", semctl(id, 2, SETVAL, 0));
    waitpid(child, &status, 0);
    printf("the zero-waiter returned: %d\n", WEXITSTATUS(status));

    /* SEM_UNDO: the child's change goes back when it ends. */
    child = fork();
    if (child == 0) {
        op(id, 1, 10, SEM_UNDO);
        op(id, 1, -3, SEM_UNDO);
        printf("child sees %d\n", semctl(id, 1, GETVAL));
        _exit(0);
    }
    waitpid(child, &status, 0);
    report("after the child's end", semctl(id, 1, GETVAL));

    /* A signal with a handler ends a wait with EINTR (semop is never restarted). */
    child = fork();
    if (child == 0) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_usr1;
        sa.sa_flags = SA_RESTART;
        sigaction(SIGUSR1, &sa, NULL);
        long r = op(id, 0, -1, 0);
        _exit(r == -1 && errno == EINTR ? 4 : 5);
    }
    report("GETNCNT", waiters(id, 0, GETNCNT));
    kill(child, SIGUSR1);
    waitpid(child, &status, 0);
    printf("signalled waiter: %s\n", WEXITSTATUS(status) == 4 ? "EINTR" : "other");

    struct semid_ds ds;
    semctl(id, 0, IPC_STAT, &ds);
    printf("IPC_STAT: nsems %lu mode %o\n", (unsigned long) ds.sem_nsems, ds.sem_perm.mode & 0777);
    ds.sem_perm.mode = 0640;
    report("IPC_SET", semctl(id, 0, IPC_SET, &ds));
    semctl(id, 0, IPC_STAT, &ds);
    printf("mode now %o\n", ds.sem_perm.mode & 0777);

    report("SETVAL out of range", semctl(id, 0, SETVAL, 40000));
    report("a number past the set", op(id, 5, 1, 0));
    report("no operations", semop(id, two, 0));
    report("semget of no semaphores", semget(IPC_PRIVATE, 0, IPC_CREAT | 0600));
    report("GETVAL of a bad id", semctl(0x7FFFFFF, 0, GETVAL));
    report("GETVAL past the set", semctl(id, 7, GETVAL));

    /* Removal under a waiter: EIDRM. */
    child = fork();
    if (child == 0) {
        long r = op(id, 0, -1, 0);
        _exit(r == -1 && errno == EIDRM ? 6 : 7);
    }
    waiters(id, 0, GETNCNT);
    report("IPC_RMID", semctl(id, 0, IPC_RMID));
    waitpid(child, &status, 0);
    printf("waiter of a removed set: %s\n", WEXITSTATUS(status) == 6 ? "EIDRM" : "other");
    report("GETVAL after IPC_RMID", semctl(id, 0, GETVAL));

    key_t key = 0x4B540000 | (getpid() & 0xFFFF);
    int k = semget(key, 2, IPC_CREAT | IPC_EXCL | 0600);
    printf("keyed: %d same: %d\n", k >= 0, semget(key, 1, 0) == k);
    report("same key, IPC_EXCL", semget(key, 2, IPC_CREAT | IPC_EXCL | 0600));
    report("same key, more semaphores", semget(key, 3, 0));
    semctl(k, 0, IPC_RMID);
    report("the key after IPC_RMID", semget(key, 2, 0));

    /* The same through i386's ipc() multiplexer (x86-64 has none: there the calls it stands for). */
    long got, set, val, down2, removed;
#ifdef __i386__
    got = syscall(SYS_ipc, 2, IPC_PRIVATE, 1, IPC_CREAT | 0600);                /* SEMGET */
    int arg = 3;
    set = syscall(SYS_ipc, 3, got, 0, SETVAL, &arg);                            /* SEMCTL: the union through a pointer */
    struct sembuf d = {0, -2, 0};
    down2 = syscall(SYS_ipc, 1, got, 1, 0, &d);                                 /* SEMOP */
    val = syscall(SYS_ipc, 3, got, 0, GETVAL, &arg);
    removed = syscall(SYS_ipc, 3, got, 0, IPC_RMID, &arg);
#else
    got = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
    set = semctl(got, 0, SETVAL, 3);
    struct sembuf d = {0, -2, 0};
    down2 = semop(got, &d, 1);
    val = semctl(got, 0, GETVAL);
    removed = semctl(got, 0, IPC_RMID);
#endif
    printf("ipc(): get %d set %ld down %ld value %ld remove %ld\n", got >= 0, set, down2, val, removed);
    return 0;
}
