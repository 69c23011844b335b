/*
 * kasou host-CPU oracle: runs IA-32 code sequences natively in a 32-bit Linux process and reports
 * the resulting registers, flags, data-region changes, x87 state and fault.
 *
 * Build: gcc -m32 -O1 -fno-stack-protector -fno-pie -no-pie -o oracle oracle.c
 *
 * Built with -m64 instead (the x87 helper, for hosts whose kernel runs no 32-bit code), it runs
 * the 32-bit x87 cases in 64-bit mode, where the x87 escapes and their [EBX + disp32] operands
 * mean the same: the data region is mapped at linear address 0 (below mmap_min_addr, which takes
 * CAP_SYS_RAWIO: root), so that RBX + disp32 is the case's offset and the FPU's data pointer (FDP)
 * holds the same value as in the 32-bit helper; the code lies at CODE_BASE, so FIP is the same;
 * the segment registers are the process's own (CS 0x33, SS 0x2B, the others 0), which the FPU
 * stores as FCS and FDS: the greeting announces them (version word VERSION | KIND_X87_64, then
 * six words ES CS SS DS FS GS) for kasou's side to use. Cases in 16-bit code or with 16-bit or
 * expand-down segments need a 32-bit process: status 3 (not run).
 *
 * Memory layout (the JVM side sets up kasou identically):
 *   data region  DATA_BASE .. DATA_BASE+DATA_SIZE-1, reached only through LDT data segments:
 *     sel 0x07  base DATA_BASE          limit DATA_SIZE-1       (DS, ES, SS)
 *     sel 0x0F  base DATA_BASE+0x2000   limit DATA_SIZE-0x2001  (FS)
 *     sel 0x17  base DATA_BASE+0x4000   limit DATA_SIZE-0x4001  (GS)
 *     sel 0x27  base DATA_BASE          limit DATA_SIZE-1, B=0  (SS of a 16-bit stack)
 *     sel 0x2F  base DATA_BASE+0x8000   expand-down, G=1, B=1: offsets 0xFFFF8000..0xFFFFFFFF (ES)
 *     sel 0x37  base DATA_BASE-0x8000   expand-down, B=0: offsets 0x8000..0xFFFF (ES)
 *   so a stray data access raises #GP/#SS (segment limit) instead of touching the harness.
 *   code         CODE_BASE .. CODE_BASE+CODE_SIZE-1 in the flat user code segment, or through
 *     sel 0x1F  base CODE_BASE          limit CODE_SIZE-1, D=0  (16-bit code)
 *
 * Protocol (all little-endian), on stdin/stdout:
 *   helper -> JVM at start: u32 HELLO_MAGIC, u32 version, u32 DATA_BASE, u32 DATA_SIZE,
 *                           u32 CODE_BASE, u32 CODE_SIZE
 *   JVM -> helper, a batch: u32 BATCH_MAGIC, u32 count, u32 nbytes, u32 timeoutSeconds,
 *                           then nbytes of cases; count 0 ends the helper.
 *     case: u32 id, u32 mode (bit 0: 16-bit code segment, bit 1: 16-bit stack segment,
 *           bit 2: ES is the 32-bit expand-down segment, bit 3: ES is the 16-bit expand-down one),
 *           u32 gpr[8] (EAX..EDI), u32 eflags (only CF PF AF ZF SF OF DF used),
 *           u32 fillSeed, u16 npatch, {u16 offset, u16 len, len bytes}*, u16 codeLen,
 *           codeLen bytes, u8 hasFpu, [108-byte FSAVE image if hasFpu]
 *   helper -> JVM, per case: u32 id, u32 status (0 completed, 1 fault, 2 not finished within the
 *           batch's time limit, 3 not run by the x87 helper), u32 trapno, u32 err,
 *           u32 cr2, u32 signo, u32 sicode, u32 eip (offset from the start of the code), u32 gpr[8],
 *           u32 eflags, u32 selectors[6] (ES CS SS DS FS GS), 108-byte FSAVE image,
 *           u16 nrange, {u16 offset, u16 len, len bytes}* (data bytes that changed);
 *           then u32 END_MAGIC after the last case of the batch.
 * The data region is first filled from fillSeed (see fill()), then the patches are applied.
 */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define HELLO_MAGIC 0x314F534Bu /* "KSO1" */
#define BATCH_MAGIC 0x3142534Bu /* "KSB1" */
#define END_MAGIC   0x3145534Bu /* "KSE1" */
#define VERSION 3
#define KIND_X87_64 0x100

