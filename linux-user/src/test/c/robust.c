/* Robust mutexes (set_robust_list): a thread or a process that ends holding one leaves it to the
 * next locker with EOWNERDEAD (its futex word gets FUTEX_OWNER_DIED), a waiter included, instead
 * of a wait for ever; get_robust_list answers with the head glibc registered. */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pthread_mutex_t m;
static volatile int locked;

static void *holder(void *p) {
    pthread_mutex_lock(&m);
    locked = 1;
    if (p) {
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL); /* the main thread is waiting in its lock by now */
    }
    return NULL; /* ends holding it */
}

static const char *name(int r) {
    return r == 0 ? "0" : r == EOWNERDEAD ? "EOWNERDEAD" : strerror(r);
}

static void robust(pthread_mutex_t *mx, int shared) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (shared) pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(mx, &a);
}

int main(void) {
    struct robust_list_head *head = NULL;
    size_t len = 0;
    long r = syscall(SYS_get_robust_list, 0, &head, &len);
    printf("get_robust_list: %ld, a head %s, its size %s\n", r, head ? "set" : "missing",
           len == sizeof(struct robust_list_head) ? "right" : "wrong");
    r = syscall(SYS_set_robust_list, head, len + 1);
    printf("set_robust_list with a wrong size: %ld %s\n", r, strerror(errno));

    /* A thread ends holding it; the next lock finds it so. */
    robust(&m, 0);
    pthread_t t;
    pthread_create(&t, NULL, holder, NULL);
    pthread_join(t, NULL);
    int e = pthread_mutex_lock(&m);
    printf("lock after the holder ended: %s\n", name(e));
    printf("consistent: %s\n", name(pthread_mutex_consistent(&m)));
    printf("unlock: %s\n", name(pthread_mutex_unlock(&m)));
    printf("lock again: %s\n", name(pthread_mutex_lock(&m)));
    pthread_mutex_unlock(&m);

    /* A waiter is woken when the holder ends. */
    locked = 0;
    pthread_create(&t, NULL, holder, (void *) 1);
    while (!locked) sched_yield();
    e = pthread_mutex_lock(&m);
    printf("waiter woken by the holder's end: %s\n", name(e));
    pthread_mutex_consistent(&m);
    pthread_mutex_unlock(&m);
    pthread_join(t, NULL);

    /* A process-shared one in shared memory: a child ends holding it. */
    pthread_mutex_t *sm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    robust(sm, 1);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        pthread_mutex_lock(sm);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    e = pthread_mutex_lock(sm);
    printf("lock after a child process ended holding it: %s\n", name(e));
    pthread_mutex_consistent(sm);
    printf("unlock: %s\n", name(pthread_mutex_unlock(sm)));
    return 0;
}
