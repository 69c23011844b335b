/*
 * Subject program for the disassembler's agreement test against objdump.
 * It is never run by the tests: it exists so that a real compiler produces a
 * few thousand instructions of ordinary 32-bit code (integer, x87, and with
 * -msse4.2 SSE/MMX) whose listing kasou must reproduce.
 *
 * Contents: a tokenizer, parser and stack-machine interpreter for a tiny
 * expression language; sorting and hashing benchmarks; string handling;
 * floating-point statistics; 64-bit arithmetic; and, when the compiler
 * targets SSE4.2, vector intrinsics.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <math.h>
#include <setjmp.h>
#ifdef __SSE4_2__
#include <nmmintrin.h>
#include <mmintrin.h>
#endif

/* ---------- tokenizer ---------- */
enum tok { T_END, T_NUM, T_ID, T_PLUS, T_MINUS, T_MUL, T_DIV, T_MOD, T_LP, T_RP,
           T_ASSIGN, T_SEMI, T_LT, T_GT, T_EQ, T_WHILE, T_PRINT, T_LB, T_RB, T_IF };

struct lexer { const char *p; enum tok tok; int32_t num; char id[16]; };

static jmp_buf fail_jmp;

static void fail(const char *msg) {
    fprintf(stderr, "error: %s\n", msg);
    longjmp(fail_jmp, 1);
}

static void next(struct lexer *lx) {
    while (*lx->p == ' ' || *lx->p == '\n' || *lx->p == '\t') lx->p++;
    char c = *lx->p;
    if (c == 0) { lx->tok = T_END; return; }
    if (c >= '0' && c <= '9') {
        int32_t v = 0;
        while (*lx->p >= '0' && *lx->p <= '9') v = v * 10 + (*lx->p++ - '0');
        lx->num = v; lx->tok = T_NUM; return;
    }
    if ((c >= 'a' && c <= 'z') || c == '_') {
        int n = 0;
        while (((*lx->p >= 'a' && *lx->p <= 'z') || *lx->p == '_') && n < 15) lx->id[n++] = *lx->p++;
        lx->id[n] = 0;
        if (!strcmp(lx->id, "while")) lx->tok = T_WHILE;
        else if (!strcmp(lx->id, "print")) lx->tok = T_PRINT;
        else if (!strcmp(lx->id, "if")) lx->tok = T_IF;
        else lx->tok = T_ID;
        return;
    }
    lx->p++;
    switch (c) {
    case '+': lx->tok = T_PLUS; break;
    case '-': lx->tok = T_MINUS; break;
    case '*': lx->tok = T_MUL; break;
    case '/': lx->tok = T_DIV; break;
    case '%': lx->tok = T_MOD; break;
    case '(': lx->tok = T_LP; break;
    case ')': lx->tok = T_RP; break;
    case '{': lx->tok = T_LB; break;
    case '}': lx->tok = T_RB; break;
    case ';': lx->tok = T_SEMI; break;
    case '<': lx->tok = T_LT; break;
    case '>': lx->tok = T_GT; break;
    case '=':
        if (*lx->p == '=') { lx->p++; lx->tok = T_EQ; } else lx->tok = T_ASSIGN;
        break;
    default: fail("bad character");
    }
}

/* ---------- code generation for a stack machine ---------- */
enum op { OP_PUSH, OP_LOAD, OP_STORE, OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_MOD, OP_LT,
          OP_GT, OP_EQ, OP_JZ, OP_JMP, OP_PRINT, OP_HALT, OP_NEG };

struct program { int32_t code[1024]; int len; char names[26][16]; int nnames; };

static void emit(struct program *pg, int32_t w) {
    if (pg->len >= 1024) fail("program too long");
    pg->code[pg->len++] = w;
}

static int slot(struct program *pg, const char *name) {
    for (int i = 0; i < pg->nnames; i++)
        if (!strcmp(pg->names[i], name)) return i;
    if (pg->nnames == 26) fail("too many variables");
    strcpy(pg->names[pg->nnames], name);
    return pg->nnames++;
}

static void expr(struct lexer *lx, struct program *pg);

