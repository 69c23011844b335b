/*
 * Call-heavy code: naive Fibonacci, Ackermann's function, a binary tree built recursively in an
 * arena and walked recursively (sum, depth, node count, a mirror), and mutual recursion.
 */
#include "rt.h"

static uint32_t fib(uint32_t k) {
    return k < 2 ? k : fib(k - 1) + fib(k - 2);
}

static uint32_t ackermann(uint32_t m, uint32_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

typedef struct tree {
    struct tree *left, *right;
    uint32_t value;
} tree;

static tree *build(uint32_t depth, uint32_t seed) {
    tree *t = rt_alloc(sizeof *t);
    t->value = seed * 2654435761u >> 8;
    if (depth == 0) {
        t->left = t->right = 0;
    } else {
        t->left = build(depth - 1, seed * 2 + 1);
        t->right = build(depth - 1, seed * 2 + 2);
    }
    return t;
}

static uint32_t sum(const tree *t) {
    return t ? t->value + sum(t->left) + sum(t->right) : 0;
}

static uint32_t count(const tree *t) {
    return t ? 1 + count(t->left) + count(t->right) : 0;
}

static uint32_t ordered(const tree *t, uint32_t acc) {
    if (!t) return acc;
    acc = ordered(t->left, acc);
    acc = acc * 31 + t->value;
    return ordered(t->right, acc);
}

static void mirror(tree *t) {
    if (!t) return;
    tree *l = t->left;
    t->left = t->right;
    t->right = l;
    mirror(t->left);
    mirror(t->right);
}

static int is_odd(uint32_t k);
static int is_even(uint32_t k) { return k == 0 ? 1 : is_odd(k - 1); }
static int is_odd(uint32_t k) { return k == 0 ? 0 : is_even(k - 1); }

int bench_main(void) {
    int n = rt_arg("n", 80);
    uint32_t f = 18 + (uint32_t)n / 8;
    if (f > 32) f = 32;
    rt_printf("fib(%u) = %u\n", f, fib(f));
    uint32_t acc = 0;
    for (int i = 0; i < n; i++) acc += ackermann(2, 200 + (uint32_t)i) + ackermann(3, 5 + (uint32_t)i % 3);
    rt_printf("ackermann sum %u\n", acc);

    uint32_t s = 0, c = 0, o = 0;
    void *mark = rt_mark();
    for (int i = 0; i < n; i++) {
        rt_release(mark);
        tree *t = build(n < 5 ? 10 + (uint32_t)n : 15, (uint32_t)i);
        s += sum(t);
        c += count(t);
        o ^= ordered(t, 0);
        mirror(t);
        o ^= ordered(t, 1);
    }
    rt_printf("trees: %u nodes, sum %08x, order %08x\n", c, s, o);
    uint32_t parity = 0;
    for (int i = 0; i < n * 20; i++) parity += (uint32_t)is_even(1000 + (uint32_t)i);
    rt_printf("even %u\n", parity);
    return 0;
}
