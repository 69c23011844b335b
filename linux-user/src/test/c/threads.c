/* Guest threads: each mode prints what does not depend on how the threads were scheduled. */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define THREADS 4

static pid_t gettid_(void) { return (pid_t) syscall(SYS_gettid); }

/* ---- mutex: several threads add into one counter under a mutex; ids of threads and process */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static long counter;
static pid_t tids[THREADS], pids[THREADS];

static void *add(void *arg) {
    long id = (long) arg;
    tids[id] = gettid_();
    pids[id] = getpid();
    for (int i = 0; i < 20000; i++) {
        pthread_mutex_lock(&lock);
        counter += id + 1;
        pthread_mutex_unlock(&lock);
    }
    return (void *) (id * 100);
}

static int mutex_mode(void) {
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, add, (void *) i);
    long results = 0;
    for (int i = 0; i < THREADS; i++) {
        void *r;
        pthread_join(t[i], &r);
        results += (long) r;
    }
    int distinct = 1, samePid = 1;
    for (int i = 0; i < THREADS; i++) {
        if (pids[i] != getpid()) samePid = 0;
        if (tids[i] == getpid()) distinct = 0;
        for (int j = 0; j < i; j++) if (tids[i] == tids[j]) distinct = 0;
    }
    printf("counter=%ld results=%ld distinct tids=%d same pid=%d\n", counter, results, distinct, samePid);
    return 0;
}

/* ---- condvar: producers and consumers through a small ring buffer */
#define RING 4
#define ITEMS 3000
static int ring[RING], head, tail, count;
static pthread_cond_t notEmpty = PTHREAD_COND_INITIALIZER, notFull = PTHREAD_COND_INITIALIZER;
static long consumed[2];

