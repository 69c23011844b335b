/*
 * Bit manipulation and integer arithmetic as compiled C does them: population counts (libgcc's
 * __popcountsi2), leading and trailing zero counts (BSR, and TZCNT that a P6 runs as BSF), signed
 * and unsigned division by constants (one-operand MUL and IMUL) and by variables (DIV), greatest
 * common divisors, and two 64-bit generators (splitmix64, xorshift128+) whose 64-bit shifts gcc
 * does with SHLD and SHRD, some of them on the stack.
 */
#include "rt.h"

typedef unsigned long long u64;

static uint32_t gcd(uint32_t a, uint32_t b) {
    while (b) {
        uint32_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static u64 splitmix_state = 0x9E3779B97F4A7C15ull;

static u64 splitmix(void) {
    u64 z = (splitmix_state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static u64 xs[2] = {1, 2};

static u64 xorshift128plus(void) {
    u64 s1 = xs[0];
    const u64 s0 = xs[1];
    xs[0] = s0;
    s1 ^= s1 << 23;
    xs[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return xs[1] + s0;
}

int bench_main(void) {
    int n = rt_arg("n", 80);
    uint32_t x = 12345, bits = 0, quotients = 0;
    for (int i = 0; i < n * 250000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bits += __builtin_popcount(x) + __builtin_clz(x | 1) * 3 + __builtin_ctz(x | 0x80000000u);
        quotients += (x >> 3) % 10 + (int)x / 7 + (int)x % -13;
    }
    rt_printf("bits %u quotients %x\n", bits, quotients);

    u64 divisors = 0;
    for (uint32_t i = 1; i <= (uint32_t)n * 25; i++) {
        for (uint32_t j = 1; j <= 1000; j++) {
            divisors += gcd(i * 7919u, j * 104729u);
            divisors += (i * j) % (j + 13) + (i ^ j) / (j | 1);
        }
    }
    rt_printf("gcd and division sum %llu\n", divisors);

    u64 acc = 0;
    uint32_t high[16] = {0};
    for (int i = 0; i < n * 100000; i++) {
        u64 a = splitmix(), b = xorshift128plus();
        acc += a ^ (b >> (i & 31));
        high[(a ^ b) >> 60]++;
        acc = acc << 7 | acc >> 57;
    }
    rt_printf("generators %llx, top nibbles 0: %u, 15: %u\n", acc, high[0], high[15]);
    return 0;
}
