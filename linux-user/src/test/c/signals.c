/* Signal handlers: raise() to a handler with SA_SIGINFO, a SIGSEGV handler that makes the page
 * writable and returns (the write is retried), SIGFPE from a division by zero left by siglongjmp,
 * the blocked mask around a handler, SIG_IGN, and abort() ending the process with SIGABRT. */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile int got;
static char *page;
static sigjmp_buf jump;

static void on_usr1(int sig, siginfo_t *info, void *uc) {
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    got = sig * 100 + info->si_signo + (sigismember(&now, SIGUSR1) ? 1000 : 0);
    (void) uc;
}

static void on_segv(int sig, siginfo_t *info, void *uc) {
    got = (char *) info->si_addr == page + 5 ? sig : -1;
    mprotect(page, 4096, PROT_READ | PROT_WRITE);
    (void) uc;
}

static void on_fpe(int sig) {
    siglongjmp(jump, sig);
}

int main(int argc, char **argv) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_usr1;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGUSR1, &sa, NULL);
    raise(SIGUSR1);
    printf("usr1 handler: %d\n", got);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    printf("unblocked after return: %d\n", !sigismember(&now, SIGUSR1));

    page = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    sa.sa_sigaction = on_segv;
    sigaction(SIGSEGV, &sa, NULL);
    got = 0;
    *(volatile char *) (page + 5) = 'k';
    printf("segv handler: %d, then the write went through: %c\n", got, page[5]);

    signal(SIGFPE, on_fpe);
    volatile int zero = 0;
    int r = sigsetjmp(jump, 1);
    if (r == 0) {
        printf("quotient %d\n", 10 / zero);
    } else {
        printf("fpe handler jumped back with %d\n", r);
    }

    signal(SIGUSR2, SIG_IGN);
    raise(SIGUSR2);
    printf("SIGUSR2 ignored\n");
    sigset_t block;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigprocmask(SIG_BLOCK, &block, NULL);
    got = 0;
    raise(SIGUSR1);
    printf("blocked: %d\n", got);
    sigprocmask(SIG_UNBLOCK, &block, NULL);
    printf("delivered when unblocked: %d\n", got);
    fflush(stdout);
    if (argc > 1) abort();
    return 0;
}
