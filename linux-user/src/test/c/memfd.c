/* memfd_create (356 on i386, 319 on x86-64: called through glibc's wrapper): an anonymous
 * read-write file that reads, writes, seeks, truncates, maps and survives a fork as a file does;
 * its flags and name checked as Linux checks them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    int fd = memfd_create("kasou-test", MFD_CLOEXEC);
    if (fd < 0) {
        printf("memfd_create: %s\n", strerror(errno));
        return 1;
    }
    printf("close-on-exec: %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    printf("access mode: %s\n", (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDWR ? "read-write" : "other");
    char buf[10000];
    for (int i = 0; i < (int) sizeof buf; i++) buf[i] = 'a' + i % 26;
    printf("write: %zd\n", write(fd, buf, sizeof buf));
    struct stat st;
    fstat(fd, &st);
    printf("size %lld, regular %d, mode %o\n", (long long) st.st_size, S_ISREG(st.st_mode), st.st_mode & 0777);
    char back[27] = {0};
    lseek(fd, 26 * 3, SEEK_SET);
    printf("read at 78: %zd %s\n", read(fd, back, 26), back);
    printf("ftruncate: %d\n", ftruncate(fd, 8192));
    fstat(fd, &st);
    printf("size after: %lld\n", (long long) st.st_size);
    char *m = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    if (m == MAP_FAILED) {
        printf("mmap: %s\n", strerror(errno));
        return 1;
    }
    printf("mapped: %.10s\n", m + 4096);
    memcpy(m + 4096, "THROUGHMAP", 10);
    msync(m, 8192, MS_SYNC);
    pid_t child = fork();
    if (child == 0) {
        char c[11] = {0};
        pread(fd, c, 10, 4096);
        _exit(strcmp(c, "THROUGHMAP") == 0 ? 3 : 4);
    }
    int status = 0;
    waitpid(child, &status, 0);
    printf("the child read the mapping's store: %s\n", WEXITSTATUS(status) == 3 ? "yes" : "no");
    munmap(m, 8192);
    close(fd);

    fd = memfd_create("", 0);
    printf("an empty name: %s, close-on-exec %d\n", fd >= 0 ? "made" : strerror(errno), fd >= 0 ? (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0 : -1);
    if (fd >= 0) close(fd);
    char name[300];
    memset(name, 'n', sizeof name);
    name[249] = 0;
    fd = memfd_create(name, 0);
    printf("a name of 249 bytes: %s\n", fd >= 0 ? "made" : strerror(errno));
    if (fd >= 0) close(fd);
    name[249] = 'n';
    name[250] = 0;
    printf("a name of 250 bytes: %s\n", memfd_create(name, 0) >= 0 ? "made" : strerror(errno));
    printf("an unknown flag: %s\n", memfd_create("x", 0x100) >= 0 ? "made" : strerror(errno));
    return 0;
}
