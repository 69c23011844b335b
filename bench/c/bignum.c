/*
 * Multi-precision arithmetic as portable C libraries write it: 32-bit limbs whose 64-bit products
 * are put together from four 16-bit half products (no 64-bit type), carries through compares,
 * add_n / addmul_1 / submul_1 loops. Computes x^e mod m for 1024-bit numbers with Montgomery
 * multiplication, n times, each result feeding the next base; prints a checksum of the results.
 * (The Linux kernel's RSA and DH self-tests spend about half of its boot in such loops.)
 */
#include "rt.h"

#define LIMBS 32 /* 1024 bits */

typedef uint32_t limb;

/* (hi, lo) = a * b from 16-bit halves. */
static inline void umul_ppmm(limb *hi, limb *lo, limb a, limb b) {
    limb al = a & 0xFFFF, ah = a >> 16, bl = b & 0xFFFF, bh = b >> 16;
    limb x0 = al * bl, x1 = al * bh, x2 = ah * bl, x3 = ah * bh;
    x1 += x0 >> 16;
    x1 += x2;
    if (x1 < x2) x3 += 0x10000;
    *hi = x3 + (x1 >> 16);
    *lo = (x1 << 16) + (x0 & 0xFFFF);
}

/* r[0..n) += s[0..n) * v; returns the carry limb. */
static limb addmul_1(limb *r, const limb *s, int n, limb v) {
    limb carry = 0;
    for (int i = 0; i < n; i++) {
        limb hi, lo;
        umul_ppmm(&hi, &lo, s[i], v);
        lo += carry;
        hi += lo < carry;
        limb x = r[i];
        lo += x;
        hi += lo < x;
        r[i] = lo;
        carry = hi;
    }
    return carry;
}

/* r[0..n) -= s[0..n) * v; returns the borrow limb. */
static limb submul_1(limb *r, const limb *s, int n, limb v) {
    limb carry = 0;
    for (int i = 0; i < n; i++) {
        limb hi, lo;
        umul_ppmm(&hi, &lo, s[i], v);
        lo += carry;
        hi += lo < carry;
        limb x = r[i];
        limb d = x - lo;
        hi += d > x;
        r[i] = d;
        carry = hi;
    }
    return carry;
}

/* r = a - b over n limbs; returns the borrow. */
static limb sub_n(limb *r, const limb *a, const limb *b, int n) {
    limb borrow = 0;
    for (int i = 0; i < n; i++) {
        limb x = a[i], y = b[i] + borrow;
        borrow = (y < borrow) | (x < y);
        r[i] = x - y;
    }
    return borrow;
}

static int cmp_n(const limb *a, const limb *b, int n) {
    for (int i = n - 1; i >= 0; i--) {
        if (a[i] != b[i]) return a[i] > b[i] ? 1 : -1;
    }
    return 0;
}

/* -m^-1 mod 2^32 for an odd m (Newton's iteration). */
static limb neg_inverse(limb m) {
    limb x = m;
    for (int i = 0; i < 5; i++) x *= 2 - m * x;
    return -x;
}

/* r = a * b * 2^-1024 mod m (Montgomery), a, b < m; t has 2 * LIMBS + 1 limbs. */
static void mont_mul(limb *r, const limb *a, const limb *b, const limb *m, limb minv, limb *t) {
    memset(t, 0, (2 * LIMBS + 1) * sizeof(limb));
    for (int i = 0; i < LIMBS; i++) t[i + LIMBS] = addmul_1(t + i, a, LIMBS, b[i]);
    for (int i = 0; i < LIMBS; i++) {
        limb q = t[i] * minv;
        limb c = addmul_1(t + i, m, LIMBS, q);
        limb *p = t + i + LIMBS;
        limb s = *p + c;
        int carry = s < c;
        *p = s;
        for (p++; carry; p++) carry = ++*p == 0;
    }
    limb *u = t + LIMBS;
    if (u[LIMBS] || cmp_n(u, m, LIMBS) >= 0) sub_n(u, u, m, LIMBS);
    memcpy(r, u, LIMBS * sizeof(limb));
}

static void random_number(limb *x) {
    for (int i = 0; i < LIMBS; i++) x[i] = rt_rand();
}

int bench_main(void) {
    int n = rt_arg("n", 12);
    limb m[LIMBS], base[LIMBS], acc[LIMBS], one[LIMBS], e[LIMBS];
    limb t[2 * LIMBS + 1];
    rt_srand(0x5eed);
    random_number(m);
    m[0] |= 1;
    m[LIMBS - 1] |= 0x80000000u;
    random_number(base);
    base[LIMBS - 1] &= 0x7FFFFFFF; /* below m */
    random_number(e);
    limb minv = neg_inverse(m[0]);
    /* one = 2^1024 mod m = -m mod 2^1024, which is below m since m's top bit is set */
    memset(one, 0, sizeof one);
    sub_n(one, one, m, LIMBS);
    uint32_t check = 0;
    limb r2[LIMBS]; /* 2^2048 mod m, by doubling one 1024 times */
    memcpy(r2, one, sizeof r2);
    for (int k = 0; k < 1024; k++) {
        limb top = r2[LIMBS - 1] >> 31;
        for (int i = LIMBS - 1; i > 0; i--) r2[i] = (r2[i] << 1) | (r2[i - 1] >> 31);
        r2[0] <<= 1;
        if (top || cmp_n(r2, m, LIMBS) >= 0) sub_n(r2, r2, m, LIMBS);
    }
    for (int round = 0; round < n; round++) {
        limb b[LIMBS];
        mont_mul(b, base, r2, m, minv, t); /* to Montgomery form */
        memcpy(acc, one, sizeof acc);
        for (int i = LIMBS - 1; i >= 0; i--) {
            for (int bit = 31; bit >= 0; bit--) {
                mont_mul(acc, acc, acc, m, minv, t);
                if ((e[i] >> bit) & 1) mont_mul(acc, acc, b, m, minv, t);
            }
        }
        limb plain[LIMBS], unit[LIMBS];
        memset(unit, 0, sizeof unit);
        unit[0] = 1;
        mont_mul(plain, acc, unit, m, minv, t); /* out of Montgomery form */
        for (int i = 0; i < LIMBS; i++) check = check * 31 + plain[i];
        memcpy(base, plain, sizeof base);
        /* a submul_1 pass keeps that loop in the mix: plain - m * 1 */
        if (submul_1(plain, m, LIMBS, 1) == 0) check ^= 1;
    }
    rt_printf("bignum: %d modular exponentiations of 1024 bits, checksum %08x\n", n, check);
    rt_printf("last result: %08x...%08x %08x\n", base[LIMBS - 1], base[1], base[0]);
    return 0;
}
