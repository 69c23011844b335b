/* AF_INET and AF_INET6 sockets on the loopback interface: a TCP server and a client in a child
 * (bind to port 0, getsockname, listen, accept, connect, send and recv both ways, MSG_PEEK, the
 * end of the stream), a non-blocking connect and accept, poll, UDP sendto/recvfrom with the
 * sender's address, options (SO_RCVTIMEO among them), and the errors (ECONNREFUSED, EADDRINUSE,
 * ENOTCONN, EAGAIN). */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

static volatile int pipes;

static void onPipe(int sig) {
    (void) sig;
    pipes++;
}

static int portOf(int fd) {
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *) &a, &len);
    return ntohs(a.sin_port);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int srv = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    report("SO_REUSEADDR", setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one));
    struct sockaddr_in a = loopback(0);
    report("bind to port 0", bind(srv, (struct sockaddr *) &a, sizeof a));
    int port = portOf(srv);
    printf("a port was chosen: %d\n", port > 0);
    struct sockaddr_in got;
    socklen_t glen = sizeof got;
    getsockname(srv, (struct sockaddr *) &got, &glen);
    printf("getsockname: length %d, family %d, address %s\n", (int) glen, got.sin_family, inet_ntoa(got.sin_addr));
    report("listen", listen(srv, 4));
    int v;
    socklen_t vl = sizeof v;
    getsockopt(srv, SOL_SOCKET, SO_ACCEPTCONN, &v, &vl);
    printf("SO_ACCEPTCONN: %d\n", v);
    int fl = fcntl(srv, F_GETFL);
    fcntl(srv, F_SETFL, fl | O_NONBLOCK);
    report("accept with none waiting", accept(srv, 0, 0));
    fcntl(srv, F_SETFL, fl);

    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        struct sockaddr_in to = loopback(port);
        int r = connect(c, (struct sockaddr *) &to, sizeof to);
        int nd = 1;
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &nd, sizeof nd);
        send(c, "hello over tcp", 14, 0);
        char buf[64] = {0};
        int n = recv(c, buf, sizeof buf - 1, MSG_WAITALL);
        printf("child: connect %d, received %d [%s]\n", r, n, buf);
        _exit(0);
    }
    struct pollfd pf = {srv, POLLIN, 0};
    int pr = poll(&pf, 1, 5000);
    struct sockaddr_in peer;
    socklen_t plen = sizeof peer;
    int c = accept(srv, (struct sockaddr *) &peer, &plen);
    char buf[64] = {0};
    int n = recv(c, buf, 5, MSG_PEEK);
    int m = recv(c, buf, 14, MSG_WAITALL);
    send(c, "and back", 8, 0);
    shutdown(c, SHUT_WR);
    waitpid(child, 0, 0);
    printf("poll the listener: %d %#x\n", pr, pf.revents);
    printf("accepted: peer length %d, address %s, port differs %d\n", (int) plen, inet_ntoa(peer.sin_addr), ntohs(peer.sin_port) != port);
    printf("peeked %d, then read %d [%s]\n", n, m, buf);
    report("read at the end", recv(c, buf, sizeof buf, 0));
    close(c);

    /* Errors. */
    int t = socket(AF_INET, SOCK_STREAM, 0);
    report("recv unconnected", recv(t, buf, 1, 0));
    report("getpeername unconnected", getpeername(t, (struct sockaddr *) &peer, &plen));
    struct sockaddr_in same = loopback(port);
    report("bind a port in use", bind(t, (struct sockaddr *) &same, sizeof same));
    close(t);
    close(srv);
    t = socket(AF_INET, SOCK_STREAM, 0);
    report("connect to a closed port", connect(t, (struct sockaddr *) &same, sizeof same));
    close(t);

    /* A non-blocking connect. */
    srv = socket(AF_INET, SOCK_STREAM, 0);
    a = loopback(0);
    bind(srv, (struct sockaddr *) &a, sizeof a);
    listen(srv, 1);
    port = portOf(srv);
    t = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    struct sockaddr_in to = loopback(port);
    int r = connect(t, (struct sockaddr *) &to, sizeof to);
    printf("non-blocking connect: %s\n", r == 0 ? "at once" : errno == EINPROGRESS ? "in progress" : strerror(errno));
    struct pollfd wp = {t, POLLOUT, 0};
    poll(&wp, 1, 5000);
    int err = -1;
    socklen_t el = sizeof err;
    getsockopt(t, SOL_SOCKET, SO_ERROR, &err, &el);
    printf("writable %d, SO_ERROR %d\n", (wp.revents & POLLOUT) != 0, err);
    c = accept4(srv, 0, 0, SOCK_NONBLOCK);
    report("recv with nothing sent", recv(c, buf, 1, 0));
    close(c);
    close(t);
    close(srv);

    /* UDP, IPv4 and IPv6. */
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    a = loopback(0);
    bind(u, (struct sockaddr *) &a, sizeof a);
    int uport = portOf(u);
    int s2 = socket(AF_INET, SOCK_DGRAM, 0);
    to = loopback(uport);
    report("sendto", sendto(s2, "datagram", 8, 0, (struct sockaddr *) &to, sizeof to));
    struct sockaddr_in from;
    socklen_t fl2 = sizeof from;
    memset(buf, 0, sizeof buf);
    n = recvfrom(u, buf, 4, 0, (struct sockaddr *) &from, &fl2);
    printf("recvfrom %d [%.4s] from %s, length %d, port is the sender's %d\n", n, buf, inet_ntoa(from.sin_addr), (int) fl2,
           ntohs(from.sin_port) == portOf(s2));
    report("send unconnected", send(s2, "x", 1, 0));
    close(u);
    close(s2);
    int u6 = socket(AF_INET6, SOCK_DGRAM, 0);
    struct sockaddr_in6 a6;
    memset(&a6, 0, sizeof a6);
    a6.sin6_family = AF_INET6;
    a6.sin6_addr = in6addr_loopback;
    report("bind IPv6", bind(u6, (struct sockaddr *) &a6, sizeof a6));
    socklen_t l6 = sizeof a6;
    getsockname(u6, (struct sockaddr *) &a6, &l6);
    sendto(u6, "six", 3, 0, (struct sockaddr *) &a6, sizeof a6);
    struct sockaddr_in6 f6;
    socklen_t lf6 = sizeof f6;
    memset(buf, 0, sizeof buf);
    n = recvfrom(u6, buf, sizeof buf, 0, (struct sockaddr *) &f6, &lf6);
    char text[64];
    inet_ntop(AF_INET6, &f6.sin6_addr, text, sizeof text);
    printf("IPv6: %d [%s] from %s, length %d\n", n, buf, text, (int) lf6);
    close(u6);

    /* A peer that closed: sends end with EPIPE and SIGPIPE (MSG_NOSIGNAL: no signal). */
    signal(SIGPIPE, onPipe);
    srv = socket(AF_INET, SOCK_STREAM, 0);
    a = loopback(0);
    bind(srv, (struct sockaddr *) &a, sizeof a);
    listen(srv, 1);
    t = socket(AF_INET, SOCK_STREAM, 0);
    to = loopback(portOf(srv));
    connect(t, (struct sockaddr *) &to, sizeof to);
    close(accept(srv, 0, 0));
    int e = 0;
    for (int i = 0; i < 200 && e == 0; i++) {
        if (send(t, "x", 1, 0) < 0) e = errno;
        else usleep(5000);
    }
    printf("send to a closed peer: %s, SIGPIPE %d\n", strerror(e), pipes > 0);
    pipes = 0;
    r = send(t, "x", 1, MSG_NOSIGNAL);
    printf("again with MSG_NOSIGNAL: %d %s, SIGPIPE %d\n", r, r < 0 ? strerror(errno) : "", pipes);
    close(t);
    close(srv);

    /* SO_RCVTIMEO: a receive that waits no longer than asked. */
    u = socket(AF_INET, SOCK_DGRAM, 0);
    a = loopback(0);
    bind(u, (struct sockaddr *) &a, sizeof a);
    struct timeval tv = {0, 200000};
    report("SO_RCVTIMEO", setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
    struct timeval back = {9, 9};
    socklen_t bl = sizeof back;
    getsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &back, &bl);
    printf("read back: %ld s %ld us, a whole struct timeval %d\n", (long) back.tv_sec, (long) back.tv_usec, bl == sizeof back);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    r = recv(u, buf, sizeof buf, 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double waited = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("recv after the timeout: %d %s, waited at least 0.15 s: %d\n", r, r < 0 ? strerror(errno) : "", waited >= 0.15);
    struct timeval bad = {0, 1000000};
    report("microseconds out of range", setsockopt(u, SOL_SOCKET, SO_RCVTIMEO, &bad, sizeof bad));
    close(u);
    return 0;
}
