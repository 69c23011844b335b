/* Named pipes: mkfifo (mknod with S_IFIFO), a second one at the same path, mknod of a regular
 * file, and a child writing through the FIFO to its parent. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    umask(022);
    report("mkfifo", mkfifo("fifo.tmp", 0666));
    struct stat st;
    stat("fifo.tmp", &st);
    printf("is a fifo %d, mode %o\n", S_ISFIFO(st.st_mode), st.st_mode & 0777);
    report("again", mkfifo("fifo.tmp", 0600));
    report("in a missing directory", mkfifo("no-such-dir/f", 0600));
    report("mknod regular", mknod("plain.tmp", S_IFREG | 0640, 0));
    stat("plain.tmp", &st);
    printf("is a regular file %d, size %lld, mode %o\n", S_ISREG(st.st_mode), (long long) st.st_size, st.st_mode & 0777);
    unlink("plain.tmp");
    pid_t p = fork();
    if (p == 0) {
        int w = open("fifo.tmp", O_WRONLY);
        write(w, "through the fifo", 16);
        close(w);
        _exit(0);
    }
    int r = open("fifo.tmp", O_RDONLY);
    char buf[64] = {0};
    int n = 0, got;
    while ((got = read(r, buf + n, sizeof buf - 1 - n)) > 0) n += got;
    printf("read %d: %s, then end of file %d\n", n, buf, got);
    close(r);
    waitpid(p, 0, 0);
    report("unlink", unlink("fifo.tmp"));
    return 0;
}
