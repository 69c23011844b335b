/* kasou has no network: socket() fails with EAFNOSUPPORT for every family (a host kernel would
 * give an AF_INET socket), so this program is run under kasou only. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int main(void) {
    int families[] = {AF_INET, AF_INET6, AF_UNIX};
    for (int i = 0; i < 3; i++) {
        errno = 0;
        int fd = socket(families[i], SOCK_STREAM, 0);
        printf("socket(%d): %d %s\n", families[i], fd, strerror(errno));
    }
    return 0;
}
