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


int main(int argc, char **argv) {
    size_t len = 0;
    for (int i = 1; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (len + n + 2 > sizeof rt_args_text) break;
        if (len) rt_args_text[len++] = ' ';
        memcpy(rt_args_text + len, argv[i], n);
        len += n;
    }
    rt_args_text[len] = 0;
    rt_heap = malloc(HEAP_BYTES + 16);
    if (!rt_heap) return 2;
    rt_heap = (char *)(((uintptr_t)rt_heap + 15) & ~(uintptr_t)15);
    rt_heap_top = rt_heap + HEAP_BYTES;
    int r = bench_main();
    flush();
    return r;
}
