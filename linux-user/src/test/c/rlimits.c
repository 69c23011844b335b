/* Resource limits kept and read back: setrlimit, getrlimit, prlimit, a fork's child inheriting
 * them, RLIMIT_NOFILE bounding the descriptors (open, dup2, F_DUPFD), the errors. NOFILE's own
 * starting value is kasou's descriptor table, not the host's, so it is lowered before it is shown. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static void report(const char *what, int r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %d\n", what, r);
}

static void show(const char *what, int resource) {
    struct rlimit rl;
    getrlimit(resource, &rl);
    printf("%s: %lld %lld\n", what, (long long) (rl.rlim_cur == RLIM_INFINITY ? -1 : (long long) rl.rlim_cur),
            (long long) (rl.rlim_max == RLIM_INFINITY ? -1 : (long long) rl.rlim_max));
}

static volatile int xfsz;
static void on_xfsz(int sig) {
    (void)sig;
    xfsz++;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    struct rlimit rl = {64, 512};
    report("lower NOFILE", setrlimit(RLIMIT_NOFILE, &rl));
    show("NOFILE", RLIMIT_NOFILE);
    int opened = 0;
    while (open("/dev/null", O_RDONLY) >= 0) opened++;
    printf("opened until %s: %d more\n", strerror(errno), opened > 50 && opened < 64);
    report("dup2 past the limit", dup2(0, 100));
    report("F_DUPFD past the limit", fcntl(0, F_DUPFD, 70));
    for (int fd = 3; fd < 64; fd++) close(fd);

    rl.rlim_cur = 0;
    rl.rlim_max = 0;
    report("CORE 0 0", setrlimit(RLIMIT_CORE, &rl));
    show("CORE", RLIMIT_CORE);
    rl.rlim_cur = 100;
    rl.rlim_max = 10;
    report("soft above hard", setrlimit(RLIMIT_CORE, &rl));
    report("unknown resource", setrlimit(99, &rl));
    rl.rlim_cur = 1 << 20;
    rl.rlim_max = 1 << 20;
    report("DATA 1 MiB", setrlimit(RLIMIT_DATA, &rl));
    pid_t p = fork();
    if (p == 0) {
        show("child's DATA", RLIMIT_DATA);
        _exit(0);
    }
    waitpid(p, 0, 0);
    struct rlimit old, fresh = {512 << 10, 1 << 20};
    report("prlimit", prlimit(0, RLIMIT_DATA, &fresh, &old));
    printf("prlimit's old: %lld %lld\n", (long long) old.rlim_cur, (long long) old.rlim_max);
    show("DATA now", RLIMIT_DATA);
    report("prlimit of nobody", prlimit(999999, RLIMIT_DATA, NULL, &old));
    unsigned long raw[2] = {0, 0};
#ifdef __i386__
    rl.rlim_cur = RLIM_INFINITY;
    rl.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &rl);
    report("old getrlimit", syscall(76, RLIMIT_FSIZE, raw)); /* its infinity is 0x7fffffff */
#else
    printf("old getrlimit: 0\n"); /* x86-64 has no such call: what i386's prints */
    raw[0] = raw[1] = 0x7fffffff;
#endif
    printf("raw: %lx %lx\n", raw[0], raw[1]);

    /* RLIMIT_FSIZE: writes stop at the limit, past it EFBIG and SIGXFSZ (here counted by a handler) */
    signal(SIGXFSZ, on_xfsz);
    struct rlimit fsz = {100, RLIM_INFINITY};
    report("FSIZE 100", setrlimit(RLIMIT_FSIZE, &fsz));
    int fd = open("fsize.tmp", O_RDWR | O_CREAT | O_TRUNC, 0644);
    char bytes[200];
    memset(bytes, 'x', sizeof bytes);
    report("write 60", write(fd, bytes, 60));
    report("write 60 more", write(fd, bytes, 60));
    report("write at the limit", write(fd, bytes, 10));
    report("pwrite past it", pwrite(fd, bytes, 10, 150));
    report("pwrite across it", pwrite(fd, bytes, 10, 95));
    report("ftruncate past it", ftruncate(fd, 150));
    report("ftruncate below it", ftruncate(fd, 50));
    printf("SIGXFSZ: %d\n", xfsz);
    int null = open("/dev/null", O_WRONLY);
    report("/dev/null is no file", write(null, bytes, 200));
    pid_t w = fork();
    if (w == 0) {
        signal(SIGXFSZ, SIG_DFL);
        lseek(fd, 0, SEEK_END);
        (void)!write(fd, bytes, 200);
        (void)!write(fd, bytes, 200);
        _exit(0);
    }
    int st;
    waitpid(w, &st, 0);
    printf("child past the limit: signaled %d by %d\n", WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    close(fd);
    unlink("fsize.tmp");
    return 0;
}
