/* A compute-bound workload for kasou overhead: a sieve, integer hash mixing and a matrix multiply in doubles (x87). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 20000000;
    char *sieve = malloc(n + 1);
    memset(sieve, 1, n + 1);
    int primes = 0;
    for (int i = 2; i <= n; i++) if (sieve[i]) { primes++; if ((long long) i * i <= n) for (int j = i * i; j <= n; j += i) sieve[j] = 0; }
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++) { h ^= (uint32_t) i; h *= 16777619u; h = (h << 13) | (h >> 19); }
    enum { M = 160 };
    static double a[M][M], b[M][M], c[M][M];
    for (int i = 0; i < M; i++) for (int j = 0; j < M; j++) { a[i][j] = i + j * 0.5; b[i][j] = i - j * 0.25; }
    for (int r = 0; r < 4; r++)
        for (int i = 0; i < M; i++) for (int k = 0; k < M; k++) { double x = a[i][k]; for (int j = 0; j < M; j++) c[i][j] += x * b[k][j]; }
    printf("primes=%d hash=%08x c=%.3f\n", primes, h, c[M / 2][M / 3]);
    return 0;
}
