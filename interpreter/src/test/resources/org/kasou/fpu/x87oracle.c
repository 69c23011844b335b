/*
 * Runs x87 operations on the host CPU for the differential tests. Protocol on stdin/stdout:
 * a batch is a 32-bit count, then count records of 40 bytes (op, control word, operand A,
 * operand B, memory operand, 10 bytes each, little-endian, padded); the answer is count records
 * of 124 bytes (the FNSAVE image after the op, EFLAGS, the 10 memory bytes, 2 bytes padding).
 * A count of 0 ends the process. Each op starts from FNINIT, loads B then A with every exception
 * masked, clears the flags, loads the control word and runs; FNSAVE (not waiting) takes the state
 * so that unmasked exceptions stay pending instead of faulting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

unsigned char A[16], B[16], M[16], IMG[108];
unsigned short CW;
unsigned int FL;

#define PRE "fninit\n\tfldt B\n\tfldt A\n\tfnclex\n\tfldcw CW\n\t"
#define PRE1 "fninit\n\tfldt A\n\tfnclex\n\tfldcw CW\n\t"
#define PRE0 "fninit\n\tfnclex\n\tfldcw CW\n\t"
#define POST "\n\tfnsave IMG"
#define OP(pre, insn) asm volatile(pre insn POST ::: "memory")
#ifdef __x86_64__ /* the same unit in 64-bit mode, for hosts whose kernel runs no 32-bit programs */
#define FLAGS(insn) asm volatile(PRE "pushq $0\n\tpopfq\n\t" insn "\n\tpushfq\n\tpopq %%rax\n\tmovl %%eax, FL" POST ::: "memory", "rax")
#else
#define FLAGS(insn) asm volatile(PRE "pushl $0\n\tpopfl\n\t" insn "\n\tpushfl\n\tpopl FL" POST ::: "memory")
#endif

static void run(int op) {
    FL = 0;
    switch (op) {
    case 0: OP(PRE, "fadd %%st(1), %%st"); break;
    case 1: OP(PRE, "fsub %%st(1), %%st"); break;
    case 2: OP(PRE, "fmul %%st(1), %%st"); break;
    case 3: OP(PRE, "fdiv %%st(1), %%st"); break;
    case 4: OP(PRE, "fsqrt"); break;
    case 5: OP(PRE, "frndint"); break;
    case 6: OP(PRE, "fscale"); break;
    case 7: OP(PRE, "fxtract"); break;
    case 8: OP(PRE, "fprem"); break;
    case 9: OP(PRE, "fprem1"); break;
    case 10: OP(PRE, "fabs"); break;
    case 11: OP(PRE, "fchs"); break;
    case 12: OP(PRE, "fcom %%st(1)"); break;
    case 13: OP(PRE, "fucom %%st(1)"); break;
    case 14: FLAGS("fcomi %%st(1), %%st"); break;
    case 15: FLAGS("fucomi %%st(1), %%st"); break;
    case 16: OP(PRE, "ftst"); break;
    case 17: OP(PRE, "fxam"); break;
    case 18: OP(PRE, "flds M"); break;
    case 19: OP(PRE, "fldl M"); break;
    case 20: OP(PRE, "filds M"); break;
    case 21: OP(PRE, "fildl M"); break;
    case 22: OP(PRE, "fildll M"); break;
    case 23: OP(PRE, "fbld M"); break;
    case 24: OP(PRE, "fstps M"); break;
    case 25: OP(PRE, "fstpl M"); break;
    case 26: OP(PRE, "fistps M"); break;
    case 27: OP(PRE, "fistpl M"); break;
    case 28: OP(PRE, "fistpll M"); break;
    case 29: OP(PRE, "fbstp M"); break;
    case 30: OP(PRE, "fld1"); break;
    case 31: OP(PRE, "fldl2t"); break;
    case 32: OP(PRE, "fldl2e"); break;
    case 33: OP(PRE, "fldpi"); break;
    case 34: OP(PRE, "fldlg2"); break;
    case 35: OP(PRE, "fldln2"); break;
    case 36: OP(PRE, "fldz"); break;
    case 37: OP(PRE, "fadds M"); break;
    case 38: OP(PRE, "fmull M"); break;
    case 39: OP(PRE, "fdivrs M"); break;
    case 40: OP(PRE, "fsubl M"); break;
    case 41: OP(PRE, "fiadds M"); break;
    case 42: OP(PRE, "fidivl M"); break;
    case 43: OP(PRE, "fcoms M"); break;
    case 44: OP(PRE, "ficoml M"); break;
    default: asm volatile(PRE POST ::: "memory"); break;
    }
}

int main(void) {
    uint32_t count;
    static unsigned char in[40], out[124];
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    while (fread(&count, 4, 1, stdin) == 1 && count != 0) {
        unsigned char *batch = malloc((size_t) count * 40);
        if (batch == NULL || fread(batch, 40, count, stdin) != count) return 2;
        for (uint32_t i = 0; i < count; i++) {
            memcpy(in, batch + 40 * (size_t) i, 40);
            int op = in[0] | in[1] << 8;
            CW = (unsigned short) (in[2] | in[3] << 8);
            memcpy(A, in + 4, 10);
            memcpy(B, in + 14, 10);
            memcpy(M, in + 24, 10);
            run(op);
            memcpy(out, IMG, 108);
            memcpy(out + 108, &FL, 4);
            memcpy(out + 112, M, 10);
            out[122] = out[123] = 0;
            fwrite(out, 124, 1, stdout);
        }
        free(batch);
        fflush(stdout);
    }
    return 0;
}
