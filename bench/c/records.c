/*
 * KASOU_X87: an array of records with byte, halfword and float fields updated by kind (a switch),
 * as C programs handle packed data: signed chars added to shorts (MOVSX into a word register),
 * fields negated and complemented in place, halfword arithmetic, and float averages and maxima
 * on the x87 (FCMOV selects the larger). The program does not execute FNINIT: a kernel loader
 * leaves the x87 as firmware does, in FNINIT's state, so the floats are rounded as natively.
 */
#include "rt.h"

typedef struct {
    unsigned char kind;
    signed char delta;
    unsigned short id;
    short x, y;
    unsigned flags;
    float weight;
} record;

#define COUNT 20000
static record records[COUNT];

int bench_main(void) {
    int n = rt_arg("n", 300);
    rt_srand(5);
    for (int i = 0; i < COUNT; i++) {
        records[i].kind = rt_rand() % 8;
        records[i].delta = (signed char)rt_rand();
        records[i].id = (unsigned short)i;
        records[i].x = (short)rt_rand();
        records[i].y = (short)rt_rand();
        records[i].flags = 0;
        records[i].weight = (float)(rt_rand() % 1000) / 8.0f;
    }
    uint32_t h = 0;
    float heaviest = 0, total = 0;
    for (int r = 0; r < n; r++) {
        for (int i = 0; i < COUNT; i++) {
            record *it = &records[i];
            switch (it->kind) {
            case 0: it->x += it->delta; break;
            case 1: it->y -= it->delta; break;
            case 2: it->x = (short)(it->x * 3 / 2); break;
            case 3: it->flags |= 1u << (it->id & 31); break;
            case 4: it->delta = (signed char)-it->delta; break;
            case 5: it->flags = ~it->flags; break;
            case 6: it->weight = it->weight * 0.75f + it->delta; break;
            default: it->kind = (unsigned char)((it->kind + it->id) % 8); break;
            }
            h += (unsigned short)it->x ^ (unsigned char)it->delta ^ it->flags;
            heaviest = it->weight > heaviest ? it->weight : heaviest;
            total += it->weight;
        }
        total *= 0.5f;
    }
    rt_printf("hash %x\n", h);
    rt_printf("heaviest %d total %d\n", (int)(heaviest * 1000), (int)total);
    return 0;
}
