/*
 * An open-addressing hash table (linear probing, tombstones for deletions) of 32-bit keys and
 * values: n rounds of inserting 16 Ki random keys, looking up every key plus as many misses,
 * deleting half, looking up again and reinserting, with a table that grows when it fills.
 */
#include "rt.h"

#define EMPTY 0u
#define TOMB 1u /* keys 0 and 1 are reserved */

typedef struct {
    uint32_t *keys;
    uint32_t *vals;
    uint32_t cap; /* a power of two */
    uint32_t used; /* live keys plus tombstones */
    uint32_t live;
} table;

static inline uint32_t hash(uint32_t k) {
    k ^= k >> 16;
    k *= 0x7feb352du;
    k ^= k >> 15;
    k *= 0x846ca68bu;
    k ^= k >> 16;
    return k;
}

static void table_init(table *t, uint32_t cap) {
    t->keys = rt_calloc(cap * 4);
    t->vals = rt_alloc(cap * 4);
    t->cap = cap;
    t->used = t->live = 0;
}

static void put(table *t, uint32_t k, uint32_t v);

static void grow(table *t) {
    table old = *t;
    table_init(t, old.cap * 2);
    for (uint32_t i = 0; i < old.cap; i++)
        if (old.keys[i] > TOMB) put(t, old.keys[i], old.vals[i]);
}

static void put(table *t, uint32_t k, uint32_t v) {
    if ((t->used + 1) * 4 > t->cap * 3) grow(t);
    uint32_t mask = t->cap - 1, i = hash(k) & mask, tomb = ~0u;
    for (;; i = (i + 1) & mask) {
        uint32_t s = t->keys[i];
        if (s == k) {
            t->vals[i] = v;
            return;
        }
        if (s == TOMB && tomb == ~0u) tomb = i;
        if (s == EMPTY) break;
    }
    if (tomb != ~0u) {
        i = tomb;
    } else {
        t->used++;
    }
    t->keys[i] = k;
    t->vals[i] = v;
    t->live++;
}

static int get(const table *t, uint32_t k, uint32_t *v) {
    uint32_t mask = t->cap - 1;
    for (uint32_t i = hash(k) & mask;; i = (i + 1) & mask) {
        uint32_t s = t->keys[i];
        if (s == k) {
            *v = t->vals[i];
            return 1;
        }
        if (s == EMPTY) return 0;
    }
}

static int del(table *t, uint32_t k) {
    uint32_t mask = t->cap - 1;
    for (uint32_t i = hash(k) & mask;; i = (i + 1) & mask) {
        uint32_t s = t->keys[i];
        if (s == k) {
            t->keys[i] = TOMB;
            t->live--;
            return 1;
        }
        if (s == EMPTY) return 0;
    }
}

int bench_main(void) {
    int n = rt_arg("n", 160);
    enum { KEYS = 16384 };
    uint32_t *keys = rt_alloc(KEYS * 4);
    uint32_t found = 0, missed = 0, deleted = 0, sum = 0;
    rt_srand(0x7ab1e);
    void *mark = rt_mark();
    int keys_n = n < 8 ? 2048 * n : KEYS; /* n = 1 is a quick check */
    for (int round = 0; round < n; round++) {
        rt_release(mark);
        table t;
        table_init(&t, 1024);
        for (int i = 0; i < keys_n; i++) {
            uint32_t k = (rt_rand() & 0x3fffff) | 2; /* a small key space: some keys repeat */
            keys[i] = k;
            put(&t, k, (uint32_t)i * 7 + round);
        }
        for (int i = 0; i < keys_n; i++) {
            uint32_t v;
            if (get(&t, keys[i], &v)) { found++; sum += v; } else missed++;
            if (get(&t, keys[i] ^ 0x400000, &v)) found++; else missed++; /* never inserted */
        }
        for (int i = 0; i < keys_n; i += 2) deleted += (uint32_t)del(&t, keys[i]);
        for (int i = 0; i < keys_n; i++) {
            uint32_t v;
            if (get(&t, keys[i], &v)) { found++; sum ^= v * 31; } else missed++;
        }
        for (int i = 0; i < keys_n; i += 4) put(&t, keys[i], (uint32_t)i);
        if (round == n - 1) rt_printf("last round: capacity %u, live %u, used %u\n", t.cap, t.live, t.used);
        sum += t.live;
    }
    rt_printf("found %u missed %u deleted %u\n", found, missed, deleted);
    rt_printf("checksum %08x\n", sum);
    return 0;
}
