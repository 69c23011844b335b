/* Terminal ioctls and FIONREAD. With no argument the standard streams are pipes (ENOTTY, as
 * Linux says); with "tty" they are a terminal whose settings, size and process group are shown. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

static void show(const char *what, int r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static void nread(const char *what, int fd) {
    int n = -7;
    int r = ioctl(fd, FIONREAD, &n);
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d, %d bytes\n", what, r, n);
}

static int pipes(void) {
    struct termios t;
    struct winsize w;
    pid_t pg;
    for (int fd = 0; fd < 3; fd++) {
        printf("fd %d: isatty=%d", fd, isatty(fd));
        printf(" TCGETS=%d %s", ioctl(fd, TCGETS, &t), strerror(errno));
        printf(" TIOCGWINSZ=%d %s", ioctl(fd, TIOCGWINSZ, &w), strerror(errno));
        printf(" TIOCGPGRP=%d %s\n", ioctl(fd, TIOCGPGRP, &pg), strerror(errno));
    }
    nread("FIONREAD on stdin", 0);

    int p[2];
    pipe(p);
    nread("FIONREAD on an empty pipe", p[0]);
    write(p[1], "hello", 5);
    nread("FIONREAD on the read end", p[0]);
    nread("FIONREAD on the write end", p[1]);
    show("TCSETS on a pipe", ioctl(p[0], TCSETS, &t));
    int on = 1;
    show("FIONBIO", ioctl(p[0], FIONBIO, &on));
    char buf[16];
    show("read", (int) read(p[0], buf, sizeof buf));
    show("read, nothing left, non-blocking", (int) read(p[0], buf, sizeof buf));
    printf("O_NONBLOCK set: %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) != 0);
    on = 0;
    ioctl(p[0], FIONBIO, &on);
    printf("O_NONBLOCK cleared: %d\n", (fcntl(p[0], F_GETFL) & O_NONBLOCK) == 0);
    show("FIOCLEX", ioctl(p[0], FIOCLEX));
    printf("FD_CLOEXEC: %d\n", fcntl(p[0], F_GETFD));
    show("FIONCLEX", ioctl(p[0], FIONCLEX));
    printf("FD_CLOEXEC: %d\n", fcntl(p[0], F_GETFD));

    int f = open("fionread.txt", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char data[100];
    memset(data, 'x', sizeof data);
    write(f, data, sizeof data);
    nread("FIONREAD on a file at its end", f);
    lseek(f, 30, SEEK_SET);
    nread("FIONREAD on a file at 30", f);
    lseek(f, 150, SEEK_SET);
    nread("FIONREAD on a file past its end", f);
    show("TCGETS on a file", ioctl(f, TCGETS, &t));
    close(f);
    unlink("fionread.txt");
    int null = open("/dev/null", O_RDONLY);
    nread("FIONREAD on /dev/null", null);
    int dir = open(".", O_RDONLY | O_DIRECTORY);
    nread("FIONREAD on a directory", dir);
    nread("FIONREAD on a bad descriptor", 99);
    show("FIONREAD into a bad pointer", ioctl(p[0], FIONREAD, (int *) 16));
    return 0;
}

static int tty(void) {
    struct termios t;
    struct winsize w;
    struct stat st;
    for (int fd = 0; fd < 3; fd++) printf("fd %d: isatty=%d\n", fd, isatty(fd));
    fstat(0, &st);
    printf("character device: %d\n", S_ISCHR(st.st_mode));
    show("tcgetattr", tcgetattr(0, &t));
    printf("iflag=%x oflag=%x cflag=%x lflag=%x VINTR=%d VEOF=%d VMIN=%d speed=%d\n", t.c_iflag, t.c_oflag, t.c_cflag, t.c_lflag,
           t.c_cc[VINTR], t.c_cc[VEOF], t.c_cc[VMIN], cfgetospeed(&t) == B38400);
    struct termios raw = t;
    cfmakeraw(&raw);
    raw.c_cc[VMIN] = 0;
    raw.c_cc[VTIME] = 5;
    show("tcsetattr TCSAFLUSH", tcsetattr(1, TCSAFLUSH, &raw));
    struct termios again;
    tcgetattr(1, &again);
    printf("after cfmakeraw: iflag=%x oflag=%x lflag=%x VMIN=%d VTIME=%d\n", again.c_iflag, again.c_oflag, again.c_lflag,
           again.c_cc[VMIN], again.c_cc[VTIME]);
    show("tcsetattr TCSANOW", tcsetattr(0, TCSANOW, &t));
    show("tcsetattr TCSADRAIN", tcsetattr(0, TCSADRAIN, &t));
    tcgetattr(0, &again);
    printf("restored: %d\n", again.c_iflag == t.c_iflag && again.c_oflag == t.c_oflag && again.c_cflag == t.c_cflag
           && again.c_lflag == t.c_lflag && memcmp(again.c_cc, t.c_cc, 17) == 0);
    show("TIOCGWINSZ", ioctl(1, TIOCGWINSZ, &w));
    printf("rows=%d cols=%d\n", w.ws_row, w.ws_col);
    w.ws_row = 50;
    w.ws_col = 132;
    show("TIOCSWINSZ", ioctl(1, TIOCSWINSZ, &w));
    memset(&w, 0, sizeof w);
    ioctl(0, TIOCGWINSZ, &w);
    printf("rows=%d cols=%d\n", w.ws_row, w.ws_col);
    printf("foreground is ours: %d\n", tcgetpgrp(0) == getpgrp());
    show("tcsetpgrp", tcsetpgrp(0, getpgrp()));
    show("tcsetpgrp, negative", tcsetpgrp(0, -5));
    show("TCGETS into a bad pointer", ioctl(0, TCGETS, (void *) 16));
    nread("FIONREAD on the terminal", 0);
    int p[2];
    pipe(p);
    show("unknown request on a pipe", ioctl(p[0], 0x12345678, 0));
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    return argc > 1 && strcmp(argv[1], "tty") == 0 ? tty() : pipes();
}
