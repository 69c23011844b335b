/* fcntl's record locks as one process sees them: F_GETLK and F_GETLK64 on a range nobody else
 * holds answer F_UNLCK (a process's own locks never conflict with it), F_SETLK grants, a bad
 * lock type is EINVAL. */
#define _LARGEFILE64_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(void) {
    int fd = open("recordlocks.tmp", O_RDWR | O_CREAT | O_TRUNC, 0600);
    struct flock l;
    memset(&l, 0, sizeof l);
    l.l_type = F_WRLCK;
    l.l_whence = SEEK_SET;
    l.l_start = 128;
    l.l_len = 1;
    int r = fcntl(fd, F_GETLK, &l);
    printf("F_GETLK: %d type %s start %ld len %ld\n", r, l.l_type == F_UNLCK ? "F_UNLCK" : "held", (long) l.l_start, (long) l.l_len);
    l.l_type = F_RDLCK;
    printf("F_SETLK: %d\n", fcntl(fd, F_SETLK, &l));
    l.l_type = F_WRLCK;
    r = fcntl(fd, F_GETLK, &l);
    printf("own lock: %d type %s\n", r, l.l_type == F_UNLCK ? "F_UNLCK" : "held");
    struct flock64 w;
    memset(&w, 0, sizeof w);
    w.l_type = F_WRLCK;
    w.l_whence = SEEK_SET;
    w.l_start = 1LL << 33;
    w.l_len = 10;
    r = fcntl(fd, F_GETLK64, &w);
    printf("F_GETLK64: %d type %s start %lld len %lld\n", r, w.l_type == F_UNLCK ? "F_UNLCK" : "held", (long long) w.l_start, (long long) w.l_len);
    w.l_type = 7;
    r = fcntl(fd, F_SETLK64, &w);
    printf("bad type: %d %s\n", r, r < 0 ? strerror(errno) : "");
    close(fd);
    unlink("recordlocks.tmp");
    return 0;
}
