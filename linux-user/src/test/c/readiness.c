/* select, pselect and epoll on pipes, a regular file, a directory, /dev/null and the standard
 * streams: what is ready, what times out, and the errors Linux gives. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, int r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static int select_one(int fd, int forWrite, long usec, struct timeval *left) {
    fd_set s;
    FD_ZERO(&s);
    FD_SET(fd, &s);
    struct timeval tv = {usec / 1000000, usec % 1000000};
    int r = select(fd + 1, forWrite ? NULL : &s, forWrite ? &s : NULL, NULL, &tv);
    if (left) *left = tv;
    return r < 0 ? r : r * 10 + FD_ISSET(fd, &s);
}

static void selects(void) {
    int p[2];
    pipe(p);
    struct timeval left;
    show("select, empty pipe (count*10 + isset)", select_one(p[0], 0, 20000, &left));
    printf("time left after the timeout: %ld.%06ld\n", (long) left.tv_sec, (long) left.tv_usec);
    write(p[1], "ab", 2);
    show("select, pipe with data", select_one(p[0], 0, 5000000, &left));
    printf("time left is some, below 5 s: %d\n", left.tv_sec < 5 && (left.tv_sec > 0 || left.tv_usec > 0));
    show("select, write end", select_one(p[1], 1, 0, NULL));
    show("select, stdout", select_one(1, 1, 0, NULL));

    int f = open("select.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    fd_set r, w, e;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&e);
    FD_SET(f, &r);
    FD_SET(f, &w);
    FD_SET(f, &e);
    FD_SET(p[0], &r);
    FD_SET(p[0], &e);
    struct timeval zero = {0, 0};
    int n = select(f > p[0] ? f + 1 : p[0] + 1, &r, &w, &e, &zero);
    printf("select, file and pipe: %d read file=%d pipe=%d write file=%d except file=%d pipe=%d\n", n, FD_ISSET(f, &r),
           FD_ISSET(p[0], &r), FD_ISSET(f, &w), FD_ISSET(f, &e), FD_ISSET(p[0], &e));
    close(f);
    unlink("select.txt");

    FD_ZERO(&r);
    FD_SET(40, &r);
    show("select, a closed descriptor", select(41, &r, NULL, NULL, &zero));
    FD_ZERO(&r);
    FD_SET(77, &r);
    show("select, beyond the descriptor table", select(78, &r, NULL, NULL, &zero));
    show("select, negative count", select(-1, NULL, NULL, NULL, &zero));
    struct timeval negative = {-1, 0};
    show("select, negative timeout", select(1, NULL, NULL, NULL, &negative));
    show("select, nothing to wait for, 10 ms", select(0, NULL, NULL, NULL, &(struct timeval){0, 10000}));

    char buf[4];
    read(p[0], buf, 2);
    close(p[1]);
    show("select, writer gone (end of file)", select_one(p[0], 0, 1000000, NULL));
    close(p[0]);
    pipe(p);
    close(p[0]);
    show("select, reader gone (write end)", select_one(p[1], 1, 1000000, NULL));
    close(p[1]);

    pipe(p);
    write(p[1], "x", 1);
    sigset_t mask;
    sigemptyset(&mask);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timespec ts = {1, 0};
    show("pselect with a mask", pselect(p[0] + 1, &r, NULL, NULL, &ts, &mask));
    struct {
        sigset_t *set;
        size_t size;
    } bad = {&mask, 4};
    show("pselect6, wrong sigset size", (int) syscall(SYS_pselect6, p[0] + 1, &r, NULL, NULL, &ts, &bad));
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {2, 0};
    show("_newselect", (int) syscall(SYS__newselect, p[0] + 1, &r, NULL, NULL, &tv));
    printf("_newselect left some time: %d, isset=%d\n", tv.tv_sec < 2 || tv.tv_usec < 1000000, FD_ISSET(p[0], &r));
    show("select into a bad pointer", select(p[0] + 1, (fd_set *) 16, NULL, NULL, &zero));
    close(p[0]);
    close(p[1]);
}

static void wait_show(const char *what, int ep, int max, int timeout) {
    struct epoll_event ev[4];
    memset(ev, 0, sizeof ev);
    int n = epoll_wait(ep, ev, max, timeout);
    if (n < 0) {
        printf("%s: -1 %s\n", what, strerror(errno));
        return;
    }
    printf("%s: %d", what, n);
    for (int i = 0; i < n; i++) printf(" [events=%x data=%llx]", ev[i].events, (unsigned long long) ev[i].data.u64);
    printf("\n");
}

static int add(int ep, int fd, unsigned events, uint64_t data) {
    struct epoll_event ev = {.events = events, .data.u64 = data};
    return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
}

static void epolls(void) {
    show("epoll_create(0)", epoll_create(0));
    show("epoll_create1, unknown flag", epoll_create1(1));
    int ep = epoll_create1(EPOLL_CLOEXEC);
    printf("epoll_create1 close-on-exec: %d\n", fcntl(ep, F_GETFD));
    int old = epoll_create(10);
    show("epoll_create(10)", old >= 0 ? 0 : -1);
    close(old);

    int f = open("epoll.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    show("add a regular file", add(ep, f, EPOLLIN, 1));
    close(f);
    unlink("epoll.txt");
    int null = open("/dev/null", O_RDONLY);
    show("add /dev/null", add(ep, null, EPOLLIN, 1));
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    show("add a directory", add(ep, dir, EPOLLIN, 1));
    close(null);
    close(dir);

    int p[2];
    pipe(p);
    show("add the read end", add(ep, p[0], EPOLLIN, 0x1122334455667788ULL));
    wait_show("wait, empty pipe", ep, 4, 20);
    write(p[1], "abc", 3);
    wait_show("wait, data", ep, 4, 1000);
    wait_show("wait again, level-triggered", ep, 4, 0);
    show("add it again", add(ep, p[0], EPOLLIN, 2));
    struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = 3};
    show("modify an unknown one", epoll_ctl(ep, EPOLL_CTL_MOD, p[1], &ev));
    show("delete an unknown one", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
    show("unknown operation", epoll_ctl(ep, 7, p[0], &ev));
    show("a pipe as the epoll descriptor", epoll_ctl(p[1], EPOLL_CTL_ADD, p[0], &ev));
    show("epoll in itself", epoll_ctl(ep, EPOLL_CTL_ADD, ep, &ev));
    show("a closed descriptor", epoll_ctl(ep, EPOLL_CTL_ADD, 99, &ev));
    show("event at a bad pointer", epoll_ctl(ep, EPOLL_CTL_ADD, p[1], (struct epoll_event *) 16));
    show("add the write end", add(ep, p[1], EPOLLOUT, 4));
    wait_show("wait, both", ep, 4, 1000);
    wait_show("wait, one at most", ep, 1, 1000);
    show("wait, no room", epoll_wait(ep, &ev, 0, 0));
    show("wait on a pipe", epoll_wait(p[0], &ev, 1, 0));
    struct epoll_event *volatile nowhere = (struct epoll_event *) 16;
    show("wait into a bad pointer", epoll_wait(ep, nowhere, 1, 0));
    show("delete the write end", epoll_ctl(ep, EPOLL_CTL_DEL, p[1], NULL));
    ev.events = EPOLLIN | EPOLLET;
    ev.data.u64 = 5;
    show("modify to edge-triggered", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    wait_show("wait, edge", ep, 4, 1000);
    wait_show("wait, no new edge", ep, 4, 0);
    write(p[1], "d", 1);
    wait_show("wait, after another write", ep, 4, 1000);
    ev.events = EPOLLIN | EPOLLONESHOT;
    ev.data.u64 = 6;
    show("modify to one-shot", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    wait_show("wait, one shot", ep, 4, 1000);
    wait_show("wait, shot already", ep, 4, 0);
    show("re-arm", epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev));
    wait_show("wait, re-armed", ep, 4, 0);
    ev.events = EPOLLIN;
    ev.data.u64 = 7;
    epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev);
    char buf[8];
    read(p[0], buf, sizeof buf);
    close(p[1]);
    wait_show("wait, writer gone", ep, 4, 1000);

    /* A registration lives while its description is open, whichever descriptor closes. */
    int q[2];
    pipe(q);
    int copy = dup(q[0]);
    add(ep, q[0], EPOLLIN, 8);
    close(q[0]);
    write(q[1], "z", 1);
    epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL);
    wait_show("wait, through the dup", ep, 4, 1000);
    close(copy);
    wait_show("wait, all closed", ep, 4, 0);
    close(q[1]);
    close(p[0]);

    show("add stdout", add(ep, 1, EPOLLOUT, 9));
    sigset_t mask;
    sigemptyset(&mask);
    struct epoll_event one[2];
    int n = epoll_pwait(ep, one, 2, 1000, &mask);
    printf("epoll_pwait: %d events=%x data=%llx\n", n, one[0].events, (unsigned long long) one[0].data.u64);
    show("epoll_pwait, wrong sigset size", (int) syscall(SYS_epoll_pwait, ep, one, 2, 0, &mask, 4));

    int outer = epoll_create1(0);
    show("an epoll in an epoll", add(outer, ep, EPOLLIN, 10));
    wait_show("wait, outer", outer, 4, 1000);
    show("a loop", add(ep, outer, EPOLLIN, 11));
    fd_set r;
    FD_ZERO(&r);
    FD_SET(ep, &r);
    struct timeval zero = {0, 0};
    show("select on an epoll", select(ep + 1, &r, NULL, NULL, &zero));
    close(outer);
    close(ep);
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    selects();
    epolls();
    return 0;
}