static void primary(struct lexer *lx, struct program *pg) {
    switch (lx->tok) {
    case T_NUM: emit(pg, OP_PUSH); emit(pg, lx->num); next(lx); break;
    case T_ID: emit(pg, OP_LOAD); emit(pg, slot(pg, lx->id)); next(lx); break;
    case T_MINUS: next(lx); primary(lx, pg); emit(pg, OP_NEG); break;
    case T_LP:
        next(lx); expr(lx, pg);
        if (lx->tok != T_RP) fail("expected )");
        next(lx); break;
    default: fail("expected expression");
    }
}

static void term(struct lexer *lx, struct program *pg) {
    primary(lx, pg);
    for (;;) {
        enum tok t = lx->tok;
        if (t != T_MUL && t != T_DIV && t != T_MOD) return;
        next(lx); primary(lx, pg);
        emit(pg, t == T_MUL ? OP_MUL : t == T_DIV ? OP_DIV : OP_MOD);
    }
}

static void sum(struct lexer *lx, struct program *pg) {
    term(lx, pg);
    while (lx->tok == T_PLUS || lx->tok == T_MINUS) {
        enum tok t = lx->tok;
        next(lx); term(lx, pg);
        emit(pg, t == T_PLUS ? OP_ADD : OP_SUB);
    }
}

static void expr(struct lexer *lx, struct program *pg) {
    sum(lx, pg);
    if (lx->tok == T_LT || lx->tok == T_GT || lx->tok == T_EQ) {
        enum tok t = lx->tok;
        next(lx); sum(lx, pg);
        emit(pg, t == T_LT ? OP_LT : t == T_GT ? OP_GT : OP_EQ);
    }
}

static void statement(struct lexer *lx, struct program *pg) {
    if (lx->tok == T_PRINT) {
        next(lx); expr(lx, pg); emit(pg, OP_PRINT);
    } else if (lx->tok == T_WHILE || lx->tok == T_IF) {
        int loop = lx->tok == T_WHILE;
        int top = pg->len;
        next(lx); expr(lx, pg);
        emit(pg, OP_JZ); int patch = pg->len; emit(pg, 0);
        if (lx->tok != T_LB) fail("expected {");
        next(lx);
        while (lx->tok != T_RB) statement(lx, pg);
        next(lx);
        if (loop) { emit(pg, OP_JMP); emit(pg, top); }
        pg->code[patch] = pg->len;
        return;
    } else if (lx->tok == T_ID) {
        int s = slot(pg, lx->id);
        next(lx);
        if (lx->tok != T_ASSIGN) fail("expected =");
        next(lx); expr(lx, pg);
        emit(pg, OP_STORE); emit(pg, s);
    } else fail("expected statement");
    if (lx->tok != T_SEMI) fail("expected ;");
    next(lx);
}

static int compile(const char *src, struct program *pg) {
    struct lexer lx = { src };
    memset(pg, 0, sizeof *pg);
    if (setjmp(fail_jmp)) return -1;
    next(&lx);
    while (lx.tok != T_END) statement(&lx, pg);
    emit(pg, OP_HALT);
    return 0;
}

static int64_t run(const struct program *pg, int32_t *vars, char *out, size_t outsz) {
    int32_t stack[64]; int sp = 0; int pc = 0; int64_t steps = 0; size_t o = 0;
    for (;;) {
        steps++;
        int32_t a, b;
        switch (pg->code[pc++]) {
        case OP_PUSH: stack[sp++] = pg->code[pc++]; break;
        case OP_LOAD: stack[sp++] = vars[pg->code[pc++]]; break;
        case OP_STORE: vars[pg->code[pc++]] = stack[--sp]; break;
        case OP_ADD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a + b; break;
        case OP_SUB: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a - b; break;
        case OP_MUL: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a * b; break;
        case OP_DIV: b = stack[--sp]; a = stack[--sp]; stack[sp++] = b ? a / b : 0; break;
        case OP_MOD: b = stack[--sp]; a = stack[--sp]; stack[sp++] = b ? a % b : 0; break;
        case OP_LT: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a < b; break;
        case OP_GT: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a > b; break;
        case OP_EQ: b = stack[--sp]; a = stack[--sp]; stack[sp++] = a == b; break;
        case OP_NEG: stack[sp - 1] = -stack[sp - 1]; break;
        case OP_JZ: a = stack[--sp]; if (!a) pc = pg->code[pc]; else pc++; break;
        case OP_JMP: pc = pg->code[pc]; break;
        case OP_PRINT:
            o += snprintf(out + o, o < outsz ? outsz - o : 0, "%d\n", stack[--sp]);
            break;
        case OP_HALT: return steps;
        default: return -steps;
        }
    }
}

