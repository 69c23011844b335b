/* Waits for ever: in poll with no descriptors, or (argv[1] "pipe") reading a pipe it also writes. */
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int main(int argc, char **argv) {
    printf("waiting\n");
    fflush(stdout);
    if (argc > 1 && !strcmp(argv[1], "pipe")) {
        int p[2];
        char c;
        pipe(p);
        read(p[0], &c, 1);
    } else {
        poll(NULL, 0, -1);
    }
    return 0;
}
