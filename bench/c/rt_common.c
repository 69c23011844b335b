/* The platform-independent part of the benchmarks' runtime: formatting, arguments, a PRNG. */
#include "rt.h"

void *rt_calloc(size_t n) {
    void *p = rt_alloc(n);
    memset(p, 0, n);
    return p;
}

void rt_puts(const char *s) {
    while (*s) rt_putc(*s++);
}

static void put_unsigned(unsigned long long v, unsigned base, int width, char pad) {
    char buf[24];
    int i = 0;
    do {
        buf[i++] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    while (width-- > i) rt_putc(pad);
    while (i) rt_putc(buf[--i]);
}

void rt_printf(const char *fmt, ...) {
    __builtin_va_list ap;
    __builtin_va_start(ap, fmt);
    for (const char *p = fmt; *p; p++) {
        if (*p != '%') {
            rt_putc(*p);
            continue;
        }
        p++;
        char pad = ' ';
        int width = 0, longlong = 0;
        if (*p == '0') { pad = '0'; p++; }
        while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
        if (p[0] == 'l' && p[1] == 'l') { longlong = 1; p += 2; }
        switch (*p) {
        case 'd': {
            long long v = longlong ? __builtin_va_arg(ap, long long) : __builtin_va_arg(ap, int);
            if (v < 0) { rt_putc('-'); v = -v; if (width) width--; }
            put_unsigned((unsigned long long)v, 10, width, pad);
            break;
        }
        case 'u':
        case 'x': {
            unsigned long long v = longlong ? __builtin_va_arg(ap, unsigned long long) : __builtin_va_arg(ap, unsigned);
            put_unsigned(v, *p == 'u' ? 10 : 16, width, pad);
            break;
        }
        case 's': rt_puts(__builtin_va_arg(ap, const char *)); break;
        case 'c': rt_putc(__builtin_va_arg(ap, int)); break;
        case '%': rt_putc('%'); break;
        default: rt_putc('%'); rt_putc(*p); break;
        }
        if (!*p) break;
    }
    __builtin_va_end(ap);
}

int rt_arg(const char *key, int def) {
    size_t k = strlen(key);
    const char *s = rt_args();
    while (*s) {
        while (*s == ' ') s++;
        if (!*s) break;
        const char *word = s;
        while (*s && *s != ' ') s++;
        if ((size_t)(s - word) > k && memcmp(word, key, k) == 0 && word[k] == '=') {
            int v = 0;
            for (const char *d = word + k + 1; d < s && *d >= '0' && *d <= '9'; d++) v = v * 10 + (*d - '0');
            return v;
        }
    }
    return def;
}

static uint32_t rand_state = 2463534242u;

void rt_srand(uint32_t seed) {
    rand_state = seed ? seed : 2463534242u;
}

uint32_t rt_rand(void) {
    uint32_t x = rand_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rand_state = x;
}

uint32_t rt_rand_below(uint32_t n) {
    return (uint32_t)(((uint64_t)rt_rand() * n) >> 32);
}

void rt_fail(const char *what) {
    rt_printf("FAIL: %s\n", what);
    rt_exit(1);
}

/* The arguments and the bump allocator's heap, filled in by the start-up code of rt_bare.c or rt_host.c. */
char rt_args_text[512];
char *rt_heap, *rt_heap_top;

void *rt_alloc(size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (n > (size_t)(rt_heap_top - rt_heap)) rt_fail("out of memory");
    void *p = rt_heap;
    rt_heap += n;
    return p;
}

void *rt_mark(void) { return rt_heap; }
void rt_release(void *mark) { rt_heap = mark; }
const char *rt_args(void) { return rt_args_text; }