static void *produce(void *arg) {
    int base = (int) (long) arg;
    for (int i = 1; i <= ITEMS; i++) {
        pthread_mutex_lock(&lock);
        while (count == RING) pthread_cond_wait(&notFull, &lock);
        ring[head] = base + i;
        head = (head + 1) % RING;
        count++;
        pthread_cond_signal(&notEmpty);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static void *consume(void *arg) {
    long id = (long) arg;
    for (int i = 0; i < ITEMS; i++) {
        pthread_mutex_lock(&lock);
        while (count == 0) pthread_cond_wait(&notEmpty, &lock);
        consumed[id] += ring[tail];
        tail = (tail + 1) % RING;
        count--;
        pthread_cond_signal(&notFull);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static int condvar_mode(void) {
    pthread_t p[2], c[2];
    for (long i = 0; i < 2; i++) pthread_create(&c[i], NULL, consume, (void *) i);
    for (long i = 0; i < 2; i++) pthread_create(&p[i], NULL, produce, (void *) (i * 100000));
    for (int i = 0; i < 2; i++) pthread_join(p[i], NULL);
    for (int i = 0; i < 2; i++) pthread_join(c[i], NULL);
    printf("consumed %ld in all, %d left\n", consumed[0] + consumed[1], count);
    return 0;
}

/* ---- atomics: fetch-and-add, compare-and-swap loops and exchange from several threads */
static volatile int added, swapped, spin;
static volatile long long wide;
static volatile unsigned char bytes;

static void *atomics(void *arg) {
    (void) arg;
    for (int i = 0; i < 25000; i++) {
        __sync_fetch_and_add(&added, 3);
        int old;
        do old = swapped; while (!__sync_bool_compare_and_swap(&swapped, old, old + 1));
        __sync_fetch_and_add(&wide, 1LL << 32 | 1);
        __sync_fetch_and_add(&bytes, 1);
        while (__sync_lock_test_and_set(&spin, 1)) { }  /* xchg: a spin lock */
        counter++;
        __sync_lock_release(&spin);
    }
    return NULL;
}

static int atomics_mode(void) {
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, atomics, NULL);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    printf("added=%d swapped=%d wide=%llx bytes=%u spinlocked=%ld\n", added, swapped, wide, bytes, counter);
    return 0;
}

/* ---- tls: __thread variables are per thread */
static __thread int mine = 7;
static __thread char name[16];
static int seen[THREADS];

static void *tls(void *arg) {
    long id = (long) arg;
    snprintf(name, sizeof name, "thread %ld", id);
    for (int i = 0; i < 1000; i++) mine += (int) id;
    usleep(1000);
    char expect[16];
    snprintf(expect, sizeof expect, "thread %ld", id);
    seen[id] = strcmp(name, expect) == 0 ? mine : -1;
    return NULL;
}

static int tls_mode(void) {
    pthread_t t[THREADS];
    for (long i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, tls, (void *) i);
    for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
    printf("main: %d;", mine);
    for (int i = 0; i < THREADS; i++) printf(" %d", seen[i]);
    printf("\n");
    return 0;
}

/* ---- smc: one thread rewrites code that another has run and runs again */
static unsigned char *code;
static int phase, answers[4];
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;

static void set_answer(int v) {
    code[0] = 0xB8; /* mov eax, imm32; ret */
    memcpy(code + 1, &v, 4);
    code[5] = 0xC3;
}

static void *runner(void *arg) {
    (void) arg;
    int (*f)(void) = (int (*)(void)) code;
    for (int round = 0; round < 4; round++) {
        pthread_mutex_lock(&lock);
        while (phase != round * 2 + 1) pthread_cond_wait(&changed, &lock);
        pthread_mutex_unlock(&lock);
        int v = 0;
        for (int i = 0; i < 50; i++) v = f(); /* often enough to be compiled */
        pthread_mutex_lock(&lock);
        answers[round] = v;
        phase++;
        pthread_cond_broadcast(&changed);
        pthread_mutex_unlock(&lock);
    }
    return NULL;
}

static int smc_mode(void) {
    code = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (code == MAP_FAILED) return 1;
    pthread_t t;
    pthread_create(&t, NULL, runner, NULL);
    for (int round = 0; round < 4; round++) {
        pthread_mutex_lock(&lock);
        while (phase != round * 2) pthread_cond_wait(&changed, &lock);
        set_answer(1000 + round * 11);
        phase++;
        pthread_cond_broadcast(&changed);
        pthread_mutex_unlock(&lock);
    }
    pthread_join(t, NULL);
    printf("answers: %d %d %d %d\n", answers[0], answers[1], answers[2], answers[3]);
    return 0;
}

/* ---- altstack: a SIGSEGV handler on the alternate stack, in the first thread and in another */
static volatile int *volatile nowhere = (volatile int *) 16;
static __thread sigjmp_buf back;
static __thread char *altBase;
static __thread int onAlt, flagsInside;

static void segv(int sig, siginfo_t *info, void *uc) {
    (void) sig;
    (void) uc;
    char here;
    onAlt = &here >= altBase && &here < altBase + SIGSTKSZ * 2 && info->si_addr == (void *) 16;
    stack_t now;
    sigaltstack(NULL, &now);
    flagsInside = now.ss_flags;
    siglongjmp(back, 1);
}

static void *fault_on_alt_stack(void *arg) {
    stack_t ss, old;
    altBase = malloc(SIGSTKSZ * 2);
    sigaltstack(NULL, &old);
    ss.ss_sp = altBase;
    ss.ss_size = SIGSTKSZ * 2;
    ss.ss_flags = 0;
    int set = sigaltstack(&ss, NULL);
    if (sigsetjmp(back, 1) == 0) *nowhere = 1;
    sigaltstack(NULL, &ss);
    printf("%s: before=%d set=%d handler on alternate stack=%d flags inside=%d after=%d size ok=%d\n", (char *) arg,
           old.ss_flags, set, onAlt, flagsInside, ss.ss_flags, ss.ss_size == SIGSTKSZ * 2);
    fflush(stdout);
    return NULL;
}

static int altstack_mode(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = segv;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);
    fault_on_alt_stack("main");
    pthread_t t;
    pthread_create(&t, NULL, fault_on_alt_stack, "thread");
    pthread_join(t, NULL);
    stack_t tiny = {.ss_sp = altBase, .ss_size = 100, .ss_flags = 0};
    printf("too small: %d\n", sigaltstack(&tiny, NULL));
    return 0;
}

/* ---- signals: pthread_kill reaches the thread it names */
static volatile pid_t handledBy;
static volatile int stop;

static void usr1(int sig) {
    (void) sig;
    handledBy = gettid_();
    stop = 1;
}

static pid_t target;

static void *wait_for_signal(void *arg) {
    (void) arg;
    target = gettid_();
    while (!stop) usleep(1000);
    return NULL;
}

static int signal_mode(void) {
    signal(SIGUSR1, usr1);
    pthread_t t;
    pthread_create(&t, NULL, wait_for_signal, NULL);
    while (!target) usleep(1000);
    pthread_kill(t, SIGUSR1);
    pthread_join(t, NULL);
    printf("handled by the target thread: %d, not by the first: %d\n", handledBy == target, handledBy != getpid());
    return 0;
}

/* ---- exit: a thread ends the process while others wait (in a join, a condition variable) */
static void *exits(void *arg) {
    (void) arg;
    usleep(20000);
    printf("thread calls exit\n");
    exit(5);
}

static void *waits_forever(void *arg) {
    (void) arg;
    pthread_mutex_lock(&lock);
    for (;;) pthread_cond_wait(&notEmpty, &lock);
    return NULL;
}

static void *spins_forever(void *arg) {
    (void) arg;
    for (volatile unsigned i = 0;; i++) { }
    return NULL;
}

static int exit_mode(void) {
    pthread_t a, b, c;
    pthread_create(&b, NULL, waits_forever, NULL);
    pthread_create(&c, NULL, spins_forever, NULL);
    pthread_create(&a, NULL, exits, NULL);
    pthread_join(a, NULL);
    printf("not reached\n");
    return 1;
}

/* the first thread leaves with pthread_exit; the process lives on until the last thread exits */
static void *last(void *arg) {
    (void) arg;
    usleep(20000);
    printf("last thread done\n");
    fflush(stdout);
    return NULL;
}

static int main_exits_mode(void) {
    pthread_t t;
    pthread_create(&t, NULL, last, NULL);
    pthread_exit(NULL);
}

/* ---- futex: timeouts (relative, absolute on either clock), a value that changed, a wake with nobody waiting */
static int futex_mode(void) {
    int word = 1;
    struct timespec rel = {0, 30 * 1000000};
    long r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 1, &rel, NULL, 0);
    printf("wait, relative timeout: %ld %s\n", r, r < 0 && errno == ETIMEDOUT ? "ETIMEDOUT" : "?");
    r = syscall(SYS_futex, &word, FUTEX_WAIT_PRIVATE, 2, &rel, NULL, 0);
    printf("wait, other value: %ld %s\n", r, r < 0 && errno == EAGAIN ? "EAGAIN" : "?");
    r = syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
    printf("wake, nobody waits: %ld\n", r);
    pthread_cond_t c = PTHREAD_COND_INITIALIZER;
    struct timespec abs;
    clock_gettime(CLOCK_REALTIME, &abs);
    abs.tv_nsec += 30 * 1000000;
    if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
    pthread_mutex_lock(&lock);
    int e = pthread_cond_timedwait(&c, &lock, &abs);
    printf("cond_timedwait, realtime: %s\n", e == ETIMEDOUT ? "ETIMEDOUT" : "?");
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_t m;
    pthread_cond_init(&m, &attr);
    clock_gettime(CLOCK_MONOTONIC, &abs);
    abs.tv_nsec += 30 * 1000000;
    if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
    e = pthread_cond_timedwait(&m, &lock, &abs);
    printf("cond_timedwait, monotonic: %s\n", e == ETIMEDOUT ? "ETIMEDOUT" : "?");
    pthread_mutex_unlock(&lock);
    return 0;
}

/* ---- futexops: REQUEUE, CMP_REQUEUE and WAKE_OP between sleeping threads, the word changes of
 * WAKE_OP, and pthread_cond_broadcast waking every waiter */
static int fa, fb, fc, fd_word;
static volatile int woken;

static long futex(int *addr, int op, int val, long val2, int *addr2, int val3) {
    return syscall(SYS_futex, addr, op, val, (void *) val2, addr2, val3);
}

static void *sleeper(void *arg) {
    (void) arg;
    while (futex(&fa, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0) != 0) { }  /* only a wake ends it, wherever it was moved */
    __sync_fetch_and_add(&woken, 1);
    return NULL;
}

static void until_woken(int n) {
    while (woken < n) usleep(1000);
}

static int cond_ready, cond_go, cond_done;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;

static void *cond_waiter(void *arg) {
    (void) arg;
    pthread_mutex_lock(&lock);
    cond_ready++;
    while (!cond_go) pthread_cond_wait(&cond, &lock);
    cond_done++;
    pthread_mutex_unlock(&lock);
    return NULL;
}

static void wake_op(const char *what, int *word, int encoded) {
    long r = futex(&fa, FUTEX_WAKE_OP_PRIVATE, 1, 1, word, encoded);
    if (r < 0) printf("%s: -1 %s, word %d\n", what, strerror(errno), fd_word);
    else printf("%s: %ld, word %d\n", what, r, fd_word);
}

static int futexops_mode(void) {
    pthread_t t[4];
    for (int i = 0; i < 4; i++) pthread_create(&t[i], NULL, sleeper, NULL);
    long moved = 0;
    while (moved < 4) {  /* a sleeper counts once it sleeps: then it is moved to fb */
        long r = futex(&fa, FUTEX_CMP_REQUEUE_PRIVATE, 0, 1000, &fb, 0);
        if (r < 0) { printf("cmp_requeue: %s\n", strerror(errno)); return 1; }
        moved += r;
        if (r == 0) usleep(1000);
    }
    printf("cmp_requeue moved %ld from fa to fb\n", moved);
    long r = futex(&fb, FUTEX_CMP_REQUEUE_PRIVATE, 0, 1000, &fc, 5);
    printf("cmp_requeue, word differs: %ld %s\n", r, r < 0 && errno == EAGAIN ? "EAGAIN" : "?");
    r = futex(&fb, FUTEX_CMP_REQUEUE_PRIVATE, -1, 1000, &fc, 0);
    printf("cmp_requeue, negative count: %ld %s\n", r, r < 0 && errno == EINVAL ? "EINVAL" : "?");
    r = futex(&fb, FUTEX_WAKE_PRIVATE, 0, 0, NULL, 0);
    until_woken(1);
    printf("wake with a count of 0: %ld, woken %d\n", r, woken);
    r = futex(&fb, FUTEX_REQUEUE_PRIVATE, 1, 1, &fc, 0);
    until_woken(2);
    printf("requeue, wake 1 and move 1 to fc: %ld, woken %d\n", r, woken);
    r = futex(&fb, FUTEX_WAKE_OP_PRIVATE, 1, 1, &fc, FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 0));
    until_woken(4);
    printf("wake_op, add 3, old == 0, one on each: %ld, word %d, woken %d\n", r, fc, woken);
    for (int i = 0; i < 4; i++) pthread_join(t[i], NULL);

    fd_word = 0x10;
    wake_op("wake_op set 7, old < 0x11", &fd_word, FUTEX_OP(FUTEX_OP_SET, 7, FUTEX_OP_CMP_LT, 0x11));
    wake_op("wake_op or 0x30, old != 7", &fd_word, FUTEX_OP(FUTEX_OP_OR, 0x30, FUTEX_OP_CMP_NE, 7));
    wake_op("wake_op andn 3, old <= 0x37", &fd_word, FUTEX_OP(FUTEX_OP_ANDN, 3, FUTEX_OP_CMP_LE, 0x37));
    wake_op("wake_op xor 0xff, old > 0", &fd_word, FUTEX_OP(FUTEX_OP_XOR, 0xff, FUTEX_OP_CMP_GT, 0));
    wake_op("wake_op add -0x800, old >= -1", &fd_word, FUTEX_OP(FUTEX_OP_ADD, -0x800 & 0xfff, FUTEX_OP_CMP_GE, 0xfff));
    wake_op("wake_op set 1 << 5", &fd_word, FUTEX_OP((FUTEX_OP_SET | FUTEX_OP_OPARG_SHIFT), 5, FUTEX_OP_CMP_EQ, 0));
    wake_op("wake_op, unknown op", &fd_word, FUTEX_OP(7, 1, FUTEX_OP_CMP_EQ, 0));
    wake_op("wake_op set 9, unknown comparison", &fd_word, FUTEX_OP(FUTEX_OP_SET, 9, 9, 0));
    wake_op("wake_op, misaligned", (int *) ((char *) &fd_word + 1), 0);
    wake_op("wake_op, bad address", (int *) 16, 0);

    pthread_t c[4];
    for (int i = 0; i < 4; i++) pthread_create(&c[i], NULL, cond_waiter, NULL);
    pthread_mutex_lock(&lock);
    while (cond_ready < 4) {
        pthread_mutex_unlock(&lock);
        usleep(1000);
        pthread_mutex_lock(&lock);
    }
    cond_go = 1;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
    for (int i = 0; i < 4; i++) pthread_join(c[i], NULL);
    printf("broadcast woke %d of 4\n", cond_done);
    return 0;
}

