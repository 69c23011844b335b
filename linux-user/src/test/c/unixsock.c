/* AF_UNIX sockets with names: bind, listen, accept and connect by path and in the abstract
 * namespace, between a process and its child and within one process; getsockname/getpeername;
 * poll on a listening socket; a non-blocking accept; the errors of each call; descriptors passed
 * with SCM_RIGHTS over a stream and a SOCK_SEQPACKET connection (and a socketpair), including a
 * control buffer too small for them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static socklen_t pathAddress(struct sockaddr_un *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static socklen_t abstractAddress(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    memcpy(a->sun_path + 1, name, strlen(name));
    return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

static void showName(const char *what, int fd, int peer) {
    struct sockaddr_un a;
    memset(&a, 'x', sizeof a);
    socklen_t len = sizeof a;
    int r = peer ? getpeername(fd, (struct sockaddr *) &a, &len) : getsockname(fd, (struct sockaddr *) &a, &len);
    if (r < 0) {
        printf("%s: -1 %s\n", what, strerror(errno));
        return;
    }
    int n = (int) len - (int) offsetof(struct sockaddr_un, sun_path);
    if (n <= 0) printf("%s: family %d, unnamed (len %d)\n", what, a.sun_family, (int) len);
    else if (a.sun_path[0] == 0) printf("%s: family %d, abstract [%.*s] (len %d)\n", what, a.sun_family, n - 1, a.sun_path + 1, (int) len);
    else printf("%s: family %d, path [%s] (len %d)\n", what, a.sun_family, a.sun_path, (int) len);
}

/* Sends one byte with the given descriptors attached. */
static int sendFds(int sock, const char *byte, int *fds, int n) {
    char control[CMSG_SPACE(sizeof(int) * 8)];
    memset(control, 0, sizeof control);
    struct iovec iov = {(void *) byte, 1};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = CMSG_SPACE(sizeof(int) * n);
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * n);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * n);
    return sendmsg(sock, &m, 0);
}

/* Receives up to len bytes and the descriptors that came with them into fds; returns the bytes. */
static int receiveFds(int sock, char *buf, int len, int *fds, int *nfds, int controlSpace, int *flags) {
    char control[256];
    struct iovec iov = {buf, len};
    struct msghdr m = {0};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = controlSpace;
    int r = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    *nfds = 0;
    *flags = m.msg_flags;
    if (r < 0) return r;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            memcpy(fds + *nfds, CMSG_DATA(c), n * sizeof(int));
            *nfds += n;
        }
    }
    return r;
}