#define DATA_BASE 0x00100000u
#define DATA_SIZE 0x8000u
#define CODE_BASE 0x00200000u
#define CODE_SIZE 0x2000u
#define MAX_CODE (CODE_SIZE - 16)
#define FSAVE_SIZE 108

#define SEL_DATA 0x07
#define SEL_FS 0x0F
#define SEL_GS 0x17
#define SEL_CODE16 0x1F
#define SEL_STACK16 0x27
#define MODE_CODE16 1
#define MODE_STACK16 2
#define MODE_ES_DOWN32 4
#define MODE_ES_DOWN16 8
#define SEL_DOWN32 0x2F
#define SEL_DOWN16 0x37

/* Inputs of the running case and the harness state, shared with the assembly below. */
uint32_t in_gpr[8];
uintptr_t in_eflags; /* pushed whole by PUSHF's operand size */
uint8_t in_fpu[FSAVE_SIZE];
uint32_t out_gpr[8];
uint32_t out_eflags;
uint8_t out_fpu[FSAVE_SIZE];
uint32_t out_sreg[6];
uint32_t out_status, out_trapno, out_err, out_cr2, out_signo, out_sicode, out_eip;
uintptr_t h_esp;
uintptr_t code_entry = CODE_BASE;
uint32_t in_mode;
volatile uint32_t in_test;

void run_test(void);
void fault_resume(void);

#ifndef __x86_64__
uint16_t h_ds, h_es, h_fs, h_gs, h_ss, h_cs;
uint16_t sel_data = SEL_DATA, sel_fs = SEL_FS, sel_gs = SEL_GS, sel_ss = SEL_DATA, sel_es = SEL_DATA;
uint32_t far_entry[2] = {0, SEL_CODE16}; /* m16:32 for the jump into 16-bit code */

/*
 * run_test: saves the harness state, loads the case's FPU image, flags, segments and registers,
 * and jumps to the code. The code is followed by HLT, a #GP(0) at CPL 3: every case ends in
 * on_fault(), which stores the state from the signal's ucontext and resumes at fault_resume. A
 * #GP(0) at the end of the code is completion. (Ending the same way on both sides keeps the code
 * page identical to kasou's, which matters to code that reads it through a data segment.)
 */
#define LOAD_CASE_STATE \
    "  pushl in_eflags\n  popfl\n" \
    "  movw sel_fs, %fs\n  movw sel_gs, %gs\n  movw sel_es, %es\n" \
    "  movw sel_ss, %ss\n  movl in_gpr+16, %esp\n" \
    "  movl in_gpr+0, %eax\n  movl in_gpr+4, %ecx\n  movl in_gpr+8, %edx\n  movl in_gpr+12, %ebx\n" \
    "  movl in_gpr+20, %ebp\n  movl in_gpr+24, %esi\n  movl in_gpr+28, %edi\n" \
    "  movw %cs:sel_data, %ds\n"

__asm__(
    ".text\n"
    ".globl run_test\n"
    "run_test:\n"
    "  pushl %ebp\n  pushl %ebx\n  pushl %esi\n  pushl %edi\n"
    "  movl %esp, h_esp\n"
    "  movw %ds, h_ds\n  movw %es, h_es\n  movw %fs, h_fs\n  movw %gs, h_gs\n  movw %ss, h_ss\n  movw %cs, h_cs\n"
    "  movl $1, in_test\n"
    "  frstor in_fpu\n"
    "  testl $1, in_mode\n"
    "  jnz 1f\n"
    LOAD_CASE_STATE
    "  jmp *%cs:code_entry\n"
    "1:\n"
    LOAD_CASE_STATE
    "  ljmp *%cs:far_entry\n"
    ".globl fault_resume\n"
    "fault_resume:\n"
    "  fninit\n"
    "  popl %edi\n  popl %esi\n  popl %ebx\n  popl %ebp\n"
    "  ret\n");

/* glibc reaches its TLS and the vsyscall entry through GS: reload it before any libc call. */
static uint16_t main_gs;
static void restore_gs(void) { __asm__ volatile("movw %0, %%gs" : : "m"(main_gs)); }
#else
/* The selectors of the case code: this process's own (ES CS SS DS FS GS). */
static uint32_t selectors[6];

