/* Process file descriptors: pidfd_open (close-on-exec, PIDFD_NONBLOCK), poll readable once the
 * process ends, pidfd_send_signal with and without a siginfo, waitid(P_PIDFD) (EAGAIN on a
 * non-blocking pidfd while the process runs), pidfd_getfd, and the errors of each. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef PIDFD_NONBLOCK
#define PIDFD_NONBLOCK O_NONBLOCK
#endif
#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static void report(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static int pidfdOpen(pid_t pid, unsigned flags) {
    return syscall(SYS_pidfd_open, pid, flags);
}

static int sendSignal(int fd, int sig, siginfo_t *info, unsigned flags) {
    return syscall(SYS_pidfd_send_signal, fd, sig, info, flags);
}

static int ready(int fd, int timeout) {
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, timeout);
    return r < 0 ? -1 : p.revents;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    int go[2];
    pipe(go);
    pid_t child = fork();
    if (child == 0) {
        char c;
        read(go[0], &c, 1);
        _exit(7);
    }
    int fd = pidfdOpen(child, 0);
    report("pidfd_open", fd >= 0 ? 0 : -1);
    printf("close-on-exec: %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
    printf("poll while it runs: %#x\n", ready(fd, 0));
    report("signal 0", sendSignal(fd, 0, NULL, 0));
    report("signal 0 to its thread (PIDFD_SIGNAL_THREAD)", sendSignal(fd, 0, NULL, 1));
    report("two flags at once", sendSignal(fd, 0, NULL, 3));
    int nb = pidfdOpen(child, PIDFD_NONBLOCK);
    siginfo_t si;
    memset(&si, 0, sizeof si);
    report("waitid on a non-blocking pidfd while it runs", waitid(P_PIDFD, nb, &si, WEXITED));
    close(nb);
    int copy = syscall(SYS_pidfd_getfd, fd, go[0], 0);
    report("pidfd_getfd of the child's pipe end", copy >= 0 ? 0 : -1);
    printf("the copy is close-on-exec: %d\n", (fcntl(copy, F_GETFD) & FD_CLOEXEC) != 0);
    close(copy);
    report("pidfd_getfd of a closed descriptor", syscall(SYS_pidfd_getfd, fd, 99, 0));
    write(go[1], "x", 1);
    printf("poll after its end: %#x\n", ready(fd, 5000));
    memset(&si, 0, sizeof si);
    report("waitid(P_PIDFD)", waitid(P_PIDFD, fd, &si, WEXITED));
    printf("code %s, pid ours %d, status %d\n", si.si_code == CLD_EXITED ? "CLD_EXITED" : "other", si.si_pid == child, si.si_status);
    report("signal after it was reaped", sendSignal(fd, 0, NULL, 0));
    close(fd);

    child = fork();
    if (child == 0) {
        pause();
        _exit(0);
    }
    fd = pidfdOpen(child, 0);
    siginfo_t info;
    memset(&info, 0, sizeof info);
    info.si_signo = SIGUSR1;
    info.si_code = SI_QUEUE;
    info.si_pid = getpid();
    info.si_uid = getuid();
    report("a siginfo of another signal", sendSignal(fd, SIGTERM, &info, 0));
    report("SIGTERM", sendSignal(fd, SIGTERM, NULL, 0));
    memset(&si, 0, sizeof si);
    waitid(P_PIDFD, fd, &si, WEXITED);
    printf("code %s, status %d\n", si.si_code == CLD_KILLED ? "CLD_KILLED" : "other", si.si_status);
    close(fd);

    fd = pidfdOpen(getpid(), 0);
    report("pidfd_open of itself", fd >= 0 ? 0 : -1);
    report("waitid on its own pidfd", waitid(P_PIDFD, fd, &si, WEXITED | WNOHANG));
    close(fd);
    report("pidfd_open(-1)", pidfdOpen(-1, 0));
    report("pidfd_open with a bad flag", pidfdOpen(getpid(), 1));
    report("pidfd_open of no process", pidfdOpen(4000000, 0));
    report("pidfd_send_signal on a pipe", sendSignal(go[0], 0, NULL, 0));
    report("waitid(P_PIDFD) on a pipe", waitid(P_PIDFD, go[0], &si, WEXITED));
    report("waitid(P_PIDFD) on a closed descriptor", waitid(P_PIDFD, 98, &si, WEXITED));
    return 0;
}
