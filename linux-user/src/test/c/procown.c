/* A process's /proc/self/cmdline, environ, auxv, comm and status are its own, not the emulator's:
 * its arguments and environment as execve gave them (and as the program rewrites them in place),
 * its auxiliary vector, its name from the program's path and from prctl(PR_SET_NAME) (at most 15
 * bytes), a fork's child keeping it and an execve replacing it; status's names, ids and signal
 * masks. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static int readAll(const char *path, char *buf, int size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) return -1;
    int n = 0, r;
    while (n < size - 1 && (r = read(fd, buf + n, size - 1 - n)) > 0) n += r;
    close(fd);
    buf[n] = 0;
    return n;
}

/* Prints a NUL-separated list with | between its strings. */
static void showList(const char *what, const char *buf, int n) {
    printf("%s (%d bytes):", what, n);
    for (int i = 0; i < n; i += strlen(buf + i) + 1) printf(" |%s|", buf + i);
    printf("\n");
}

/* The value of a status line, or "(none)". */
static void statusField(const char *status, const char *key) {
    const char *p = strstr(status, key);
    if (!p) {
        printf("%s (none)\n", key);
        return;
    }
    const char *end = strchr(p, '\n');
    printf("%.*s\n", (int) (end - p), p);
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char buf[8192], self[4096];
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        readAll("/proc/self/comm", buf, sizeof buf);
        printf("after execve, comm: %s", buf);
        int n = readAll("/proc/self/cmdline", buf, sizeof buf);
        showList("after execve, cmdline", buf, n);
        return 0;
    }
    int n = readAll("/proc/self/cmdline", buf, sizeof buf);
    int strings = 0;
    for (int i = 0; i < n; i += strlen(buf + i) + 1) strings++;
    printf("cmdline: %d strings, the first argv[0]: %d\n", strings, strcmp(buf, argv[0]) == 0);
    n = readAll("/proc/self/environ", buf, sizeof buf);
    int found = 0;
    for (int i = 0; i < n; i += strlen(buf + i) + 1) found += strcmp(buf + i, "KASOU_TEST=yes") == 0;
    printf("environ holds KASOU_TEST=yes: %d, ends with a 0 byte: %d\n", found, n > 0 && buf[n - 1] == 0);
    readAll("/proc/self/comm", buf, sizeof buf);
    printf("comm: %s", buf);

    /* auxv: the vector the program got, in pairs of its own word size. */
    n = readAll("/proc/self/auxv", buf, sizeof buf);
    unsigned long *v = (unsigned long *) buf;
    int pairs = n / (int) (2 * sizeof(unsigned long)), pagesz = 0, entry = 0, rnd = 0, last = -1;
    for (int i = 0; i < pairs; i++) {
        if (v[2 * i] == AT_PAGESZ) pagesz = v[2 * i + 1] == 4096;
        if (v[2 * i] == AT_ENTRY) entry = v[2 * i + 1] == getauxval(AT_ENTRY);
        if (v[2 * i] == AT_RANDOM) rnd = v[2 * i + 1] == getauxval(AT_RANDOM);
        if (v[2 * i] == AT_NULL) last = i;
    }
    printf("auxv: whole pairs %d, AT_PAGESZ 4096 %d, AT_ENTRY as getauxval %d, AT_RANDOM as getauxval %d, ends with AT_NULL %d\n",
           n % (int) (2 * sizeof(unsigned long)) == 0, pagesz, entry, rnd, last == pairs - 1);

    /* What the descriptors of anonymous files link to. */
    sigset_t none;
    sigemptyset(&none);
    int anon[5] = {eventfd(0, 0), timerfd_create(CLOCK_MONOTONIC, 0), epoll_create1(0), signalfd(-1, &none, 0),
                   (int) syscall(SYS_pidfd_open, getpid(), 0)};
    for (int i = 0; i < 5; i++) {
        char link[64], target[64] = {0};
        snprintf(link, sizeof link, "/proc/self/fd/%d", anon[i]);
        readlink(link, target, sizeof target - 1);
        printf("fd link: %s\n", target);
        close(anon[i]);
    }

    /* A program that rewrites its arguments in place (as setproctitle does). */
    memcpy(argv[0] + strlen(argv[0]) - 4, "XXXX", 4);
    n = readAll("/proc/self/cmdline", buf, sizeof buf);
    printf("cmdline after rewriting argv[0] shows it: %d (%s)\n", strcmp(buf, argv[0]) == 0, buf + strlen(buf) - 7);

    prctl(PR_SET_NAME, "a-rather-long-thread-name");
    readAll("/proc/self/comm", buf, sizeof buf);
    printf("comm after PR_SET_NAME: %s", buf);
    char name[17] = {0};
    prctl(PR_GET_NAME, name);
    printf("PR_GET_NAME: %s\n", name);

    signal(SIGUSR1, SIG_IGN);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGTERM, (void (*)(int)) 1 + 1); /* an address: a handler, never called */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    readAll("/proc/self/status", buf, sizeof buf);
    statusField(buf, "Name:");
    char expect[64];
    snprintf(expect, sizeof expect, "Pid:\t%d\n", getpid());
    printf("Pid is ours: %d\n", strstr(buf, expect) != NULL);
    snprintf(expect, sizeof expect, "PPid:\t%d\n", getppid());
    printf("PPid is our parent: %d\n", strstr(buf, expect) != NULL);
    snprintf(expect, sizeof expect, "Uid:\t%d\t%d\t%d\t%d\n", getuid(), geteuid(), getuid(), geteuid());
    printf("Uid line: %d\n", strstr(buf, expect) != NULL);
    statusField(buf, "Threads:");
    statusField(buf, "SigBlk:");
    statusField(buf, "SigIgn:");
    statusField(buf, "SigCgt:");
    signal(SIGTERM, SIG_DFL);

    pid_t p = fork();
    if (p == 0) {
        readAll("/proc/self/comm", buf, sizeof buf);
        printf("the child's comm: %s", buf);
        readAll("/proc/self/status", buf, sizeof buf);
        snprintf(expect, sizeof expect, "Pid:\t%d\n", getpid());
        printf("the child's Pid is its own: %d\n", strstr(buf, expect) != NULL);
        _exit(0);
    }
    waitpid(p, 0, 0);
    ssize_t l = readlink("/proc/self/exe", self, sizeof self - 1);
    self[l < 0 ? 0 : l] = 0;
    p = fork();
    if (p == 0) {
        execl(self, "/some/where/renamed-program", "exec", (char *) 0);
        _exit(127);
    }
    waitpid(p, 0, 0);
    return 0;
}
