/* Files and directories: open/read/write/lseek, stat, getdents, rename/unlink, mkdir/rmdir,
 * getcwd/chdir, dup2, pipe, and errno values of failures. Runs in an empty working directory. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Evaluates the call before reading errno (argument order is unspecified). */
#define SHOW(label, expr) do { long r_ = (long) (expr); printf("%s: %ld %s\n", label, r_, r_ < 0 ? strerror(errno) : "ok"); } while (0)

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *) a, *(char *const *) b); }

static void list(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) { printf("opendir %s: %s\n", dir, strerror(errno)); return; }
    char *names[64];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) names[n++] = strdup(e->d_name);
    closedir(d);
    qsort(names, n, sizeof *names, cmp);
    printf("%s:", dir);
    for (int i = 0; i < n; i++) { printf(" %s", names[i]); free(names[i]); }
    printf("\n");
}

int main(void) {
    int fd = open("data.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    const char *text = "line one\nline two\nline three\n";
    printf("write: %zd\n", write(fd, text, strlen(text)));
    close(fd);

    fd = open("data.txt", O_RDONLY);
    char buf[128] = {0};
    printf("read: %zd\n", read(fd, buf, 8));
    printf("got: [%s]\n", buf);
    printf("lseek: %ld\n", (long) lseek(fd, -6, SEEK_END));
    memset(buf, 0, sizeof buf);
    printf("read: %zd [%s]\n", read(fd, buf, 100), buf);
    printf("read at end: %zd\n", read(fd, buf, 100));
    struct stat st;
    fstat(fd, &st);
    printf("fstat: size=%lld reg=%d mode=%o\n", (long long) st.st_size, S_ISREG(st.st_mode), st.st_mode & 0777);
    close(fd);

    FILE *f = fopen("data.txt", "a");
    fprintf(f, "appended %d\n", 42);
    fclose(f);
    f = fopen("data.txt", "r");
    int lines = 0;
    while (fgets(buf, sizeof buf, f)) lines++;
    fclose(f);
    printf("lines: %d\n", lines);

    printf("mkdir: %d\n", mkdir("sub", 0755));
    SHOW("mkdir again", mkdir("sub", 0755));
    printf("rename: %d\n", rename("data.txt", "sub/moved.txt"));
    SHOW("stat old", stat("data.txt", &st));
    printf("stat new: %d size=%lld\n", stat("sub/moved.txt", &st), (long long) st.st_size);
    printf("stat dir: isdir=%d\n", stat("sub", &st) == 0 && S_ISDIR(st.st_mode));
    printf("access: %d %d\n", access("sub/moved.txt", R_OK), access("nothing", F_OK));
    list(".");
    list("sub");

    char cwd[512];
    getcwd(cwd, sizeof cwd);
    printf("chdir: %d\n", chdir("sub"));
    char cwd2[512];
    getcwd(cwd2, sizeof cwd2);
    printf("cwd grew by: %s\n", cwd2 + strlen(cwd));
    printf("open relative: %d\n", (fd = open("moved.txt", O_RDONLY)) >= 0);
    close(fd);
    chdir("..");

    SHOW("open missing", open("missing/file", O_RDONLY));
    SHOW("rmdir nonempty", rmdir("sub"));
    printf("unlink: %d\n", unlink("sub/moved.txt"));
    printf("rmdir: %d\n", rmdir("sub"));
    list(".");

    int p[2];
    printf("pipe: %d\n", pipe(p));
    write(p[1], "through a pipe", 14);
    memset(buf, 0, sizeof buf);
    printf("pipe read: %zd [%s]\n", read(p[0], buf, sizeof buf), buf);
    close(p[0]);
    close(p[1]);

    int saved = dup(1);
    int out = open("redirected.txt", O_CREAT | O_WRONLY | O_TRUNC, 0600);
    fflush(stdout);
    dup2(out, 1);
    printf("this goes to the file\n");
    fflush(stdout);
    dup2(saved, 1);
    close(out);
    stat("redirected.txt", &st);
    printf("redirected size: %lld\n", (long long) st.st_size);
    unlink("redirected.txt");
    SHOW("bad fd", write(99, "x", 1));
    /* A short symbolic link lives in its inode: no blocks of its own (du counts it as 0). */
    symlink("redirected.txt", "short-link");
    lstat("short-link", &st);
    printf("short symlink: size %lld blocks %lld\n", (long long) st.st_size, (long long) st.st_blocks);
    unlink("short-link");

    /* The kernel checks user pointers: EFAULT, never a crash, for memory the process cannot use. */
    const char *volatile page0 = (const char *) 16;
    SHOW("write from page 0", write(1, page0, 4));
    char *ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    fd = open("/dev/zero", O_RDONLY);
    SHOW("read into read-only memory", read(fd, ro, 16));
    printf("read into writable memory: %zd\n", read(fd, buf, 16));
    close(fd);
    SHOW("open of a bad path pointer", open(page0, O_RDONLY));
    return 0;
}