/* ---- fork: a thread forks; the child (one thread, a copy of the one that forked) runs and is reaped */
static void *forks(void *arg) {
    (void) arg;
    pid_t p = fork();
    if (p == 0) {
        printf("child of a thread, tls %d\n", mine);
        fflush(stdout);
        _exit(4);
    }
    int st;
    waitpid(p, &st, 0);
    printf("reaped by the thread: %d\n", WEXITSTATUS(st));
    return NULL;
}

static int fork_mode(void) {
    pthread_t t;
    mine = 42;
    pthread_create(&t, NULL, forks, NULL);
    pthread_join(t, NULL);
    return 0;
}

/* ---- exec: the first thread runs execve while another spins; the new program has one thread */
static int exec_mode(const char *self) {
    pthread_t t;
    pthread_create(&t, NULL, spins_forever, NULL);
    usleep(10000);
    execl(self, self, "execd", (char *) 0);
    printf("execve failed\n");
    return 1;
}

/* ---- crash: a fault in a thread without a handler ends the whole process with the signal */
static volatile int announced;

static void *crashes(void *arg) {
    (void) arg;
    while (!announced) usleep(1000);
    *nowhere = 1;
    return NULL;
}

static int crash_mode(void) {
    pthread_t t, w;
    pthread_create(&w, NULL, waits_forever, NULL);
    pthread_create(&t, NULL, crashes, NULL);
    printf("waiting for the crash\n");
    announced = 1;
    pthread_join(t, NULL);
    printf("not reached\n");
    return 1;
}

