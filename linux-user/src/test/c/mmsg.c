/* sendmmsg and recvmmsg on a datagram socket pair: several messages a call, each entry's length,
 * MSG_DONTWAIT and MSG_WAITFORONE, an empty socket, and both ways into the kernel (the calls of
 * their own and socketcall). Prints what it sees; the test compares it with the expected lines. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define N 5

static char out[N][16], in[N][16];
static struct iovec oiov[N], iiov[N];
static struct mmsghdr omsg[N], imsg[N];

static void prepare(void) {
    memset(omsg, 0, sizeof omsg);
    memset(imsg, 0, sizeof imsg);
    for (int i = 0; i < N; i++) {
        snprintf(out[i], sizeof out[i], "message %d%s", i, i == 2 ? " long" : "");
        oiov[i].iov_base = out[i];
        oiov[i].iov_len = strlen(out[i]);
        omsg[i].msg_hdr.msg_iov = &oiov[i];
        omsg[i].msg_hdr.msg_iovlen = 1;
        iiov[i].iov_base = in[i];
        iiov[i].iov_len = 12;
        imsg[i].msg_hdr.msg_iov = &iiov[i];
        imsg[i].msg_hdr.msg_iovlen = 1;
    }
}

static void received(int n) {
    printf("recvmmsg %d:", n);
    for (int i = 0; i < n; i++) printf(" [%.*s] %u%s", (int)imsg[i].msg_len, in[i], imsg[i].msg_len,
                                       imsg[i].msg_hdr.msg_flags & MSG_TRUNC ? " truncated" : "");
    printf("\n");
}

int main(void) {
    int sv[2];
    setvbuf(stdout, NULL, _IONBF, 0);
    if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0) { perror("socketpair"); return 1; }
    prepare();
    int n = sendmmsg(sv[0], omsg, 3, 0);
    printf("sendmmsg %d: %u %u %u\n", n, omsg[0].msg_len, omsg[1].msg_len, omsg[2].msg_len);
    n = recvmmsg(sv[1], imsg, N, MSG_DONTWAIT, NULL);
    received(n);
    errno = 0;
    n = recvmmsg(sv[1], imsg, N, MSG_DONTWAIT, NULL);
    printf("empty: %d %s\n", n, strerror(errno));
    prepare();
    sendmmsg(sv[0], omsg, 2, 0);
    n = recvmmsg(sv[1], imsg, N, MSG_WAITFORONE, NULL);
    received(n);
    prepare();
    sendmmsg(sv[0], omsg, 4, 0);
    struct timespec t = {0, 0};
    n = recvmmsg(sv[1], imsg, N, 0, &t);
    printf("a timeout that has passed: ");
    received(n);
    n = recvmmsg(sv[1], imsg, N, MSG_DONTWAIT, NULL);
    received(n);
    /* through socketcall: SYS_SENDMMSG 20, SYS_RECVMMSG 19 */
    prepare();
    long args[5] = {sv[0], (long)omsg, 2, 0, 0};
    n = syscall(SYS_socketcall, 20, args);
    printf("socketcall sendmmsg %d\n", n);
    long rargs[5] = {sv[1], (long)imsg, N, MSG_DONTWAIT, 0};
    n = syscall(SYS_socketcall, 19, rargs);
    printf("socketcall ");
    received(n);
    close(sv[1]);
    errno = 0;
    n = sendmmsg(sv[0], omsg, 2, 0);
    printf("to a closed peer: %d %s\n", n, strerror(errno));
    return 0;
}
