/*
 * Generates test vectors for kasou's arithmetic helpers by running each instruction on the host
 * CPU (32-bit code: the BCD instructions do not exist in 64-bit mode).
 *
 *   ./regenerate-alu-vectors.sh      (gcc -m32 ... && ./alu_vectors | gzip -9n > alu-vectors.bin.gz)
 *
 * On the AMD EPYC (Zen) host where the committed file was made, a rerun reproduces it byte for byte.
 *
 * Output: one record per test: u8 op, u8 size, then flagsIn, a, b, c, r1, r2, flagsOut as unsigned
 * LEB128 varints, then u8 fault.
 * Operand meaning per op (see HostVectorsTest): binary ops a=dst b=src c=count, r1=result;
 * MUL/IMUL1/DIV/IDIV a=EAX b=EDX c=src, r1=EAX r2=EDX; BCD a=EAX c=imm, r1=EAX;
 * BSF/BSR a=dst b=src, r1=dst. fault=1 when the instruction raised #DE (SIGFPE).
 * The run is deterministic (fixed PRNG seed).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

enum {
    ADD = 0, ADC, SUB, SBB, AND, OR, XOR, CMP, TEST, INC, DEC, NEG,
    SHIFT = 16, /* + group-2 kind: ROL ROR RCL RCR SHL SHR SAL SAR */
    SHLD = 24, SHRD,
    MUL = 32, IMUL1, IMUL2, DIV, IDIV,
    DAA = 40, DAS, AAA, AAS, AAM, AAD,
    BT = 48, BTS, BTR, BTC, BSF, BSR
};

#define ARITH 0x8D5u
typedef uint32_t u32;

static void put(u32 v) { /* unsigned LEB128 */
    do { unsigned char b = v & 0x7F; v >>= 7; if (v) b |= 0x80; putchar(b); } while (v);
}

static void emit(int op, int size, u32 fin, u32 a, u32 b, u32 c, u32 r1, u32 r2, u32 fout, int fault) {
    putchar(op);
    putchar(size);
    put(fin);
    put(a); put(b); put(c); put(r1); put(r2);
    put(fault ? 0 : fout & ARITH);
    putchar(fault);
}

/* xorshift32: deterministic inputs. */
static u32 rng = 0x2545F491u;
static u32 rnd(void) { rng ^= rng << 13; rng ^= rng >> 17; rng ^= rng << 5; return rng; }

static const u32 edges[] = {0, 1, 2, 3, 7, 8, 9, 0xF, 0x10, 0x3F, 0x40, 0x7E, 0x7F, 0x80, 0x81, 0xFE, 0xFF,
    0x100, 0x7FFF, 0x8000, 0x8001, 0xFFFE, 0xFFFF, 0x10000, 0x7FFFFFFF, 0x80000000, 0x80000001,
    0xFFFFFFFE, 0xFFFFFFFF, 0x12345678, 0x99, 0x9A, 0x09, 0x0A, 0x90, 0xA0, 0xFA, 0x06, 0x60};
#define NEDGES (sizeof edges / sizeof edges[0])

/* Edge-biased value: an edge (possibly sign-flipped or shifted), or random. */
static u32 value(void) {
    u32 r = rnd();
    switch (r & 7) {
        case 0: case 1: return edges[(r >> 3) % NEDGES];
        case 2: return ~edges[(r >> 3) % NEDGES];
        case 3: return (u32)1 << ((r >> 3) & 31);
        case 4: return rnd() & 0xFF;
        default: return rnd();
    }
}

static u32 flagsIn(void) { return rnd() & ARITH; }

/* Deterministic flag patterns for the exhaustive loops (they compress far better than random). */
static const u32 patterns[8] = {0, 0x001, 0x010, 0x011, ARITH, ARITH & ~1u, 0x0C0, 0x805};
static u32 pat(u32 i) { return patterns[i & 7]; }

static u32 mask(int size) { return size == 4 ? 0xFFFFFFFFu : (1u << (8 * size)) - 1; }

/* --- one asm wrapper per instruction and size ------------------------------------------ */
#define PRE "push %[fin]\n\tpopfl\n\t"
#define POST "\n\tpushfl\n\tpop %[f]"

