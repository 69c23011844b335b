/*
 * Recursive quicksort (median of three, insertion sort for short ranges) of n * 16 Ki
 * pseudo-random ints, then a check that the result is sorted and a permutation of the input.
 */
#include "rt.h"

static void insertion(int32_t *a, int lo, int hi) {
    for (int i = lo + 1; i <= hi; i++) {
        int32_t v = a[i];
        int j = i - 1;
        while (j >= lo && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static inline void swap(int32_t *a, int i, int j) {
    int32_t t = a[i];
    a[i] = a[j];
    a[j] = t;
}

static void quicksort(int32_t *a, int lo, int hi) {
    if (hi - lo < 16) {
        insertion(a, lo, hi);
        return;
    }
    int mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    int32_t pivot = a[mid];
    int i = lo, j = hi;
    while (i <= j) {
        while (a[i] < pivot) i++;
        while (a[j] > pivot) j--;
        if (i <= j) swap(a, i++, j--);
    }
    quicksort(a, lo, j);
    quicksort(a, i, hi);
}

int bench_main(void) {
    int n = rt_arg("n", 64);
    int count = n * 16384;
    int32_t *a = rt_alloc((size_t)count * 4);
    rt_srand(0x9e3779b9);
    uint32_t sum_in = 0, xor_in = 0;
    for (int i = 0; i < count; i++) {
        int32_t v = (int32_t)rt_rand() >> (i & 7); /* negatives, and many duplicates among the small values */
        a[i] = v;
        sum_in += (uint32_t)v;
        xor_in ^= (uint32_t)v * 2654435761u;
    }
    quicksort(a, 0, count - 1);
    uint32_t sum_out = 0, xor_out = 0, weighted = 0;
    int sorted = 1;
    for (int i = 0; i < count; i++) {
        if (i && a[i - 1] > a[i]) sorted = 0;
        sum_out += (uint32_t)a[i];
        xor_out ^= (uint32_t)a[i] * 2654435761u;
        weighted += (uint32_t)a[i] * (uint32_t)(i + 1);
    }
    rt_printf("sorted %d ints: %s\n", count, sorted ? "ok" : "NOT SORTED");
    rt_printf("min %d median %d max %d\n", a[0], a[count / 2], a[count - 1]);
    rt_printf("sum %08x xor %08x weighted %08x\n", sum_out, xor_out, weighted);
    if (!sorted || sum_in != sum_out || xor_in != xor_out) rt_fail("quicksort");
    return 0;
}
