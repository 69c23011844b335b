/* Connected AF_UNIX socket pairs: streams, datagrams and packets, their ends' readiness,
 * shutdown and close, the calls' flags, and both ways into the kernel (the socket calls of
 * their own and socketcall). Prints what it sees; the test compares it with the expected lines. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int pipes;
static void on_pipe(int sig) { (void)sig; pipes++; }

static int readable(int fd) {
    struct pollfd p = {fd, POLLIN | POLLOUT, 0};
    poll(&p, 1, 0);
    return p.revents;
}

int main(void) {
    int sv[2];
    char buf[256];
    setvbuf(stdout, NULL, _IONBF, 0);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) { perror("socketpair"); return 1; }
    printf("stream: revents before %x\n", readable(sv[1]));
    printf("send %zd\n", send(sv[0], "hello, other end", 16, 0));
    int avail = -1;
    ioctl(sv[1], FIONREAD, &avail);
    printf("revents after %x, FIONREAD %d\n", readable(sv[1]), avail);
    ssize_t n = recv(sv[1], buf, 5, MSG_PEEK);
    printf("peek %zd [%.5s]\n", n, buf);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("recv %zd [%.*s]\n", n, (int)n, buf);
    errno = 0;
    n = recv(sv[1], buf, sizeof buf, MSG_DONTWAIT);
    printf("empty, MSG_DONTWAIT: %zd %s\n", n, strerror(errno));
    /* a write larger than one read arrives whole (within the socket's buffer) */
    static char big[100000];
    for (int i = 0; i < (int)sizeof big; i++) big[i] = (char)(i * 7);
    printf("write %zd\n", write(sv[1], big, sizeof big));
    static char back[100000];
    n = recv(sv[0], back, sizeof back, MSG_WAITALL);
    printf("MSG_WAITALL %zd, same %d\n", n, memcmp(big, back, sizeof big) == 0);
    /* the same through readv and writev */
    struct iovec out[2] = {{"abc", 3}, {"defg", 4}}, in[2] = {{buf, 2}, {buf + 2, 10}};
    ssize_t w = writev(sv[0], out, 2);
    n = readv(sv[1], in, 2);
    printf("writev %zd readv %zd [%.7s]\n", w, n, buf);
    /* shutdown for writing: the other end reads its end, this end may still read */
    shutdown(sv[0], SHUT_WR);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("after SHUT_WR: recv %zd, revents %x\n", n, readable(sv[1]) & (POLLIN | POLLHUP));
    errno = 0;
    n = send(sv[0], "x", 1, MSG_NOSIGNAL);
    printf("send after SHUT_WR: %zd %s\n", n, strerror(errno));
    send(sv[1], "still", 5, 0);
    printf("other way: %zd\n", recv(sv[0], buf, sizeof buf, 0));
    close(sv[1]);
    n = recv(sv[0], buf, sizeof buf, 0);
    printf("peer closed: recv %zd, revents %x\n", n, readable(sv[0]) & (POLLIN | POLLHUP));
    close(sv[0]);

    /* a write to a closed peer: SIGPIPE, then EPIPE */
    signal(SIGPIPE, on_pipe);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    close(sv[1]);
    errno = 0;
    n = write(sv[0], "x", 1);
    printf("write to closed peer: %zd %s, SIGPIPE %d\n", n, strerror(errno), pipes);
    n = send(sv[0], "x", 1, MSG_NOSIGNAL);
    printf("MSG_NOSIGNAL: SIGPIPE %d\n", pipes);
    close(sv[0]);

    /* datagrams keep their boundaries; a short buffer drops the rest of a message */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    send(sv[0], "first", 5, 0);
    send(sv[0], "second message", 14, 0);
    send(sv[0], "", 0, 0);
    n = recv(sv[1], buf, 3, 0);
    printf("dgram: %zd [%.3s]\n", n, buf);
    struct iovec v = {buf, 6};
    struct msghdr m = {0};
    m.msg_iov = &v;
    m.msg_iovlen = 1;
    n = recvmsg(sv[1], &m, 0);
    printf("recvmsg %zd [%.6s] truncated %d\n", n, buf, (m.msg_flags & MSG_TRUNC) != 0);
    printf("empty message %zd\n", recv(sv[1], buf, sizeof buf, 0));
    send(sv[0], "0123456789", 10, 0);
    printf("MSG_TRUNC gives the length %zd\n", recv(sv[1], buf, 4, MSG_TRUNC));
    int type = 0, size = 0;
    socklen_t len = sizeof type;
    getsockopt(sv[1], SOL_SOCKET, SO_TYPE, &type, &len);
    int want = 65536;
    setsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &want, sizeof want);
    len = sizeof size;
    getsockopt(sv[1], SOL_SOCKET, SO_RCVBUF, &size, &len);
    printf("SO_TYPE %d (len %d), SO_RCVBUF %d\n", type, (int)len, size);
    struct sockaddr_storage name;
    len = sizeof name;
    getsockname(sv[0], (struct sockaddr *)&name, &len);
    printf("name: family %d, length %d\n", name.ss_family, (int)len);
    struct stat st;
    fstat(sv[0], &st);
    printf("S_ISSOCK %d\n", S_ISSOCK(st.st_mode));
    close(sv[0]);
    close(sv[1]);

    /* packets: boundaries, and the end of the stream when the peer goes */
    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv);
    printf("flags: nonblocking %d, close-on-exec %d\n", (fcntl(sv[0], F_GETFL) & O_NONBLOCK) != 0,
           (fcntl(sv[0], F_GETFD) & FD_CLOEXEC) != 0);
    send(sv[0], "pkt1", 4, 0);
    send(sv[0], "pkt22", 5, 0);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("seqpacket %zd", n);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf(" %zd\n", n);
    close(sv[0]);
    printf("peer gone: %zd\n", recv(sv[1], buf, sizeof buf, 0));
    close(sv[1]);

    /* a child talks to its parent */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        char line[64];
        n = recv(sv[1], line, sizeof line, 0);
        dprintf(sv[1], "child got %d bytes", (int)n);
        _exit(3);
    }
    close(sv[1]);
    send(sv[0], "question", 8, 0);
    n = recv(sv[0], buf, sizeof buf, MSG_WAITALL);
    int status;
    waitpid(pid, &status, 0);
    printf("parent: [%.*s], child status %d\n", (int)n, buf, WEXITSTATUS(status));
    close(sv[0]);

    /* socketcall (102), as older C libraries call into the kernel */
    unsigned long args[4] = {AF_UNIX, SOCK_STREAM, 0, (unsigned long)sv};
    long r = syscall(SYS_socketcall, 8, args);
    unsigned long sargs[4] = {(unsigned long)sv[0], (unsigned long)"via socketcall", 14, 0};
    long s = syscall(SYS_socketcall, 9, sargs);
    n = recv(sv[1], buf, sizeof buf, 0);
    printf("socketcall: %ld, send %ld, recv %zd\n", r, s, n);
    errno = 0;
    r = shutdown(1, SHUT_RD);
    printf("not a socket: %ld %s\n", r, strerror(errno));
    errno = 0;
    r = socketpair(AF_INET, SOCK_STREAM, 0, sv);
    printf("AF_INET pair: %ld %s\n", r, strerror(errno));
    return 0;
}
