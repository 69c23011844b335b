/* The socket families kasou has: AF_INET, AF_INET6 and AF_UNIX give a socket, every other family
 * EAFNOSUPPORT (a host kernel would give a netlink socket), so this program is run under kasou only. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int main(void) {
    int families[] = {AF_INET, AF_INET6, AF_NETLINK, AF_UNIX};
    for (int i = 0; i < 4; i++) {
        errno = 0;
        int fd = socket(families[i], SOCK_STREAM, 0);
        printf("socket(%d): %s %s\n", families[i], fd >= 0 ? "a descriptor" : "-1", strerror(errno));
    }
    return 0;
}
