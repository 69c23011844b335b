/* A pipe write that blocks for room and then finds the reader gone returns the bytes it wrote
 * and raises SIGPIPE too (Linux's pipe_write); the next write fails with EPIPE and SIGPIPE. So
 * does writev, counting the vectors written before. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t sigpipes;

static void on_pipe(int sig) {
    (void) sig;
    sigpipes++;
}

static void reader_that_leaves(int fds[2]) {
    pid_t p = fork();
    if (p == 0) {
        close(fds[1]);
        usleep(200000); /* the writer fills the pipe and waits */
        char b[1000];
        read(fds[0], b, sizeof b);
        _exit(0);
    }
    close(fds[0]);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGPIPE, on_pipe);
    static char big[200000];
    memset(big, 'x', sizeof big);

    int fds[2];
    pipe(fds);
    reader_that_leaves(fds);
    ssize_t n = write(fds[1], big, sizeof big);
    printf("write: %zd, SIGPIPE %d\n", n, sigpipes);
    n = write(fds[1], big, 10);
    printf("next write: %zd %s, SIGPIPE %d\n", n, n < 0 ? strerror(errno) : "", sigpipes);
    close(fds[1]);
    wait(NULL);

    sigpipes = 0;
    pipe(fds);
    reader_that_leaves(fds);
    struct iovec iov[3] = {{big, 30000}, {big, 30000}, {big, 100000}};
    n = writev(fds[1], iov, 3);
    printf("writev: %zd, SIGPIPE %d\n", n, sigpipes);
    close(fds[1]);
    wait(NULL);
    return 0;
}
