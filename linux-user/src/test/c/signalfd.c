/* signalfd: blocked signals read from a descriptor as signalfd_siginfo records (kill's sender,
 * a child's exit status), several in one read, a new mask for an existing descriptor, poll and
 * epoll readiness, a blocking read that a signal from another process ends, and the errors.
 * Prints what it sees; the test compares it with the expected lines. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile int chld_status = -1, chld_code = -1;
static void on_chld(int sig, siginfo_t *info, void *ctx) {
    (void)sig;
    (void)ctx;
    chld_status = info->si_status;
    chld_code = info->si_code;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigaddset(&set, SIGUSR2);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    int fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    printf("signalfd: %d\n", fd >= 0);
    struct signalfd_siginfo si[4];
    errno = 0;
    ssize_t n = read(fd, si, sizeof si);
    printf("nothing pending: %zd %s\n", n, strerror(errno));
    struct pollfd p = {fd, POLLIN, 0};
    printf("poll before: %d\n", poll(&p, 1, 0));
    kill(getpid(), SIGUSR1);
    int r = poll(&p, 1, 0);
    printf("poll after kill: %d revents %x\n", r, p.revents);
    n = read(fd, si, sizeof si);
    printf("read %zd: signo %u code %d pid is ours %d uid %u\n", n, si[0].ssi_signo, si[0].ssi_code,
           si[0].ssi_pid == (unsigned)getpid(), si[0].ssi_uid == getuid());
    kill(getpid(), SIGUSR2);
    kill(getpid(), SIGUSR1);
    n = read(fd, si, sizeof si);
    printf("two at once: %zd bytes, signo %u then %u\n", n, si[0].ssi_signo, si[1].ssi_signo);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR2);
    n = read(fd, si, sizeof si[0]);
    printf("room for one: %zd bytes, signo %u\n", n, si[0].ssi_signo);
    n = read(fd, si, sizeof si);
    printf("the other waits: %zd bytes, signo %u\n", n, si[0].ssi_signo);

    sigset_t only2;
    sigemptyset(&only2);
    sigaddset(&only2, SIGUSR2);
    printf("new mask: same fd %d\n", signalfd(fd, &only2, 0) == fd);
    kill(getpid(), SIGUSR1);
    errno = 0;
    n = read(fd, si, sizeof si);
    printf("SIGUSR1 not in the mask: %zd %s\n", n, strerror(errno));
    sigset_t pend;
    sigpending(&pend);
    printf("SIGUSR1 still pending %d\n", sigismember(&pend, SIGUSR1));
    signalfd(fd, &set, 0);
    n = read(fd, si, sizeof si);
    printf("mask back: %zd signo %u\n", n, si[0].ssi_signo);

    /* a child's exit, read from a blocking descriptor; the epoll sees it first */
    int b = signalfd(-1, &set, 0);
    int ep = epoll_create1(0);
    struct epoll_event ev = {EPOLLIN, {.u32 = 5}}, got;
    epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev);
    pid_t child = fork();
    if (child == 0) _exit(3);
    r = epoll_wait(ep, &got, 1, 5000);
    printf("epoll: %d data %u\n", r, got.data.u32);
    n = read(b, si, sizeof si);
    printf("child: %zd signo %u code %d (CLD_EXITED %d) status %d pid matches %d\n", n, si[0].ssi_signo,
           si[0].ssi_code, CLD_EXITED, si[0].ssi_status, si[0].ssi_pid == (unsigned)child);
    waitpid(child, NULL, 0);

    /* a blocking read ends when another process signals */
    pid_t parent = getpid();
    child = fork();
    if (child == 0) {
        usleep(100000);
        kill(parent, SIGUSR2);
        _exit(0);
    }
    n = read(b, si, sizeof si[0]); /* the child's SIGCHLD may be pending too by now */
    printf("blocking read: %zd signo %u from the child %d\n", n, si[0].ssi_signo, si[0].ssi_pid == (unsigned)child);
    waitpid(child, NULL, 0); /* once it returns, the child's SIGCHLD is pending */
    while (read(fd, si, sizeof si) > 0) {
    }

    /* SIGCHLD to a handler: a parent that waits for it in sigsuspend */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_chld;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGCHLD, &sa, NULL);
    child = fork();
    if (child == 0) _exit(5);
    sigset_t none;
    sigemptyset(&none);
    while (chld_status < 0) sigsuspend(&none);
    printf("SIGCHLD handler: code %d status %d\n", chld_code, chld_status);
    waitpid(child, NULL, 0);

    errno = 0;
    r = signalfd(-1, &set, 0x1234);
    printf("bad flags: %d %s\n", r, strerror(errno));
    errno = 0;
    r = signalfd(ep, &set, 0);
    printf("not a signalfd: %d %s\n", r, strerror(errno));
    errno = 0;
    n = read(fd, si, 100);
    printf("short buffer: %zd %s\n", n, strerror(errno));
    return 0;
}
