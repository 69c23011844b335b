/* Extended attributes in the user namespace: set, get, list and remove through a path, a
 * symbolic link (l*) and a descriptor (f*); the size queries (size 0), ERANGE for a short buffer,
 * XATTR_CREATE and XATTR_REPLACE, ENODATA for a missing attribute, other namespaces. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>

static void report(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static void list(const char *what, long n, const char *buf) {
    if (n < 0) {
        report(what, n);
        return;
    }
    printf("%s (%ld bytes):", what, n);
    /* The order of names is the file system's: print them sorted by their first letter after "user.". */
    for (char c = 'a'; c <= 'z'; c++)
        for (long i = 0; i < n; i += strlen(buf + i) + 1)
            if (strncmp(buf + i, "user.", 5) == 0 && buf[i + 5] == c) printf(" %s", buf + i);
    printf("\n");
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    const char *f = "xattr.tmp";
    unlink(f);
    int fd = open(f, O_RDWR | O_CREAT | O_TRUNC, 0600);
    char buf[256];
    long n = listxattr(f, buf, sizeof buf);
    list("list of a new file", n, buf);
    report("set user.colour", setxattr(f, "user.colour", "blue", 4, 0));
    report("set user.size", setxattr(f, "user.size", "42", 2, 0));
    report("set user.empty", setxattr(f, "user.empty", "", 0, 0));
    report("size of user.colour", getxattr(f, "user.colour", NULL, 0));
    memset(buf, 0, sizeof buf);
    report("get user.colour", getxattr(f, "user.colour", buf, sizeof buf));
    printf("value: %s\n", buf);
    report("get user.empty", getxattr(f, "user.empty", buf, sizeof buf));
    report("get into 2 bytes", getxattr(f, "user.colour", buf, 2));
    report("get a missing one", getxattr(f, "user.missing", buf, sizeof buf));
    report("create an existing one", setxattr(f, "user.colour", "red", 3, XATTR_CREATE));
    report("replace a missing one", setxattr(f, "user.nothere", "x", 1, XATTR_REPLACE));
    report("replace user.colour", setxattr(f, "user.colour", "green", 5, XATTR_REPLACE));
    memset(buf, 0, sizeof buf);
    fgetxattr(fd, "user.colour", buf, sizeof buf);
    printf("through the descriptor: %s\n", buf);
    report("fset user.fd", fsetxattr(fd, "user.fd", "via fd", 6, 0));
    report("size of the list", listxattr(f, NULL, 0));
    n = listxattr(f, buf, sizeof buf);
    list("list", n, buf);
    report("list into 3 bytes", listxattr(f, buf, 3));
    n = flistxattr(fd, buf, sizeof buf);
    list("flist", n, buf);
    report("remove user.size", removexattr(f, "user.size"));
    report("remove it again", removexattr(f, "user.size"));
    report("fremove user.fd", fremovexattr(fd, "user.fd"));
    n = listxattr(f, buf, sizeof buf);
    list("list after removing", n, buf);
    report("a name without a namespace", setxattr(f, "colour", "x", 1, 0));
    report("get a missing security one", getxattr(f, "security.nothing", buf, sizeof buf));
    report("a missing file", getxattr("xattr.none", "user.colour", buf, sizeof buf));
    symlink(f, "xattr.lnk");
    memset(buf, 0, sizeof buf);
    report("get through the link", getxattr("xattr.lnk", "user.colour", buf, sizeof buf));
    report("lget on the link itself", lgetxattr("xattr.lnk", "user.colour", buf, sizeof buf));
    report("lset on the link itself", lsetxattr("xattr.lnk", "user.colour", "x", 1, 0));
    unlink("xattr.lnk");
    close(fd);
    unlink(f);
    return 0;
}
