/* SysV shared memory: shmget, shmat, shmdt, shmctl; a segment shared with a fork's child (writes
 * both ways, LOCK'd increments from both), a second read-only attachment, keys, IPC_STAT, IPC_SET,
 * IPC_RMID and the errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static void stat_of(const char *what, int id) {
    struct shmid_ds ds;
    if (shmctl(id, IPC_STAT, &ds) < 0) {
        printf("%s: -1 %s\n", what, strerror(errno));
        return;
    }
    printf("%s: size %lu nattch %lu mode %o creator %d last %s\n", what, (unsigned long) ds.shm_segsz,
           (unsigned long) ds.shm_nattch, ds.shm_perm.mode & 0777, ds.shm_cpid == getpid(),
           ds.shm_lpid == getpid() ? "self" : ds.shm_lpid == 0 ? "none" : "other");
}

int main(void) {
    int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
    printf("shmget: %d\n", id >= 0);
    stat_of("fresh", id);
    char *p = shmat(id, NULL, 0);
    printf("shmat: %d aligned %d zeros %d\n", p != (void *) -1, ((uintptr_t) p & 4095) == 0, p[0] == 0 && p[9999] == 0);
    strcpy(p, "parent");
    stat_of("attached", id);

    volatile int *counter = (volatile int *) (p + 4096);
    pid_t child = fork();
    if (child == 0) {
        p[0] = 'P';
        strcpy(p + 200, "from the child");
        for (int i = 0; i < 100000; i++) __sync_fetch_and_add(counter, 1);
        shmdt(p);
        _exit(0);
    }
    for (int i = 0; i < 100000; i++) __sync_fetch_and_add(counter, 1);
    int status;
    waitpid(child, &status, 0);
    printf("child exited %d; parent sees: %s / %s; counter %d\n", WEXITSTATUS(status), p, p + 200, *counter);
    stat_of("after the child", id);

    char *q = shmat(id, NULL, SHM_RDONLY);
    printf("second attachment: %d elsewhere %d same bytes %d\n", q != (void *) -1, q != p, strcmp(q, p) == 0);
    stat_of("twice", id);
    child = fork();
    if (child == 0) {
        q[0] = 'x'; /* read-only: SIGSEGV */
        _exit(0);
    }
    waitpid(child, &status, 0);
    printf("write through SHM_RDONLY: signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    report("shmdt of the second", shmdt(q));
    report("shmdt again", shmdt(q));
    report("shmdt of a non-attachment", shmdt(p + 4096));

    char *hole = mmap(NULL, 65536, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(hole, 65536);
    char *r = shmat(id, hole + 4096 + 123, 0);
    printf("unaligned address: %s\n", r == (void *) -1 ? strerror(errno) : "attached");
    r = shmat(id, hole + 4096 + 123, SHM_RND);
    printf("SHM_RND: %d\n", r == hole + 4096);
    if (r != (void *) -1) shmdt(r);
    r = shmat(id, p, 0);
    printf("over the first attachment: %s\n", r == (void *) -1 ? strerror(errno) : "attached");

    struct shmid_ds ds;
    shmctl(id, IPC_STAT, &ds);
    ds.shm_perm.mode = 0640;
    report("IPC_SET", shmctl(id, IPC_SET, &ds));
    stat_of("after IPC_SET", id);
    report("IPC_RMID while attached", shmctl(id, IPC_RMID, NULL));
    printf("still there: %s\n", p);
    report("shmdt of the last", shmdt(p));
    stat_of("once gone", id);

    key_t key = 0x4B530000 | (getpid() & 0xFFFF);
    int k = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0640);
    printf("keyed: %d\n", k >= 0);
    printf("same key: %d\n", shmget(key, 4096, 0) == k);
    report("same key, IPC_EXCL", shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0640));
    report("same key, larger", shmget(key, 8192, 0));
    report("same key, smaller", shmget(key, 100, 0) == k ? 0 : -1);
    report("IPC_RMID", shmctl(k, IPC_RMID, NULL));
    report("the key after IPC_RMID", shmget(key, 4096, 0));
    report("a missing key", shmget(key + 1, 4096, 0));
    report("size 0", shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600));
    report("IPC_STAT of a bad id", shmctl(0x7FFFFFF, IPC_STAT, &ds));

    /* The same through i386's ipc() multiplexer (x86-64 has none: there the calls it stands for). */
    long got, at, detached, removed;
    unsigned size, nattch;
#ifdef __i386__
    got = syscall(SYS_ipc, 23, IPC_PRIVATE, 5000, IPC_CREAT | 0600);      /* SHMGET */
    unsigned long raddr = 0;
    at = syscall(SYS_ipc, 21, got, 0, &raddr, NULL);                      /* SHMAT: the address in *third */
    char *m = (char *) raddr;
    unsigned char old[48];                                                /* the old struct shmid_ds */
    syscall(SYS_ipc, 24, got, IPC_STAT, 0, old);                          /* SHMCTL without IPC_64 */
    size = *(unsigned *) (old + 16);
    nattch = *(unsigned short *) (old + 36);
    detached = syscall(SYS_ipc, 22, 0, 0, 0, m);                          /* SHMDT */
    removed = syscall(SYS_ipc, 24, got, IPC_RMID, 0, NULL);
#else
    got = shmget(IPC_PRIVATE, 5000, IPC_CREAT | 0600);
    char *m = shmat(got, NULL, 0);
    at = m == (void *) -1 ? -1 : 0;
    shmctl(got, IPC_STAT, &ds);
    size = ds.shm_segsz;
    nattch = ds.shm_nattch;
    detached = shmdt(m);
    removed = shmctl(got, IPC_RMID, NULL);
#endif
    printf("ipc(): get %d attach %ld size %u nattch %u detach %ld remove %ld\n", got >= 0, at, size, nattch, detached, removed);
    report("shmat of a bad id", (long) shmat(0x7FFFFFF, NULL, 0));
    return 0;
}
