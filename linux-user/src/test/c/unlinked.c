/* A descriptor keeps its file when the path no longer names it: fstat after unlink and after
 * another file was renamed over the path reports the file the descriptor holds (its size, no
 * links); O_TMPFILE makes such a file from the start. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void show(const char *what, int fd) {
    struct stat st;
    memset(&st, 0, sizeof st);
    int r = fstat(fd, &st);
    printf("%s: %d %s size %lld links %d regular %d\n", what, r, r ? strerror(errno) : "", (long long) st.st_size,
            (int) st.st_nlink, S_ISREG(st.st_mode));
}

int main(void) {
    int fd = open("unlinked.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "12345", 5);
    show("named", fd);
    unlink("unlinked.tmp");
    show("unlinked", fd);
    write(fd, "678", 3);
    show("written after", fd);
    char b[16] = {0};
    pread(fd, b, sizeof b - 1, 0);
    printf("contents: %s\n", b);
    close(fd);

    fd = open("old.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(fd, "old", 3);
    int other = open("new.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    write(other, "newer", 5);
    close(other);
    rename("new.tmp", "old.tmp");
    show("replaced by a rename", fd);
    close(fd);
    unlink("old.tmp");

    fd = open(".", O_TMPFILE | O_RDWR, 0600);
    printf("O_TMPFILE: %d\n", fd >= 0);
    write(fd, "temporary", 9);
    show("O_TMPFILE", fd);
    close(fd);
    fd = open(".", O_TMPFILE | O_RDONLY, 0600);
    printf("O_TMPFILE read-only: %d %s\n", fd, fd < 0 ? strerror(errno) : "");
    int plain = open("plain.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    close(plain);
    fd = open("plain.tmp", O_TMPFILE | O_RDWR, 0600);
    printf("O_TMPFILE in a file: %d %s\n", fd, fd < 0 ? strerror(errno) : "");
    unlink("plain.tmp");
    return 0;
}
