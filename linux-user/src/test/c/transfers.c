/* Transfers between guest memory and files of many sizes, below and above the 64 KiB that kasou
 * moves through a buffer of each thread's own: each read, write, pread, pwrite, readv, writev and
 * pipe transfer moves exactly the bytes asked for (the file position and the bytes after the
 * buffer say so), whatever size came before it; and two threads reading at once each get their
 * own file's bytes. Runs in an empty working directory. */
#include <fcntl.h>
#include <pthread.h>
#include <sys/sendfile.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#define TOTAL 262144
static unsigned char src[TOTAL], dst[TOTAL + 64];

static unsigned char pattern(long i, int seed) { return (unsigned char) (i * 131 + (i >> 8) * 7 + seed); }

static uint32_t checksum(const unsigned char *p, long n) {
    uint32_t h = 2166136261u;
    for (long i = 0; i < n; i++) h = (h ^ p[i]) * 16777619u;
    return h;
}

/* Reads n bytes at the current position into dst with a guard of 0xEE after them; 1 if anything is off. */
static int readChecked(int fd, long pos, long n) {
    memset(dst, 0xEE, n + 64);
    long got = read(fd, dst, n);
    int bad = got != n || memcmp(dst, src + pos, n) != 0 || lseek(fd, 0, SEEK_CUR) != pos + n;
    for (int i = 0; i < 64; i++) bad |= dst[n + i] != 0xEE;
    return bad;
}

struct job { const char *name; uint32_t sum; };

static void *readAll(void *arg) {
    struct job *j = arg;
    static __thread unsigned char buf[5000];
    int fd = open(j->name, O_RDONLY);
    uint32_t h = 2166136261u;
    long n;
    while ((n = read(fd, buf, sizeof buf)) > 0) for (long i = 0; i < n; i++) h = (h ^ buf[i]) * 16777619u;
    close(fd);
    j->sum = h;
    return 0;
}

int main(void) {
    for (long i = 0; i < TOTAL; i++) src[i] = pattern(i, 1);
    int fd = open("t.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    static const long writes[] = {1, 7, 4096, 70000, 3, 65536, 65537, 13, 56951};
    long pos = 0;
    int bad = 0;
    for (unsigned i = 0; i < sizeof writes / sizeof *writes; i++) {
        bad |= write(fd, src + pos, writes[i]) != writes[i];
        pos += writes[i];
    }
    printf("written %ld bytes in %u writes, %d bad, file size %ld\n", pos, (unsigned) (sizeof writes / sizeof *writes), bad,
           (long) lseek(fd, 0, SEEK_END));

    lseek(fd, 0, SEEK_SET);
    static const long reads[] = {70000, 5, 65536, 1, 4096, 65537, 7, 3, 13};
    pos = 0;
    bad = 0;
    for (unsigned i = 0; i < sizeof reads / sizeof *reads; i++) {
        bad += readChecked(fd, pos, reads[i]);
        pos += reads[i];
    }
    long rest = read(fd, dst, TOTAL);
    printf("read back %ld bytes in %u reads, %d bad; then %ld more, the file's end %ld\n", pos,
           (unsigned) (sizeof reads / sizeof *reads), bad, rest, (long) read(fd, dst, 10));

    lseek(fd, 1000, SEEK_SET);
    bad = pwrite(fd, "XYZ", 3, 100000) != 3;
    unsigned char b[10];
    bad |= pread(fd, b, 10, 99998) != 10;
    printf("pwrite and pread: %02x %02x %s %02x, position %ld, %d bad\n", b[0], b[1], (char[]) {b[2], b[3], b[4], 0}, b[5],
           (long) lseek(fd, 0, SEEK_CUR), bad);
    bad = pread(fd, dst, 80000, 1000) != 80000 || memcmp(dst, src + 1000, 80000) != 0;
    printf("large pread at 1000: %d bad\n", bad);

    static unsigned char a1[10], a2[70000];
    for (int i = 0; i < 10; i++) a1[i] = pattern(i, 5);
    for (int i = 0; i < 70000; i++) a2[i] = pattern(i, 9);
    struct iovec out[2] = {{a1, 10}, {a2, 70000}};
    lseek(fd, 0, SEEK_END);
    long wv = writev(fd, out, 2);
    memset(a1, 0, 10);
    memset(a2, 0, 70000);
    lseek(fd, -70010, SEEK_END);
    long rv = readv(fd, out, 2);
    bad = 0;
    for (int i = 0; i < 10; i++) bad |= a1[i] != pattern(i, 5);
    for (int i = 0; i < 70000; i++) bad |= a2[i] != pattern(i, 9);
    printf("writev %ld, readv %ld, %d bad\n", wv, rv, bad);
    close(fd);

    int p[2];
    pipe(p);
    bad = write(p[1], src, 1000) != 1000;
    memset(dst, 0xEE, 1100);
    long r1 = read(p[0], dst, 600), r2 = read(p[0], dst + 600, 400);
    bad |= memcmp(dst, src, 1000) != 0 || dst[1000] != 0xEE;
    printf("pipe: %ld and %ld, %d bad\n", r1, r2, bad);

    fd = open("u.bin", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    for (long i = 0; i < TOTAL; i++) dst[i] = pattern(i, 3);
    write(fd, dst, TOTAL);
    close(fd);
    struct job j1 = {"t.bin", 0}, j2 = {"u.bin", 0};
    pthread_t t1, t2;
    pthread_create(&t1, 0, readAll, &j1);
    pthread_create(&t2, 0, readAll, &j2);
    pthread_join(t1, 0);
    pthread_join(t2, 0);
    printf("two threads: %s %s\n", j2.sum == checksum(dst, TOTAL) ? "right" : "WRONG", j1.sum != j2.sum ? "different" : "SAME");

    // sendfile as cat uses it: until it returns 0, each call moving what it moves
    int in = open("u.bin", O_RDONLY), copy = open("v.bin", O_CREAT | O_RDWR | O_TRUNC, 0644);
    long moved = 0, n;
    while ((n = sendfile(copy, in, 0, 1 << 22)) > 0) moved += n;
    lseek(copy, 0, SEEK_SET);
    memset(src, 0, TOTAL);
    bad = read(copy, src, TOTAL) != TOTAL || memcmp(src, dst, TOTAL) != 0;
    off_t at = 5000;
    long part = sendfile(copy, in, &at, 3), end = lseek(in, 0, SEEK_CUR);
    printf("sendfile: %ld bytes, %d bad; with an offset %ld, offset now %ld, the file's own position %ld\n", moved, bad, part, (long) at, end);
    return 0;
}
