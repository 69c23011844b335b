/* Every system call number with random arguments, 40 times each: zero, one, -1, small numbers,
 * random words, pointers into a buffer, a path, the last page, the kernel's half. The guest gets
 * results and errors; kasou must meet no case it did not foresee. Left out: calls that end the
 * process or its image, wait or sleep for a random time, signal, fork, remap or unmap its own
 * memory, change its TLS or its limits in ways that end it, write random bytes over its memory
 * (getrandom), or wait with a timeout read from random memory (65 years are as good as a hang), and the
 * SysV IPC calls (ipc() and 393-403: a semop waits, a shmat maps over the program). Usage: syscallfuzz [FROM TO [SEED]]; exits 0 when it went through them all. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static unsigned rnd_state = 12345;
static unsigned rnd(void) {
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 1 ^ (rnd_state << 17);
}

static char buf[65536] __attribute__((aligned(4096)));

static const int skip[] = {
    1, 2, 3, 7, 11, 20, 26, 27, 29, 31, 34, 37, 42, 45, 48, 67, 68, 72, 82, 87, 88, 90, 91, 96, 97, 102, 104, 113, 114,
    116, 117, 119, 120, 123, 125, 142, 145, 149, 162, 163, 166, 168, 172, 173, 174, 177, 179, 180, 187, 190, 192, 219, 224,
    238, 239, 240, 243, 252, 254, 255, 256, 258, 264, 267, 268, 270, 271, 284, 308, 309, 311, 312, 319, 322, 323, 331,
    333, 335, 349, 350, 355, 358, 359, 360, 386, 393, 394, 395, 396, 397, 398, 399, 400, 401, 402, 403, 405, 407, 413,
    414, 421, 422, 435, 441, 0};

static int skipped(int n) {
    for (int i = 0; skip[i]; i++) if (skip[i] == n) return 1;
    return n == 0;
}

static uint32_t arg(void) {
    switch (rnd() % 10) {
    case 0: return 0;
    case 1: return 1;
    case 2: return (uint32_t)-1;
    case 3: return rnd() % 64;
    case 4: return rnd();
    case 5: return (uint32_t)(uintptr_t)buf + (rnd() % 4096);
    case 6: return (uint32_t)(uintptr_t)"fuzzed";
    case 7: return 0xFFFFF000u;
    case 8: return 0xC0000000u + (rnd() % 4096);
    default: return (uint32_t)(uintptr_t)buf;
    }
}

int main(int argc, char **argv) {
    int from = argc > 2 ? atoi(argv[1]) : 0, to = argc > 2 ? atoi(argv[2]) : 460;
    if (argc > 3) rnd_state = (unsigned)atoi(argv[3]);
    for (int n = from; n < to; n++) {
        if (skipped(n)) continue;
        for (int k = 0; k < 40; k++) {
            memset(buf, 0, sizeof buf);
            syscall(n, arg(), arg(), arg(), arg(), arg(), arg());
        }
    }
    return 0;
}
