/* One file, one set of pages: every shared mapping of a file sees what another mapping of it
 * stores (in this process or in an unrelated one, started through execve, not fork), read() and
 * pread() see a mapping's stores without msync, a mapping sees what write() and pwrite() put in
 * the file, a private mapping starts from the shared pages, and a POSIX named semaphore (a
 * shared mapping of a file under /dev/shm) posted by another program is seen by the one waiting
 * on it. */
#include <errno.h>
#include <fcntl.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define FILE_NAME "mmapcoherent.tmp"

/* The program started again through execve: it maps the file on its own and writes into it. */
static int child(const char *semName) {
    int fd = open(FILE_NAME, O_RDWR);
    char *m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) return 2;
    printf("child sees: %.12s\n", m + 1000);
    memcpy(m + 2000, "from the exec'd child", 21);
    __sync_fetch_and_add((int *) (m + 4096), 5);
    sem_t *s = sem_open(semName, 0);
    if (s == SEM_FAILED) return 3;
    sem_post(s);
    sem_post(s);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 2 && strcmp(argv[1], "child") == 0) return child(argv[2]);

    int fd = open(FILE_NAME, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char fill[8192];
    memset(fill, '.', sizeof fill);
    write(fd, fill, sizeof fill);

    /* Two mappings of the file, through two descriptors: one set of pages. */
    int fd2 = open(FILE_NAME, O_RDWR);
    char *a = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    char *b = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0);
    printf("b before: %.5s\n", b + 10);
    memcpy(a + 10, "first", 5);
    printf("b after a's store: %.5s\n", b + 10);

    /* A mapping with an offset sees the same page as the whole file's second page. */
    char *c = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 4096);
    memcpy(c + 8, "page two", 8);
    printf("a at 4104: %.8s\n", a + 4104);

    /* read() and write() against the mappings. */
    char got[16] = {0};
    pread(fd, got, 5, 10);
    printf("pread after the store: %s\n", got);
    pwrite(fd2, "WRITTEN", 7, 20);
    printf("a after pwrite: %.7s\n", a + 20);
    lseek(fd, 30, SEEK_SET);
    write(fd, "via write", 9);
    printf("b after write: %.9s\n", b + 30);
    memset(got, 0, sizeof got);
    lseek(fd2, 4104, SEEK_SET);
    read(fd2, got, 8);
    printf("read of page two: %s\n", got);

    /* An unrelated process (execve: no pages inherited) maps the file and posts a semaphore. */
    memcpy(a + 1000, "from parent!", 12);
    *(int *) (a + 4096) = 37;
    char semName[64];
    snprintf(semName, sizeof semName, "/kasou-mmapcoherent-%d", (int) getpid());
    sem_t *s = sem_open(semName, O_CREAT | O_EXCL, 0600, 0);
    if (s == SEM_FAILED) {
        printf("sem_open: %s\n", strerror(errno));
        return 1;
    }
    char self[4096];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n < 0 ? 0 : n] = 0;
    pid_t p = fork();
    if (p == 0) {
        execl(self, self, "child", semName, (char *) 0);
        _exit(127);
    }
    struct timespec limit;
    clock_gettime(CLOCK_REALTIME, &limit);
    limit.tv_sec += 10;
    int w1 = sem_timedwait(s, &limit);
    int w2 = sem_timedwait(s, &limit);
    printf("semaphore posted twice: %d %d\n", w1, w2);
    int status;
    waitpid(p, &status, 0);
    printf("child status: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    printf("a at 2000: %.21s\n", a + 2000);
    printf("counter: %d\n", *(int *) (a + 4096));
    printf("trywait after: %d\n", sem_trywait(s));
    sem_close(s);
    sem_unlink(semName);

    /* A private mapping's page, first touched after a shared mapping's store, starts from it; a
     * store to the private page stays there. */
    char *priv = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    memcpy(a + 50, "unsynced", 8);
    printf("a private mapping sees the shared store: %.8s\n", priv + 50);
    memcpy(priv + 60, "private!", 8);
    printf("the shared mapping after the private store: %.8s\n", a + 60);
    munmap(priv, 4096);

    munmap(a, 8192);
    munmap(b, 8192);
    munmap(c, 4096);
    memset(got, 0, sizeof got);
    pread(fd, got, 8, 2000);
    printf("file at 2000: %s\n", got);
    close(fd);
    close(fd2);
    unlink(FILE_NAME);
    return 0;
}