#define BIN(fn, insn, R) \
    static u32 fn(u32 a, u32 b, u32 fin, u32 *fo) { u32 f; \
        __asm__ volatile(PRE insn " %" R "[b], %" R "[a]" POST \
            : [a] "+q"(a), [f] "=&r"(f) : [b] "q"(b), [fin] "r"(fin) : "cc"); *fo = f; return a; }
#define BIN3(op, insn) BIN(op##8, insn "b", "b") BIN(op##16, insn "w", "w") BIN(op##32, insn "l", "k")
BIN3(add, "add") BIN3(adc, "adc") BIN3(sub, "sub") BIN3(sbb, "sbb") BIN3(and, "and") BIN3(or, "or")
BIN3(xor, "xor") BIN3(cmp, "cmp") BIN3(test, "test")
BIN(imul2_16, "imulw", "w") BIN(imul2_32, "imull", "k")
BIN(bt16, "btw", "w") BIN(bt32, "btl", "k") BIN(bts16, "btsw", "w") BIN(bts32, "btsl", "k")
BIN(btr16, "btrw", "w") BIN(btr32, "btrl", "k") BIN(btc16, "btcw", "w") BIN(btc32, "btcl", "k")
BIN(bsf16, "bsfw", "w") BIN(bsf32, "bsfl", "k") BIN(bsr16, "bsrw", "w") BIN(bsr32, "bsrl", "k")

#define UN(fn, insn, R) \
    static u32 fn(u32 a, u32 fin, u32 *fo) { u32 f; \
        __asm__ volatile(PRE insn " %" R "[a]" POST : [a] "+q"(a), [f] "=&r"(f) : [fin] "r"(fin) : "cc"); \
        *fo = f; return a; }
#define UN3(op, insn) UN(op##8, insn "b", "b") UN(op##16, insn "w", "w") UN(op##32, insn "l", "k")
UN3(inc, "inc") UN3(dec, "dec") UN3(neg, "neg")

#define SH(fn, insn, R) \
    static u32 fn(u32 a, u32 c, u32 fin, u32 *fo) { u32 f; \
        __asm__ volatile(PRE insn " %%cl, %" R "[a]" POST : [a] "+q"(a), [f] "=&r"(f) : "c"(c), [fin] "r"(fin) : "cc"); \
        *fo = f; return a; }
#define SH3(op, insn) SH(op##8, insn "b", "b") SH(op##16, insn "w", "w") SH(op##32, insn "l", "k")
SH3(rol, "rol") SH3(ror, "ror") SH3(rcl, "rcl") SH3(rcr, "rcr") SH3(shl, "shl") SH3(shr, "shr") SH3(sar, "sar")

#define DSH(fn, insn, R) \
    static u32 fn(u32 a, u32 b, u32 c, u32 fin, u32 *fo) { u32 f; \
        __asm__ volatile(PRE insn " %%cl, %" R "[b], %" R "[a]" POST \
            : [a] "+r"(a), [f] "=&r"(f) : [b] "r"(b), "c"(c), [fin] "r"(fin) : "cc"); *fo = f; return a; }
DSH(shld16, "shldw", "w") DSH(shld32, "shldl", "k") DSH(shrd16, "shrdw", "w") DSH(shrd32, "shrdl", "k")

/* Implicit-operand forms: EAX and EDX in and out. */
#define AD(fn, insn) \
    static void fn(u32 *eax, u32 *edx, u32 src, u32 fin, u32 *fo) { u32 f, a = *eax, d = *edx; \
        __asm__ volatile(PRE insn POST : "+a"(a), "+d"(d), [f] "=&r"(f) : [s] "q"(src), [fin] "r"(fin) : "cc"); \
        *eax = a; *edx = d; *fo = f; }
AD(mul8, "mulb %b[s]") AD(mul16, "mulw %w[s]") AD(mul32, "mull %k[s]")
AD(imul8, "imulb %b[s]") AD(imul16, "imulw %w[s]") AD(imul32, "imull %k[s]")
AD(div8, "divb %b[s]") AD(div16, "divw %w[s]") AD(div32, "divl %k[s]")
AD(idiv8, "idivb %b[s]") AD(idiv16, "idivw %w[s]") AD(idiv32, "idivl %k[s]")
AD(daa_, "daa") AD(das_, "das") AD(aaa_, "aaa") AD(aas_, "aas")

