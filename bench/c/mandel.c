/*
 * Floating-point code that branches on comparisons, on the x87 (KASOU_X87): the Mandelbrot set's
 * escape times over a grid, a sort of doubles (insertion sort into runs, then merges) and a
 * trapezoid integration with a data-dependent step. gcc compiles the comparisons to FUCOMIP and
 * FCOMIP (or FNSTSW AX). Prints counts, checksums and exact bit patterns, so any difference in
 * rounding or in a comparison's outcome shows.
 */
#include "rt.h"

static uint64_t bits_of(double v) {
    union { double d; uint64_t u; } b = {v};
    return b.u;
}

static uint32_t mandelbrot(int size, int limit) {
    uint32_t total = 0, inside = 0;
    for (int py = 0; py < size; py++) {
        double ci = -1.25 + 2.5 * py / size;
        for (int px = 0; px < size; px++) {
            double cr = -2.0 + 2.75 * px / size;
            double zr = 0, zi = 0;
            int k = 0;
            while (k < limit) {
                double zr2 = zr * zr, zi2 = zi * zi;
                if (zr2 + zi2 > 4.0) break;
                zi = 2 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                k++;
            }
            total += (uint32_t)k;
            if (k == limit) inside++;
        }
    }
    return total * 31 + inside;
}

static void insertion(double *a, int lo, int hi) {
    for (int i = lo + 1; i < hi; i++) {
        double v = a[i];
        int j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static void merge_sort(double *a, double *tmp, int n) {
    const int run = 16;
    for (int lo = 0; lo < n; lo += run) insertion(a, lo, lo + run < n ? lo + run : n);
    for (int width = run; width < n; width *= 2) {
        for (int lo = 0; lo < n; lo += 2 * width) {
            int mid = lo + width < n ? lo + width : n, hi = lo + 2 * width < n ? lo + 2 * width : n;
            int i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = a[j] < a[i] ? a[j++] : a[i++];
            while (i < mid) tmp[k++] = a[i++];
            while (j < hi) tmp[k++] = a[j++];
        }
        for (int k = 0; k < n; k++) a[k] = tmp[k];
    }
}

static double integrate(int steps) {
    double sum = 0, x = 0, h = 1.0 / steps;
    while (x < 3.0) {
        double f = x * x * (3.0 - x);
        double step = f > 1.0 ? h : 2 * h; /* finer where the curve is high */
        double g = (x + step) * (x + step) * (3.0 - x - step);
        sum += (f + g) * step / 2;
        x += step;
    }
    return sum;
}

int bench_main(void) {
    __asm__ volatile("fninit"); /* a bare machine starts with every x87 exception unmasked */
    int n = rt_arg("n", 500);
    rt_printf("mandelbrot %u\n", mandelbrot(n, 64));

    int count = 2000 * (n / 50 + 1);
    double *a = rt_alloc(count * sizeof *a), *tmp = rt_alloc(count * sizeof *a);
    rt_srand(12345);
    for (int i = 0; i < count; i++) a[i] = (double)(int32_t)rt_rand() / (double)(rt_rand() | 1);
    merge_sort(a, tmp, count);
    uint64_t check = 0;
    for (int i = 0; i < count; i++) {
        if (i > 0 && a[i - 1] > a[i]) rt_fail("not sorted");
        check = check * 1000003 + bits_of(a[i]);
    }
    rt_printf("sorted %d doubles, checksum %llx\n", count, (unsigned long long)check);

    double area = integrate(1000 * n);
    rt_printf("integral %llx\n", (unsigned long long)bits_of(area));
    return 0;
}
