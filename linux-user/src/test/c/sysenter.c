/* System calls through SYSENTER, entered the way Linux's vDSO enters (push ECX, EDX, EBP; EBP = ESP;
 * SYSENTER) from code of our own: arguments in registers, the sixth at [EBP], and execution going on
 * after the call with ECX, EDX and EBP as they were. "badstack" enters with an unreadable EBP. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

long sysenter6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
long sysenter_badstack(long nr);
asm(".text\n"
    ".globl sysenter6\n"
    "sysenter6:\n"
    "  push %ebx\n  push %esi\n  push %edi\n  push %ebp\n"
    "  mov 20(%esp), %eax\n  mov 24(%esp), %ebx\n  mov 28(%esp), %ecx\n  mov 32(%esp), %edx\n"
    "  mov 36(%esp), %esi\n  mov 40(%esp), %edi\n  mov 44(%esp), %ebp\n"
    "  call kernel_vsyscall\n"
    "  pop %ebp\n  pop %edi\n  pop %esi\n  pop %ebx\n  ret\n"
    "kernel_vsyscall:\n"
    "  push %ecx\n  push %edx\n  push %ebp\n  mov %esp, %ebp\n  sysenter\n"
    "  ud2\n" /* Linux returns to its vDSO's landing pad, which does what follows */
    "  pop %ebp\n  pop %edx\n  pop %ecx\n  ret\n"
    ".globl sysenter_badstack\n"
    "sysenter_badstack:\n"
    "  push %ebp\n  mov 8(%esp), %eax\n  mov $16, %ebp\n  sysenter\n  pop %ebp\n  ret\n");

/* The landing pad pops ECX and EDX: values changed after they were pushed come back as pushed. */
long sysenter_pops(void);
int popped_ecx, popped_edx;
asm(".text\n"
    ".globl sysenter_pops\n"
    "sysenter_pops:\n"
    "  push %ebp\n  mov $20, %eax\n  mov $0x1234, %ecx\n  mov $0x5678, %edx\n  call 1f\n"
    "  mov %ecx, popped_ecx\n  mov %edx, popped_edx\n  pop %ebp\n  ret\n"
    "1:\n  push %ecx\n  push %edx\n  push %ebp\n  mov $0x1111, %ecx\n  mov $0x2222, %edx\n  mov %esp, %ebp\n  sysenter\n  ud2\n");

static long kept(void) {
    long pid = sysenter_pops();
    return pid == getpid() && popped_ecx == 0x1234 && popped_edx == 0x5678;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "badstack") == 0) {
        printf("entering with an unreadable stack\n");
        sysenter_badstack(SYS_getpid);
        printf("survived\n");
        return 0;
    }
    const char msg[] = "written through sysenter\n";
    long r = sysenter6(SYS_write, 1, (long) msg, sizeof msg - 1, 0, 0, 0);
    printf("write: %ld\n", r);
    printf("getpid matches: %d\n", sysenter6(SYS_getpid, 0, 0, 0, 0, 0, 0) == getpid());
    long p = sysenter6(SYS_mmap2, 0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int *page = (int *) p;
    page[1000] = 7;
    printf("mmap2 with six arguments: %d\n", page[1000]);
    printf("mmap2, offset in the sixth argument not page-aligned file: %ld\n",
           sysenter6(SYS_mmap2, 0, 4096, PROT_READ, MAP_PRIVATE, 99, 1));
    printf("unknown call: %ld\n", sysenter6(9999, 0, 0, 0, 0, 0, 0));
    printf("registers kept: %ld\n", kept());
    pid_t child = sysenter6(SYS_fork, 0, 0, 0, 0, 0, 0);
    if (child == 0) {
        printf("child goes on after the call\n");
        _exit(3);
    }
    int st;
    waitpid(child, &st, 0);
    printf("child status %d\n", WEXITSTATUS(st));
    return 0;
}
