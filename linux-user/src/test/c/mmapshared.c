/* Shared file mappings (MAP_SHARED): what the program writes reaches the file at munmap, at
 * msync and when the process ends; a fork's child shares the pages; a mapping never makes the
 * file longer; EACCES for a shared writable mapping of a read-only descriptor; msync's errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static void show(int fd, off_t at, int n) {
    char b[32] = {0};
    pread(fd, b, n, at);
    printf("file at %ld: %s\n", (long) at, b);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int fd = open("mmapshared.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    char fill[8192];
    memset(fill, '.', sizeof fill);
    write(fd, fill, sizeof fill);

    char *m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(m, "hello", 5);
    memcpy(m + 4096 + 10, "world", 5);
    report("munmap", munmap(m, 8192));
    show(fd, 0, 5);
    show(fd, 4096 + 10, 5);

    m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    memcpy(m + 100, "synced", 6);
    report("msync", msync(m, 8192, MS_SYNC));
    show(fd, 100, 6);
    report("msync with both flags", msync(m, 8192, MS_SYNC | MS_ASYNC));
    report("msync unaligned", msync(m + 1, 100, MS_SYNC));

    pid_t p = fork();
    if (p == 0) {
        memcpy(m + 200, "from the child", 14);
        _exit(0);
    }
    waitpid(p, 0, 0);
    printf("parent sees: %.14s\n", m + 200);
    munmap(m, 8192);
    show(fd, 200, 14);

    p = fork();
    if (p == 0) {
        char *c = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        memcpy(c + 300, "at exit", 7);
        _exit(0); /* no munmap: the end of the process writes it back */
    }
    waitpid(p, 0, 0);
    show(fd, 300, 7);

    ftruncate(fd, 5000);
    m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    m[4999] = 'E';
    m[6000] = 'X'; /* past the end, in the last page: not the file's */
    munmap(m, 8192);
    struct stat st;
    fstat(fd, &st);
    printf("size after writing past the end: %lld\n", (long long) st.st_size);
    show(fd, 4999, 1);
    close(fd);

    int ro = open("mmapshared.tmp", O_RDONLY);
    void *bad = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
    printf("shared writable on a read-only descriptor: %s\n", bad == MAP_FAILED ? strerror(errno) : "mapped");
    char *r = mmap(0, 4096, PROT_READ, MAP_SHARED, ro, 0);
    printf("shared read-only: %.5s\n", r);
    close(ro);
    unlink("mmapshared.tmp");
    return 0;
}