/* ---------- sorting ---------- */
static uint32_t rng_state = 2463534242u;
static uint32_t xorshift(void) {
    uint32_t x = rng_state;
    x ^= x << 13; x ^= x >> 17; x ^= x << 5;
    return rng_state = x;
}

static void insertion_sort(int32_t *a, int n) {
    for (int i = 1; i < n; i++) {
        int32_t v = a[i]; int j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void quick_sort(int32_t *a, int lo, int hi) {
    while (hi - lo > 16) {
        int32_t p = a[lo + (hi - lo) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { int32_t t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j - lo < hi - i) { quick_sort(a, lo, j); lo = i; }
        else { quick_sort(a, i, hi); hi = j; }
    }
    insertion_sort(a + lo, hi - lo + 1);
}

static void merge_sort(uint16_t *a, uint16_t *tmp, int n) {
    for (int width = 1; width < n; width *= 2) {
        for (int i = 0; i < n; i += 2 * width) {
            int l = i, m = i + width < n ? i + width : n, r = i + 2 * width < n ? i + 2 * width : n;
            int x = l, y = m, k = l;
            while (x < m && y < r) tmp[k++] = a[x] <= a[y] ? a[x++] : a[y++];
            while (x < m) tmp[k++] = a[x++];
            while (y < r) tmp[k++] = a[y++];
        }
        memcpy(a, tmp, n * sizeof *a);
    }
}

static void sift(int8_t *a, int start, int end) {
    int root = start;
    while (2 * root + 1 <= end) {
        int child = 2 * root + 1;
        if (child + 1 <= end && a[child] < a[child + 1]) child++;
        if (a[root] < a[child]) { int8_t t = a[root]; a[root] = a[child]; a[child] = t; root = child; }
        else return;
    }
}

static void heap_sort(int8_t *a, int n) {
    for (int s = (n - 2) / 2; s >= 0; s--) sift(a, s, n - 1);
    for (int e = n - 1; e > 0; e--) { int8_t t = a[e]; a[e] = a[0]; a[0] = t; sift(a, 0, e - 1); }
}

static int cmp_double(const void *x, const void *y) {
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/* ---------- hashing ---------- */
static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32_sw(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n--) c = crc_table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return ~c;
}

static uint32_t fnv1a(const char *s) {
    uint32_t h = 2166136261u;
    while (*s) { h ^= (uint8_t)*s++; h *= 16777619u; }
    return h;
}

static uint64_t murmur64(uint64_t k) {
    k ^= k >> 33; k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33; k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

struct entry { char key[24]; int count; struct entry *next; };
struct table { struct entry *buckets[64]; struct entry pool[512]; int used; };

static struct entry *lookup(struct table *t, const char *key, int create) {
    uint32_t h = fnv1a(key) & 63;
    for (struct entry *e = t->buckets[h]; e; e = e->next)
        if (!strcmp(e->key, key)) return e;
    if (!create || t->used == 512) return NULL;
    struct entry *e = &t->pool[t->used++];
    strncpy(e->key, key, sizeof e->key - 1);
    e->key[sizeof e->key - 1] = 0;
    e->count = 0; e->next = t->buckets[h]; t->buckets[h] = e;
    return e;
}

/* ---------- strings ---------- */
static void reverse(char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n / 2; i++) { char c = s[i]; s[i] = s[n - 1 - i]; s[n - 1 - i] = c; }
}

static char *utoa_base(uint32_t v, char *buf, unsigned base) {
    static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    char *p = buf;
    do { *p++ = digits[v % base]; v /= base; } while (v);
    *p = 0;
    reverse(buf);
    return buf;
}

static const char *find(const char *hay, const char *needle) {
    size_t n = strlen(needle);
    if (!n) return hay;
    for (; *hay; hay++)
        if (*hay == *needle && !memcmp(hay, needle, n)) return hay;
    return NULL;
}

static int word_count(struct table *t, char *text) {
    int words = 0;
    for (char *w = strtok(text, " ,.;:!?\n"); w; w = strtok(NULL, " ,.;:!?\n")) {
        for (char *c = w; *c; c++) if (*c >= 'A' && *c <= 'Z') *c += 32;
        struct entry *e = lookup(t, w, 1);
        if (e) e->count++;
        words++;
    }
    return words;
}

static void caesar(char *s, int shift) {
    for (; *s; s++) {
        if (*s >= 'a' && *s <= 'z') *s = 'a' + (*s - 'a' + shift) % 26;
        else if (*s >= 'A' && *s <= 'Z') *s = 'A' + (*s - 'A' + shift) % 26;
    }
}

/* ---------- floating point ---------- */
struct stats { double mean, stddev, min, max; float median; long double sum; };

static struct stats describe(double *x, int n) {
    struct stats s = { 0, 0, x[0], x[0], 0, 0 };
    for (int i = 0; i < n; i++) {
        s.sum += x[i];
        if (x[i] < s.min) s.min = x[i];
        if (x[i] > s.max) s.max = x[i];
    }
    s.mean = (double)(s.sum / n);
    double var = 0;
    for (int i = 0; i < n; i++) var += (x[i] - s.mean) * (x[i] - s.mean);
    s.stddev = sqrt(var / (n - 1));
    qsort(x, n, sizeof *x, cmp_double);
    s.median = (float)(n & 1 ? x[n / 2] : (x[n / 2 - 1] + x[n / 2]) / 2);
    return s;
}

static int mandelbrot(int w, int h, int iters) {
    int inside = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float cr = -2.0f + 3.0f * x / w, ci = -1.5f + 3.0f * y / h;
            float zr = 0, zi = 0; int k = 0;
            while (k < iters && zr * zr + zi * zi < 4.0f) {
                float t = zr * zr - zi * zi + cr; zi = 2 * zr * zi + ci; zr = t; k++;
            }
            inside += k == iters;
        }
    return inside;
}

static double integrate(double (*f)(double), double a, double b, int n) {
    double h = (b - a) / n, s = 0.5 * (f(a) + f(b));
    for (int i = 1; i < n; i++) s += f(a + i * h);
    return s * h;
}

static double gauss(double x) { return exp(-x * x / 2) / sqrt(2 * M_PI); }

static long to_fixed(double v) { return lrint(v * 65536.0); }

static int32_t round_trip(float f) { return (int32_t)f + (int32_t)(double)(int64_t)(f * 3); }

/* ---------- 64-bit and bit tricks ---------- */
static uint64_t gcd64(uint64_t a, uint64_t b) { while (b) { uint64_t t = a % b; a = b; b = t; } return a; }

static int64_t muldiv(int64_t a, int64_t b, int64_t c) { return c ? a * b / c : 0; }

static unsigned bits(uint32_t v) {
    return __builtin_popcount(v) + (v ? __builtin_clz(v) + __builtin_ctz(v) : 0)
        + (__builtin_bswap32(v) >> 28) + __builtin_parity(v);
}

static uint64_t rotl64(uint64_t v, int n) { n &= 63; return n ? v << n | v >> (64 - n) : v; }

static int16_t saturate16(int32_t v) { return v > 32767 ? 32767 : v < -32768 ? -32768 : (int16_t)v; }

/* ---------- vector code (only when targeting SSE4.2) ---------- */
#ifdef __SSE4_2__
static uint32_t crc32_hw(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n >= 4) { uint32_t w; memcpy(&w, p, 4); c = _mm_crc32_u32(c, w); p += 4; n -= 4; }
    while (n--) c = _mm_crc32_u8(c, *p++);
    return ~c;
}

static int first_vowel(const char *s) {
    const __m128i set = _mm_setr_epi8('a', 'e', 'i', 'o', 'u', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    __m128i chunk; memcpy(&chunk, s, 16);
    return _mm_cmpistri(set, chunk, _SIDD_UBYTE_OPS | _SIDD_CMP_EQUAL_ANY);
}

static int32_t dot16(const int16_t *a, const int16_t *b, int n) {
    __m128i acc = _mm_setzero_si128();
    for (int i = 0; i + 8 <= n; i += 8) {
        __m128i x = _mm_loadu_si128((const __m128i *)(a + i));
        __m128i y = _mm_loadu_si128((const __m128i *)(b + i));
        acc = _mm_add_epi32(acc, _mm_madd_epi16(x, y));
    }
    acc = _mm_hadd_epi32(acc, acc);
    acc = _mm_hadd_epi32(acc, acc);
    return _mm_cvtsi128_si32(acc) + _mm_extract_epi32(_mm_max_epi32(acc, _mm_shuffle_epi32(acc, 0x1b)), 2);
}

static void blend_floats(float *d, const float *a, const float *b, int n) {
    for (int i = 0; i + 4 <= n; i += 4) {
        __m128 x = _mm_loadu_ps(a + i), y = _mm_loadu_ps(b + i);
        __m128 m = _mm_cmplt_ps(x, y);
        __m128 r = _mm_blendv_ps(_mm_sqrt_ps(_mm_max_ps(x, _mm_setzero_ps())), _mm_mul_ps(y, _mm_rcp_ps(y)), m);
        r = _mm_round_ps(_mm_add_ps(r, _mm_shuffle_ps(r, r, 0xb1)), _MM_FROUND_TO_NEAREST_INT);
        _mm_storeu_ps(d + i, _mm_dp_ps(r, x, 0xf1));
    }
}

static int64_t mmx_sum(const int16_t *a, int n) {
    __m64 acc = _mm_setzero_si64();
    for (int i = 0; i + 4 <= n; i += 4) {
        __m64 v; memcpy(&v, a + i, 8);
        acc = _mm_adds_pi16(acc, _mm_srai_pi16(v, 1));
        acc = _mm_xor_si64(acc, _mm_unpacklo_pi16(v, acc));
    }
    int64_t r; memcpy(&r, &acc, 8);
    _mm_empty();
    return r;
}

static double dpd(const double *a, const double *b) {
    __m128d x = _mm_loadu_pd(a), y = _mm_loadu_pd(b);
    __m128d r = _mm_dp_pd(x, y, 0x31);
    r = _mm_add_sd(r, _mm_unpackhi_pd(x, _mm_min_pd(x, y)));
    return _mm_cvtsd_f64(_mm_floor_sd(r, r)) + _mm_cvtss_f32(_mm_cvtsd_ss(_mm_setzero_ps(), r));
}
#endif

/* ---------- driver ---------- */
static const char *const sample_program =
    "n = 10; a = 0; b = 1; i = 0;\n"
    "while i < n { print a; t = a + b; a = b; b = t; i = i + 1; }\n"
    "x = 1000; s = 0; while x > 0 { if x % 3 == 0 { s = s + x; } x = x - 1; } print s;\n"
    "print (7 * -3 + 100) / 4 % 7;\n";

static const char *const sample_text =
    "It was the best of times, it was the worst of times, it was the age of wisdom, "
    "it was the age of foolishness, it was the epoch of belief, it was the epoch of "
    "incredulity, it was the season of Light, it was the season of Darkness.";

int main(int argc, char **argv) {
    static struct program pg;
    static struct table words;
    static int32_t ints[4096];
    static uint16_t shorts[2048], tmp[2048];
    static int8_t bytes[1024];
    static double samples[1000];
    static char out[4096];
    int32_t vars[26] = { 0 };
    uint32_t check = 0;
    int scale = argc > 1 ? atoi(argv[1]) : 1;

    if (compile(sample_program, &pg) == 0) {
        int64_t steps = run(&pg, vars, out, sizeof out);
        printf("vm: %lld steps\n%s", (long long)steps, out);
    }
    if (compile("x = (1 + ;", &pg) != 0) puts("vm: syntax error detected");

    for (int r = 0; r < scale; r++) {
        for (int i = 0; i < 4096; i++) ints[i] = (int32_t)xorshift();
        quick_sort(ints, 0, 4095);
        for (int i = 1; i < 4096; i++) if (ints[i - 1] > ints[i]) { puts("quick_sort failed"); return 1; }
        for (int i = 0; i < 2048; i++) shorts[i] = (uint16_t)xorshift();
        merge_sort(shorts, tmp, 2048);
        for (int i = 0; i < 1024; i++) bytes[i] = (int8_t)xorshift();
        heap_sort(bytes, 1024);
        check += (uint32_t)ints[100] ^ shorts[7] ^ (uint32_t)bytes[1000];
    }
    printf("sort check: %08x\n", check);

    crc_init();
    printf("crc32: %08x fnv: %08x murmur: %016llx\n", crc32_sw((const uint8_t *)sample_text, strlen(sample_text)),
           fnv1a(sample_text), (unsigned long long)murmur64(0x123456789abcdefULL));

    char *text = strdup(sample_text);
    int n = word_count(&words, text);
    struct entry *e = lookup(&words, "it", 0);
    printf("words: %d distinct: %d 'it': %d\n", n, words.used, e ? e->count : 0);
    free(text);

    char buf[40], msg[64];
    printf("hex %s oct %s b36 %s\n", utoa_base(0xdeadbeef, buf, 16), utoa_base(511, buf + 12, 8), utoa_base(123456789, buf + 24, 36));
    strcpy(msg, "Hello, World");
    caesar(msg, 13);
    const char *f = find(sample_text, "wisdom");
    printf("rot13: %s find: %ld\n", msg, f ? (long)(f - sample_text) : -1L);

    for (int i = 0; i < 1000; i++) samples[i] = (double)(xorshift() % 10000) / 100.0 - 50.0;
    struct stats s = describe(samples, 1000);
    printf("mean %.3f sd %.3f min %.2f max %.2f median %.2f sum %.2Lf\n", s.mean, s.stddev, s.min, s.max, s.median, s.sum);
    printf("mandelbrot: %d\n", mandelbrot(64, 32, 200));
    printf("integral: %.6f fixed: %ld rt: %d\n", integrate(gauss, -3, 3, 600), to_fixed(3.14159), round_trip(2.75f));
    printf("atan2 %.4f pow %.4f fmod %.4f floor %.1f\n", atan2(1.0, 2.0), pow(1.5, 2.5), fmod(10.5, 3.0), floor(-2.5));

    printf("gcd %llu muldiv %lld bits %u rotl %016llx sat %d\n", (unsigned long long)gcd64(1071ULL << 20, 462ULL << 18),
           (long long)muldiv(123456789012LL, -987, 31), bits(0x00f0f000u), (unsigned long long)rotl64(0x8000000000000001ULL, scale + 3),
           saturate16(40000 * scale));
#ifdef __SSE4_2__
    static int16_t va[64], vb[64];
    static float fa[16], fb[16], fd[16];
    static double da[2] = { 1.5, 2.5 }, db[2] = { 3.0, -1.0 };
    for (int i = 0; i < 64; i++) { va[i] = (int16_t)(i * 37 - 900); vb[i] = (int16_t)(i * 11); }
    for (int i = 0; i < 16; i++) { fa[i] = i * 0.75f - 3; fb[i] = 16 - i * 1.25f; }
    blend_floats(fd, fa, fb, 16);
    printf("sse: crc %08x vowel %d dot %d blend %.3f mmx %lld dpd %.3f\n",
           crc32_hw((const uint8_t *)sample_text, strlen(sample_text)), first_vowel("rhythm and blues!"),
           dot16(va, vb, 64), fd[5], (long long)mmx_sum(va, 64), dpd(da, db));
#endif
    return 0;
}
