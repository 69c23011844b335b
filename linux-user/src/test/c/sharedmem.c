/* Shared anonymous memory (mmap MAP_SHARED | MAP_ANONYMOUS) across fork: both processes see each
 * other's writes, atomic instructions of both are atomic together, and process-shared semaphores
 * and mutexes in it wait and wake across the processes (futexes keyed by the shared page). A
 * private mapping stays private; MADV_DONTNEED leaves shared contents in place; a child's munmap
 * leaves the parent's mapping alone. */
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct shared {
    int value;
    int counter;
    int plain;
    sem_t ping, pong;
    pthread_mutex_t lock;
};

static void child_exit(pid_t p, const char *what) {
    int st;
    waitpid(p, &st, 0);
    printf("%s child: exit %d\n", what, WEXITSTATUS(st));
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct shared *s = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    int *private_page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    s->value = 1;
    *private_page = 1;
    pid_t p = fork();
    if (p == 0) {
        int saw = s->value;
        s->value = 42;
        *private_page = 42;
        _exit(saw);
    }
    child_exit(p, "first");
    printf("shared after the child: %d, private: %d\n", s->value, *private_page);

    p = fork();
    if (p == 0) {
        for (int i = 0; i < 200000; i++) __sync_fetch_and_add(&s->counter, 1);
        _exit(0);
    }
    for (int i = 0; i < 200000; i++) __sync_fetch_and_add(&s->counter, 1);
    child_exit(p, "atomic");
    printf("counter: %d\n", s->counter);

    sem_init(&s->ping, 1, 0);
    sem_init(&s->pong, 1, 0);
    p = fork();
    if (p == 0) {
        for (int i = 0; i < 2000; i++) {
            sem_wait(&s->ping);
            s->value = i;
            sem_post(&s->pong);
        }
        _exit(0);
    }
    int ok = 1;
    for (int i = 0; i < 2000; i++) {
        sem_post(&s->ping);
        sem_wait(&s->pong);
        if (s->value != i) ok = 0;
    }
    child_exit(p, "semaphore");
    printf("ping-pong in order: %d\n", ok);

    pthread_mutexattr_t ma;
    pthread_mutexattr_init(&ma);
    pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
    pthread_mutex_init(&s->lock, &ma);
    s->plain = 0;
    p = fork();
    if (p == 0) {
        for (int i = 0; i < 100000; i++) {
            pthread_mutex_lock(&s->lock);
            s->plain++;
            pthread_mutex_unlock(&s->lock);
        }
        _exit(0);
    }
    for (int i = 0; i < 100000; i++) {
        pthread_mutex_lock(&s->lock);
        s->plain++;
        pthread_mutex_unlock(&s->lock);
    }
    child_exit(p, "mutex");
    printf("under the mutex: %d\n", s->plain);

    s->value = 7;
    madvise(s, 8192, MADV_DONTNEED);
    printf("after MADV_DONTNEED: %d\n", s->value);
    p = fork();
    if (p == 0) {
        munmap(s, 8192);
        int *again = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        *again = 99; /* may reuse the frame that held the shared page */
        _exit(0);
    }
    child_exit(p, "unmapping");
    printf("still shared here: %d\n", s->value);
    return 0;
}
