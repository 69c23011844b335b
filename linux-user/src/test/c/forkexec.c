/* Processes: fork with a pipe between parent and child, wait statuses (exit code and signal),
 * execve of this program again, posix_spawn (clone with CLONE_VM|CLONE_VFORK), vfork + _exit. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv) {
    if (argc > 1 && !strcmp(argv[1], "child")) {
        printf("exec'd child says %s\n", argc > 2 ? argv[2] : "nothing");
        return 9;
    }
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        const char *msg = "message from the child";
        write(p[1], msg, strlen(msg));
        _exit(5);
    }
    close(p[1]);
    char buf[100] = {0};
    int n = 0, r;
    while ((r = read(p[0], buf + n, sizeof buf - 1 - n)) > 0) n += r;
    printf("parent read %d: %s\n", n, buf);
    int status;
    printf("waited for the right child: %d\n", waitpid(pid, &status, 0) == pid);
    printf("exited=%d code=%d\n", WIFEXITED(status), WEXITSTATUS(status));

    pid = fork();
    if (pid == 0) {
        *(volatile int *) 0 = 1;
        _exit(0);
    }
    waitpid(pid, &status, 0);
    printf("signaled=%d sig=%d\n", WIFSIGNALED(status), WTERMSIG(status));

    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char *args[] = {argv[0], "child", "hello", NULL};
        execve(argv[0], args, environ);
        _exit(127);
    }
    waitpid(pid, &status, 0);
    printf("exec'd child code=%d\n", WEXITSTATUS(status));

    fflush(stdout);
    char *spawn_args[] = {argv[0], "child", "spawned", NULL};
    r = posix_spawn(&pid, argv[0], NULL, NULL, spawn_args, environ);
    waitpid(pid, &status, 0); /* before printing: the spawned program prints too */
    printf("posix_spawn: %d\n", r);
    printf("spawned child code=%d\n", WEXITSTATUS(status));

    pid = vfork();
    if (pid == 0) _exit(11);
    waitpid(pid, &status, 0);
    printf("vfork child code=%d\n", WEXITSTATUS(status));
    printf("no more children: %d\n", wait(&status));
    return 0;
}
