/* What a forked child sees of its parent's pages: initialized data the parent changed, read-only
 * data it never could, a private file mapping written while writable and then made read-only,
 * and one only ever read. The child's copy of a page that still holds its file's bytes may come
 * from the file again, so each case checks that the child sees the parent's bytes, not the file's
 * where they differ. */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static int data[4096] = {1, 2, 3};
static const int ro[4096] = {5, 6, 7};

int main(void) {
    data[3000] = 77;
    char path[] = "forkpages.tmp";
    int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char page[8192];
    memset(page, 'f', sizeof page);
    write(fd, page, sizeof page);
    char *rw = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    rw[100] = 'W';
    rw[4096 + 7] = 'X';
    mprotect(rw, 8192, PROT_READ);
    char *r = mmap(0, 8192, PROT_READ, MAP_PRIVATE, fd, 0);
    volatile char touch = r[5];
    (void) touch;
    pid_t pid = fork();
    if (pid == 0) {
        printf("child: data %d %d, ro %d %d, written-then-read-only %c%c%c, read-only file %c%c\n", data[0], data[3000], ro[0], ro[4000],
               rw[100], rw[4096 + 7], rw[101], r[5], r[4096]);
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    printf("parent: child exited %d\n", WEXITSTATUS(status));
    unlink(path);
    return 0;
}
