/* Smaller calls that programs make: creat, utime and utimes, sync and syncfs, the mlock family
 * and personality. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>
#include <utime.h>

static void report(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

int main(void) {
    umask(022);
    int fd = creat("creat.tmp", 0640);
    printf("creat: %d\n", fd >= 0);
    report("write", write(fd, "abc", 3));
    struct stat st;
    fstat(fd, &st);
    printf("mode %o size %lld\n", st.st_mode & 0777, (long long) st.st_size);
    char c;
    report("read from a write-only descriptor", read(fd, &c, 1));
    close(fd);
    fd = creat("creat.tmp", 0600);
    fstat(fd, &st);
    printf("again: truncated to %lld, mode kept %o\n", (long long) st.st_size, st.st_mode & 0777);
    report("syncfs", syncfs(fd));
    close(fd);
    report("syncfs of a closed descriptor", syncfs(fd));
    sync();

    struct utimbuf ub = {1000000000, 1200000000};
    report("utime", utime("creat.tmp", &ub));
    stat("creat.tmp", &st);
    printf("atime %ld mtime %ld\n", (long) st.st_atime, (long) st.st_mtime);
    struct timeval tv[2] = {{1300000000, 250000}, {1400000000, 500000}};
    report("utimes", utimes("creat.tmp", tv));
    stat("creat.tmp", &st);
    printf("atime %ld.%09ld mtime %ld.%09ld\n", (long) st.st_atime, st.st_atim.tv_nsec, (long) st.st_mtime, st.st_mtim.tv_nsec);
    tv[0].tv_usec = 1000000;
    report("utimes with 1000000 us", utimes("creat.tmp", tv));
    report("utime now", utime("creat.tmp", NULL));
    stat("creat.tmp", &st);
    printf("recent %d\n", st.st_mtime > 1700000000);
    report("utime of a missing file", utime("missing.tmp", &ub));
    unlink("creat.tmp");

    char *m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    report("mlock", mlock(m, 8192));
    report("munlock", munlock(m, 8192));
    report("mlockall", mlockall(MCL_CURRENT | MCL_FUTURE));
    report("munlockall", munlockall());
    report("mlockall(0)", mlockall(0));
    report("mlockall(MCL_ONFAULT)", mlockall(MCL_ONFAULT));

    report("personality", personality(0xffffffff));
    report("set ADDR_NO_RANDOMIZE", personality(ADDR_NO_RANDOMIZE));
    report("now", personality(0xffffffff));
    report("back", personality(PER_LINUX));

    /* preadv and pwritev: at an offset, the file's position unmoved */
    int v = open("vectors.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
    report("write", write(v, "0123456789", 10));
    struct iovec out[2] = {{"abc", 3}, {"DEFG", 4}};
    report("pwritev at 2", pwritev(v, out, 2, 2));
    report("position", lseek(v, 0, SEEK_CUR));
    char x[4] = {0}, y[8] = {0};
    struct iovec in[2] = {{x, 3}, {y, 7}};
    report("preadv at 1", preadv(v, in, 2, 1));
    printf("read: %s|%s\n", x, y);
    report("preadv past the end", preadv(v, in, 2, 100));
    report("negative offset", preadv(v, in, 2, -1));
    int pp[2];
    report("pipe", pipe(pp));
    report("pwritev to a pipe", pwritev(pp[1], out, 2, 0));
    report("closed descriptor", pwritev(99, out, 2, 0));
    close(v);
    unlink("vectors.tmp");
    return 0;
}