/* ---- forever: threads that never end, for a stop from outside */
static int forever_mode(void) {
    pthread_t b, c;
    pthread_create(&b, NULL, waits_forever, NULL);
    pthread_create(&c, NULL, spins_forever, NULL);
    printf("waiting\n");
    pthread_join(b, NULL);
    return 1;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "mutex";
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (!strcmp(mode, "mutex")) return mutex_mode();
    if (!strcmp(mode, "condvar")) return condvar_mode();
    if (!strcmp(mode, "atomics")) return atomics_mode();
    if (!strcmp(mode, "tls")) return tls_mode();
    if (!strcmp(mode, "smc")) return smc_mode();
    if (!strcmp(mode, "altstack")) return altstack_mode();
    if (!strcmp(mode, "signal")) return signal_mode();
    if (!strcmp(mode, "exit")) return exit_mode();
    if (!strcmp(mode, "mainexits")) return main_exits_mode();
    if (!strcmp(mode, "futex")) return futex_mode();
    if (!strcmp(mode, "futexops")) return futexops_mode();
    if (!strcmp(mode, "forever")) return forever_mode();
    if (!strcmp(mode, "fork")) return fork_mode();
    if (!strcmp(mode, "crash")) return crash_mode();
    if (!strcmp(mode, "exec")) return exec_mode(argv[0]);
    if (!strcmp(mode, "execd")) {
        printf("the new program runs\n");
        return 6;
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
