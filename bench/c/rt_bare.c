/*
 * The bare-machine side of the runtime: started by crt0.asm from a multiboot loader, output on
 * the debug console (port 0xE9), exit through the exit device (port 0xF4), a bump allocator over
 * the RAM after the kernel, and the C library functions gcc may call.
 */
#include "rt.h"

#define HEAP_END 0x7800000u /* 120 MiB: the benchmarks run with 128 MiB of RAM */

extern char _end[];

static inline void outb(uint16_t port, uint8_t v) {
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

void rt_putc(int c) {
    outb(0xE9, (uint8_t)c);
}

void rt_exit(int status) {
    outb(0xF4, (uint8_t)status);
    for (;;) __asm__ volatile("cli; hlt");
}


/* Called by crt0 with EAX and EBX as the multiboot loader left them. */
int rt_start(uint32_t magic, const uint32_t *info) {
    /* Copy the command line "NAME ARGS" (its ARGS) first: the loader keeps it after the kernel,
       where the heap goes. */
    if (magic == 0x2BADB002u && (info[0] & 4)) {
        const char *s = (const char *)info[4];
        while (*s && *s != ' ') s++;
        while (*s == ' ') s++;
        size_t i = 0;
        while (*s && i < sizeof rt_args_text - 1) rt_args_text[i++] = *s++;
        rt_args_text[i] = 0;
    }
    rt_heap = (char *)(((uintptr_t)_end + 0xFFFF) & ~(uintptr_t)0xFFFF);
    rt_heap_top = (char *)HEAP_END;
    return bench_main();
}

/* A simple C library subset, the way a small libc writes it: string instructions. */
void *memcpy(void *d, const void *s, size_t n) {
    void *r = d;
    __asm__ volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return r;
}

void *memmove(void *d, const void *s, size_t n) {
    if ((uintptr_t)d - (uintptr_t)s >= n) return memcpy(d, s, n);
    void *r = d;
    d = (char *)d + n - 1;
    s = (const char *)s + n - 1;
    __asm__ volatile("std; rep movsb; cld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    return r;
}

void *memset(void *d, int c, size_t n) {
    void *r = d;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(c) : "memory");
    return r;
}

int memcmp(const void *a, const void *b, size_t n) {
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++)
        if (*p != *q) return *p - *q;
    return 0;
}

size_t strlen(const char *s) {
    const char *p = s;
    while (*p) p++;
    return (size_t)(p - s);
}