/*
 * The x87 helper's run_test, as the 32-bit one without segments. A case ends in on_fault(), which
 * records the registers and resumes at fault_resume with the case's FPU state, which sigreturn
 * restores: FNSAVE stores it as the case left it (in the 32-bit helper the signal frame holds it
 * in FSAVE's layout already).
 */
__asm__(
    ".text\n"
    ".globl run_test\n"
    "run_test:\n"
    "  pushq %rbp\n  pushq %rbx\n  pushq %r12\n  pushq %r13\n  pushq %r14\n  pushq %r15\n"
    "  movq %rsp, h_esp(%rip)\n"
    "  movl $1, in_test(%rip)\n"
    "  frstor in_fpu(%rip)\n"
    "  pushq in_eflags(%rip)\n  popfq\n"
    "  movl in_gpr+0(%rip), %eax\n  movl in_gpr+4(%rip), %ecx\n  movl in_gpr+8(%rip), %edx\n"
    "  movl in_gpr+12(%rip), %ebx\n  movl in_gpr+20(%rip), %ebp\n  movl in_gpr+24(%rip), %esi\n"
    "  movl in_gpr+28(%rip), %edi\n  movl in_gpr+16(%rip), %esp\n"
    "  jmp *code_entry(%rip)\n"
    ".globl fault_resume\n"
    "fault_resume:\n"
    "  fnsave out_fpu(%rip)\n"
    "  fninit\n"
    "  popq %r15\n  popq %r14\n  popq %r13\n  popq %r12\n  popq %rbx\n  popq %rbp\n"
    "  ret\n");

static void restore_gs(void) {}
#endif

static void die(const char *msg) {
    restore_gs();
    (void)!write(2, msg, strlen(msg));
    _exit(70);
}

#ifdef __x86_64__
/* Where a case's code stopped: the registers from the signal's context, then fault_resume. */
static void leave_case(greg_t *g, uint32_t status, int sig) {
    in_test = 0;
    out_status = status;
    out_signo = (uint32_t)sig;
    out_eip = (uint32_t)g[REG_RIP] - CODE_BASE;
    out_gpr[0] = (uint32_t)g[REG_RAX]; out_gpr[1] = (uint32_t)g[REG_RCX]; out_gpr[2] = (uint32_t)g[REG_RDX];
    out_gpr[3] = (uint32_t)g[REG_RBX]; out_gpr[4] = (uint32_t)g[REG_RSP]; out_gpr[5] = (uint32_t)g[REG_RBP];
    out_gpr[6] = (uint32_t)g[REG_RSI]; out_gpr[7] = (uint32_t)g[REG_RDI];
    out_eflags = (uint32_t)g[REG_EFL];
    for (int i = 0; i < 6; i++) out_sreg[i] = selectors[i]; /* x87 code changes none */
    g[REG_RIP] = (greg_t)(uintptr_t)fault_resume;
    g[REG_RSP] = (greg_t)h_esp;
    g[REG_EFL] = 0x202;
}

static void on_fault(int sig, siginfo_t *si, void *ctx) {
    greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
    if (!in_test) die("oracle: fault outside test code\n");
    out_sicode = (uint32_t)si->si_code;
    out_trapno = (uint32_t)g[REG_TRAPNO];
    out_err = (uint32_t)g[REG_ERR];
    out_cr2 = (uint32_t)g[REG_CR2];
    leave_case(g, 1, sig);
}

/* The batch's time is up: the running case (an endless loop) and the rest report status 2. */
static volatile int expired;
static void on_alarm(int sig, siginfo_t *si, void *ctx) {
    (void)si;
    expired = 1;
    if (in_test) leave_case(((ucontext_t *)ctx)->uc_mcontext.gregs, 2, sig);
}
#else
/* Runs on the alternate stack with the interrupted code's FS/GS still loaded: no libc calls
 * except through die(), which reloads GS first. */
