/*
 * File mappings: a file mapped privately reads as the file (past its end: zeros), after its
 * descriptor is closed too; a page not touched yet shows what was written to the file after the
 * mapping, a page written shows the write; MADV_DONTNEED on a written page gives the file's bytes
 * back; a mapping moved by mremap and a forked child read the file's bytes in pages untouched
 * before. (What mremap adds to a file mapping is not looked at: kasou gives it zeros, Linux the
 * file's bytes.)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096
#define SIZE (5 * PAGE + 100)

static unsigned char pattern(unsigned i) {
    return (unsigned char) (i * 7 + i / PAGE);
}

static unsigned sum(const unsigned char *p, unsigned n) {
    unsigned s = 0;
    for (unsigned i = 0; i < n; i++) s = s * 31 + p[i];
    return s;
}

int main(void) {
    const char *name = "mmapfile.dat";
    static unsigned char data[SIZE];
    for (unsigned i = 0; i < SIZE; i++) data[i] = pattern(i);
    int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, data, SIZE) != SIZE) {
        perror("create");
        return 1;
    }

    unsigned char *whole = mmap(0, 6 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    unsigned char *tail = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 3 * PAGE);
    if (whole == MAP_FAILED || tail == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    /* After the mapping, before any touch: the file changes at offset 3 * PAGE + 10. */
    if (pwrite(fd, "CHANGED", 7, 3 * PAGE + 10) != 7) perror("pwrite");
    close(fd);

    printf("whole: sum %08x of the file, first %u, last %u, after the end %u %u\n", sum(whole, 3 * PAGE),
           whole[0], whole[SIZE - 1], whole[SIZE], whole[5 * PAGE + PAGE - 1]);
    printf("untouched page shows the later write: %.7s\n", (const char *) whole + 3 * PAGE + 10);
    printf("offset mapping: %.7s, byte %u of page 1, sum %08x\n", (const char *) tail + 10, tail[PAGE + 5],
           sum(tail + PAGE, 100));

    tail[0] = 'w';
    tail[1] = 'x';
    printf("written: %c%c, file's page unchanged: %u\n", tail[0], tail[1], whole[3 * PAGE]);
    madvise(tail, PAGE, MADV_DONTNEED);
    printf("after MADV_DONTNEED: %u %u (file: %u %u)\n", tail[0], tail[1], pattern(3 * PAGE), pattern(3 * PAGE + 1));

    /* A mapping with no room to grow where it is: mremap moves it, pages untouched until then. */
    unsigned char *room = mmap(0, 4 * PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fd = open(name, O_RDONLY);
    unsigned char *moving = mmap(room, 3 * PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, PAGE);
    close(fd);
    unsigned char *moved = mremap(moving, 3 * PAGE, 6 * PAGE, MREMAP_MAYMOVE);
    if (room == MAP_FAILED || moving == MAP_FAILED || moved == MAP_FAILED) {
        perror("mremap");
        return 1;
    }
    printf("moved: %s, sum %08x\n", moved != moving ? "yes" : "no", sum(moved, 3 * PAGE));

    fd = open(name, O_RDONLY);
    unsigned char *shared = mmap(0, 2 * PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    close(fd);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        printf("child reads untouched pages: sum %08x\n", sum(shared, 2 * PAGE));
        fflush(stdout);
        _exit(0);
    }
    int status;
    waitpid(child, &status, 0);
    printf("parent: sum %08x, child status %d\n", sum(shared, 2 * PAGE), WEXITSTATUS(status));
    unlink(name);
    return 0;
}
