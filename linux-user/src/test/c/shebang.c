/* execve of "#!" scripts: the interpreter's argument, nested scripts, busybox sh as interpreter
 * (named by its path, and as /bin/sh through the sysroot), and the errors Linux gives.
 * Usage: shebang BUSYBOX; run by a script (WHO set) it is an interpreter that prints its argv. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void script(const char *name, const char *text, int mode) {
    int f = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    write(f, text, strlen(text));
    close(f);
    chmod(name, mode);
}

/* Runs NAME with ARGS in a child; prints the execve error or how the child ended. */
static void run(const char *what, const char *name, char *const args[]) {
    printf("%s:\n", what);
    fflush(stdout);
    pid_t p = fork();
    if (p == 0) {
        char *env[] = {"PATH=/bin", "WHO=child", NULL};
        execve(name, args, env);
        printf("  execve: %s\n", strerror(errno));
        fflush(stdout);
        _exit(99);
    }
    int st;
    waitpid(p, &st, 0);
    if (WEXITSTATUS(st) != 99) printf("  status %d\n", WEXITSTATUS(st));
}

int main(int argc, char **argv) {
    if (getenv("WHO") != NULL) {
        for (int i = 1; i < argc; i++) printf("  [%s]", argv[i]);
        printf("\n");
        return 5;
    }
    if (argc < 2) return 2;
    const char *busybox = argv[1];
    char text[600];
    char *const args[] = {"argv0", "a b", "c", NULL};
    char self[512];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    self[n < 0 ? 0 : n] = 0;

    snprintf(text, sizeof text, "#!%s show  two  words \t \nignored\n", self);
    script("show.sh", text, 0755);
    run("one argument, spaces inside kept", "./show.sh", args);
    snprintf(text, sizeof text, "#! \t%s\n", self);
    script("bare.sh", text, 0755);
    run("no argument", "./bare.sh", args);
    script("nested.sh", "#!./show.sh  x\n", 0755);
    run("a script as interpreter", "./nested.sh", args);

    snprintf(text, sizeof text, "#!%s sh\necho \"sh: $0 [$1] [$2] $WHO\"\nexit 3\n", busybox);
    script("sh.sh", text, 0755);
    run("busybox sh by its path", "./sh.sh", args);
    script("root.sh", "#!/bin/sh -e\necho \"through the sysroot: $0 $#\"\nfalse\necho not reached\n", 0755);
    run("/bin/sh in the sysroot", "./root.sh", args);
    run("a name without a directory", "root.sh", args);

    script("missing.sh", "#!/no/such/interpreter\n", 0755);
    run("missing interpreter", "./missing.sh", args);
    script("notexec.sh", "#!/bin/sh\n", 0644);
    run("script not executable", "./notexec.sh", args);
    script("dir.sh", "#!/\n", 0755);
    run("a directory as interpreter", "./dir.sh", args);
    script("empty.sh", "#!  \n", 0755);
    run("no interpreter named", "./empty.sh", args);
    memset(text, 0, sizeof text);
    strcpy(text, "#!/");
    memset(text + 3, 'x', 300);
    script("long.sh", text, 0755);
    run("interpreter path longer than the line Linux reads", "./long.sh", args);
    script("loop.sh", "#!./loop.sh\n", 0755);
    run("a script that interprets itself", "./loop.sh", args);
    script("plain.txt", "just text\n", 0755);
    run("neither a binary nor a script", "./plain.txt", args);
    return 0;
}
