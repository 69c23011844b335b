/* The smallest check: stdio through write, and an exit status. */
#include <stdio.h>

int main(void) {
    printf("hello from a static i386 program\n");
    fprintf(stderr, "and a line on stderr\n");
    return 7;
}