static void aam_aad(int aad, u32 *eax, u32 imm, u32 fin, u32 *fo) {
    u32 f, a = *eax;
#define CASE(n) case n: { if (aad) __asm__ volatile(PRE "aad %[i]" POST : "+a"(a), [f] "=&r"(f) : [i] "i"(n), [fin] "r"(fin) : "cc"); \
                        else __asm__ volatile(PRE "aam %[i]" POST : "+a"(a), [f] "=&r"(f) : [i] "i"(n), [fin] "r"(fin) : "cc"); } break;
#define C4(n) CASE(n) CASE(n + 1) CASE(n + 2) CASE(n + 3)
#define C16(n) C4(n) C4(n + 4) C4(n + 8) C4(n + 12)
#define C64(n) C16(n) C16(n + 16) C16(n + 32) C16(n + 48)
    switch (imm & 0xFF) { C64(0) C64(64) C64(128) C64(192) }
    *eax = a;
    *fo = f;
}

/* #DE arrives as SIGFPE: jump back and record a fault. */
static sigjmp_buf env;
static void onFpe(int sig) { (void)sig; siglongjmp(env, 1); }

/* --- generators ----------------------------------------------------------------------- */
typedef u32 (*binfn)(u32, u32, u32, u32 *);
static binfn bins[9][3] = {
    {add8, add16, add32}, {adc8, adc16, adc32}, {sub8, sub16, sub32}, {sbb8, sbb16, sbb32},
    {and8, and16, and32}, {or8, or16, or32}, {xor8, xor16, xor32}, {cmp8, cmp16, cmp32}, {test8, test16, test32}};
typedef u32 (*unfn)(u32, u32, u32 *);
static unfn uns[3][3] = {{inc8, inc16, inc32}, {dec8, dec16, dec32}, {neg8, neg16, neg32}};
typedef u32 (*shfn)(u32, u32, u32, u32 *);
static shfn shs[8][3] = {{rol8, rol16, rol32}, {ror8, ror16, ror32}, {rcl8, rcl16, rcl32}, {rcr8, rcr16, rcr32},
    {shl8, shl16, shl32}, {shr8, shr16, shr32}, {shl8, shl16, shl32}, {sar8, sar16, sar32}};
typedef void (*adfn)(u32 *, u32 *, u32, u32, u32 *);
static adfn ads[5][3] = {{mul8, mul16, mul32}, {imul8, imul16, imul32}, {0, 0, 0}, {div8, div16, div32}, {idiv8, idiv16, idiv32}};

static int sizeIndex(int size) { return size == 1 ? 0 : size == 2 ? 1 : 2; }

static void bin(int op, int size, u32 a, u32 b, u32 fin) {
    u32 fo;
    a &= mask(size); b &= mask(size);
    u32 r = bins[op][sizeIndex(size)](a, b, fin, &fo);
    emit(op, size, fin, a, b, 0, r & mask(size), 0, fo, 0);
}

static void un(int op, int size, u32 a, u32 fin) {
    u32 fo;
    a &= mask(size);
    u32 r = uns[op - INC][sizeIndex(size)](a, fin, &fo);
    emit(op, size, fin, a, 0, 0, r & mask(size), 0, fo, 0);
}

static void sh(int kind, int size, u32 a, u32 c, u32 fin) {
    u32 fo;
    a &= mask(size);
    u32 r = shs[kind][sizeIndex(size)](a, c, fin, &fo);
    emit(SHIFT + kind, size, fin, a, 0, c, r & mask(size), 0, fo, 0);
}

static void dsh(int op, int size, u32 a, u32 b, u32 c, u32 fin) {
    u32 fo;
    a &= mask(size); b &= mask(size);
    u32 r = size == 2 ? (op == SHLD ? shld16 : shrd16)(a, b, c, fin, &fo)
                      : (op == SHLD ? shld32 : shrd32)(a, b, c, fin, &fo);
    emit(op, size, fin, a, b, c, r & mask(size), 0, fo, 0);
}