static void on_fault(int sig, siginfo_t *si, void *ctx) {
    ucontext_t *uc = ctx;
    greg_t *g = uc->uc_mcontext.gregs;
    if (!in_test) {
        die("oracle: fault outside test code\n");
    }
    in_test = 0;
    out_status = 1;
    out_signo = (uint32_t)sig;
    out_sicode = (uint32_t)si->si_code;
    out_trapno = (uint32_t)g[REG_TRAPNO];
    out_err = (uint32_t)g[REG_ERR];
    out_cr2 = (uint32_t)uc->uc_mcontext.cr2;
    out_eip = (uint32_t)g[REG_EIP] - ((in_mode & MODE_CODE16) ? 0 : CODE_BASE);
    out_gpr[0] = g[REG_EAX]; out_gpr[1] = g[REG_ECX]; out_gpr[2] = g[REG_EDX]; out_gpr[3] = g[REG_EBX];
    out_gpr[4] = g[REG_ESP]; out_gpr[5] = g[REG_EBP]; out_gpr[6] = g[REG_ESI]; out_gpr[7] = g[REG_EDI];
    out_eflags = (uint32_t)g[REG_EFL];
    out_sreg[0] = g[REG_ES] & 0xFFFF; out_sreg[1] = g[REG_CS] & 0xFFFF; out_sreg[2] = g[REG_SS] & 0xFFFF;
    out_sreg[3] = g[REG_DS] & 0xFFFF; out_sreg[4] = g[REG_FS] & 0xFFFF; out_sreg[5] = g[REG_GS] & 0xFFFF;
    if (uc->uc_mcontext.fpregs) {
        /* The frame's FPU area begins with the legacy FSAVE layout (cw, sw, tag ... st[8]). */
        const uint8_t *f = (const uint8_t *)uc->uc_mcontext.fpregs;
        for (int i = 0; i < FSAVE_SIZE; i++) out_fpu[i] = f[i];
    } else {
        for (int i = 0; i < FSAVE_SIZE; i++) out_fpu[i] = 0;
    }
    g[REG_EIP] = (greg_t)(uintptr_t)fault_resume;
    g[REG_ESP] = g[REG_UESP] = (greg_t)h_esp;
    g[REG_SS] = h_ss; g[REG_DS] = h_ds; g[REG_ES] = h_es; g[REG_FS] = h_fs; g[REG_GS] = h_gs;
    g[REG_CS] = h_cs;
    g[REG_EFL] = 0x202;
}

/* The batch's time is up: the running case (an endless loop) and the rest report status 2. */
static volatile int expired;
static void on_alarm(int sig, siginfo_t *si, void *ctx) {
    (void)si;
    expired = 1;
    if (!in_test) return;
    ucontext_t *uc = ctx;
    greg_t *g = uc->uc_mcontext.gregs;
    in_test = 0;
    out_status = 2;
    out_signo = (uint32_t)sig;
    out_eip = (uint32_t)g[REG_EIP] - ((in_mode & MODE_CODE16) ? 0 : CODE_BASE);
    g[REG_EIP] = (greg_t)(uintptr_t)fault_resume;
    g[REG_ESP] = g[REG_UESP] = (greg_t)h_esp;
    g[REG_SS] = h_ss; g[REG_DS] = h_ds; g[REG_ES] = h_es; g[REG_FS] = h_fs; g[REG_GS] = h_gs;
    g[REG_CS] = h_cs;
    g[REG_EFL] = 0x202;
}

#endif

#ifndef __x86_64__
static void set_ldt(int entry, uint32_t base, uint32_t limit, int contents, int big, int pages) {
    struct user_desc d;
    memset(&d, 0, sizeof d);
    d.entry_number = entry;
    d.base_addr = base;
    d.limit = limit;
    d.seg_32bit = big;
    d.contents = contents;
    d.read_exec_only = 0;
    d.limit_in_pages = pages;
    d.seg_not_present = 0;
    d.useable = 0; /* AVL clear: LAR reports the same on every CPU and in kasou */
    if (syscall(SYS_modify_ldt, 1, &d, sizeof d) != 0) die("oracle: modify_ldt failed\n");
}
#endif

