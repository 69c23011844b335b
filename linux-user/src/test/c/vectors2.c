/* preadv2 and pwritev2: readv and writev at an offset, or at the file's position when the offset
 * is -1, with per-call flags (RWF_APPEND writes at the end; unknown flags are refused). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

static void report(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static long position(int fd) {
    return (long) lseek(fd, 0, SEEK_CUR);
}

static long size(int fd) {
    struct stat st;
    fstat(fd, &st);
    return (long) st.st_size;
}

int main(void) {
    int v = open("vectors2.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
    report("write", write(v, "0123456789", 10));
    struct iovec out[2] = {{"abc", 3}, {"DEFG", 4}};
    report("pwritev2 at 2", pwritev2(v, out, 2, 2, 0));
    printf("position %ld\n", position(v));
    char x[4] = {0}, y[8] = {0};
    struct iovec in[2] = {{x, 3}, {y, 7}};
    report("preadv2 at 1", preadv2(v, in, 2, 1, 0));
    printf("read: %s|%s\n", x, y);

    lseek(v, 4, SEEK_SET);
    memset(x, 0, sizeof x);
    memset(y, 0, sizeof y);
    report("preadv2 at -1", preadv2(v, in, 2, -1, 0));
    printf("read: %s|%s position %ld\n", x, y, position(v));
    lseek(v, 0, SEEK_SET);
    report("pwritev2 at -1", pwritev2(v, out, 2, -1, 0));
    printf("position %ld\n", position(v));

    struct iovec z = {"Z", 1};
    report("RWF_APPEND at 0", pwritev2(v, &z, 1, 0, RWF_APPEND));
    printf("size %ld position %ld\n", size(v), position(v));
    report("RWF_APPEND at -1", pwritev2(v, &z, 1, -1, RWF_APPEND));
    printf("size %ld position %ld\n", size(v), position(v));
    char all[16] = {0};
    pread(v, all, sizeof all - 1, 0);
    printf("file: %s\n", all);

    report("RWF_DSYNC", pwritev2(v, &z, 1, 0, RWF_DSYNC));
    report("RWF_SYNC", pwritev2(v, &z, 1, 1, RWF_SYNC));
    report("RWF_HIPRI", preadv2(v, in, 1, 0, RWF_HIPRI));
    report("unknown flag", preadv2(v, in, 2, 0, 0x10000));
    report("unknown flag, writing", pwritev2(v, out, 2, 0, 0x10000));
    struct iovec none = {x, 0};
    report("unknown flag, nothing to read", preadv2(v, &none, 1, 0, 0x10000));
    report("offset -2", preadv2(v, in, 2, -2, 0));
    int w = open("vectors2.tmp", O_WRONLY), r = open("vectors2.tmp", O_RDONLY);
    report("preadv2 from a write-only descriptor", preadv2(w, in, 2, 0, 0));
    report("pread from a write-only descriptor", pread(w, x, 3, 0));
    report("pwritev2 to a read-only descriptor", pwritev2(r, out, 2, 0, 0));
    report("pwrite to a read-only descriptor", pwrite(r, "x", 1, 0));
    close(w);
    close(r);
    report("closed descriptor", preadv2(99, in, 2, 0, 0));
    report("closed descriptor at -1", preadv2(99, in, 2, -1, 0));

    int pp[2];
    report("pipe", pipe(pp));
    report("pwritev2 to a pipe at 0", pwritev2(pp[1], out, 2, 0, 0));
    report("pwritev2 to a pipe at -1", pwritev2(pp[1], out, 2, -1, 0));
    memset(x, 0, sizeof x);
    memset(y, 0, sizeof y);
    report("preadv2 from a pipe at -1", preadv2(pp[0], in, 2, -1, 0));
    printf("read: %s|%s\n", x, y);
    close(v);
    unlink("vectors2.tmp");
    return 0;
}
