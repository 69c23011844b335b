/* Process groups and sessions (setpgid, getpgid, getpgrp, setsid, getsid, kill and waitpid on a
 * group) and the user and group ids (set*id in their 32-bit and 16-bit forms). Everything that
 * could reach processes outside the test runs in children with groups of their own. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err(long r) { return r == -1 ? strerror(errno) : "ok"; }
static volatile int got;
static void on_usr2(int sig) { got = sig; }

static void groups(void) {
    pid_t me = getpid(), pgrp = getpgrp(), sid = getsid(0);
    printf("getpgid(0) is getpgrp: %d, getsid(pid) is getsid(0): %d\n", getpgid(0) == pgrp, getsid(me) == sid);
    long r = getpgid(0x3ffffff0);
    printf("getpgid, no such process: %ld %s\n", r, err(r));
    r = getsid(0x3ffffff0);
    printf("getsid, no such process: %ld %s\n", r, err(r));
    r = setpgid(0, -1);
    printf("setpgid, negative group: %ld %s\n", r, err(r));
    r = setpgid(getppid(), 0);
    printf("setpgid, not a child: %ld %s\n", r, err(r));

    pid_t a = fork();
    if (a == 0) {
        printf("child: in the parent's group %d and session %d\n", getpgrp() == pgrp, getsid(0) == sid);
        r = setsid();
        printf("child: setsid %d, leads its session %d and group %d\n", r == getpid(), getsid(0) == getpid(), getpgrp() == getpid());
        r = setsid();
        printf("child: setsid again: %ld %s\n", r, err(r));
        r = setpgid(0, 0);
        printf("child: setpgid as a session leader: %ld %s\n", r, err(r));
        pid_t b = fork();
        if (b == 0) {
            r = setpgid(0, pgrp);
            printf("grandchild: into a group of another session: %ld %s\n", r, err(r));
            r = setpgid(0, 0);
            printf("grandchild: a group of its own: %ld, its id %d\n", r, getpgrp() == getpid());
            signal(SIGUSR2, on_usr2);
            r = kill(0, SIGUSR2);
            printf("grandchild: kill(0) reaches its own group: %ld, handled %d\n", r, got);
            _exit(0);
        }
        waitpid(b, NULL, 0);
        _exit(0);
    }
    waitpid(a, NULL, 0);

    int p[2];
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        char x;
        close(p[1]);
        read(p[0], &x, 1);
        _exit(0);
    }
    close(p[0]);
    r = setpgid(c, c);
    printf("setpgid of a child into a new group: %ld, getpgid %d\n", r, getpgid(c) == c);
    printf("kill(-group, 0): %d\n", kill(-c, 0));
    r = setpgid(c, 0x3ffffff0);
    printf("setpgid into no group: %ld %s\n", r, err(r));
    int status;
    r = waitpid(0, &status, WNOHANG);
    printf("waitpid(0), the child is in another group: %ld %s\n", r, err(r));
    r = kill(-c, SIGTERM);
    waitpid(-c, &status, 0);
    printf("kill(-group, SIGTERM): %ld, signaled %d by %d\n", r, WIFSIGNALED(status), WTERMSIG(status));
    r = kill(-c, 0);
    printf("kill(-group) after it is gone: %ld %s\n", r, err(r));
    close(p[1]);

    pid_t d = fork();
    if (d == 0) _exit(4);
    r = waitpid(0, &status, 0);
    printf("waitpid(0), same group: %d, status %d\n", r == d, WEXITSTATUS(status));
}

static void ids_unprivileged(void) {
    if (getuid() == 0) { /* as root, become an ordinary user first */
        setresgid(1000, 1000, 1000);
        setresuid(1000, 1000, 1000);
    }
    uid_t u = getuid();
    gid_t g = getgid();
    long r;
    printf("ordinary: setuid to itself: %d, ", setuid(u));
    r = setuid(u + 1);
    printf("to another: %ld %s\n", r, err(r));
    printf("ordinary: setgid to itself: %d, ", setgid(g));
    r = setgid(g + 1);
    printf("to another: %ld %s\n", r, err(r));
    printf("ordinary: setreuid(-1, -1): %d, ", setreuid(-1, -1));
    r = setreuid(u + 1, -1);
    printf("another real id: %ld %s\n", r, err(r));
    printf("ordinary: setresuid(-1, u, -1): %d, ", setresuid(-1, u, -1));
    r = setresuid(u, u + 1, u);
    printf("another effective id: %ld %s\n", r, err(r));
    printf("ordinary: setresgid(g, g, g): %d, ", setresgid(g, g, g));
    r = setregid(-1, g + 1);
    printf("setregid to another: %ld %s\n", r, err(r));
    r = syscall(23, u);
    printf("ordinary: 16-bit setuid to itself: %ld, ", r);
    r = syscall(23, u + 1);
    printf("to another: %ld %s, ", r, err(r));
    printf("16-bit getuid: %d, geteuid: %d\n", syscall(24) == (long) u, syscall(49) == (long) u);
    r = setuid(-1);
    printf("ordinary: setuid(-1): %ld %s\n", r, err(r));
    r = syscall(23, 0xffff);
    printf("ordinary: 16-bit setuid(0xffff): %ld %s\n", r, err(r));
}

static void ids_root(void) {
    if (getuid() != 0) {
        printf("root: not root\n");
        return;
    }
    uid_t r, e, s;
    printf("root: setresuid(1000, 1001, 1002): %d, ", setresuid(1000, 1001, 1002));
    getresuid(&r, &e, &s);
    printf("now %u %u %u\n", r, e, s);
    printf("root: setuid to the saved id: %d, ", setuid(1002));
    getresuid(&r, &e, &s);
    printf("now %u %u %u, ", r, e, s);
    long x = setuid(0);
    printf("back to 0: %ld %s\n", x, err(x));
    printf("root: setreuid(1002, -1): %d, ", setreuid(1002, -1));
    getresuid(&r, &e, &s);
    printf("now %u %u %u\n", r, e, s);
    unsigned short r16, e16, s16;
    syscall(165, &r16, &e16, &s16);
    printf("root: 16-bit getresuid: %u %u %u\n", r16, e16, s16);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    groups();
    pid_t c = fork();
    if (c == 0) {
        ids_unprivileged();
        _exit(0);
    }
    waitpid(c, NULL, 0);
    c = fork();
    if (c == 0) {
        ids_root();
        _exit(0);
    }
    waitpid(c, NULL, 0);
    return 0;
}
