/* poll on a pipe: empty (times out), then readable, then end of file after the writer closes. */
#include <poll.h>
#include <stdio.h>
#include <unistd.h>
int main(void) {
    int p[2];
    pipe(p);
    struct pollfd f[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    int n = poll(f, 1, 20);
    printf("empty: %d revents=%d\n", n, f[0].revents);
    n = poll(f, 2, 0);
    printf("write end: %d revents=%d %d\n", n, f[0].revents, f[1].revents);
    write(p[1], "x", 1);
    n = poll(f, 1, -1);
    printf("after write: %d revents=%d\n", n, f[0].revents);
    char c;
    read(p[0], &c, 1);
    close(p[1]);
    n = poll(f, 1, 1000);
    printf("writer closed: %d revents=%d\n", n, f[0].revents);
    struct pollfd bad = {99, POLLIN, 0};
    n = poll(&bad, 1, 0);
    printf("bad fd: %d revents=%d\n", n, bad.revents);
    return 0;
}
