/*
 * A JSON tokenizer and recursive-descent parser over generated documents (objects, arrays,
 * strings with escapes, negative and positive integers, true/false/null), building a tree of
 * nodes in an arena and walking it: node counts, depth, the sum of all numbers, a hash of keys.
 */
#include "rt.h"

enum kind { J_NULL, J_FALSE, J_TRUE, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct node {
    uint8_t kind;
    int32_t num;
    const char *str; /* J_STR and object keys: start in the text (escapes kept), length */
    int32_t len;
    const char *key;
    int32_t key_len;
    struct node *child, *next;
} node;

/* ---- generating ---- */

static char *out;

static void put(const char *s) {
    while (*s) *out++ = *s++;
}

static void put_int(int32_t v) {
    char buf[12];
    int i = 0;
    uint32_t u = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
    if (v < 0) *out++ = '-';
    do { buf[i++] = (char)('0' + u % 10); u /= 10; } while (u);
    while (i) *out++ = buf[--i];
}

static void gen_string(void) {
    static const char *const parts[] = {"name", "id", "value", "items", "x", "kasou", "a\\\"b", "tab\\t", "\\u0041"};
    *out++ = '"';
    put(parts[rt_rand_below(9)]);
    if (rt_rand() & 1) put_int((int32_t)rt_rand_below(100));
    *out++ = '"';
}

static void gen_value(int depth) {
    uint32_t r = rt_rand_below(depth > 5 ? 6 : 10);
    switch (r) {
    case 0: put("null"); break;
    case 1: put(rt_rand() & 1 ? "true" : "false"); break;
    case 2: case 3: put_int((int32_t)(rt_rand() % 2000001) - 1000000); break;
    case 4: case 5: gen_string(); break;
    case 6: case 7: {
        int k = (int)rt_rand_below(6);
        *out++ = '[';
        for (int i = 0; i < k; i++) {
            if (i) put(", ");
            gen_value(depth + 1);
        }
        *out++ = ']';
        break;
    }
    default: {
        int k = (int)rt_rand_below(6);
        put("{\n");
        for (int i = 0; i < k; i++) {
            if (i) put(",\n");
            gen_string();
            put(": ");
            gen_value(depth + 1);
        }
        put("\n}");
        break;
    }
    }
}

/* ---- parsing ---- */

static const char *p;
static int parse_error;

static void skip_ws(void) {
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') p++;
}

static node *new_node(int kind) {
    node *n = rt_alloc(sizeof *n);
    n->kind = (uint8_t)kind;
    n->num = 0;
    n->str = n->key = 0;
    n->len = n->key_len = 0;
    n->child = n->next = 0;
    return n;
}

static int is_escape(char c) {
    const char *s = "\"\\/bfnrt";
    for (; *s; s++)
        if (*s == c) return 1;
    return 0;
}

static int parse_string(const char **start, int32_t *len) {
    if (*p != '"') return 0;
    *start = ++p;
    while (*p != '"') {
        if (!*p) return 0;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++) {
                    char c = p[i];
                    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return 0;
                }
                p += 4;
            } else if (!is_escape(*p)) {
                return 0;
            }
        }
        p++;
    }
    *len = (int32_t)(p - *start);
    p++;
    return 1;
}

static node *parse_value(void) {
    skip_ws();
    node *n;
    char c = *p;
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        n = new_node(c == '{' ? J_OBJ : J_ARR);
        p++;
        skip_ws();
        node **tail = &n->child;
        if (*p == close) {
            p++;
            return n;
        }
        for (;;) {
            const char *key = 0;
            int32_t key_len = 0;
            if (close == '}') {
                skip_ws();
                if (!parse_string(&key, &key_len)) { parse_error = 1; return n; }
                skip_ws();
                if (*p++ != ':') { parse_error = 1; return n; }
            }
            node *child = parse_value();
            if (parse_error) return n;
            child->key = key;
            child->key_len = key_len;
            *tail = child;
            tail = &child->next;
            skip_ws();
            if (*p == ',') { p++; continue; }
            if (*p == close) { p++; return n; }
            parse_error = 1;
            return n;
        }
    }
    if (c == '"') {
        n = new_node(J_STR);
        if (!parse_string(&n->str, &n->len)) parse_error = 1;
        return n;
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
        n = new_node(J_NUM);
        int neg = c == '-';
        if (neg) p++;
        int32_t v = 0;
        while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
        n->num = neg ? -v : v;
        return n;
    }
    static const char *const words[3] = {"null", "false", "true"};
    for (int k = 0; k < 3; k++) {
        const char *w = words[k];
        int i = 0;
        while (w[i] && p[i] == w[i]) i++;
        if (!w[i]) {
            p += i;
            return new_node(k);
        }
    }
    parse_error = 1;
    return new_node(J_NULL);
}

typedef struct {
    uint32_t nodes, depth, numbers, strings;
    int64_t sum;
    uint32_t keys;
} stats;

static void walk(const node *n, uint32_t depth, stats *s) {
    for (; n; n = n->next) {
        s->nodes++;
        if (depth > s->depth) s->depth = depth;
        for (int32_t i = 0; i < n->key_len; i++) s->keys = s->keys * 33 + (uint8_t)n->key[i];
        switch (n->kind) {
        case J_NUM: s->numbers++; s->sum += n->num; break;
        case J_STR: s->strings++; s->keys ^= (uint32_t)n->len; break;
        case J_ARR: case J_OBJ: walk(n->child, depth + 1, s); break;
        default: s->sum += n->kind; break;
        }
    }
}

int bench_main(void) {
    int n = rt_arg("n", 40);
    enum { TEXT = 256 * 1024 };
    char *text = rt_alloc(TEXT + 4096);
    rt_srand(0x15014);
    stats s = {0, 0, 0, 0, 0, 0};
    uint32_t bytes = 0;
    void *mark = rt_mark();
    for (int round = 0; round < n; round++) {
        /* a new document every fourth round; the parser runs on each */
        if ((round & 3) == 0) {
            out = text;
            *out++ = '[';
            for (int i = 0; out < text + (n < 16 ? n * TEXT / 16 : TEXT) - 4096; i++) {
                if (i) put(",\n");
                gen_value(0);
            }
            put("]");
            *out = 0;
        }
        rt_release(mark);
        p = text;
        parse_error = 0;
        node *root = parse_value();
        skip_ws();
        if (parse_error || *p) rt_fail("json parse error");
        walk(root, 0, &s);
        bytes += (uint32_t)(p - text);
    }
    rt_printf("parsed %u bytes: %u nodes, %u numbers, %u strings, depth %u\n", bytes, s.nodes, s.numbers,
              s.strings, s.depth);
    rt_printf("sum %lld keys %08x\n", s.sum, s.keys);
    return 0;
}
