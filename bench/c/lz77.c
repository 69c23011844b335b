/*
 * An LZ77 compressor with hash chains (a 32 KiB window, matches of 3-258 bytes, a bounded chain
 * search) and its decompressor, over generated text-like data: compress, decompress, verify.
 * Token format: a flag byte for each 8 tokens; a literal is one byte, a match is
 * (length - 3, distance - 1 as two bytes).
 */
#include "rt.h"

#define WINDOW 32768
#define HASH_BITS 14
#define MIN_MATCH 3
#define MAX_MATCH 258
#define MAX_CHAIN 32

static inline uint32_t hash3(const uint8_t *p) {
    return ((uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]) * 2654435761u >> (32 - HASH_BITS);
}

static size_t compress(const uint8_t *in, size_t n, uint8_t *out, int32_t *head, int32_t *prev) {
    for (int i = 0; i < 1 << HASH_BITS; i++) head[i] = -1;
    size_t o = 0, flag_at = 0;
    int bit = 8;
    size_t i = 0;
    while (i < n) {
        if (bit == 8) {
            flag_at = o;
            out[o++] = 0;
            bit = 0;
        }
        size_t best_len = 0, best_dist = 0;
        if (i + MIN_MATCH <= n) {
            uint32_t h = hash3(in + i);
            int32_t cand = head[h];
            size_t limit = n - i < MAX_MATCH ? n - i : MAX_MATCH;
            for (int chain = 0; cand >= 0 && i - (size_t)cand <= WINDOW && chain < MAX_CHAIN; chain++) {
                const uint8_t *a = in + cand, *b = in + i;
                if (a[best_len] == b[best_len]) {
                    size_t len = 0;
                    while (len < limit && a[len] == b[len]) len++;
                    if (len > best_len) {
                        best_len = len;
                        best_dist = i - (size_t)cand;
                        if (len == limit) break;
                    }
                }
                cand = prev[cand & (WINDOW - 1)];
            }
            prev[i & (WINDOW - 1)] = head[h];
            head[h] = (int32_t)i;
        }
        if (best_len >= MIN_MATCH) {
            out[flag_at] |= (uint8_t)(1 << bit);
            out[o++] = (uint8_t)(best_len - MIN_MATCH);
            out[o++] = (uint8_t)((best_dist - 1) >> 8);
            out[o++] = (uint8_t)(best_dist - 1);
            /* index the positions inside the match too */
            for (size_t k = 1; k < best_len; k++) {
                size_t p = i + k;
                if (p + MIN_MATCH <= n) {
                    uint32_t h = hash3(in + p);
                    prev[p & (WINDOW - 1)] = head[h];
                    head[h] = (int32_t)p;
                }
            }
            i += best_len;
        } else {
            out[o++] = in[i++];
        }
        bit++;
    }
    return o;
}

static size_t decompress(const uint8_t *in, size_t n, uint8_t *out) {
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t flags = in[i++];
        for (int bit = 0; bit < 8 && i < n; bit++) {
            if (flags & (1 << bit)) {
                size_t len = (size_t)in[i] + MIN_MATCH;
                size_t dist = ((size_t)in[i + 1] << 8 | in[i + 2]) + 1;
                i += 3;
                const uint8_t *src = out + o - dist;
                for (size_t k = 0; k < len; k++) out[o + k] = src[k]; /* may overlap: byte by byte */
                o += len;
            } else {
                out[o++] = in[i++];
            }
        }
    }
    return o;
}

static void generate(uint8_t *buf, size_t n) {
    static const char *const words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ",
                                        "dog ", "compression ", "window ", "match ", "literal ", "emulator ",
                                        "kasou ", "block ", "register "};
    size_t o = 0;
    while (o < n) {
        uint32_t r = rt_rand();
        if ((r & 31) == 0) { /* some noise */
            buf[o++] = (uint8_t)(r >> 8);
            continue;
        }
        if ((r & 31) == 1) {
            buf[o++] = '\n';
            continue;
        }
        const char *w = words[(r >> 8) & 15];
        while (*w && o < n) buf[o++] = (uint8_t)*w++;
    }
}

int bench_main(void) {
    int n = rt_arg("n", 100);
    enum { SIZE = 128 * 1024 };
    uint8_t *in = rt_alloc(SIZE), *packed = rt_alloc(SIZE + SIZE / 8 + 16), *back = rt_alloc(SIZE);
    int32_t *head = rt_alloc((1 << HASH_BITS) * 4), *prev = rt_alloc(WINDOW * 4);
    rt_srand(0x1277);
    uint64_t total_in = 0, total_out = 0;
    uint32_t h = 0;
    for (int round = 0; round < n; round++) {
        size_t size = (n < 16 ? (size_t)n * SIZE / 16 : SIZE) - (size_t)rt_rand_below(4096);
        generate(in, size);
        size_t packed_len = compress(in, size, packed, head, prev);
        size_t back_len = decompress(packed, packed_len, back);
        if (back_len != size || memcmp(in, back, size) != 0) rt_fail("lz77 round trip");
        total_in += size;
        total_out += packed_len;
        for (size_t i = 0; i < packed_len; i++) h = h * 31 + packed[i];
    }
    rt_printf("rounds %d: %llu bytes -> %llu bytes (%u per mille)\n", n, total_in, total_out,
              (unsigned)(total_out * 1000 / total_in));
    rt_printf("checksum %08x, round trips verified\n", h);
    return 0;
}
