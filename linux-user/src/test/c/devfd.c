/* /dev/stdin, /dev/stdout, /dev/fd/N and /proc/self/fd/N name the process's own descriptors (a
 * pipe, a regular file, standard output), never the emulator's; a path with a trailing slash names
 * a directory, through a symbolic link too. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind(mode_t m) {
    return S_ISFIFO(m) ? "fifo" : S_ISREG(m) ? "regular" : S_ISDIR(m) ? "directory" : S_ISLNK(m) ? "link" : S_ISCHR(m) ? "char" : "other";
}

static void stat_of(const char *what, const char *path, int follow) {
    struct stat st;
    int r = follow ? stat(path, &st) : lstat(path, &st);
    if (r < 0) printf("%s: %s\n", what, strerror(errno));
    else printf("%s: %s\n", what, kind(st.st_mode));
}

static void read_through(const char *what, const char *path) {
    char buf[64] = {0};
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        printf("%s: %s\n", what, strerror(errno));
        return;
    }
    int n = read(fd, buf, sizeof buf - 1);
    printf("%s: %d \"%s\"\n", what, n, n > 0 ? buf : "");
    close(fd);
}

int main(void) {
    char path[64], link[64];
    int p[2];
    if (pipe(p) < 0) return 1;
    if (write(p[1], "through the pipe", 16) != 16) return 1;
    snprintf(path, sizeof path, "/dev/fd/%d", p[0]);
    read_through("the pipe's read end as /dev/fd/N", path);
    snprintf(path, sizeof path, "/proc/self/fd/%d", p[0]);
    stat_of("stat of the pipe's /proc/self/fd/N", path, 1);
    stat_of("lstat of the pipe's /proc/self/fd/N", path, 0);
    printf("access: %d\n", access(path, R_OK));

    char name[] = "devfd-XXXXXX";
    int f = mkstemp(name);
    if (f < 0 || write(f, "in the file", 11) != 11) return 1;
    snprintf(path, sizeof path, "/dev/fd/%d", f);
    read_through("the file as /dev/fd/N (a description of its own, from the start)", path);
    /* Its /proc and /dev/fd names stand for it: not removed or renamed through them, changed through them. */
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", f);
    printf("unlink /proc/self/fd/N: %s\n", unlink(proc) < 0 ? strerror(errno) : "removed");
    printf("unlink /dev/fd/N: %s\n", unlink(path) < 0 ? strerror(errno) : "removed");
    printf("rename /dev/fd/N: %s\n", rename(path, "devfd-renamed") < 0 ? strerror(errno) : "renamed");
    printf("chmod /dev/fd/N: %d\n", chmod(path, 0640));
    struct stat fst;
    memset(&fst, 0, sizeof fst);
    int there = stat(name, &fst);
    printf("the file: %s, mode %o\n", there == 0 ? "still there" : strerror(errno), fst.st_mode & 0777);
    unlink(name);

    /* A descriptor the process does not have, whatever the emulator holds there. */
    for (int fd = 3; fd < 20; fd++) {
        if (fd == p[0] || fd == p[1] || fd == f) continue;
        snprintf(path, sizeof path, "/dev/fd/%d", fd);
        read_through("a descriptor not open", path);
        stat_of("its stat", path, 1);
        break;
    }

    ssize_t n = readlink("/dev/stdin", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    printf("readlink /dev/stdin: %s\n", link);
    stat_of("lstat /dev/stdout", "/dev/stdout", 0);
    fflush(stdout);
    int out = open("/dev/stdout", O_WRONLY);
    if (out < 0 || write(out, "written to /dev/stdout\n", 23) != 23) printf("/dev/stdout: %s\n", strerror(errno));
    close(out);

    /* A trailing slash. */
    mkdir("devfd-dir", 0755);
    symlink("devfd-dir", "devfd-link");
    close(open("devfd-file", O_CREAT | O_WRONLY, 0644));
    stat_of("stat link/", "devfd-link/", 1);
    stat_of("lstat link/", "devfd-link/", 0);
    stat_of("lstat link", "devfd-link", 0);
    stat_of("stat file/", "devfd-file/", 1);
    printf("rmdir link/: %s\n", rmdir("devfd-link/") < 0 ? strerror(errno) : "removed");
    printf("unlink link/: %s\n", unlink("devfd-link/") < 0 ? strerror(errno) : "removed");
    printf("unlink file/: %s\n", unlink("devfd-file/") < 0 ? strerror(errno) : "removed");
    printf("unlink link: %s\n", unlink("devfd-link") < 0 ? strerror(errno) : "removed");
    printf("unlink file: %s\n", unlink("devfd-file") < 0 ? strerror(errno) : "removed");
    printf("rmdir dir/: %s\n", rmdir("devfd-dir/") < 0 ? strerror(errno) : "removed");
    return 0;
}
