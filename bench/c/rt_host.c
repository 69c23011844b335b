/*
 * The Linux side of the runtime: the same benchmark object file as a 32-bit Linux program, whose
 * output is the reference for the emulated runs. Arguments are joined as on the multiboot command
 * line; output is buffered and written at exit.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rt.h"

#define HEAP_BYTES (119u << 20)

static char args[512];
static char *heap, *heap_top;
static char out[1 << 16];
static size_t out_len;

static void flush(void) {
    size_t off = 0;
    while (off < out_len) {
        ssize_t w = write(1, out + off, out_len - off);
        if (w <= 0) break;
        off += (size_t)w;
    }
    out_len = 0;
}

void rt_putc(int c) {
    if (out_len == sizeof out) flush();
    out[out_len++] = (char)c;
}

void rt_exit(int status) {
    flush();
    exit(status);
}

void *rt_alloc(size_t n) {
    n = (n + 15) & ~(size_t)15;
    if (n > (size_t)(heap_top - heap)) rt_fail("out of memory");
    void *p = heap;
    heap += n;
    return p;
}

void *rt_mark(void) { return heap; }
void rt_release(void *mark) { heap = mark; }
const char *rt_args(void) { return args; }

int main(int argc, char **argv) {
    size_t len = 0;
    for (int i = 1; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (len + n + 2 > sizeof args) break;
        if (len) args[len++] = ' ';
        memcpy(args + len, argv[i], n);
        len += n;
    }
    args[len] = 0;
    heap = malloc(HEAP_BYTES + 16);
    if (!heap) return 2;
    heap = (char *)(((uintptr_t)heap + 15) & ~(uintptr_t)15);
    heap_top = heap + HEAP_BYTES;
    int r = bench_main();
    flush();
    return r;
}
