/*
 * C test guest: a gcc -m32 -O2 build of ordinary C (recursion, jump tables, function pointers,
 * 64-bit arithmetic through libgcc, struct copies, string builtins) on a bare machine. It prints
 * its results on port 0xE9; the test compares them with QEMU's output.
 */
#include <stdint.h>
#include <stddef.h>

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static void putc(char c) { outb(0xE9, (uint8_t)c); }
static void puts(const char *s) { while (*s) putc(*s++); }

static void put_u64(uint64_t v) {
    char buf[24];
    int i = 0;
    do { buf[i++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (i) putc(buf[--i]);
}
static void put_i64(int64_t v) { if (v < 0) { putc('-'); put_u64((uint64_t)-v); } else put_u64((uint64_t)v); }
static void put_hex(uint32_t v) { for (int i = 28; i >= 0; i -= 4) putc("0123456789abcdef"[(v >> i) & 15]); }

void *memset(void *d, int c, size_t n) { uint8_t *p = d; while (n--) *p++ = (uint8_t)c; return d; }
void *memcpy(void *d, const void *s, size_t n) { uint8_t *p = d; const uint8_t *q = s; while (n--) *p++ = *q++; return d; }
size_t strlen(const char *s) { size_t n = 0; while (s[n]) n++; return n; }

static uint32_t seed = 12345;
static uint32_t rnd(void) { seed = seed * 1103515245u + 12345u; return seed >> 1; }

static int queens(int n, int row, uint32_t cols, uint32_t d1, uint32_t d2) {
    if (row == n) return 1;
    int count = 0;
    for (uint32_t avail = ~(cols | d1 | d2) & ((1u << n) - 1); avail; avail &= avail - 1) {
        uint32_t bit = avail & -avail;
        count += queens(n, row + 1, cols | bit, (d1 | bit) << 1, (d2 | bit) >> 1);
    }
    return count;
}

static void quicksort(int32_t *a, int lo, int hi) {
    while (lo < hi) {
        int32_t pivot = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) { int32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quicksort(a, lo, j); lo = i; } else { quicksort(a, i, hi); hi = j; }
    }
}

static uint32_t crc_table[256];
static uint32_t crc32(const uint8_t *p, size_t n) {
    if (!crc_table[1]) {
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            crc_table[i] = c;
        }
    }
    uint32_t c = 0xFFFFFFFFu;
    while (n--) c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return ~c;
}

/* A switch dense enough for a jump table. */
static int opcode(int op, int a, int b) {
    switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3: return b ? a / b : 0;
    case 4: return b ? a % b : 0;
    case 5: return a << (b & 31);
    case 6: return a >> (b & 31);
    case 7: return (int)((unsigned)a >> (b & 31));
    case 8: return a & b;
    case 9: return a | b;
    default: return a ^ b;
    }
}

struct point { int32_t x, y, z; char name[20]; };
static struct point mirror(struct point p) { struct point q = p; q.x = -p.x; q.name[0] = 'M'; return q; }

typedef uint32_t (*mix_fn)(uint32_t);
static uint32_t mix_a(uint32_t v) { return v * 2654435761u; }
static uint32_t mix_b(uint32_t v) { return (v << 7) | (v >> 25); }
static uint32_t mix_c(uint32_t v) { return v ^ (v >> 13); }

#define N 20000
static int32_t data[N];
static uint8_t bytes[65536];

int kmain(void) {
    puts("queens:");
    for (int n = 1; n <= 9; n++) { putc(' '); put_u64((uint64_t)queens(n, 0, 0, 0, 0)); }
    putc('\n');

    for (int i = 0; i < N; i++) data[i] = (int32_t)(rnd() - 0x40000000u);
    quicksort(data, 0, N - 1);
    int sorted = 1;
    for (int i = 1; i < N; i++) if (data[i - 1] > data[i]) sorted = 0;
    puts("quicksort: sorted="); put_u64((uint64_t)sorted);
    puts(" min="); put_i64(data[0]); puts(" median="); put_i64(data[N / 2]); puts(" max="); put_i64(data[N - 1]);
    puts(" crc="); put_hex(crc32((const uint8_t *)data, sizeof data)); putc('\n');

    for (size_t i = 0; i < sizeof bytes; i++) bytes[i] = (uint8_t)(rnd() >> 7);
    memcpy(bytes + 1000, bytes + 3, 5000);
    memset(bytes + 20000, 0x5A, 777);
    puts("crc32: "); put_hex(crc32(bytes, sizeof bytes)); putc('\n');

    uint64_t fact = 1, fa = 0, fb = 1;
    for (uint64_t i = 1; i <= 20; i++) fact *= i;
    for (int i = 0; i < 90; i++) { uint64_t t = fa + fb; fa = fb; fb = t; }
    puts("u64: 20!="); put_u64(fact); puts(" fib90="); put_u64(fa);
    puts(" q="); put_u64(fact / 1000000007u); puts(" r="); put_u64(fact % 1000000007u);
    int64_t s = -(int64_t)fact / 12345677;
    puts(" s="); put_i64(s); puts(" sm="); put_i64(-(int64_t)fact % 12345677); putc('\n');

    int32_t acc = 7;
    for (int i = 0; i < 1000; i++) acc = opcode(i % 11, acc, (int)(rnd() % 200) - 100) | 1;
    puts("switch: "); put_i64(acc); putc('\n');

    struct point p = {3, -4, 5, "point"};
    struct point m = mirror(p);
    puts("struct: "); put_i64(m.x); putc(' '); put_i64(m.y); putc(' '); puts(m.name);
    puts(" len="); put_u64(strlen(m.name)); putc('\n');

    mix_fn fns[3] = {mix_a, mix_b, mix_c};
    uint32_t h = 1;
    for (int i = 0; i < 3000; i++) h = fns[h % 3](h + (uint32_t)i);
    puts("pointers: "); put_hex(h); putc('\n');

    int32_t neg = -7;
    puts("signed: "); put_i64(neg / 2); putc(' '); put_i64(neg % 2); putc(' '); put_i64(neg >> 1);
    putc(' '); put_i64((int8_t)200); putc(' '); put_u64((uint16_t)-1); putc('\n');

    puts("done\n");
    return 0;
}
