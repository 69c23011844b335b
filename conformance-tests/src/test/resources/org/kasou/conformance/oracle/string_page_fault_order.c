/*
 * Which operand's page fault the host CPU reports first when both memory operands of a string
 * instruction lie on absent pages: runs each form in this (64-bit) process with RSI and RDI on two
 * PROT_NONE pages and prints "FORM source" or "FORM destination" from the fault address the
 * SIGSEGV carries. Built and run by StringPageFaultOrderHostTest.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static sigjmp_buf resume_point;
static void *fault_address;
static char *source_page, *destination_page;

static void on_segv(int sig, siginfo_t *info, void *context) {
    (void) sig;
    (void) context;
    fault_address = info->si_addr;
    siglongjmp(resume_point, 1);
}

#define PROBE(form, text) do { \
        unsigned long si = (unsigned long) (source_page + 0x10), di = (unsigned long) (destination_page + 0x20), cx = 2; \
        fault_address = 0; \
        if (sigsetjmp(resume_point, 1) == 0) { \
            __asm__ volatile(text : "+S"(si), "+D"(di), "+c"(cx) : : "memory", "cc"); \
        } \
        printf("%s %s\n", form, fault_address == source_page + 0x10 ? "source" \
                : fault_address == destination_page + 0x20 ? "destination" : "none"); \
    } while (0)

int main(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_segv;
    action.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &action, 0);
    source_page = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    destination_page = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (source_page == MAP_FAILED || destination_page == MAP_FAILED) return 2;
    PROBE("cmpsb", "cmpsb");
    PROBE("cmpsw", "cmpsw");
    PROBE("cmpsd", "cmpsl");
    PROBE("repe-cmpsb", "repe cmpsb");
    PROBE("repne-cmpsb", "repne cmpsb");
    PROBE("repe-cmpsd", "repe cmpsl");
    PROBE("movsb", "movsb");
    PROBE("movsd", "movsl");
    PROBE("rep-movsb", "rep movsb");
    PROBE("rep-movsd", "rep movsl");
    return 0;
}