static void *map_fixed(uint32_t addr, uint32_t size, int prot) {
    void *p = mmap((void *)(uintptr_t)addr, size, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (p != (void *)(uintptr_t)addr) die("oracle: cannot map fixed pages (the x87 helper's at address 0 take root)\n");
    return p;
}

/* The data region's initial contents: a splitmix-style generator, one 32-bit word at a time. */
static void fill(uint8_t *dst, uint32_t seed) {
    uint32_t x = seed;
    for (uint32_t i = 0; i < DATA_SIZE; i += 4) {
        x += 0x9E3779B9u;
        uint32_t z = x;
        z = (z ^ (z >> 16)) * 0x85EBCA6Bu;
        z = (z ^ (z >> 13)) * 0xC2B2AE35u;
        z ^= z >> 16;
        memcpy(dst + i, &z, 4);
    }
}

static void read_fully(void *buf, size_t n) {
    if (fread(buf, 1, n, stdin) != n) {
        if (feof(stdin)) _exit(0);
        die("oracle: read error\n");
    }
}

static uint8_t *out_buf;
static size_t out_len, out_cap;

static void put(const void *p, size_t n) {
    if (out_len + n > out_cap) {
        out_cap = (out_len + n) * 2;
        out_buf = realloc(out_buf, out_cap);
        if (!out_buf) die("oracle: out of memory\n");
    }
    memcpy(out_buf + out_len, p, n);
    out_len += n;
}
static void put32(uint32_t v) { put(&v, 4); }
static void put16(uint16_t v) { put(&v, 2); }

typedef struct {
    const uint8_t *p, *end;
} cursor;

static const uint8_t *take(cursor *c, size_t n) {
    if ((size_t)(c->end - c->p) < n) die("oracle: truncated case\n");
    const uint8_t *r = c->p;
    c->p += n;
    return r;
}
static uint32_t take32(cursor *c) { uint32_t v; memcpy(&v, take(c, 4), 4); return v; }
static uint16_t take16(cursor *c) { uint16_t v; memcpy(&v, take(c, 2), 2); return v; }

static const uint8_t FNINIT_IMAGE[FSAVE_SIZE] = {0x7F, 0x03, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0, 0};

static void run_case(cursor *c, uint8_t *data, uint8_t *code, uint8_t *initial) {
    uint32_t id = take32(c);
    in_mode = take32(c);
#ifndef __x86_64__
    sel_ss = (in_mode & MODE_STACK16) ? SEL_STACK16 : SEL_DATA;
    sel_es = (in_mode & MODE_ES_DOWN32) ? SEL_DOWN32 : (in_mode & MODE_ES_DOWN16) ? SEL_DOWN16 : SEL_DATA;
#endif
    for (int i = 0; i < 8; i++) in_gpr[i] = take32(c);
    /* Only the arithmetic flags and DF come from the case; IF stays set as in any user process. */
    in_eflags = (take32(c) & 0x0CD5u) | 0x202u;
    fill(initial, take32(c));
    uint16_t npatch = take16(c);
    for (int i = 0; i < npatch; i++) {
        uint16_t off = take16(c), len = take16(c);
        const uint8_t *b = take(c, len);
        if ((uint32_t)off + len > DATA_SIZE) die("oracle: patch outside the data region\n");
        memcpy(initial + off, b, len);
    }
    memcpy(data, initial, DATA_SIZE);
    uint16_t code_len = take16(c);
    if (code_len > MAX_CODE) die("oracle: code too long\n");
    memcpy(code, take(c, code_len), code_len);
    memset(code + code_len, 0xF4, CODE_SIZE - code_len);
    if (take(c, 1)[0]) memcpy(in_fpu, take(c, FSAVE_SIZE), FSAVE_SIZE);
    else memcpy(in_fpu, FNINIT_IMAGE, FSAVE_SIZE);

    out_status = out_trapno = out_err = out_cr2 = out_signo = out_sicode = 0;
#ifdef __x86_64__
    int unrun = in_mode != 0; /* 16-bit code or segments: only a 32-bit process has them */
#else
    int unrun = 0;
#endif
    if (expired || unrun) {
        out_status = expired ? 2 : 3;
        out_eip = 0;
        memcpy(out_gpr, in_gpr, sizeof out_gpr);
        out_eflags = in_eflags;
        memset(out_sreg, 0, sizeof out_sreg);
        memcpy(out_fpu, in_fpu, FSAVE_SIZE);
    } else {
        run_test();
        if (out_status == 1 && out_trapno == 13 && out_err == 0 && out_eip == code_len) {
            out_status = 0; /* the HLT after the code */
            out_trapno = out_signo = out_sicode = 0;
        }
    }

    put32(id);
    put32(out_status); put32(out_trapno); put32(out_err); put32(out_cr2);
    put32(out_signo); put32(out_sicode); put32(out_eip);
    for (int i = 0; i < 8; i++) put32(out_gpr[i]);
    put32(out_eflags);
    for (int i = 0; i < 6; i++) put32(out_sreg[i]);
    put(out_fpu, FSAVE_SIZE);
    /* Changed bytes as ranges; gaps of fewer than 8 equal bytes are merged into one range. */
    size_t nrange_at = out_len;
    uint16_t nrange = 0;
    put16(0);
    uint32_t i = 0;
    while (i < DATA_SIZE) {
        if (data[i] == initial[i]) { i++; continue; }
        uint32_t start = i, last = i;
        for (uint32_t j = i + 1; j < DATA_SIZE && j <= last + 8; j++) {
            if (data[j] != initial[j]) last = j;
        }
        put16((uint16_t)start);
        put16((uint16_t)(last - start + 1));
        put(data + start, last - start + 1);
        nrange++;
        i = last + 1;
    }
    memcpy(out_buf + nrange_at, &nrange, 2);
}

int main(void) {
#ifdef __x86_64__
    uint8_t *data = map_fixed(0, DATA_SIZE, PROT_READ | PROT_WRITE);
    uint16_t sr[6];
    __asm__ volatile("movw %%es, %0\n movw %%cs, %1\n movw %%ss, %2\n movw %%ds, %3\n movw %%fs, %4\n movw %%gs, %5"
                     : "=m"(sr[0]), "=m"(sr[1]), "=m"(sr[2]), "=m"(sr[3]), "=m"(sr[4]), "=m"(sr[5]));
    for (int i = 0; i < 6; i++) selectors[i] = sr[i];
#else
    __asm__ volatile("movw %%gs, %0" : "=m"(main_gs));
    uint8_t *data = map_fixed(DATA_BASE, DATA_SIZE, PROT_READ | PROT_WRITE);
#endif
    uint8_t *code = map_fixed(CODE_BASE, CODE_SIZE, PROT_READ | PROT_WRITE | PROT_EXEC);
    uint8_t *initial = malloc(DATA_SIZE);
#ifndef __x86_64__
    const int kdata = MODIFY_LDT_CONTENTS_DATA, kdown = MODIFY_LDT_CONTENTS_STACK, kcode = MODIFY_LDT_CONTENTS_CODE;
    set_ldt(0, DATA_BASE, DATA_SIZE - 1, kdata, 1, 0);
    set_ldt(1, DATA_BASE + 0x2000, DATA_SIZE - 0x2001, kdata, 1, 0);
    set_ldt(2, DATA_BASE + 0x4000, DATA_SIZE - 0x4001, kdata, 1, 0);
    set_ldt(3, CODE_BASE, CODE_SIZE - 1, kcode, 0, 0);
    set_ldt(4, DATA_BASE, DATA_SIZE - 1, kdata, 0, 0);
    set_ldt(5, DATA_BASE + DATA_SIZE, 0xFFFF7, kdown, 1, 1); /* limit 0xFFFF7FFF */
    set_ldt(6, DATA_BASE - DATA_SIZE, DATA_SIZE - 1, kdown, 0, 0);
#endif

    static uint8_t alt[65536];
    stack_t ss = {.ss_sp = alt, .ss_size = sizeof alt, .ss_flags = 0};
    if (sigaltstack(&ss, NULL) != 0) die("oracle: sigaltstack failed\n");
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    int sigs[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP};
    for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
    /* On the alternate stack too: the test code's ESP is an offset in a based segment. */
    struct sigaction al;
    memset(&al, 0, sizeof al);
    al.sa_sigaction = on_alarm;
    al.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&al.sa_mask);
    sigaction(SIGALRM, &al, NULL);

#ifdef __x86_64__
    put32(HELLO_MAGIC); put32(VERSION | KIND_X87_64);
#else
    put32(HELLO_MAGIC); put32(VERSION);
#endif
    put32(DATA_BASE); put32(DATA_SIZE); put32(CODE_BASE); put32(CODE_SIZE);
#ifdef __x86_64__
    for (int i = 0; i < 6; i++) put32(selectors[i]);
#endif
    fwrite(out_buf, 1, out_len, stdout);
    fflush(stdout);
    out_len = 0;

    for (;;) {
        uint32_t hdr[4];
        read_fully(hdr, sizeof hdr);
        if (hdr[0] != BATCH_MAGIC) die("oracle: bad batch header\n");
        if (hdr[1] == 0) return 0;
        uint8_t *batch = malloc(hdr[2] ? hdr[2] : 1);
        if (!batch) die("oracle: out of memory\n");
        read_fully(batch, hdr[2]);
        expired = 0;
        alarm(hdr[3] ? hdr[3] : 60);
        cursor c = {batch, batch + hdr[2]};
        for (uint32_t k = 0; k < hdr[1]; k++) run_case(&c, data, code, initial);
        alarm(0);
        free(batch);
        put32(END_MAGIC);
        if (fwrite(out_buf, 1, out_len, stdout) != out_len || fflush(stdout) != 0) return 0;
        out_len = 0;
    }
}
