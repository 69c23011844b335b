/* What a pipe holds before a writer must wait: Linux's ring of page-sized buffers (16 by
 * default), small writes merged into the last page, F_GETPIPE_SZ/F_SETPIPE_SZ, non-blocking
 * writes that fail or stop short, POLLOUT, a blocking writer that waits for its reader, and a
 * socket pair whose sender stops once its buffer is full. Prints what it sees; the test compares
 * it with the expected lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static char buf[300000];

static int writable(int fd) {
    struct pollfd p = {fd, POLLOUT, 0};
    poll(&p, 1, 0);
    return (p.revents & POLLOUT) != 0;
}

static int held(int fd) {
    int n = -1;
    ioctl(fd, FIONREAD, &n);
    return n;
}

/* Writes len-byte pieces until the pipe refuses; prints how far it got. */
static void fill(int fd, int len) {
    long total = 0;
    int writes = 0;
    ssize_t n;
    errno = 0;
    while ((n = write(fd, buf, len)) > 0) {
        total += n;
        writes++;
        if (n < len) break;
    }
    printf("%d-byte writes: %ld bytes in %d writes, last %zd %s\n", len, total, writes, n,
           n < 0 ? strerror(errno) : "(short)");
}

/* F_SETPIPE_SZ with what the pipe holds, then F_GETPIPE_SZ. */
static void resize(int p[2], int size) {
    int before = held(p[0]);
    errno = 0;
    int r = fcntl(p[1], F_SETPIPE_SZ, size);
    int e = errno;
    int now = fcntl(p[1], F_GETPIPE_SZ);
    printf("F_SETPIPE_SZ %d with %d held: %d %s, F_GETPIPE_SZ %d\n", size, before, r, r < 0 ? strerror(e) : "", now);
}

static void drain(int fd) {
    while (read(fd, buf, sizeof buf) > 0) {
    }
}

int main(void) {
    int p[2];
    setvbuf(stdout, NULL, _IONBF, 0);
    memset(buf, 'x', sizeof buf);
    if (pipe2(p, O_NONBLOCK) != 0) { perror("pipe2"); return 1; }
    printf("F_GETPIPE_SZ %d, POLLOUT %d\n", fcntl(p[1], F_GETPIPE_SZ), writable(p[1]));
    fill(p[1], 1000);
    printf("held %d, POLLOUT %d\n", held(p[0]), writable(p[1]));
    ssize_t n = read(p[0], buf, 3000);
    printf("read %zd: POLLOUT %d\n", n, writable(p[1]));
    n = read(p[0], buf, 1000);
    printf("read %zd more: POLLOUT %d\n", n, writable(p[1]));
    errno = 0;
    n = write(p[1], buf, 5000);
    printf("write 5000 into one free page: %zd, held %d\n", n, held(p[0]));
    drain(p[0]);
    fill(p[1], 1);
    drain(p[0]);
    fill(p[1], 4096);
    drain(p[0]);
    fill(p[1], 3000);
    drain(p[0]);
    fill(p[1], 100000);
    resize(p, 12000);
    drain(p[0]);
    resize(p, 12000);
    fill(p[1], 1000);
    resize(p, 4096);
    drain(p[0]);
    resize(p, 1);
    fill(p[1], 100);
    drain(p[0]);
    resize(p, 200000);
    fill(p[1], 100000);
    drain(p[0]);
    close(p[0]);
    close(p[1]);

    /* A blocking writer waits for room while its reader takes the bytes. */
    if (pipe(p) != 0) { perror("pipe"); return 1; }
    pid_t child = fork();
    if (child == 0) {
        close(p[0]);
        ssize_t w = write(p[1], buf, 250000);
        _exit(w == 250000 ? 0 : 1);
    }
    close(p[1]);
    for (int i = 0; i < 1000 && held(p[0]) < 65536; i++) usleep(10000);
    usleep(100000); /* a pipe without a bound would take more meanwhile */
    printf("the writer's pipe holds %d\n", held(p[0]));
    long total = 0;
    while ((n = read(p[0], buf, 7000)) > 0) total += n;
    int status;
    waitpid(child, &status, 0);
    printf("read %ld, writer exit %d\n", total, WEXITSTATUS(status));
    close(p[0]);

    /* A socket pair's sender stops once what waits for the reader fills its buffer. */
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) { perror("socketpair"); return 1; }
    total = 0;
    errno = 0;
    while ((n = send(sv[0], buf, 1000, MSG_DONTWAIT)) > 0) total += n;
    int e = errno;
    printf("stream: stops between 50000 and 250000: %d, %s, POLLOUT %d\n", total >= 50000 && total <= 250000,
           strerror(e), writable(sv[0]));
    n = recv(sv[1], buf, 200000, MSG_DONTWAIT);
    printf("after a read POLLOUT %d\n", writable(sv[0]));
    close(sv[0]);
    close(sv[1]);
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0) { perror("socketpair"); return 1; }
    int messages = 0;
    errno = 0;
    while (send(sv[0], buf, 100, MSG_DONTWAIT) == 100) messages++;
    e = errno;
    printf("dgram: stops between 100 and 2200 messages: %d, %s, POLLOUT %d\n", messages >= 100 && messages <= 2200,
           strerror(e), writable(sv[0]));
    recv(sv[1], buf, sizeof buf, 0);
    printf("after one message is read POLLOUT %d\n", writable(sv[0]));
    errno = 0;
    n = send(sv[0], buf, 250000, MSG_DONTWAIT);
    printf("a message larger than the send buffer: %zd %s\n", n, strerror(errno));
    return 0;
}
