/*
 * Graph algorithms over a generated sparse graph in compressed adjacency arrays: Dijkstra's
 * shortest paths with a binary heap (lazy deletion), breadth-first search, and pointer chasing
 * through a linked list (up to 64 Ki cells) whose nodes lie in shuffled order in memory.
 */
#include "rt.h"

typedef struct {
    uint32_t dist;
    uint32_t vertex;
} heap_entry;

typedef struct {
    heap_entry *a;
    uint32_t n;
} heap;

static void heap_push(heap *h, uint32_t dist, uint32_t v) {
    uint32_t i = h->n++;
    while (i) {
        uint32_t parent = (i - 1) / 2;
        if (h->a[parent].dist <= dist) break;
        h->a[i] = h->a[parent];
        i = parent;
    }
    h->a[i].dist = dist;
    h->a[i].vertex = v;
}

static heap_entry heap_pop(heap *h) {
    heap_entry top = h->a[0], last = h->a[--h->n];
    uint32_t i = 0;
    for (;;) {
        uint32_t c = 2 * i + 1;
        if (c >= h->n) break;
        if (c + 1 < h->n && h->a[c + 1].dist < h->a[c].dist) c++;
        if (last.dist <= h->a[c].dist) break;
        h->a[i] = h->a[c];
        i = c;
    }
    h->a[i] = last;
    return top;
}

typedef struct {
    uint32_t vertices, edges;
    uint32_t *first; /* vertices + 1 offsets into target/weight */
    uint32_t *target, *weight;
} graph;

static void build(graph *g, uint32_t v, uint32_t degree) {
    g->vertices = v;
    g->edges = v * degree;
    g->first = rt_alloc((v + 1) * 4);
    g->target = rt_alloc(g->edges * 4);
    g->weight = rt_alloc(g->edges * 4);
    for (uint32_t i = 0; i <= v; i++) g->first[i] = i * degree;
    for (uint32_t i = 0; i < v; i++) {
        for (uint32_t k = 0; k < degree; k++) {
            /* mostly local edges, some long ones: a road-network-like shape */
            uint32_t t = (k < degree - 2) ? (i + 1 + rt_rand_below(64)) % v : rt_rand_below(v);
            g->target[i * degree + k] = t;
            g->weight[i * degree + k] = 1 + rt_rand_below(k < degree - 2 ? 100 : 2000);
        }
    }
}

static uint32_t dijkstra(const graph *g, uint32_t src, uint32_t *dist, heap *h, uint32_t *pops) {
    for (uint32_t i = 0; i < g->vertices; i++) dist[i] = ~0u;
    dist[src] = 0;
    h->n = 0;
    heap_push(h, 0, src);
    while (h->n) {
        heap_entry e = heap_pop(h);
        ++*pops;
        if (e.dist != dist[e.vertex]) continue; /* a stale entry */
        for (uint32_t k = g->first[e.vertex]; k < g->first[e.vertex + 1]; k++) {
            uint32_t t = g->target[k], d = e.dist + g->weight[k];
            if (d < dist[t]) {
                dist[t] = d;
                heap_push(h, d, t);
            }
        }
    }
    uint32_t sum = 0;
    for (uint32_t i = 0; i < g->vertices; i++) sum += dist[i] == ~0u ? 0 : dist[i];
    return sum;
}

static uint32_t bfs(const graph *g, uint32_t src, uint32_t *level, uint32_t *queue, uint32_t *reached) {
    for (uint32_t i = 0; i < g->vertices; i++) level[i] = ~0u;
    uint32_t head = 0, tail = 0, max_level = 0;
    level[src] = 0;
    queue[tail++] = src;
    while (head < tail) {
        uint32_t v = queue[head++];
        for (uint32_t k = g->first[v]; k < g->first[v + 1]; k++) {
            uint32_t t = g->target[k];
            if (level[t] == ~0u) {
                level[t] = level[v] + 1;
                if (level[t] > max_level) max_level = level[t];
                queue[tail++] = t;
            }
        }
    }
    *reached = tail;
    return max_level;
}

typedef struct cell {
    struct cell *next;
    uint32_t value;
    uint32_t pad[2];
} cell;

int bench_main(void) {
    int n = rt_arg("n", 50);
    /* small sizes use a smaller graph: n = 1 is a quick check */
    uint32_t v = n < 20 ? 1000 * (uint32_t)n : 20000, degree = 6;
    rt_srand(0x6a7);
    graph g;
    build(&g, v, degree);
    uint32_t *dist = rt_alloc(v * 4), *queue = rt_alloc(v * 4);
    heap h = {rt_alloc(g.edges * sizeof(heap_entry) + 64), 0};

    uint32_t dsum = 0, pops = 0, lsum = 0, reached = 0, maxl = 0;
    for (int round = 0; round < n; round++) {
        uint32_t src = rt_rand_below(v);
        dsum += dijkstra(&g, src, dist, &h, &pops);
        uint32_t r;
        uint32_t l = bfs(&g, (src * 7 + 1) % v, queue + 0, dist, &r); /* dist is free now: the queue */
        lsum += l;
        reached += r;
        if (l > maxl) maxl = l;
    }
    rt_printf("dijkstra x%d: distance sum %u, heap pops %u\n", n, dsum, pops);
    rt_printf("bfs x%d: reached %u, levels sum %u, max level %u\n", n, reached, lsum, maxl);

    /* pointer chasing: a cycle through 64 Ki cells in random order */
    uint32_t CELLS = n < 16 ? 4096 * (uint32_t)n : 65536;
    cell *cells = rt_alloc(CELLS * sizeof(cell));
    uint32_t *order = rt_alloc(CELLS * 4);
    for (uint32_t i = 0; i < CELLS; i++) order[i] = i;
    for (uint32_t i = CELLS - 1; i > 0; i--) {
        uint32_t j = rt_rand_below(i + 1), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (uint32_t i = 0; i < CELLS; i++) {
        cells[order[i]].next = &cells[order[(i + 1) % CELLS]];
        cells[order[i]].value = i * 2654435761u;
    }
    uint32_t acc = 0;
    const cell *c = &cells[order[0]];
    for (uint32_t step = 0; step < (uint32_t)n * CELLS * 4; step++) {
        acc = acc * 33 + c->value;
        c = c->next;
    }
    rt_printf("chase %u steps: %08x\n", (uint32_t)n * CELLS * 4, acc);
    return 0;
}