static void ad(int op, int size, u32 eax, u32 edx, u32 src, u32 fin) {
    u32 fo = 0, a = eax, d = edx;
    src &= mask(size);
    volatile int fault = 0;
    if (sigsetjmp(env, 1) == 0) ads[op - MUL][sizeIndex(size)](&a, &d, src, fin, &fo);
    else fault = 1;
    emit(op, size, fin, eax, edx, src, fault ? eax : a, fault ? edx : d, fo, fault);
}

static void bcd(int op, u32 eax, u32 imm, u32 fin) {
    u32 fo = 0, a = eax, d = 0;
    volatile int fault = 0;
    if (sigsetjmp(env, 1) == 0) {
        switch (op) {
            case DAA: daa_(&a, &d, 0, fin, &fo); break;
            case DAS: das_(&a, &d, 0, fin, &fo); break;
            case AAA: aaa_(&a, &d, 0, fin, &fo); break;
            case AAS: aas_(&a, &d, 0, fin, &fo); break;
            default: aam_aad(op == AAD, &a, imm, fin, &fo); break;
        }
    } else fault = 1;
    emit(op, 1, fin, eax, 0, imm, fault ? eax : a, 0, fo, fault);
}

static void bits(int op, int size, u32 a, u32 b, u32 fin) {
    static binfn f16[] = {bt16, bts16, btr16, btc16, bsf16, bsr16};
    static binfn f32[] = {bt32, bts32, btr32, btc32, bsf32, bsr32};
    u32 fo;
    a &= mask(size);
    if (op < BSF) b &= 0xFF; else b &= mask(size);
    u32 r = (size == 2 ? f16 : f32)[op - BT](a, b, fin, &fo);
    emit(op, size, fin, a, b, 0, r & mask(size), 0, fo, 0);
}