/* What a passed descriptor is: its data for a pipe or file, close-on-exec. */
static void describe(const char *what, int fd) {
    char b[32] = {0};
    int r = read(fd, b, sizeof b - 1);
    printf("%s: read %d [%s], cloexec %d\n", what, r, r > 0 ? b : "", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
}

static void passing(int type, const char *kind) {
    int sv[2];
    socketpair(AF_UNIX, type, 0, sv);
    int p[2];
    pipe(p);
    write(p[1], "in the pipe", 11);
    close(p[1]);
    int f = open("unixsock.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(f, "in the file", 11);
    lseek(f, 0, SEEK_SET);
    int both[2] = {p[0], f};
    report("send two descriptors", sendFds(sv[0], "A", both, 2));
    close(p[0]);
    close(f);
    send(sv[0], "bc", 2, 0);
    int got[8], n, flags;
    char buf[8] = {0};
    int r = receiveFds(sv[1], buf, sizeof buf - 1, got, &n, sizeof(char[256]), &flags);
    printf("%s: received %d bytes [%s] and %d descriptors, flags %#x\n", kind, r, buf, n, flags);
    if (n == 2) {
        describe("  passed pipe", got[0]);
        describe("  passed file", got[1]);
        close(got[0]);
        close(got[1]);
    }
    memset(buf, 0, sizeof buf);
    r = receiveFds(sv[1], buf, sizeof buf - 1, got, &n, sizeof(char[256]), &flags);
    printf("%s: then %d bytes [%s] and %d descriptors\n", kind, r, buf, n);

    /* A control buffer with room for one descriptor of two: MSG_CTRUNC. */
    int two[2] = {0, 1};
    sendFds(sv[0], "D", two, 2);
    r = receiveFds(sv[1], buf, sizeof buf - 1, got, &n, CMSG_LEN(sizeof(int)), &flags);
    printf("%s: small control buffer: %d bytes, %d descriptors, MSG_CTRUNC %d\n", kind, r, n, (flags & MSG_CTRUNC) != 0);
    for (int i = 0; i < n; i++) close(got[i]);
    /* No control buffer at all. */
    sendFds(sv[0], "E", two, 1);
    r = receiveFds(sv[1], buf, sizeof buf - 1, got, &n, 0, &flags);
    printf("%s: no control buffer: %d bytes, %d descriptors, MSG_CTRUNC %d\n", kind, r, n, (flags & MSG_CTRUNC) != 0);
    /* A bad descriptor. */
    int bad[1] = {99};
    report("send a closed descriptor", sendFds(sv[0], "F", bad, 1));
    close(sv[0]);
    close(sv[1]);
    unlink("unixsock.tmp");
}

/* Named datagram sockets: sendto a name, recvfrom with the sender's name (none for an unnamed
 * sender), connect and send, a reply to the sender's abstract name, the errors. */
static void datagrams(void) {
    struct sockaddr_un srv, cli, from;
    socklen_t slen = pathAddress(&srv, "unixsock.dgram"), clen = abstractAddress(&cli, "kasou-test-dgram-client");
    unlink("unixsock.dgram");
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    report("bind a datagram socket", bind(d, (struct sockaddr *) &srv, slen));
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    report("sendto from an unnamed socket", sendto(u, "first", 5, 0, (struct sockaddr *) &srv, slen));
    char buf[64] = {0};
    socklen_t flen = sizeof from;
    memset(&from, 'x', sizeof from);
    int r = recvfrom(d, buf, sizeof buf, 0, (struct sockaddr *) &from, &flen);
    printf("received %d [%s], sender address length %d\n", r, buf, (int) flen);
    int named = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(named, (struct sockaddr *) &cli, clen);
    sendto(named, "second", 6, 0, (struct sockaddr *) &srv, slen);
    flen = sizeof from;
    memset(buf, 0, sizeof buf);
    r = recvfrom(d, buf, sizeof buf, 0, (struct sockaddr *) &from, &flen);
    printf("received %d [%s] from [%.*s] (length %d)\n", r, buf, (int) flen - 3, from.sun_path + 1, (int) flen);
    report("reply to the sender", sendto(d, "reply", 5, 0, (struct sockaddr *) &from, flen));
    memset(buf, 0, sizeof buf);
    r = recv(named, buf, sizeof buf, 0);
    printf("the sender received %d [%s]\n", r, buf);
    report("send before connect", send(u, "x", 1, 0));
    report("connect a datagram socket", connect(u, (struct sockaddr *) &srv, slen));
    showName("datagram peer", u, 1);
    report("send after connect", send(u, "third", 5, 0));
    memset(buf, 0, sizeof buf);
    r = recv(d, buf, 3, 0);
    printf("a short read: %d [%s]\n", r, buf);
    struct pollfd pf = {d, POLLIN | POLLOUT, 0};
    poll(&pf, 1, 0);
    printf("poll an empty datagram socket: %#x\n", pf.revents);
    int fds[1] = {1};
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = {"fd", 2};
    struct msghdr m = {0};
    m.msg_name = &srv;
    m.msg_namelen = slen;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = control;
    m.msg_controllen = sizeof control;
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    report("sendmsg a descriptor to a name", sendmsg(named, &m, 0));
    int got[8], n, flags;
    memset(buf, 0, sizeof buf);
    r = receiveFds(d, buf, sizeof buf - 1, got, &n, 256, &flags);
    printf("received %d [%s] with %d descriptors\n", r, buf, n);
    for (int i = 0; i < n; i++) close(got[i]);
    close(d);
    report("sendto a closed socket's name", sendto(named, "x", 1, 0, (struct sockaddr *) &srv, slen));
    report("send to the closed peer", send(u, "x", 1, 0));
    unlink("unixsock.dgram");
    report("sendto a missing name", sendto(named, "x", 1, 0, (struct sockaddr *) &srv, slen));
    int st = socket(AF_UNIX, SOCK_STREAM, 0);
    report("sendto on an unconnected stream socket", sendto(st, "x", 1, 0, (struct sockaddr *) &srv, slen));
    close(st);
    close(u);
    close(named);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct sockaddr_un a, b;
    socklen_t alen;
    unlink("unixsock.sock");

    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    report("socket", s >= 0 ? 0 : -1);
    showName("unbound name", s, 0);
    showName("unconnected peer", s, 1);
    report("listen before bind (autobinds)", listen(s, 4));
    close(s);

    s = socket(AF_UNIX, SOCK_STREAM, 0);
    alen = pathAddress(&a, "unixsock.sock");
    report("bind", bind(s, (struct sockaddr *) &a, alen));
    report("bind again", bind(s, (struct sockaddr *) &a, alen));
    struct stat st;
    stat("unixsock.sock", &st);
    printf("the name is a socket: %d\n", S_ISSOCK(st.st_mode));
    showName("bound name", s, 0);
    int t = socket(AF_UNIX, SOCK_STREAM, 0);
    report("bind a second socket to the name", bind(t, (struct sockaddr *) &a, alen));
    report("connect before listen", connect(t, (struct sockaddr *) &a, alen));
    report("listen", listen(s, 4));
    int nb = fcntl(s, F_GETFL);
    fcntl(s, F_SETFL, nb | O_NONBLOCK);
    report("accept with none waiting", accept(s, 0, 0));
    fcntl(s, F_SETFL, nb);
    struct pollfd pf = {s, POLLIN | POLLOUT, 0};
    report("poll a listener with none waiting", poll(&pf, 1, 0));

    /* The child prints its lines and ends before the parent prints the rest of its own. */
    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        int r = connect(c, (struct sockaddr *) &a, alen);
        write(c, "hello from the child", 20);
        char buf[64] = {0};
        int got = read(c, buf, sizeof buf - 1);
        report("child connect", r);
        showName("child peer", c, 1);
        printf("child read %d: %s\n", got, buf);
        _exit(0);
    }
    pf.revents = 0;
    int polled = poll(&pf, 1, 5000);
    struct sockaddr_un peer;
    socklen_t plen = sizeof peer;
    int c = accept(s, (struct sockaddr *) &peer, &plen);
    char buf[64] = {0};
    int r = read(c, buf, 20);
    write(c, "hello from the parent", 21);
    waitpid(child, 0, 0);
    printf("poll a listener with one waiting: %d, revents %#x\n", polled, pf.revents);
    printf("accepted peer address length %d\n", (int) plen);
    showName("accepted name", c, 0);
    showName("accepted peer", c, 1);
    printf("parent read %d: %s\n", r, buf);
    r = read(c, buf, sizeof buf);
    printf("read after the child's end: %d\n", r);
    close(c);
    report("connect to a socket", connect(s, (struct sockaddr *) &a, alen));
    close(s);
    report("connect after the listener closed", connect(t, (struct sockaddr *) &a, alen));
    close(t);
    unlink("unixsock.sock");
    t = socket(AF_UNIX, SOCK_STREAM, 0);
    report("connect to a missing name", connect(t, (struct sockaddr *) &a, alen));
    int f = open("unixsock.file", O_CREAT | O_WRONLY, 0600);
    close(f);
    alen = pathAddress(&b, "unixsock.file");
    report("connect to a plain file", connect(t, (struct sockaddr *) &b, alen));
    report("bind over a file", bind(t, (struct sockaddr *) &b, alen));
    unlink("unixsock.file");
    close(t);

    /* The abstract namespace, in one process; SOCK_SEQPACKET keeps message boundaries. */
    s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    alen = abstractAddress(&a, "kasou-test-abstract");
    report("bind abstract", bind(s, (struct sockaddr *) &a, alen));
    t = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    report("bind the same abstract name", bind(t, (struct sockaddr *) &a, alen));
    listen(s, 2);
    int st2 = socket(AF_UNIX, SOCK_STREAM, 0);
    report("stream connect to a seqpacket listener", connect(st2, (struct sockaddr *) &a, alen));
    close(st2);
    report("connect abstract", connect(t, (struct sockaddr *) &a, alen));
    report("connect again", connect(t, (struct sockaddr *) &a, alen));
    c = accept4(s, 0, 0, SOCK_CLOEXEC);
    printf("accept4 cloexec: %d\n", (fcntl(c, F_GETFD) & FD_CLOEXEC) != 0);
    showName("abstract peer", t, 1);
    send(t, "one", 3, 0);
    send(t, "two", 3, 0);
    memset(buf, 0, sizeof buf);
    r = recv(c, buf, sizeof buf, 0);
    printf("message 1: %d [%s]\n", r, buf);
    memset(buf, 0, sizeof buf);
    r = recv(c, buf, sizeof buf, 0);
    printf("message 2: %d [%s]\n", r, buf);
    int type;
    socklen_t tl = sizeof type;
    getsockopt(s, SOL_SOCKET, SO_ACCEPTCONN, &type, &tl);
    printf("SO_ACCEPTCONN of the listener: %d\n", type);
    getsockopt(c, SOL_SOCKET, SO_ACCEPTCONN, &type, &tl);
    printf("SO_ACCEPTCONN of the accepted: %d\n", type);
    passing(SOCK_SEQPACKET, "seqpacket pair");
    close(c);
    close(t);
    close(s);

    /* Descriptors over a stream socketpair, and over the accepted end of a named stream socket. */
    passing(SOCK_STREAM, "stream pair");
    datagrams();
    int u = socket(AF_UNIX, SOCK_DGRAM, 0);
    report("listen on a datagram socket", listen(u, 1));
    close(u);
    report("socket(AF_UNIX, 99)", socket(AF_UNIX, 99, 0));
    report("connect with a short address", connect(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *) &a, 1));
    return 0;
}
