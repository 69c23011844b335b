/*
 * The small runtime shared by the compiled C benchmarks. The same benchmark object file links
 * either with rt_bare.c (a multiboot kernel: port 0xE9 output, port 0xF4 exit) or with rt_host.c
 * (a 32-bit Linux program), so both run exactly the same code and must print the same bytes.
 */
#ifndef KASOU_BENCH_RT_H
#define KASOU_BENCH_RT_H

#include <stddef.h>
#include <stdint.h>

/* Implemented by each benchmark: the work, its result lines, 0 on success. */
int bench_main(void);

/* Implemented by the platform (rt_bare.c or rt_host.c). */
void rt_putc(int c);
void rt_exit(int status) __attribute__((noreturn));
void *rt_alloc(size_t n);                /* 16-byte aligned, not cleared */
void *rt_mark(void);                     /* the allocator's position ... */
void rt_release(void *mark);             /* ... to go back to */
const char *rt_args(void);               /* the arguments, without the program's name */
/* Set by the start-up code (rt_bare.c, rt_host.c): the arguments' text and the allocator's heap. */
extern char rt_args_text[512];
extern char *rt_heap, *rt_heap_top;

/* Shared (rt_common.c). */
void *rt_calloc(size_t n);
void rt_puts(const char *s);
void rt_printf(const char *fmt, ...);    /* %d %u %x %s %c, %llu %llx; width and 0 flag */
int rt_arg(const char *key, int def);    /* KEY=NUMBER from the arguments, else def */
void rt_srand(uint32_t seed);
uint32_t rt_rand(void);                  /* xorshift32 */
uint32_t rt_rand_below(uint32_t n);
void rt_fail(const char *what) __attribute__((noreturn)); /* prints FAIL: what and exits with 1 */

/* The freestanding C library subset the compiler may call. */
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
void *memset(void *d, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);

#endif
