/* Heap traffic: many small blocks (brk), large ones (mmap), realloc growth (mremap), and a checksum
 * over everything so that a wrong byte anywhere shows. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(void) {
    enum { N = 20000 };
    static unsigned char *blocks[N];
    static size_t sizes[N];
    uint32_t seed = 12345, sum = 0;
    for (int round = 0; round < 4; round++) {
        for (int i = 0; i < N; i++) {
            seed = seed * 1103515245u + 12345u;
            size_t size = (seed >> 8) % (i % 97 == 0 ? 300000 : 200) + 1;
            if (blocks[i] && (seed & 1)) {
                for (size_t k = 0; k < sizes[i]; k++) sum = sum * 31 + blocks[i][k];
                free(blocks[i]);
                blocks[i] = NULL;
            }
            if (!blocks[i]) {
                blocks[i] = malloc(size);
                if (!blocks[i]) { printf("malloc failed\n"); return 1; }
                sizes[i] = size;
                memset(blocks[i], (int) (seed >> 16), size);
            } else {
                unsigned char *p = realloc(blocks[i], sizes[i] + size);
                if (!p) { printf("realloc failed\n"); return 1; }
                memset(p + sizes[i], (int) (seed >> 20), size);
                blocks[i] = p;
                sizes[i] += size;
            }
        }
    }
    size_t total = 0;
    for (int i = 0; i < N; i++) {
        for (size_t k = 0; k < sizes[i]; k++) sum = sum * 31 + blocks[i][k];
        total += sizes[i];
        free(blocks[i]);
    }
    char *big = malloc(64 << 20);
    big[0] = 1;
    big[(64 << 20) - 1] = 2;
    printf("big ends: %d %d\n", big[0], big[(64 << 20) - 1]);
    free(big);
    printf("live bytes at the end: %zu\nchecksum: %08x\n", total, sum);
    return 0;
}
