/* SysV message queues: msgget, msgsnd, msgrcv, msgctl; receiving by type (any, one, MSG_EXCEPT,
 * the lowest up to a bound), MSG_NOERROR and E2BIG, a full queue and IPC_NOWAIT, a receiver that
 * waits for another process's message, IPC_STAT, IPC_SET of the byte limit, removal under a
 * waiter, the errors, and the same through i386's ipc() multiplexer. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

struct message {
    long type;
    char text[64];
};

static void report(const char *what, long r) {
    if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld\n", what, r);
}

static long put(int id, long type, const char *text, int flags) {
    struct message m;
    m.type = type;
    strcpy(m.text, text);
    return msgsnd(id, &m, strlen(text) + 1, flags);
}

static void take(const char *what, int id, long type, size_t max, int flags) {
    struct message m;
    memset(&m, 0, sizeof m);
    long n = msgrcv(id, &m, max, type, flags);
    if (n < 0) printf("%s: -1 %s\n", what, strerror(errno));
    else printf("%s: %ld bytes, type %ld, \"%.*s\"\n", what, n, m.type, (int) n, m.text);
}

static void stat_of(const char *what, int id) {
    struct msqid_ds ds;
    if (msgctl(id, IPC_STAT, &ds) < 0) {
        printf("%s: -1 %s\n", what, strerror(errno));
        return;
    }
    printf("%s: %lu messages, %lu bytes, limit %lu, mode %o, last sender self %d\n", what, (unsigned long) ds.msg_qnum,
           (unsigned long) ds.__msg_cbytes, (unsigned long) ds.msg_qbytes, ds.msg_perm.mode & 0777, ds.msg_lspid == getpid());
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0); /* nothing buffered for a fork's child to print again */
    int id = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    printf("msgget: %d\n", id >= 0);
    stat_of("fresh", id);
    report("send 3", put(id, 3, "three", 0));
    report("send 1", put(id, 1, "one", 0));
    report("send 2", put(id, 2, "two", 0));
    report("send 1 again", put(id, 1, "uno", 0));
    stat_of("four queued", id);
    take("type 2", id, 2, 64, 0);
    take("lowest up to 3", id, -3, 64, 0);
    take("any but 1", id, 1, 64, MSG_EXCEPT);
    take("too small", id, 0, 2, 0);
    take("cut short", id, 0, 2, MSG_NOERROR);
    take("empty, IPC_NOWAIT", id, 0, 64, IPC_NOWAIT);
    report("type 0", put(id, 0, "zero", 0));
    report("too long", msgsnd(id, &(struct message){1, ""}, 9000, 0));

    /* The byte limit: lowered, a full queue refuses with IPC_NOWAIT. */
    struct msqid_ds ds;
    msgctl(id, IPC_STAT, &ds);
    ds.msg_qbytes = 20;
    ds.msg_perm.mode = 0640;
    report("IPC_SET", msgctl(id, IPC_SET, &ds));
    report("fits", put(id, 5, "0123456789abcdef", 0));
    report("full, IPC_NOWAIT", put(id, 5, "more", IPC_NOWAIT));
    stat_of("full", id);
    take("make room", id, 0, 64, 0);

    /* A receiver waits for another process's message. */
    pid_t child = fork();
    if (child == 0) {
        usleep(100000);
        put(id, 7, "from the child", 0);
        _exit(0);
    }
    take("waited for", id, 7, 64, 0);
    int status;
    waitpid(child, &status, 0);

    /* A full queue's sender waits for a receiver in another process. */
    put(id, 8, "0123456789abcdef", 0);
    child = fork();
    if (child == 0) {
        usleep(100000);
        struct message m;
        msgrcv(id, &m, 64, 8, 0);
        _exit(0);
    }
    report("sent once there was room", put(id, 9, "after", 0));
    waitpid(child, &status, 0);
    take("then", id, 0, 64, 0);

    /* Removal under a waiting receiver: EIDRM. */
    child = fork();
    if (child == 0) {
        struct message m;
        put(id, 99, "ready", 0);
        long r = msgrcv(id, &m, 64, 42, 0);
        _exit(r == -1 && errno == EIDRM ? 6 : 7);
    }
    take("the receiver is ready", id, 99, 64, 0);
    usleep(100000);
    report("IPC_RMID", msgctl(id, IPC_RMID, NULL));
    waitpid(child, &status, 0);
    printf("receiver of a removed queue: %s\n", WEXITSTATUS(status) == 6 ? "EIDRM" : "other");
    report("send after IPC_RMID", put(id, 1, "x", 0));

    key_t key = 0x4B550000 | (getpid() & 0xFFFF);
    int k = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    printf("keyed: %d same: %d\n", k >= 0, msgget(key, 0) == k);
    report("same key, IPC_EXCL", msgget(key, IPC_CREAT | IPC_EXCL | 0600));
    msgctl(k, IPC_RMID, NULL);
    report("the key after IPC_RMID", msgget(key, 0));
    report("IPC_STAT of a bad id", msgctl(0x7FFFFFF, IPC_STAT, &ds));

    /* The same through i386's ipc() multiplexer (x86-64 has none: there the calls it stands for). */
    long got, sent, received;
    struct message in;
    memset(&in, 0, sizeof in);
#ifdef __i386__
    got = syscall(SYS_ipc, 13, IPC_PRIVATE, IPC_CREAT | 0600);                   /* MSGGET */
    struct message out = {4, "via ipc"};
    sent = syscall(SYS_ipc, 11, got, 8, 0, &out);                                /* MSGSND */
    struct { void *msgp; long type; } kludge = {&in, 4};
    received = syscall(SYS_ipc, 12, got, 64, 0, &kludge);                         /* MSGRCV, version 0 */
    syscall(SYS_ipc, 14, got, IPC_RMID, 0, NULL);                                /* MSGCTL */
#else
    got = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
    struct message out = {4, "via ipc"};
    sent = msgsnd(got, &out, 8, 0);
    received = msgrcv(got, &in, 64, 4, 0);
    msgctl(got, IPC_RMID, NULL);
#endif
    printf("ipc(): get %d send %ld receive %ld \"%s\"\n", got >= 0, sent, received, in.text);
    return 0;
}
