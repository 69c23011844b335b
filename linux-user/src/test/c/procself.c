/* A process's own /proc entries name it, not the emulator: /proc/self is its pid, exe its
 * program (through /proc/self, /proc/PID and realpath alike), cwd its directory, fd/N its
 * descriptors' files and pipes, and /proc/self/fd lists its descriptors. */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *link_of(const char *path, char *buf) {
    ssize_t n = readlink(path, buf, PATH_MAX - 1);
    buf[n < 0 ? 0 : n] = 0;
    return buf;
}

int main(void) {
    char a[PATH_MAX], b[PATH_MAX], c[PATH_MAX], path[64];
    printf("self is our pid: %d\n", atoi(link_of("/proc/self", a)) == getpid());
    link_of("/proc/self/exe", a);
    printf("exe is this program: %d\n", strcmp(strrchr(a, '/'), "/procself") == 0);
    snprintf(path, sizeof path, "/proc/%d/exe", getpid());
    printf("/proc/PID/exe the same: %d\n", strcmp(link_of(path, b), a) == 0);
    printf("realpath the same: %d\n", realpath("/proc/self/exe", c) != NULL && strcmp(c, a) == 0);
    getcwd(b, sizeof b);
    printf("cwd: %d\n", strcmp(link_of("/proc/self/cwd", a), b) == 0);

    int fd = open("procself.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    realpath("procself.tmp", c);
    printf("fd names the file: %d\n", strcmp(link_of(path, a), c) == 0);
    int p[2];
    pipe(p);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    printf("a pipe: %d\n", strncmp(link_of(path, a), "pipe:[", 6) == 0);
    snprintf(path, sizeof path, "/proc/self/fd/%d", 99);
    printf("a closed descriptor: %zd\n", readlink(path, a, sizeof a));

    DIR *d = opendir("/proc/self/fd");
    int seen[128] = {0};
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.' && atoi(e->d_name) < 128) seen[atoi(e->d_name)] = 1;
    }
    printf("listed: stdin, stdout, stderr %d, the file and the pipe %d, the listing's own %d, a closed one %d\n",
            seen[0] && seen[1] && seen[2], seen[fd] && seen[p[0]] && seen[p[1]], seen[dirfd(d)], seen[99]);
    closedir(d);
    unlink("procself.tmp");
    return 0;
}
