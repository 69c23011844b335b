/*
 * String and memory routines as C code has them: byte loops for strlen, strcmp, strchr, a copy
 * and a fill, a naive substring search, and fixed-size struct copies and clears that gcc turns
 * into rep movs / rep stos, plus variable-length memcpy/memset/memmove calls into the runtime.
 */
#include "rt.h"

static size_t my_strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

static int my_strcmp(const char *a, const char *b) {
    while (*a && *a == *b) a++, b++;
    return (unsigned char)*a - (unsigned char)*b;
}

static const char *my_strchr(const char *s, int c) {
    for (; *s; s++)
        if (*s == (char)c) return s;
    return 0;
}

static void my_copy(char *d, const char *s, size_t n) {
    for (size_t i = 0; i < n; i++) d[i] = s[i];
}

static void my_fill(char *d, char c, size_t n) {
    while (n--) *d++ = c;
}

static const char *naive_search(const char *hay, size_t hn, const char *needle, size_t nn) {
    for (size_t i = 0; i + nn <= hn; i++) {
        size_t j = 0;
        while (j < nn && hay[i + j] == needle[j]) j++;
        if (j == nn) return hay + i;
    }
    return 0;
}

typedef struct {
    uint32_t id;
    char name[60];
    uint32_t data[48];
} record; /* 256 bytes: gcc copies and clears it with rep movsl / rep stosl */

static record records[64];

static uint32_t checksum(const void *p, size_t n) {
    const unsigned char *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
    return h;
}

int bench_main(void) {
    int n = rt_arg("n", 400);
    enum { TEXT = 65536 };
    char *text = rt_alloc(TEXT + 1), *copy = rt_alloc(TEXT + 64);
    static const char *const words[] = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta",
                                        "iota", "kappa", "lambda", "mu", "needle", "xi", "omicron", "pi"};
    rt_srand(0x5791);
    size_t len = 0;
    size_t text_size = n < 8 ? (size_t)n * TEXT / 8 : TEXT;
    while (len < text_size - 16) {
        const char *w = words[rt_rand() & 15];
        if (w[0] == 'n' && (rt_rand() & 7)) continue; /* "needle" is rarer than the others */
        size_t wl = my_strlen(w);
        my_copy(text + len, w, wl);
        len += wl;
        text[len++] = (rt_rand() & 7) ? ' ' : '\n';
    }
    text[len] = 0;

    uint32_t h = 0, lines = 0, found = 0, cmp = 0, total = 0;
    for (int round = 0; round < n; round++) {
        /* library calls: variable lengths */
        size_t part = len - (size_t)(round * 97 % 1024);
        memcpy(copy, text, part);
        copy[part] = 0;
        memmove(copy + 3, copy, 4096);
        memset(copy + part / 2, 'x', 1000);
        total += (uint32_t)my_strlen(copy);
        h ^= checksum(copy, 8192);

        /* byte loops */
        my_copy(copy, text, len + 1);
        my_fill(copy + 100, '-', 200);
        for (const char *p = my_strchr(copy, '\n'); p; p = my_strchr(p + 1, '\n')) lines++;
        const char *line = text;
        while (line < text + len) {
            const char *next = my_strchr(line, ' ');
            if (!next) break;
            if (my_strcmp(line, "needle") > 0) cmp++;
            line = next + 1;
        }
        /* naive search, a needle that mostly misses, then one that hits often */
        static const char needle_a[] = "lambda theta needle";
        static const char needle_b[] = "needle";
        const char *at = naive_search(text + round, len - round, needle_a, sizeof needle_a - 1);
        if (at) h += (uint32_t)(at - text);
        for (const char *p = text; (p = naive_search(p, len - (size_t)(p - text), needle_b, 6)) != 0; p++) found++;

        /* fixed-size structs: rep movs / rep stos */
        for (int i = 0; i < 64; i++) {
            record r;
            __builtin_memset(&r, 0, sizeof r);
            r.id = (uint32_t)(i * round);
            __builtin_memcpy(r.name, text + i * 50 + round, sizeof r.name);
            r.data[i % 48] = h;
            records[(i * 7) & 63] = r;
        }
        h ^= checksum(records, sizeof records);
    }
    rt_printf("length %u lines %u found %u cmp %u total %u\n", (unsigned)len, lines, found, cmp, total);
    rt_printf("checksum %08x\n", h);
    return 0;
}