int main(void) {
    signal(SIGFPE, onFpe);
    static const int sizes[] = {1, 2, 4};

    /* 8-bit ALU: every pair of operands for ADC and SBB (one in 4 for ADD, SUB, one in 16 for the rest). */
    for (int op = ADD; op <= TEST; op++)
        for (u32 a = 0; a < 256; a++)
            for (u32 b = 0; b < 256; b++) {
                if (op == ADC || op == SBB || ((a ^ b) & (op <= SBB ? 3 : 15)) == 0) bin(op, 1, a, b, pat(a + b + (b >> 3)));
            }
    for (int op = INC; op <= NEG; op++)
        for (u32 a = 0; a < 256; a++) { un(op, 1, a, flagsIn() & ~1u); un(op, 1, a, flagsIn() | 1u); }
    /* 16- and 32-bit ALU: edge-biased and random. */
    for (int si = 1; si < 3; si++)
        for (int i = 0; i < 3000; i++) {
            for (int op = ADD; op <= TEST; op++) bin(op, sizes[si], value(), value(), flagsIn());
            for (int op = INC; op <= NEG; op++) un(op, sizes[si], value(), flagsIn());
        }

    /* Shifts and rotates: 8-bit every value and count 0..31; wider: edge-biased values, every count. */
    for (int k = 0; k < 8; k++) {
        if (k == 6) continue; /* SAL is SHL */
        for (u32 a = 0; a < 256; a++)
            for (u32 c = 0; c < 32; c++) sh(k, 1, a, c, pat(a + c + (a >> 3)));
        for (int si = 1; si < 3; si++)
            for (int i = 0; i < 64; i++) {
                u32 a = value();
                for (u32 c = 0; c < 32; c++) sh(k, sizes[si], a, c, flagsIn());
            }
    }
    for (int op = SHLD; op <= SHRD; op++)
        for (int si = 1; si < 3; si++)
            for (int i = 0; i < 200; i++) {
                u32 a = value(), b = value();
                for (u32 c = 0; c < 32; c++) dsh(op, sizes[si], a, b, c, flagsIn());
            }

    /* Multiply and divide: 8-bit multiply a quarter of all pairs; otherwise edge-biased. */
    for (u32 a = 0; a < 256; a++)
        for (u32 b = 0; b < 256; b++)
            if (((a ^ b) & 3) == 0) { ad(MUL, 1, 0x5A5A5A00u | a, 0xA5A5A5A5u, b, pat(a + b)); ad(IMUL1, 1, 0x5A5A5A00u | a, 0xA5A5A5A5u, b, pat(a + b + 1)); }
    for (int si = 0; si < 3; si++)
        for (int i = 0; i < 2500; i++) {
            int size = sizes[si];
            ad(MUL, size, value(), value(), value(), flagsIn());
            ad(IMUL1, size, value(), value(), value(), flagsIn());
            if (size > 1) {
                u32 fo, a = value() & mask(size), b = value() & mask(size), fin = flagsIn();
                u32 r = (size == 2 ? imul2_16 : imul2_32)(a, b, fin, &fo);
                emit(IMUL2, size, fin, a, b, 0, r & mask(size), 0, fo, 0);
            }
            /* Dividends that fit often enough: small high halves. */
            u32 hi = (i & 1) ? value() : value() & 0xF;
            ad(DIV, size, value(), hi, value(), flagsIn());
            ad(IDIV, size, value(), (i & 2) ? hi : (u32) - (int)(hi & 1), value(), flagsIn());
        }
    /* The IDIV edges: most negative dividend quotient / -1, and exact +-2^(n-1). */
    for (int si = 0; si < 3; si++) {
        int size = sizes[si];
        u32 minLo = size == 1 ? 0xFF80 : size == 2 ? 0x8000 : 0x80000000, minHi = size == 2 ? 0xFFFF : size == 4 ? 0xFFFFFFFF : 0;
        ad(IDIV, size, minLo, minHi, mask(size), 0);        /* -2^(n-1) / -1: overflow */
        ad(IDIV, size, minLo, minHi, 1, 0);                 /* -2^(n-1) / 1: fits */
        ad(IDIV, size, size == 1 ? 0x8000 : 0, size == 1 ? 0 : size == 2 ? 0x8000 : 0x80000000, mask(size), 0);
        ad(IDIV, size, size == 1 ? 0x0080 : size == 2 ? 0x8000 : 0x80000000, 0, mask(size), 0); /* +2^(n-1) / -1 */
        ad(IDIV, size, size == 1 ? 0xFF7F : size == 2 ? 0x7FFF : 0x7FFFFFFF, size == 2 ? 0xFFFF : size == 4 ? 0xFFFFFFFF : 0, 1, 0);
        ad(DIV, size, 0x1234, 0x5678, 0, 0);
        ad(IDIV, size, 0x1234, 0x5678, 0, 0);
    }

    /* BCD: every AL with every CF/AF combination and a few AH; AAM/AAD every AL and imm. */
    for (int op = DAA; op <= AAS; op++)
        for (u32 al = 0; al < 256; al++)
            for (u32 cfaf = 0; cfaf < 4; cfaf++) {
                u32 fin = (flagsIn() & ~0x11u) | (cfaf & 1) | ((cfaf & 2) << 3);
                u32 ah = (op >= AAA) ? ((al * 37 + cfaf * 101) & 0xFF) : rnd() & 0xFF;
                bcd(op, (rnd() & 0xFFFF0000u) | (ah << 8) | al, 0, fin);
            }
    for (u32 al = 0; al < 256; al++)
        for (u32 imm = 0; imm < 256; imm++) {
            if ((imm & 3) == (al & 3) || imm == 0 || imm == 10) bcd(AAM, 0x5A5A5A00u | al, imm, pat(al + imm));
            if ((imm & 3) == (al & 3) || imm == 10) bcd(AAD, 0x5A5A0000u | (((al * 7 + imm) & 0xFF) << 8) | al, imm, pat(al + imm));
        }

    /* Bit test and scan. */
    for (int op = BT; op <= BSR; op++)
        for (int si = 1; si < 3; si++)
            for (int i = 0; i < 1500; i++) {
                u32 b = op >= BSF ? ((i % 8) == 0 ? 0 : value()) : rnd();
                bits(op, sizes[si], value(), b, flagsIn());
            }
    return 0;
}
