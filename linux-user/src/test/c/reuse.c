/* Processes one after another over the same addresses, each on page tables that the one before
 * may have left: every generation maps its own page at a fixed address, checks that it reads as
 * zeros and that the page the generation before it used is not mapped (a SIGSEGV, caught), then
 * fills its page. Generations are forked children waited for in turn, or, with the argument
 * "exec", the program replacing itself by execve. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define BASE 0x50000000u
#define GENERATIONS 6

static sigjmp_buf back;

static void on_segv(int sig) {
    (void) sig;
    siglongjmp(back, 1);
}

/* 1 when reading the word at addr faults. */
static int faults(volatile unsigned *addr) {
    if (sigsetjmp(back, 1)) return 1;
    unsigned v = *addr;
    (void) v;
    return 0;
}

static void generation(int k) {
    signal(SIGSEGV, on_segv);
    unsigned *page = mmap((void *) (BASE + k * 0x1000u), 4096, PROT_READ | PROT_WRITE,
                          MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    int zeros = 1;
    for (int i = 0; i < 1024; i++) zeros &= page[i] == 0;
    int before = k == 0 || faults((volatile unsigned *) (BASE + (k - 1) * 0x1000u));
    for (int i = 0; i < 1024; i++) page[i] = 0xA5A50000u + (unsigned) k;
    printf("generation %d: fresh page %s, the last one's page %s\n", k, zeros ? "zeros" : "NOT ZEROS",
           before ? "unmapped" : "STILL MAPPED");
    fflush(stdout);
}

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "exec")) {
        int k = argc > 2 ? atoi(argv[2]) : 0;
        generation(k);
        if (k + 1 == GENERATIONS) return 0;
        char next[16];
        snprintf(next, sizeof next, "%d", k + 1);
        execl("/proc/self/exe", argv[0], "exec", next, (char *) 0);
        perror("execl");
        return 1;
    }
    for (int k = 0; k < GENERATIONS; k++) {
        pid_t pid = fork();
        if (pid == 0) {
            generation(k);
            _exit(k);
        }
        int status;
        waitpid(pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != k) printf("generation %d ended with status %x\n", k, status);
    }
    return 0;
}
