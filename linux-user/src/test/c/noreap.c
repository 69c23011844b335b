/* Children of a parent that ignores SIGCHLD, or sets SA_NOCLDWAIT, are reaped as they end: a
 * wait finds none (ECHILD), after waiting for those still running; a SA_NOCLDWAIT handler still
 * gets SIGCHLD. With SIGCHLD back at SIG_DFL, wait finds the child again. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_child(int sig) {
    (void) sig;
    handled++;
}

static void report(const char *what, int r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    signal(SIGCHLD, SIG_IGN);
    for (int i = 0; i < 3; i++) {
        if (fork() == 0) _exit(i);
    }
    usleep(100000);
    report("SIG_IGN, ended children", wait(NULL));
    pid_t slow = fork();
    if (slow == 0) {
        usleep(200000);
        _exit(0);
    }
    double t0 = now();
    report("SIG_IGN, a child still running", waitpid(-1, NULL, 0));
    printf("waited for it: %d\n", now() - t0 > 0.1);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child;
    sa.sa_flags = SA_NOCLDWAIT;
    sigaction(SIGCHLD, &sa, NULL);
    pid_t c = fork();
    if (c == 0) _exit(5);
    while (!handled) usleep(1000);
    printf("SA_NOCLDWAIT handler ran: %d\n", handled);
    report("SA_NOCLDWAIT, wait", waitpid(c, NULL, 0));

    signal(SIGCHLD, SIG_DFL);
    c = fork();
    if (c == 0) _exit(6);
    int st = 0;
    pid_t r = waitpid(c, &st, 0);
    printf("SIG_DFL: found the child %d, status %d\n", r == c, WEXITSTATUS(st));
    return 0;
}
