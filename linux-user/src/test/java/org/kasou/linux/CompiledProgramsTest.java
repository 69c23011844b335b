package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * gcc -m32 -static programs of our own run natively and under kasou (interpreter, and the JIT
 * compiling every block) and must print the same bytes on stdout and stderr and end alike.
 */
class CompiledProgramsTest {
    private static final List<String> ENV = GuestPrograms.env("PATH=/usr/bin:/bin", "KASOU_TEST=yes", "LANG=C");

    @TempDir(factory = GuestTempDirs.class)
    Path dir;

    private GuestPrograms.Outcome agree(String name, String... args) throws Exception {
        return GuestPrograms.agree(new GuestPrograms.Run(GuestPrograms.compiled(name), List.of(args), ENV, new byte[0], dir));
    }

    /**
     * Runs a compiled program under kasou on the interpreter and with every block compiled: each
     * must print {@code expected} (where qemu-i386 is no reference, the host kernel's lines from
     * the same program built for x86-64 and run natively) and exit with status 0.
     */
    private void printsOnBothEngines(String name, String expected) throws Exception {
        GuestPrograms.Run r = new GuestPrograms.Run(GuestPrograms.compiled(name), List.of(), ENV, new byte[0], dir);
        for (int threshold : new int[] {-1, 0}) {
            GuestPrograms.Outcome o = GuestPrograms.runKasou(r, threshold);
            assertEquals(expected, o.stdout(), "threshold " + threshold);
            assertEquals(0, o.status(), "threshold " + threshold);
        }
    }

    @Test
    void hello() throws Exception {
        GuestPrograms.Outcome o = agree("hello");
        assertEquals("hello from a static i386 program\n", o.stdout());
        assertEquals(7, o.status());
    }

    @Test
    void argumentsEnvironmentAndAuxiliaryVector() throws Exception {
        GuestPrograms.Outcome o = agree("argsenv", "one", "two words", "");
        assertTrue(o.stdout().contains("argv[2]=two words\n"), o.stdout());
        assertTrue(o.stdout().contains("KASOU_TEST=yes"), o.stdout());
        assertEquals(4, o.status());
    }

    @Test
    void filesAndDirectories() throws Exception {
        GuestPrograms.Outcome o = agree("fileio");
        assertTrue(o.stdout().contains("pipe read: 14 [through a pipe]"), o.stdout());
        assertTrue(o.stdout().contains("redirected size: 22"), o.stdout());
        assertTrue(o.stdout().contains("short symlink: size 14 blocks 0\n"), o.stdout());
        assertTrue(o.stdout().contains("mkdir again: -1 File exists\n"), o.stdout());
        assertTrue(o.stdout().contains("read into read-only memory: -1 Bad address\n"), o.stdout());
    }

    /**
     * Connected AF_UNIX socket pairs (stream, datagram, packet): transfers, readiness, shutdown and
     * close, SIGPIPE, the flags of send and recv, socket options, a child talking to its parent,
     * and socketcall. The expected lines are what qemu-i386 (the host's sockets) prints.
     */
    @Test
    void socketPairs() throws Exception {
        GuestPrograms.Outcome o = agree("sockets");
        assertEquals("stream: revents before 4\n"
                + "send 16\n"
                + "revents after 5, FIONREAD 16\n"
                + "peek 5 [hello]\n"
                + "recv 16 [hello, other end]\n"
                + "empty, MSG_DONTWAIT: -1 Resource temporarily unavailable\n"
                + "write 100000\n"
                + "MSG_WAITALL 100000, same 1\n"
                + "writev 7 readv 7 [abcdefg]\n"
                + "after SHUT_WR: recv 0, revents 1\n"
                + "send after SHUT_WR: -1 Broken pipe\n"
                + "other way: 5\n"
                + "peer closed: recv 0, revents 11\n"
                + "write to closed peer: -1 Broken pipe, SIGPIPE 1\n"
                + "MSG_NOSIGNAL: SIGPIPE 1\n"
                + "dgram: 3 [fir]\n"
                + "recvmsg 6 [second] truncated 1\n"
                + "empty message 0\n"
                + "MSG_TRUNC gives the length 10\n"
                + "SO_TYPE 2 (len 4), SO_RCVBUF 131072\n"
                + "name: family 1, length 2\n"
                + "S_ISSOCK 1\n"
                + "flags: nonblocking 1, close-on-exec 1\n"
                + "seqpacket 4 5\n"
                + "peer gone: 0\n"
                + "parent: [child got 8 bytes], child status 3\n"
                + "socketcall: 0, send 14, recv 14\n"
                + "not a socket: -1 Socket operation on non-socket\n"
                + "AF_INET pair: -1 Operation not supported\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * What pipes and socket pairs hold before a writer waits: a pipe's ring of 16 pages with small
     * writes merged into the last one, F_GETPIPE_SZ and F_SETPIPE_SZ (rounding, EBUSY), non-blocking
     * writes that fail or stop short, POLLOUT, a blocking writer that waits for its reader after 64
     * KiB, and a socket pair's sender stopped by its send buffer. The expected lines are what the
     * program prints under qemu-i386, i.e. the host kernel's pipes and sockets (the socket
     * figures are ranges: Linux charges its allocator's sizes). Before the limits, a writer never
     * waited and a guest writing into a pipe nobody read could take all of kasou's memory.
     */
    @Test
    void pipeAndSocketCapacities() throws Exception {
        GuestPrograms.Outcome o = agree("pipefill");
        assertEquals(""
                + "F_GETPIPE_SZ 65536, POLLOUT 1\n"
                + "1000-byte writes: 64000 bytes in 64 writes, last -1 Resource temporarily unavailable\n"
                + "held 64000, POLLOUT 0\n"
                + "read 3000: POLLOUT 0\n"
                + "read 1000 more: POLLOUT 1\n"
                + "write 5000 into one free page: 4096, held 64096\n"
                + "1-byte writes: 65536 bytes in 65536 writes, last -1 Resource temporarily unavailable\n"
                + "4096-byte writes: 65536 bytes in 16 writes, last -1 Resource temporarily unavailable\n"
                + "3000-byte writes: 48000 bytes in 16 writes, last -1 Resource temporarily unavailable\n"
                + "100000-byte writes: 65536 bytes in 1 writes, last 65536 (short)\n"
                + "F_SETPIPE_SZ 12000 with 65536 held: -1 Device or resource busy, F_GETPIPE_SZ 65536\n"
                + "F_SETPIPE_SZ 12000 with 0 held: 16384 , F_GETPIPE_SZ 16384\n"
                + "1000-byte writes: 16000 bytes in 16 writes, last -1 Resource temporarily unavailable\n"
                + "F_SETPIPE_SZ 4096 with 16000 held: -1 Device or resource busy, F_GETPIPE_SZ 16384\n"
                + "F_SETPIPE_SZ 1 with 0 held: 4096 , F_GETPIPE_SZ 4096\n"
                + "100-byte writes: 4000 bytes in 40 writes, last -1 Resource temporarily unavailable\n"
                + "F_SETPIPE_SZ 200000 with 0 held: 262144 , F_GETPIPE_SZ 262144\n"
                + "100000-byte writes: 261440 bytes in 3 writes, last 61440 (short)\n"
                + "the writer's pipe holds 65536\n"
                + "read 250000, writer exit 0\n"
                + "stream: stops between 50000 and 250000: 1, Resource temporarily unavailable, POLLOUT 0\n"
                + "after a read POLLOUT 1\n"
                + "dgram: stops between 100 and 2200 messages: 1, Resource temporarily unavailable, POLLOUT 0\n"
                + "after one message is read POLLOUT 0\n"
                + "a message larger than the send buffer: -1 Message too long\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * sendmmsg and recvmmsg: several messages a call with each entry's length, MSG_DONTWAIT,
     * MSG_WAITFORONE, a timeout looked at after each message, socketcall's way in. The expected
     * lines are the host kernel's: the same program built for x86-64 and run natively (qemu-i386
     * ignores recvmmsg's timeout and waits for a fifth message that never comes).
     */
    @Test
    void severalMessagesACall() throws Exception {
        printsOnBothEngines("mmsg", ""
                + "sendmmsg 3: 9 9 14\n"
                + "recvmmsg 3: [message 0] 9 [message 1] 9 [message 2 lo] 12 truncated\n"
                + "empty: -1 Resource temporarily unavailable\n"
                + "recvmmsg 2: [message 0] 9 [message 1] 9\n"
                + "a timeout that has passed: recvmmsg 1: [message 0] 9\n"
                + "recvmmsg 3: [message 1] 9 [message 2 lo] 12 truncated [message 3] 9\n"
                + "socketcall sendmmsg 2\n"
                + "socketcall recvmmsg 2: [message 0] 9 [message 1] 9\n"
                + "to a closed peer: -1 Connection refused\n");
    }

    /**
     * The process's own /proc entries (before, the JVM's: /proc/self read as the JVM's pid in a
     * forked child, /proc/PID/exe and realpath of /proc/self/exe named java, /proc/self/fd listed
     * and resolved the JVM's descriptors): /proc/self, exe, cwd, fd/N of a file and of a pipe,
     * the listing of fd. The expected lines are what qemu-i386 and a native x86-64 build print.
     */
    @Test
    void ownProcEntries() throws Exception {
        GuestPrograms.Outcome o = agree("procself");
        assertEquals(""
                + "self is our pid: 1\n"
                + "exe is this program: 1\n"
                + "/proc/PID/exe the same: 1\n"
                + "realpath the same: 1\n"
                + "cwd: 1\n"
                + "fd names the file: 1\n"
                + "a pipe: 1\n"
                + "a closed descriptor: -1\n"
                + "listed: stdin, stdout, stderr 1, the file and the pipe 1, the listing's own 1, a closed one 0\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * /proc/self/cmdline, environ, auxv, comm and status are the process's own (before: the JVM's,
     * with "java" for its name and 64-bit auxv pairs): the strings execve put on the stack, read
     * from its memory (a rewritten argv[0] shows), the auxiliary vector it was given, the name from the program's path and from PR_SET_NAME (15 bytes), kept by a
     * fork's child and replaced by execve; status's name, ids, thread count and signal masks; the
     * /proc/self/fd links of eventfd, timerfd, epoll, signalfd and pidfd descriptors. The
     * expected lines are the host kernel's (the same program built for x86-64).
     */
    @Test
    void ownProcCmdlineEnvironCommAndStatus() throws Exception {
        printsOnBothEngines("procown", ""
                + "cmdline: 1 strings, the first argv[0]: 1\n"
                + "environ holds KASOU_TEST=yes: 1, ends with a 0 byte: 1\n"
                + "comm: procown\n"
                + "auxv: whole pairs 1, AT_PAGESZ 4096 1, AT_ENTRY as getauxval 1, AT_RANDOM as getauxval 1, ends with AT_NULL 1\n"
                + "fd link: anon_inode:[eventfd]\n"
                + "fd link: anon_inode:[timerfd]\n"
                + "fd link: anon_inode:[eventpoll]\n"
                + "fd link: anon_inode:[signalfd]\n"
                + "fd link: anon_inode:[pidfd]\n"
                + "cmdline after rewriting argv[0] shows it: 1 (proXXXX)\n"
                + "comm after PR_SET_NAME: a-rather-long-t\n"
                + "PR_GET_NAME: a-rather-long-t\n"
                + "Name:\ta-rather-long-t\n"
                + "Pid is ours: 1\n"
                + "PPid is our parent: 1\n"
                + "Uid line: 1\n"
                + "Threads:\t1\n"
                + "SigBlk:\t0000000000000001\n"
                + "SigIgn:\t0000000000000a00\n"
                + "SigCgt:\t0000000000004000\n"
                + "the child's comm: a-rather-long-t\n"
                + "the child's Pid is its own: 1\n"
                + "after execve, comm: procown\n"
                + "after execve, cmdline (33 bytes): |/some/where/renamed-program| |exec|\n");
    }

    /**
     * Extended attributes of the user namespace (before: every xattr call EOPNOTSUPP or ENOSYS):
     * set, get, list and remove through a path, a link and a descriptor, the size queries, ERANGE,
     * XATTR_CREATE and XATTR_REPLACE, ENODATA, other namespaces, a symbolic link itself (none to
     * read, EPERM to set). The expected lines are the host kernel's (the same program built for
     * x86-64), in a directory of the host's file system, which keeps them.
     */
    @Test
    void userExtendedAttributes() throws Exception {
        printsOnBothEngines("xattr", ""
                + "list of a new file (0 bytes):\n"
                + "set user.colour: 0\n"
                + "set user.size: 0\n"
                + "set user.empty: 0\n"
                + "size of user.colour: 4\n"
                + "get user.colour: 4\n"
                + "value: blue\n"
                + "get user.empty: 0\n"
                + "get into 2 bytes: -1 Numerical result out of range\n"
                + "get a missing one: -1 No data available\n"
                + "create an existing one: -1 File exists\n"
                + "replace a missing one: -1 No data available\n"
                + "replace user.colour: 0\n"
                + "through the descriptor: green\n"
                + "fset user.fd: 0\n"
                + "size of the list: 41\n"
                + "list (41 bytes): user.colour user.empty user.fd user.size\n"
                + "list into 3 bytes: -1 Numerical result out of range\n"
                + "flist (41 bytes): user.colour user.empty user.fd user.size\n"
                + "remove user.size: 0\n"
                + "remove it again: -1 No data available\n"
                + "fremove user.fd: 0\n"
                + "list after removing (23 bytes): user.colour user.empty\n"
                + "a name without a namespace: -1 Operation not supported\n"
                + "get a missing security one: -1 No data available\n"
                + "a missing file: -1 No such file or directory\n"
                + "get through the link: 5\n"
                + "lget on the link itself: -1 No data available\n"
                + "lset on the link itself: -1 Operation not permitted\n");
    }

    /**
     * Process file descriptors (before: pidfd_open, pidfd_send_signal and pidfd_getfd ENOSYS,
     * waitid(P_PIDFD) EBADF): close-on-exec descriptors that poll readable once their process
     * ends, signals through them (PIDFD_SIGNAL_THREAD, a siginfo of another signal refused),
     * waitid(P_PIDFD) with EAGAIN on a non-blocking one, a copy of another process's descriptor,
     * the errors. The expected lines are the host kernel's (the same program built for x86-64).
     */
    @Test
    void processFileDescriptors() throws Exception {
        printsOnBothEngines("pidfd", ""
                + "pidfd_open: 0\n"
                + "close-on-exec: 1\n"
                + "poll while it runs: 0\n"
                + "signal 0: 0\n"
                + "signal 0 to its thread (PIDFD_SIGNAL_THREAD): 0\n"
                + "two flags at once: -1 Invalid argument\n"
                + "waitid on a non-blocking pidfd while it runs: -1 Resource temporarily unavailable\n"
                + "pidfd_getfd of the child's pipe end: 0\n"
                + "the copy is close-on-exec: 1\n"
                + "pidfd_getfd of a closed descriptor: -1 Bad file descriptor\n"
                + "poll after its end: 0x1\n"
                + "waitid(P_PIDFD): 0\n"
                + "code CLD_EXITED, pid ours 1, status 7\n"
                + "signal after it was reaped: -1 No such process\n"
                + "a siginfo of another signal: -1 Invalid argument\n"
                + "SIGTERM: 0\n"
                + "code CLD_KILLED, status 15\n"
                + "pidfd_open of itself: 0\n"
                + "waitid on its own pidfd: -1 No child processes\n"
                + "pidfd_open(-1): -1 Invalid argument\n"
                + "pidfd_open with a bad flag: -1 Invalid argument\n"
                + "pidfd_open of no process: -1 No such process\n"
                + "pidfd_send_signal on a pipe: -1 Bad file descriptor\n"
                + "waitid(P_PIDFD) on a pipe: -1 Bad file descriptor\n"
                + "waitid(P_PIDFD) on a closed descriptor: -1 Bad file descriptor\n");
    }

    /**
     * A descriptor whose path no longer names its file (before, fstat after unlink failed with
     * ENOENT and filled the struct with garbage, and a rename over the path reported the new
     * file): the file it holds, its size, no links; O_TMPFILE (before, EISDIR). The expected
     * lines are what qemu-i386 and a native x86-64 build both print.
     */
    @Test
    void filesWithoutAName() throws Exception {
        GuestPrograms.Outcome o = agree("unlinked");
        assertEquals(""
                + "named: 0  size 5 links 1 regular 1\n"
                + "unlinked: 0  size 5 links 0 regular 1\n"
                + "written after: 0  size 8 links 0 regular 1\n"
                + "contents: 12345678\n"
                + "replaced by a rename: 0  size 3 links 0 regular 1\n"
                + "O_TMPFILE: 1\n"
                + "O_TMPFILE: 0  size 9 links 0 regular 1\n"
                + "O_TMPFILE read-only: -1 Invalid argument\n"
                + "O_TMPFILE in a file: -1 Not a directory\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * fcntl's record locks (before, granted and never kept, and F_GETLK said another process held
     * every range): F_GETLK(64) answers F_UNLCK for a process's own locks and shows another
     * process the lock in its way with the holder's pid; EAGAIN, and F_SETLKW waiting until the
     * holder closes any descriptor of the file; a process's locks going with it; read locks
     * shared; unlocking part of a range; EINVAL and EBADF. The expected lines are what qemu-i386
     * and a native x86-64 build both print.
     */
    @Test
    void recordLockTests() throws Exception {
        GuestPrograms.Outcome o = agree("recordlocks");
        assertEquals(""
                + "F_GETLK: 0 type F_UNLCK start 128 len 1\n"
                + "F_SETLK: 0\n"
                + "own lock: 0 type F_UNLCK\n"
                + "F_GETLK64: 0 type F_UNLCK start 8589934592 len 10\n"
                + "bad type: -1 Invalid argument\n"
                + "write lock 0-99: 0\n"
                + "child asks for 50-60: 0 F_WRLCK start 0 len 100, the holder's pid 1\n"
                + "child locks 50-60: -1 Resource temporarily unavailable\n"
                + "child locks 100-199: 0\n"
                + "the child's lock went with it: 0 F_UNLCK\n"
                + "unlock 0-49: 0\n"
                + "child asks for 0-199: 0 F_WRLCK start 50 len 50, the holder's pid 1\n"
                + "child waited for 50-60: 0 after the close 1\n"
                + "read lock 0-9: 0\n"
                + "child's read lock 0-9: 0\n"
                + "child's write lock 5: -1 Resource temporarily unavailable\n"
                + "write lock through a read-only descriptor: -1 Bad file descriptor\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * Shared file mappings (before, a private copy: nothing reached the file, and msync was
     * ENOSYS): written back at munmap, msync and the process's end, shared with a fork's child,
     * never making the file longer; EACCES for a shared writable mapping of a read-only
     * descriptor. The expected lines are what qemu-i386 and a native x86-64 build both print.
     */
    @Test
    void sharedFileMappings() throws Exception {
        GuestPrograms.Outcome o = agree("mmapshared");
        assertEquals(""
                + "munmap: 0\n"
                + "file at 0: hello\n"
                + "file at 4106: world\n"
                + "msync: 0\n"
                + "file at 100: synced\n"
                + "msync with both flags: -1 Invalid argument\n"
                + "msync unaligned: -1 Invalid argument\n"
                + "parent sees: from the child\n"
                + "file at 200: from the child\n"
                + "file at 300: at exit\n"
                + "size after writing past the end: 5000\n"
                + "file at 4999: E\n"
                + "shared writable on a read-only descriptor: Permission denied\n"
                + "shared read-only: hello\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * Resource limits (before, setrlimit was ENOSYS and prlimit64 forgot what it was given):
     * kept and read back, inherited by a fork's child, RLIMIT_NOFILE bounding open, dup2 and
     * F_DUPFD, RLIMIT_FSIZE stopping writes at the limit (then EFBIG and SIGXFSZ, which kills a
     * process that does not handle it; before, not enforced), the old getrlimit's 0x7fffffff, the
     * errors. The expected lines are the host kernel's: the same program built for x86-64 and run
     * natively with its output through a pipe (qemu-i386 ignores RLIMIT_DATA so as not to limit
     * itself, and applies RLIMIT_FSIZE to itself).
     */
    @Test
    void resourceLimits() throws Exception {
        printsOnBothEngines("rlimits", ""
                + "lower NOFILE: 0\n"
                + "NOFILE: 64 512\n"
                + "opened until Too many open files: 1 more\n"
                + "dup2 past the limit: -1 Bad file descriptor\n"
                + "F_DUPFD past the limit: -1 Invalid argument\n"
                + "CORE 0 0: 0\n"
                + "CORE: 0 0\n"
                + "soft above hard: -1 Invalid argument\n"
                + "unknown resource: -1 Invalid argument\n"
                + "DATA 1 MiB: 0\n"
                + "child's DATA: 1048576 1048576\n"
                + "prlimit: 0\n"
                + "prlimit's old: 1048576 1048576\n"
                + "DATA now: 524288 1048576\n"
                + "prlimit of nobody: -1 No such process\n"
                + "old getrlimit: 0\n"
                + "raw: 7fffffff 7fffffff\n"
                + "FSIZE 100: 0\n"
                + "write 60: 60\n"
                + "write 60 more: 40\n"
                + "write at the limit: -1 File too large\n"
                + "pwrite past it: -1 File too large\n"
                + "pwrite across it: 5\n"
                + "ftruncate past it: -1 File too large\n"
                + "ftruncate below it: 0\n"
                + "SIGXFSZ: 3\n"
                + "/dev/null is no file: 200\n"
                + "child past the limit: signaled 1 by 25\n");
    }

    /**
     * A pipe write that waits for room and then finds its reader gone returns the bytes it wrote
     * and raises SIGPIPE (before, no signal), the next one fails with EPIPE; a writev is one write
     * of its vectors gathered, packed into the pipe's pages as Linux packs them (before, one write
     * a vector: 64,096 bytes where Linux takes 65,536). The expected lines are the host kernel's
     * (qemu-i386 and a native x86-64 build of the program print the same).
     */
    @Test
    void brokenPipeAfterPartOfAWrite() throws Exception {
        GuestPrograms.Outcome o = agree("brokenpipe");
        assertEquals(""
                + "write: 65536, SIGPIPE 1\n"
                + "next write: -1 Broken pipe, SIGPIPE 2\n"
                + "writev: 65536, SIGPIPE 1\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * Children of a parent that ignores SIGCHLD or sets SA_NOCLDWAIT are reaped as they end
     * (before, they stayed for wait to find): wait then says ECHILD, after the children still
     * running ended; a SA_NOCLDWAIT handler still runs; back at SIG_DFL, wait finds the child. The
     * expected lines are the host kernel's: the same program built for x86-64 and run natively
     * (qemu-i386 does not pass SA_NOCLDWAIT on to the host, and its wait finds that child).
     */
    @Test
    void ignoredChildSignalReapsChildren() throws Exception {
        printsOnBothEngines("noreap", ""
                + "SIG_IGN, ended children: -1 No child processes\n"
                + "SIG_IGN, a child still running: -1 No child processes\n"
                + "waited for it: 1\n"
                + "SA_NOCLDWAIT handler ran: 1\n"
                + "SA_NOCLDWAIT, wait: -1 No child processes\n"
                + "SIG_DFL: found the child 1, status 6\n");
    }

    /**
     * sigqueue, rt_sigqueueinfo and rt_tgsigqueueinfo (before, ENOSYS), and real-time signals that
     * queue (before, a second instance of a pending one was lost): the value arrives with each
     * instance, in order, the lowest signal first, a standard signal once however often sent (with
     * the first sender's siginfo);
     * another process gets the sender's pid; a forged si_code to another process is EPERM. The
     * expected lines are the host kernel's, from the same program built for x86-64 and run natively
     * (qemu-i386 loses the value of an SI_USER siginfo a process sends itself).
     */
    @Test
    void queuedSignalsWithValues() throws Exception {
        printsOnBothEngines("sigqueue", ""
                + "sigqueue to itself: 0\n"
                + "handler: code -1 (SI_QUEUE -1) value 42 pid matches 1\n"
                + "taken: USR1(code 0) RTMIN+1=11 RTMIN+1=12 RTMIN+1=13 RTMIN+2=21 RTMIN+2=22 RTMIN+2=23 then Resource temporarily unavailable\n"
                + "USR1 twice: took 1 value 1, then -1\n"
                + "child: signal RTMIN+0 code -1 value 7 from its parent 1\n"
                + "forged SI_USER to the child: -1 Operation not permitted\n"
                + "forged SI_TKILL to the child: -1 Operation not permitted\n"
                + "SI_QUEUE to the child: 0\n"
                + "child exit 0\n"
                + "SI_USER code to itself: 0\n"
                + "handler: code 0 value 5\n"
                + "signal 65: -1 Invalid argument\n"
                + "no such process: -1 No such process\n"
                + "signal 0 probe: 0\n"
                + "rt_tgsigqueueinfo to its thread: 0\n"
                + "handler: code -1 value 99\n"
                + "rt_tgsigqueueinfo tid 0: -1 Invalid argument\n"
                + "rt_sigqueueinfo bad address: -1 Bad address\n");
    }

    /**
     * Every system call number with random arguments (syscallfuzz.c: zero, -1, random words, bad
     * pointers, the kernel's half, a path), two seeds on each engine: the guest gets results and
     * errors and goes through them all, and no call meets a case kasou did not foresee (a Java
     * exception in its handler, which the guest would see as EINVAL and the run counts).
     */
    @Test
    void randomSystemCallsMeetNoUnforeseenCase() throws Exception {
        for (String seed : new String[] {"11", "12"}) {
            GuestPrograms.Run r = new GuestPrograms.Run(GuestPrograms.compiled("syscallfuzz"), List.of("0", "460", seed), ENV,
                    new byte[0], dir);
            for (int threshold : new int[] {-1, 0}) {
                GuestPrograms.Outcome o = GuestPrograms.runKasou(r, threshold);
                assertEquals(0, o.status(), "seed " + seed + ", threshold " + threshold);
                assertEquals(0, o.internalErrors(), "seed " + seed + ", threshold " + threshold);
            }
        }
    }

    /**
     * timerfd: one-shot and periodic timers, relative and absolute, the expirations a read takes,
     * gettime, disarming, poll and epoll, the errors. The expected lines are what the program
     * prints under qemu-i386 (the host kernel's timerfd); times are checked as ranges.
     */
    @Test
    void timerDescriptors() throws Exception {
        GuestPrograms.Outcome o = agree("timerfd");
        assertEquals(""
                + "create: 1\n"
                + "read unarmed: -1 Resource temporarily unavailable\n"
                + "settime: 0\n"
                + "gettime: left in (100, 200] ms 1, interval 0\n"
                + "poll now: 0\n"
                + "poll: 1 revents 1, after 150-1000 ms 1\n"
                + "read: 8, expirations 1\n"
                + "disarmed: 0 0\n"
                + "short read: -1 Invalid argument\n"
                + "old setting: 0 0\n"
                + "periodic after 110 ms: 4-20 expirations 1\n"
                + "epoll: 1 data 7\n"
                + "read after epoll: at least 1 1\n"
                + "absolute in the past: read 8 expirations 1\n"
                + "blocking read: 1 after 30-1000 ms 1\n"
                + "disarmed timer: poll 0\n"
                + "bad clock: -1 Invalid argument\n"
                + "bad nsec: -1 Invalid argument\n"
                + "not a timer: -1 Invalid argument\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * signalfd, and SIGCHLD: blocked signals read as signalfd_siginfo records (kill's sender, a
     * child's exit status), several a read, a new mask, poll and epoll, a blocking read that
     * another process's kill ends, a SIGCHLD handler that a parent waits for in sigsuspend (before,
     * kasou sent no SIGCHLD and such a parent waited forever), the errors. The expected lines are
     * what the program prints under qemu-i386 (the host kernel's signalfd and SIGCHLD).
     */
    @Test
    void signalDescriptorsAndChildSignals() throws Exception {
        GuestPrograms.Outcome o = agree("signalfd");
        assertEquals(""
                + "signalfd: 1\n"
                + "nothing pending: -1 Resource temporarily unavailable\n"
                + "poll before: 0\n"
                + "poll after kill: 1 revents 1\n"
                + "read 128: signo 10 code 0 pid is ours 1 uid 1\n"
                + "two at once: 256 bytes, signo 10 then 12\n"
                + "room for one: 128 bytes, signo 10\n"
                + "the other waits: 128 bytes, signo 12\n"
                + "new mask: same fd 1\n"
                + "SIGUSR1 not in the mask: -1 Resource temporarily unavailable\n"
                + "SIGUSR1 still pending 1\n"
                + "mask back: 128 signo 10\n"
                + "epoll: 1 data 5\n"
                + "child: 128 signo 17 code 1 (CLD_EXITED 1) status 3 pid matches 1\n"
                + "blocking read: 128 signo 12 from the child 1\n"
                + "SIGCHLD handler: code 1 status 5\n"
                + "bad flags: -1 Invalid argument\n"
                + "not a signalfd: -1 Invalid argument\n"
                + "short buffer: -1 Invalid argument\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * waitid (before, ENOSYS): WNOWAIT leaves the child waitable, P_ALL and P_PGID, WNOHANG with
     * nothing ended (zeros in the siginfo), a killed child's CLD_KILLED, the errors; and the
     * scheduling settings (before, ENOSYS): nice, getpriority and setpriority (a fork's child
     * inherits them, lowering them takes privilege, the range is clamped), the sched_* policy
     * calls. The expected lines are what the program prints under qemu-i386 (the host kernel).
     */
    @Test
    void waitidAndSchedulingSettings() throws Exception {
        GuestPrograms.Outcome o = agree("waitsched");
        assertEquals(""
                + "WNOWAIT: 0 signo 17 code 1 status 7\n"
                + "pid matches 1\n"
                + "P_ALL: 0 signo 17 code 1 status 7\n"
                + "still the same child 1\n"
                + "gone: -1 No child processes\n"
                + "WNOHANG, still running: 0 pid 0 signo 0\n"
                + "WSTOPPED alone: 0 pid 0\n"
                + "killed: 0 signo 17 code 2 status 15\n"
                + "no children: -1 No child processes\n"
                + "no event asked: -1 Invalid argument\n"
                + "bad idtype: -1 Invalid argument\n"
                + "bad pid: -1 Invalid argument\n"
                + "getpriority: errno 0\n"
                + "nice(3): 3\n"
                + "getpriority now: 3\n"
                + "setpriority +5: 0\n"
                + "after: 5\n"
                + "lower again: as privilege says\n"
                + "child inherits: 6\n"
                + "its group: 6\n"
                + "clamped: 0\n"
                + "at most 19: 19\n"
                + "bad which: -1 Invalid argument\n"
                + "no such process: -1 No such process\n"
                + "getscheduler: 0\n"
                + "getparam: 0\n"
                + "priority 0\n"
                + "max FIFO: 99\n"
                + "min RR: 1\n"
                + "max OTHER: 0\n"
                + "bad policy: -1 Invalid argument\n"
                + "setscheduler BATCH: 0\n"
                + "getscheduler: 3\n"
                + "BATCH with a priority: -1 Invalid argument\n"
                + "getscheduler of nobody: -1 No such process\n"
                + "rr interval: 0\n"
                + "under 50 ms: 1\n"
                + "rr interval of nobody: -1 No such process\n"
                + "rr interval of -1: -1 Invalid argument\n"
                + "rr interval to a bad address: -1 Bad address\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * SysV message queues (before, ENOSYS): receiving by type (any, one, MSG_EXCEPT, the lowest up
     * to a bound), E2BIG and MSG_NOERROR, IPC_NOWAIT on an empty and a full queue, IPC_SET of the
     * byte limit, a receiver and a sender that wait for another process, IPC_RMID under a waiter
     * (EIDRM), keys, the errors, and the same through i386's ipc() multiplexer. The expected lines
     * are the host kernel's: the program built for x86-64 and run natively (qemu-i386 7.2 stops
     * at the message longer than MSGMAX).
     */
    @Test
    void sysvMessageQueues() throws Exception {
        printsOnBothEngines("sysvmsg", ""
                + "msgget: 1\n"
                + "fresh: 0 messages, 0 bytes, limit 16384, mode 600, last sender self 0\n"
                + "send 3: 0\n"
                + "send 1: 0\n"
                + "send 2: 0\n"
                + "send 1 again: 0\n"
                + "four queued: 4 messages, 18 bytes, limit 16384, mode 600, last sender self 1\n"
                + "type 2: 4 bytes, type 2, \"two\"\n"
                + "lowest up to 3: 4 bytes, type 1, \"one\"\n"
                + "any but 1: 6 bytes, type 3, \"three\"\n"
                + "too small: -1 Argument list too long\n"
                + "cut short: 2 bytes, type 1, \"un\"\n"
                + "empty, IPC_NOWAIT: -1 No message of desired type\n"
                + "type 0: -1 Invalid argument\n"
                + "too long: -1 Invalid argument\n"
                + "IPC_SET: 0\n"
                + "fits: 0\n"
                + "full, IPC_NOWAIT: -1 Resource temporarily unavailable\n"
                + "full: 1 messages, 17 bytes, limit 20, mode 640, last sender self 1\n"
                + "make room: 17 bytes, type 5, \"0123456789abcdef\"\n"
                + "waited for: 15 bytes, type 7, \"from the child\"\n"
                + "sent once there was room: 0\n"
                + "then: 6 bytes, type 9, \"after\"\n"
                + "the receiver is ready: 6 bytes, type 99, \"ready\"\n"
                + "IPC_RMID: 0\n"
                + "receiver of a removed queue: EIDRM\n"
                + "send after IPC_RMID: -1 Invalid argument\n"
                + "keyed: 1 same: 1\n"
                + "same key, IPC_EXCL: -1 File exists\n"
                + "the key after IPC_RMID: -1 No such file or directory\n"
                + "IPC_STAT of a bad id: -1 Invalid argument\n"
                + "ipc(): get 1 send 0 receive 8 \"via ipc\"\n"
        );
    }

    /**
     * SysV semaphores (before, ENOSYS): SETVAL, SETALL, GETALL; several operations at once or none
     * (IPC_NOWAIT); semtimedop's timeout; a wait that another process's operation ends; GETZCNT
     * and GETNCNT counting waiters; SEM_UNDO undone at a process's end; a signal's EINTR (never
     * restarted); IPC_STAT, IPC_SET; IPC_RMID under a waiter (EIDRM); keys; the errors; the same
     * through i386's ipc() multiplexer. The expected lines are the host kernel's: the program built
     * for x86-64 and run natively (there the multiplexer's part makes the calls it stands for).
     */
    @Test
    void sysvSemaphores() throws Exception {
        printsOnBothEngines("sysvsem", ""
                + "semget: 1\n"
                + "fresh: 0 0 0\n"
                + "SETVAL: 0\n"
                + "GETVAL: 5\n"
                + "SETALL: 0\n"
                + "after SETALL: 1 2 3\n"
                + "two at once: 0\n"
                + "now: 0 4 3\n"
                + "one of two cannot, IPC_NOWAIT: -1 Resource temporarily unavailable\n"
                + "unchanged: 0 4 3\n"
                + "wait for zero where it is zero: 0\n"
                + "semtimedop, 50 ms: -1 Resource temporarily unavailable\n"
                + "waited long enough: 1\n"
                + "GETPID is ours: 0\n"
                + "down, released by the child: 0\n"
                + "it waited: 1; last pid ours: 1\n"
                + "GETZCNT: 1\n"
                + "SETVAL to zero: 0\n"
                + "the zero-waiter returned: 0\n"
                + "child sees 11\n"
                + "after the child's end: 4\n"
                + "GETNCNT: 1\n"
                + "signalled waiter: EINTR\n"
                + "IPC_STAT: nsems 3 mode 600\n"
                + "IPC_SET: 0\n"
                + "mode now 640\n"
                + "SETVAL out of range: -1 Numerical result out of range\n"
                + "a number past the set: -1 File too large\n"
                + "no operations: -1 Invalid argument\n"
                + "semget of no semaphores: -1 Invalid argument\n"
                + "GETVAL of a bad id: -1 Invalid argument\n"
                + "GETVAL past the set: -1 Invalid argument\n"
                + "IPC_RMID: 0\n"
                + "waiter of a removed set: EIDRM\n"
                + "GETVAL after IPC_RMID: -1 Invalid argument\n"
                + "keyed: 1 same: 1\n"
                + "same key, IPC_EXCL: -1 File exists\n"
                + "same key, more semaphores: -1 Invalid argument\n"
                + "the key after IPC_RMID: -1 No such file or directory\n"
                + "ipc(): get 1 set 0 down 0 value 1 remove 0\n"
        );
    }

    /**
     * SysV shared memory (before, ENOSYS): a segment shared with a fork's child both ways, with
     * LOCK'd increments from both processes adding up; a second, read-only attachment (a write
     * there is SIGSEGV); shmdt's and shmat's address checks, SHM_RND; IPC_STAT's fields, IPC_SET,
     * IPC_RMID while attached; keys with IPC_CREAT and IPC_EXCL; the errors; the same calls through
     * i386's ipc() multiplexer with the old shmid_ds. The expected lines are the host kernel's: the
     * program built for x86-64 and run natively (there the multiplexer's part makes the calls it
     * stands for; qemu-i386 7.2 rounds SHM_RND's address wrong).
     */
    @Test
    void sysvSharedMemory() throws Exception {
        printsOnBothEngines("sysvshm", ""
                + "shmget: 1\n"
                + "fresh: size 10000 nattch 0 mode 600 creator 1 last none\n"
                + "shmat: 1 aligned 1 zeros 1\n"
                + "attached: size 10000 nattch 1 mode 600 creator 1 last self\n"
                + "child exited 0; parent sees: Parent / from the child; counter 200000\n"
                + "after the child: size 10000 nattch 1 mode 600 creator 1 last other\n"
                + "second attachment: 1 elsewhere 1 same bytes 1\n"
                + "twice: size 10000 nattch 2 mode 600 creator 1 last self\n"
                + "write through SHM_RDONLY: signal 11\n"
                + "shmdt of the second: 0\n"
                + "shmdt again: -1 Invalid argument\n"
                + "shmdt of a non-attachment: -1 Invalid argument\n"
                + "unaligned address: Invalid argument\n"
                + "SHM_RND: 1\n"
                + "over the first attachment: Invalid argument\n"
                + "IPC_SET: 0\n"
                + "after IPC_SET: size 10000 nattch 1 mode 640 creator 1 last self\n"
                + "IPC_RMID while attached: 0\n"
                + "still there: Parent\n"
                + "shmdt of the last: 0\n"
                + "once gone: -1 Invalid argument\n"
                + "keyed: 1\n"
                + "same key: 1\n"
                + "same key, IPC_EXCL: -1 File exists\n"
                + "same key, larger: -1 Invalid argument\n"
                + "same key, smaller: 0\n"
                + "IPC_RMID: 0\n"
                + "the key after IPC_RMID: -1 No such file or directory\n"
                + "a missing key: -1 No such file or directory\n"
                + "size 0: -1 Invalid argument\n"
                + "IPC_STAT of a bad id: -1 Invalid argument\n"
                + "ipc(): get 1 attach 0 size 5000 nattch 1 detach 0 remove 0\n"
                + "shmat of a bad id: -1 Invalid argument\n"
        );
    }

    /**
     * preadv2 and pwritev2 (before, ENOSYS): at an offset or at the file's position (-1), RWF_APPEND
     * at the end of the file, the flags that change nothing here, an unknown flag refused only with
     * bytes to move, the errors, a pipe at -1. The expected lines are the host kernel's: the same
     * program built for x86-64 and run natively (qemu-i386 7.2 answers every flag with EOPNOTSUPP).
     */
    /**
     * /proc/self/maps lists the process's own mappings (before: the JVM's, 64-bit addresses and
     * all): the stack, the break, an mmap and the page an mprotect split off it, a shared page;
     * pthread_getattr_np finds the main thread's stack through it. The expected lines are the host
     * kernel's (the same program built for x86-64).
     */
    @Test
    void procSelfMaps() throws Exception {
        printsOnBothEngines("procmaps", ""
                + "a local variable: rw-p [stack]\n"
                + "a small malloc: rw-p [heap]\n"
                + "three read-only pages: r--p, 3 pages from the mapping's start\n"
                + "the middle page after mprotect: rw-p (unnamed)\n"
                + "its line: 1 page(s)\n"
                + "the last page: r--p (unnamed)\n"
                + "a shared page: rw-s\n"
                + "after munmap: not listed\n"
                + "main thread's stack holds a local: yes\n");
    }

    /**
     * close_range (before: ENOSYS, on which glibc and Python's subprocess fall back to closing one
     * descriptor at a time): a range closed, a range marked close-on-exec, CLOSE_RANGE_UNSHARE in a
     * process of one thread, the errors. The expected lines are the host kernel's (the same program
     * built for x86-64).
     */
    @Test
    void closeRange() throws Exception {
        printsOnBothEngines("closerange", ""
                + "close 12..14: 0\n"
                + "open after: 10 11 15 16 17 18 19\n"
                + "cloexec 15..16: 0\n"
                + "open after: 10 11 15e 16e 17 18 19\n"
                + "unshare, one thread, 17..17: 0\n"
                + "open after: 10 11 15e 16e 18 19\n"
                + "first past last: Invalid argument\n"
                + "an unknown flag: Invalid argument\n"
                + "past the table: 0\n"
                + "close 18..~0: 0\n"
                + "open after: 10 11 15e 16e\n");
    }

    /**
     * AF_INET and AF_INET6 sockets (before: EAFNOSUPPORT), the host's TCP and UDP on the loopback
     * interface: a server and a client in a child (port 0 and getsockname, listen, poll, accept,
     * connect, both ways, MSG_PEEK and MSG_WAITALL, the end of the stream), a non-blocking accept
     * and connect (EINPROGRESS, then POLLOUT and SO_ERROR 0), ECONNREFUSED, EADDRINUSE,
     * ENOTCONN, EDESTADDRREQ, UDP sendto/recvfrom with the sender's address over IPv4 and IPv6,
     * SO_RCVTIMEO (a receive that ends with EAGAIN after it, EDOM for a bad timeval), a send to a
     * peer that closed (EPIPE with SIGPIPE, none with MSG_NOSIGNAL).
     * The expected lines are the host kernel's (the same program built for x86-64).
     */
    @Test
    void inetSocketsOnTheLoopback() throws Exception {
        printsOnBothEngines("inet", ""
                + "SO_REUSEADDR: 0\n"
                + "bind to port 0: 0\n"
                + "a port was chosen: 1\n"
                + "getsockname: length 16, family 2, address 127.0.0.1\n"
                + "listen: 0\n"
                + "SO_ACCEPTCONN: 1\n"
                + "accept with none waiting: -1 Resource temporarily unavailable\n"
                + "child: connect 0, received 8 [and back]\n"
                + "poll the listener: 1 0x1\n"
                + "accepted: peer length 16, address 127.0.0.1, port differs 1\n"
                + "peeked 5, then read 14 [hello over tcp]\n"
                + "read at the end: 0\n"
                + "recv unconnected: -1 Transport endpoint is not connected\n"
                + "getpeername unconnected: -1 Transport endpoint is not connected\n"
                + "bind a port in use: -1 Address already in use\n"
                + "connect to a closed port: -1 Connection refused\n"
                + "non-blocking connect: in progress\n"
                + "writable 1, SO_ERROR 0\n"
                + "recv with nothing sent: -1 Resource temporarily unavailable\n"
                + "sendto: 8\n"
                + "recvfrom 4 [data] from 127.0.0.1, length 16, port is the sender's 1\n"
                + "send unconnected: -1 Destination address required\n"
                + "bind IPv6: 0\n"
                + "IPv6: 3 [six] from ::1, length 28\n"
                + "send to a closed peer: Broken pipe, SIGPIPE 1\n"
                + "again with MSG_NOSIGNAL: -1 Broken pipe, SIGPIPE 0\n"
                + "SO_RCVTIMEO: 0\n"
                + "read back: 0 s 200000 us, a whole struct timeval 1\n"
                + "recv after the timeout: -1 Resource temporarily unavailable, waited at least 0.15 s: 1\n"
                + "microseconds out of range: -1 Numerical argument out of domain\n");
    }

    /**
     * AF_UNIX sockets with names (before: socket() was EAFNOSUPPORT and only socketpair worked):
     * bind, listen, accept and connect by path (a socket file on the host) and in the abstract
     * namespace, between a process and its child; getsockname/getpeername; poll and a
     * non-blocking accept on a listener; the errors of each; descriptors passed with SCM_RIGHTS
     * over stream and SOCK_SEQPACKET connections (before: EOPNOTSUPP), a stream read stopping
     * after the bytes that brought them, MSG_CTRUNC; named datagram sockets (sendto a name,
     * recvfrom with the sender's name, connect and send, a descriptor sent to a name). The
     * expected lines are the host kernel's (the same program built for x86-64).
     */
    @Test
    void unixSocketsWithNamesAndPassedDescriptors() throws Exception {
        printsOnBothEngines("unixsock", ""
                + "socket: 0\n"
                + "unbound name: family 1, unnamed (len 2)\n"
                + "unconnected peer: -1 Transport endpoint is not connected\n"
                + "listen before bind (autobinds): -1 Invalid argument\n"
                + "bind: 0\n"
                + "bind again: -1 Address already in use\n"
                + "the name is a socket: 1\n"
                + "bound name: family 1, path [unixsock.sock] (len 16)\n"
                + "bind a second socket to the name: -1 Address already in use\n"
                + "connect before listen: -1 Connection refused\n"
                + "listen: 0\n"
                + "accept with none waiting: -1 Resource temporarily unavailable\n"
                + "poll a listener with none waiting: 0\n"
                + "child connect: 0\n"
                + "child peer: family 1, path [unixsock.sock] (len 16)\n"
                + "child read 21: hello from the parent\n"
                + "poll a listener with one waiting: 1, revents 0x1\n"
                + "accepted peer address length 2\n"
                + "accepted name: family 1, path [unixsock.sock] (len 16)\n"
                + "accepted peer: family 1, unnamed (len 2)\n"
                + "parent read 20: hello from the child\n"
                + "read after the child's end: 0\n"
                + "connect to a socket: -1 Invalid argument\n"
                + "connect after the listener closed: -1 Connection refused\n"
                + "connect to a missing name: -1 No such file or directory\n"
                + "connect to a plain file: -1 Connection refused\n"
                + "bind over a file: -1 Address already in use\n"
                + "bind abstract: 0\n"
                + "bind the same abstract name: -1 Address already in use\n"
                + "stream connect to a seqpacket listener: -1 Connection refused\n"
                + "connect abstract: 0\n"
                + "connect again: -1 Transport endpoint is already connected\n"
                + "accept4 cloexec: 1\n"
                + "abstract peer: family 1, abstract [kasou-test-abstract] (len 22)\n"
                + "message 1: 3 [one]\n"
                + "message 2: 3 [two]\n"
                + "SO_ACCEPTCONN of the listener: 1\n"
                + "SO_ACCEPTCONN of the accepted: 0\n"
                + "send two descriptors: 1\n"
                + "seqpacket pair: received 1 bytes [A] and 2 descriptors, flags 0x40000000\n"
                + "  passed pipe: read 11 [in the pipe], cloexec 1\n"
                + "  passed file: read 11 [in the file], cloexec 1\n"
                + "seqpacket pair: then 2 bytes [bc] and 0 descriptors\n"
                + "seqpacket pair: small control buffer: 1 bytes, 1 descriptors, MSG_CTRUNC 1\n"
                + "seqpacket pair: no control buffer: 1 bytes, 0 descriptors, MSG_CTRUNC 1\n"
                + "send a closed descriptor: -1 Bad file descriptor\n"
                + "send two descriptors: 1\n"
                + "stream pair: received 1 bytes [A] and 2 descriptors, flags 0x40000000\n"
                + "  passed pipe: read 11 [in the pipe], cloexec 1\n"
                + "  passed file: read 11 [in the file], cloexec 1\n"
                + "stream pair: then 2 bytes [bc] and 0 descriptors\n"
                + "stream pair: small control buffer: 1 bytes, 1 descriptors, MSG_CTRUNC 1\n"
                + "stream pair: no control buffer: 1 bytes, 0 descriptors, MSG_CTRUNC 1\n"
                + "send a closed descriptor: -1 Bad file descriptor\n"
                + "bind a datagram socket: 0\n"
                + "sendto from an unnamed socket: 5\n"
                + "received 5 [first], sender address length 0\n"
                + "received 6 [second] from [kasou-test-dgram-client] (length 26)\n"
                + "reply to the sender: 5\n"
                + "the sender received 5 [reply]\n"
                + "send before connect: -1 Transport endpoint is not connected\n"
                + "connect a datagram socket: 0\n"
                + "datagram peer: family 1, path [unixsock.dgram] (len 17)\n"
                + "send after connect: 5\n"
                + "a short read: 3 [thi]\n"
                + "poll an empty datagram socket: 0x4\n"
                + "sendmsg a descriptor to a name: 2\n"
                + "received 2 [fd] with 1 descriptors\n"
                + "sendto a closed socket's name: -1 Connection refused\n"
                + "send to the closed peer: -1 Connection refused\n"
                + "sendto a missing name: -1 No such file or directory\n"
                + "sendto on an unconnected stream socket: -1 Operation not supported\n"
                + "listen on a datagram socket: -1 Operation not supported\n"
                + "socket(AF_UNIX, 99): -1 Invalid argument\n"
                + "connect with a short address: -1 Invalid argument\n");
    }

    /**
     * One set of pages per file for every shared mapping of it (before, each mapping had copies of
     * its own, which met only in the file at write-back): two mappings in one process, a mapping
     * with an offset, read()/pread() of what a mapping stored and a mapping of what write()/pwrite()
     * put in the file, without msync; a private mapping's page starting from the shared one; a program started through execve (no pages inherited) that
     * maps the file and adds to a counter in it; a POSIX named semaphore posted by that program
     * (before: the waits timed out). The expected lines are the host kernel's (the same program
     * built for x86-64).
     */
    @Test
    void sharedMappingsOfOneFileShareItsPages() throws Exception {
        printsOnBothEngines("mmapcoherent", ""
                + "b before: .....\n"
                + "b after a's store: first\n"
                + "a at 4104: page two\n"
                + "pread after the store: first\n"
                + "a after pwrite: WRITTEN\n"
                + "b after write: via write\n"
                + "read of page two: page two\n"
                + "child sees: from parent!\n"
                + "semaphore posted twice: 0 0\n"
                + "child status: 0\n"
                + "a at 2000: from the exec'd child\n"
                + "counter: 42\n"
                + "trywait after: -1\n"
                + "a private mapping sees the shared store: unsynced\n"
                + "the shared mapping after the private store: ........\n"
                + "file at 2000: from the\n");
    }

    /**
     * memfd_create (before: ENOSYS): an anonymous file that reads, writes, truncates, maps shared
     * and is inherited by a fork like any file; MFD_CLOEXEC; names and flags checked as Linux
     * checks them. The expected lines are the host kernel's (the same program built for x86-64).
     */
    @Test
    void memfdCreate() throws Exception {
        printsOnBothEngines("memfd", ""
                + "close-on-exec: 1\n"
                + "access mode: read-write\n"
                + "write: 10000\n"
                + "size 10000, regular 1, mode 777\n"
                + "read at 78: 26 abcdefghijklmnopqrstuvwxyz\n"
                + "ftruncate: 0\n"
                + "size after: 8192\n"
                + "mapped: opqrstuvwx\n"
                + "the child read the mapping's store: yes\n"
                + "an empty name: made, close-on-exec 0\n"
                + "a name of 249 bytes: made\n"
                + "a name of 250 bytes: Invalid argument\n"
                + "an unknown flag: Invalid argument\n");
    }

    /**
     * /dev/stdin, /dev/stdout, /dev/fd/N and /proc/self/fd/N reach the program's own descriptors
     * (before, /dev/fd/N opened the JVM's descriptor N, and /proc/self/fd/N of a pipe was ENOENT),
     * their names cannot be unlinked or renamed (unlink of /proc/self/fd/N removed the file it
     * names), and a trailing slash makes a path name a directory, through a symbolic link (lstat
     * followed it; unlink removed the link). The expected lines are the host kernel's, from the same program
     * built for x86-64 and run natively with its output into a pipe.
     */
    @Test
    void devFdAndTrailingSlashes() throws Exception {
        printsOnBothEngines("devfd", ""
                + "the pipe's read end as /dev/fd/N: 16 \"through the pipe\"\n"
                + "stat of the pipe's /proc/self/fd/N: fifo\n"
                + "lstat of the pipe's /proc/self/fd/N: link\n"
                + "access: 0\n"
                + "the file as /dev/fd/N (a description of its own, from the start): 11 \"in the file\"\n"
                + "unlink /proc/self/fd/N: Operation not permitted\n"
                + "unlink /dev/fd/N: Operation not permitted\n"
                + "rename /dev/fd/N: Invalid cross-device link\n"
                + "chmod /dev/fd/N: 0\n"
                + "the file: still there, mode 640\n"
                + "a descriptor not open: No such file or directory\n"
                + "its stat: No such file or directory\n"
                + "readlink /dev/stdin: /proc/self/fd/0\n"
                + "lstat /dev/stdout: link\n"
                + "written to /dev/stdout\n"
                + "stat link/: directory\n"
                + "lstat link/: directory\n"
                + "lstat link: link\n"
                + "stat file/: Not a directory\n"
                + "rmdir link/: Not a directory\n"
                + "unlink link/: Not a directory\n"
                + "unlink file/: Not a directory\n"
                + "unlink link: removed\n"
                + "unlink file: removed\n"
                + "rmdir dir/: removed\n");
    }

    /**
     * clone3: Linux's checks of struct clone_args (sizes, a newer struct's fields, the exit signal,
     * flags, stack and set_tid), a fork-like child with CLONE_PARENT_SETTID and CLONE_CHILD_SETTID
     * (also at addresses past the user part, whose writes are skipped), CLONE_CLEAR_SIGHAND, and threads from glibc's pthread_create, which tries clone3 first. The
     * expected lines are what the same program prints built for x86-64 and run natively (clone3 and
     * its struct are the same there); before, every call was ENOSYS and glibc fell back to clone.
     */
    @Test
    void clone3() throws Exception {
        printsOnBothEngines("clone3", ""
                + "size 63: -1 Invalid argument\n"
                + "size 4097: -1 Argument list too long\n"
                + "a newer struct's field set: -1 Argument list too long\n"
                + "the struct at a bad address: -1 Bad address\n"
                + "exit signal 65: -1 Invalid argument\n"
                + "exit signal with high bits: -1 Invalid argument\n"
                + "a signal in the flags: -1 Invalid argument\n"
                + "an unknown high flag: -1 Invalid argument\n"
                + "a thread with an exit signal: -1 Invalid argument\n"
                + "CLONE_SIGHAND with CLONE_CLEAR_SIGHAND: -1 Invalid argument\n"
                + "a stack without a size: -1 Invalid argument\n"
                + "a size without a stack: -1 Invalid argument\n"
                + "set_tid_size without set_tid: -1 Invalid argument\n"
                + "fork-like: child made, parent_tid holds its pid\n"
                + "fork-like: waited the child, exited 1 status 7\n"
                + "tids past the user part: child made, parent_tid untouched\n"
                + "tids past the user part: waited the child, exited 1 status 7\n"
                + "CLONE_CLEAR_SIGHAND (1: USR1 default, 2: USR2 still ignored): waited the child, exited 1 status 3\n"
                + "without it (5: the handler kept): waited the child, exited 1 status 5\n"
                + "threads: 30\n"
                + "handler hits: 0\n");
    }

    /**
     * Robust mutexes: a thread that ends holding one, a thread that ends while another waits in its
     * lock, and a child process that ends holding a process-shared one in shared memory each leave
     * it to the next locker with EOWNERDEAD (the end walks set_robust_list's list and marks the
     * futex words FUTEX_OWNER_DIED, waking a waiter); get_robust_list. The expected lines are what
     * the same program prints built for x86-64 and run natively. Before, set_robust_list was
     * accepted and nothing more: the next lock waited for ever.
     */
    @Test
    void robustMutexes() throws Exception {
        printsOnBothEngines("robust", ""
                + "get_robust_list: 0, a head set, its size right\n"
                + "set_robust_list with a wrong size: -1 Invalid argument\n"
                + "lock after the holder ended: EOWNERDEAD\n"
                + "consistent: 0\n"
                + "unlock: 0\n"
                + "lock again: 0\n"
                + "waiter woken by the holder's end: EOWNERDEAD\n"
                + "lock after a child process ended holding it: EOWNERDEAD\n"
                + "unlock: 0\n");
    }

    @Test
    void vectorsWithFlags() throws Exception {
        printsOnBothEngines("vectors2", ""
                + "write: 10\n"
                + "pwritev2 at 2: 7\n"
                + "position 10\n"
                + "preadv2 at 1: 9\n"
                + "read: 1ab|cDEFG9\n"
                + "preadv2 at -1: 6\n"
                + "read: cDE|FG9 position 10\n"
                + "pwritev2 at -1: 7\n"
                + "position 7\n"
                + "RWF_APPEND at 0: 1\n"
                + "size 11 position 7\n"
                + "RWF_APPEND at -1: 1\n"
                + "size 12 position 12\n"
                + "file: abcDEFGFG9ZZ\n"
                + "RWF_DSYNC: 1\n"
                + "RWF_SYNC: 1\n"
                + "RWF_HIPRI: 3\n"
                + "unknown flag: -1 Operation not supported\n"
                + "unknown flag, writing: -1 Operation not supported\n"
                + "unknown flag, nothing to read: 0\n"
                + "offset -2: -1 Invalid argument\n"
                + "preadv2 from a write-only descriptor: -1 Bad file descriptor\n"
                + "pread from a write-only descriptor: -1 Bad file descriptor\n"
                + "pwritev2 to a read-only descriptor: -1 Bad file descriptor\n"
                + "pwrite to a read-only descriptor: -1 Bad file descriptor\n"
                + "closed descriptor: -1 Bad file descriptor\n"
                + "closed descriptor at -1: -1 Bad file descriptor\n"
                + "pipe: 0\n"
                + "pwritev2 to a pipe at 0: -1 Illegal seek\n"
                + "pwritev2 to a pipe at -1: 7\n"
                + "preadv2 from a pipe at -1: 7\n"
                + "read: abc|DEFG\n"
        );
    }

    /**
     * creat, utime, utimes, sync, syncfs, the mlock family, personality, preadv and pwritev (before,
     * all ENOSYS).
     * The expected lines are what the program prints under qemu-i386 (the host kernel).
     */
    @Test
    void smallerFileAndMemoryCalls() throws Exception {
        GuestPrograms.Outcome o = agree("misccalls");
        assertEquals(""
                + "creat: 1\n"
                + "write: 3\n"
                + "mode 640 size 3\n"
                + "read from a write-only descriptor: -1 Bad file descriptor\n"
                + "again: truncated to 0, mode kept 640\n"
                + "syncfs: 0\n"
                + "syncfs of a closed descriptor: -1 Bad file descriptor\n"
                + "utime: 0\n"
                + "atime 1000000000 mtime 1200000000\n"
                + "utimes: 0\n"
                + "atime 1300000000.250000000 mtime 1400000000.500000000\n"
                + "utimes with 1000000 us: -1 Invalid argument\n"
                + "utime now: 0\n"
                + "recent 1\n"
                + "utime of a missing file: -1 No such file or directory\n"
                + "mlock: 0\n"
                + "munlock: 0\n"
                + "mlockall: 0\n"
                + "munlockall: 0\n"
                + "mlockall(0): -1 Invalid argument\n"
                + "mlockall(MCL_ONFAULT): -1 Invalid argument\n"
                + "personality: 0\n"
                + "set ADDR_NO_RANDOMIZE: 0\n"
                + "now: 262144\n"
                + "back: 262144\n"
                + "write: 10\n"
                + "pwritev at 2: 7\n"
                + "position: 10\n"
                + "preadv at 1: 9\n"
                + "read: 1ab|cDEFG9\n"
                + "preadv past the end: 0\n"
                + "negative offset: -1 Invalid argument\n"
                + "pipe: 0\n"
                + "pwritev to a pipe: -1 Illegal seek\n"
                + "closed descriptor: -1 Bad file descriptor\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * Named pipes (before, mknod was ENOSYS and mkfifo failed): a FIFO with the umask applied,
     * EEXIST and ENOENT, mknod of a regular file, a child writing to its parent through the FIFO.
     * The expected lines are what the program prints under qemu-i386 (the host kernel).
     */
    @Test
    void namedPipes() throws Exception {
        GuestPrograms.Outcome o = agree("fifo");
        assertEquals(""
                + "mkfifo: 0\n"
                + "is a fifo 1, mode 644\n"
                + "again: -1 File exists\n"
                + "in a missing directory: -1 No such file or directory\n"
                + "mknod regular: 0\n"
                + "is a regular file 1, size 0, mode 640\n"
                + "read 16: through the fifo, then end of file 0\n"
                + "unlink: 0\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * Shared anonymous memory across fork (before, the child got a copy): writes seen both ways,
     * 400,000 atomic increments from two processes (without one lock for both, updates were lost),
     * process-shared semaphores and mutexes that wait and wake across processes (without the
     * run's futex table for shared pages, the mutex case hung), MADV_DONTNEED and a child's munmap
     * leaving the contents. The expected lines are what the program prints under qemu-i386.
     */
    @Test
    void sharedMemoryAcrossFork() throws Exception {
        GuestPrograms.Outcome o = agree("sharedmem");
        assertEquals(""
                + "first child: exit 1\n"
                + "shared after the child: 42, private: 1\n"
                + "atomic child: exit 0\n"
                + "counter: 400000\n"
                + "semaphore child: exit 0\n"
                + "ping-pong in order: 1\n"
                + "mutex child: exit 0\n"
                + "under the mutex: 200000\n"
                + "after MADV_DONTNEED: 7\n"
                + "unmapping child: exit 0\n"
                + "still shared here: 7\n", o.stdout());
        assertEquals(0, o.status());
    }

    /** socket() gives AF_INET, AF_INET6 and AF_UNIX sockets and fails with EAFNOSUPPORT for other families, on the interpreter and with every block compiled. */
    @Test
    void socketFamilies() throws Exception {
        GuestPrograms.Run r = new GuestPrograms.Run(GuestPrograms.compiled("nonetwork"), List.of(), ENV, new byte[0], dir);
        for (int threshold : new int[] {-1, 0}) {
            GuestPrograms.Outcome o = GuestPrograms.runKasou(r, threshold);
            assertEquals("socket(2): a descriptor Success\n"
                    + "socket(10): a descriptor Success\n"
                    + "socket(16): -1 Address family not supported by protocol\n"
                    + "socket(1): a descriptor Success\n", o.stdout(), "threshold " + threshold);
            assertEquals(0, o.status());
        }
    }

    /**
     * Pages of a file mapping take the file's bytes when first touched (a write to the file after
     * mmap shows in a page not touched before, as on Linux), and again after MADV_DONTNEED; mremap
     * and fork carry untouched pages along. The expected lines are what qemu-i386 (the host's
     * mmap) prints.
     */
    @Test
    void fileMappings() throws Exception {
        GuestPrograms.Outcome o = agree("mmapfile");
        assertEquals("whole: sum 0c370800 of the file, first 0, last 186, after the end 0 0\n"
                + "untouched page shows the later write: CHANGED\n"
                + "offset mapping: CHANGED, byte 39 of page 1, sum 63e8955e\n"
                + "written: wx, file's page unchanged: 3\n"
                + "after MADV_DONTNEED: 3 10 (file: 3 10)\n"
                + "moved: yes, sum fae1fe4a\n"
                + "child reads untouched pages: sum 46b10000\n"
                + "parent: sum 46b10000, child status 0\n", o.stdout());
        assertEquals(0, o.status());
    }

    /**
     * Reads and writes of many sizes, below and above the buffer each guest thread's transfers go
     * through (FileSyscalls.TRANSFER_BYTES), two threads reading at once, and sendfile looped as
     * cat loops it (kasou moves at most one buffer a call): each moves exactly the bytes asked
     * for. The expected lines are what qemu-i386 prints.
     */
    @Test
    void transfersOfManySizes() throws Exception {
        GuestPrograms.Outcome o = agree("transfers");
        assertEquals("written 262144 bytes in 9 writes, 0 bad, file size 262144\n"
                + "read back 205198 bytes in 9 reads, 0 bad; then 56946 more, the file's end 0\n"
                + "pwrite and pread: 85 08 XYZ 14, position 1000, 0 bad\n"
                + "large pread at 1000: 0 bad\n"
                + "writev 70010, readv 70010, 0 bad\n"
                + "pipe: 600 and 400, 0 bad\n"
                + "two threads: right different\n"
                + "sendfile: 262144 bytes, 0 bad; with an offset 3, offset now 5003, the file's own position 262144\n", o.stdout());
        assertEquals(0, o.status());
    }

    /** What reuse.c prints when every generation sees only its own page. */
    private static final String SIX_GENERATIONS = java.util.stream.IntStream.range(0, 6)
            .mapToObj(k -> "generation " + k + ": fresh page zeros, the last one's page unmapped\n").collect(java.util.stream.Collectors.joining());

    /**
     * Processes that follow one another run on the page tables the one before gave back
     * (org.kasou.mem.SpareTables): each forked child, and each program that execve replaced,
     * must find its fresh page zeroed and the page of the one before it unmapped. The fork
     * generations' lines are qemu-i386's as well; execve of a 32-bit program needs kasou on this
     * kind of host, so that part runs on kasou's two engines alone.
     */
    @Test
    void processesAfterOthersSeeNoneOfTheirPages() throws Exception {
        GuestPrograms.Outcome o = agree("reuse");
        assertEquals(SIX_GENERATIONS, o.stdout());
        assertEquals(0, o.status());
        assertTrue(org.kasou.mem.SpareTables.kept() > 0, "the ended processes gave their tables back");
        GuestPrograms.Run exec = new GuestPrograms.Run(GuestPrograms.compiled("reuse"), List.of("exec"), ENV, new byte[0], dir);
        for (int threshold : new int[] {-1, 0}) {
            GuestPrograms.Outcome k = GuestPrograms.runKasou(exec, threshold);
            assertEquals(SIX_GENERATIONS, k.stdout(), threshold < 0 ? "interpreter" : "JIT");
            assertEquals(0, k.status());
        }
    }

    /**
     * A forked child gets no copy of pages that still hold their file's bytes (it reads them from
     * the file again): it must still see what the parent wrote, in initialized data and in a
     * private file mapping written while writable and then made read-only.
     */
    @Test
    void forkedChildSeesItsParentsPagesNotTheFiles() throws Exception {
        GuestPrograms.Outcome o = agree("forkpages");
        assertEquals("child: data 1 77, ro 5 0, written-then-read-only WXf, read-only file ff\nparent: child exited 0\n", o.stdout());
    }

    @Test
    void heavyMalloc() throws Exception {
        GuestPrograms.Outcome o = agree("malloc");
        assertTrue(o.stdout().contains("checksum:"), o.stdout());
    }

    @Test
    void floatingPointPrintf() throws Exception {
        GuestPrograms.Outcome o = agree("float");
        assertTrue(o.stdout().startsWith("0.33333333333333331"), o.stdout());
    }

    @Test
    void forkExecWaitAndPipes() throws Exception {
        GuestPrograms.needsNativeChildren();
        GuestPrograms.Outcome o = agree("forkexec");
        assertTrue(o.stdout().contains("parent read 22: message from the child\n"), o.stdout());
        assertTrue(o.stdout().contains("signaled=1 sig=11\n"), o.stdout());
        assertTrue(o.stdout().contains("spawned child code=9\n"), o.stdout());
    }

    @Test
    void execveOfInterpreterScripts() throws Exception {
        // A sysroot whose /bin/sh is busybox: "#!/bin/sh" must find it there, as a PT_INTERP would be found.
        Path root = dir.resolve("root");
        java.nio.file.Files.createDirectories(root.resolve("bin"));
        java.nio.file.Files.copy(GuestPrograms.busybox(), root.resolve("bin/sh"), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        Path work = java.nio.file.Files.createDirectories(dir.resolve("work"));
        GuestPrograms.needsNativeChildren();
        GuestPrograms.Run r = new GuestPrograms.Run(GuestPrograms.compiled("shebang"), List.of(GuestPrograms.busybox().toString()), ENV,
                new byte[0], work, root);
        String self = r.program().toString();
        String expected = "one argument, spaces inside kept:\n  [show  two  words]  [./show.sh]  [a b]  [c]\n  status 5\n"
                + "no argument:\n  [./bare.sh]  [a b]  [c]\n  status 5\n"
                + "a script as interpreter:\n  [show  two  words]  [./show.sh]  [x]  [./nested.sh]  [a b]  [c]\n  status 5\n"
                + "busybox sh by its path:\nsh: ./sh.sh [a b] [c] child\n  status 3\n"
                + "/bin/sh in the sysroot:\nthrough the sysroot: ./root.sh 2\n  status 1\n"
                + "a name without a directory:\nthrough the sysroot: root.sh 2\n  status 1\n"
                + "missing interpreter:\n  execve: No such file or directory\n"
                + "script not executable:\n  execve: Permission denied\n"
                + "a directory as interpreter:\n  execve: Permission denied\n"
                + "no interpreter named:\n  execve: Exec format error\n"
                + "interpreter path longer than the line Linux reads:\n  execve: Exec format error\n"
                + "a script that interprets itself:\n  execve: Too many levels of symbolic links\n"
                + "neither a binary nor a script:\n  execve: Exec format error\n";
        assertEquals(expected, GuestPrograms.agree(r).stdout(), "argv of " + self);
    }

    @Test
    void pollOnPipes() throws Exception {
        GuestPrograms.Outcome o = agree("poll");
        assertTrue(o.stdout().contains("writer closed: 1 revents=16\n"), o.stdout());
        assertTrue(o.stdout().contains("bad fd: 1 revents=32\n"), o.stdout());
    }

    @Test
    void selectPselectAndEpoll() throws Exception {
        GuestPrograms.Outcome o = agree("readiness");
        assertTrue(o.stdout().contains("select, file and pipe: 3 read file=1 pipe=1 write file=1 except file=0 pipe=0\n"), o.stdout());
        assertTrue(o.stdout().contains("time left after the timeout: 0.000000\n"), o.stdout());
        assertTrue(o.stdout().contains("add a regular file: -1 Operation not permitted\n"), o.stdout());
        assertTrue(o.stdout().contains("wait, data: 1 [events=1 data=1122334455667788]\n"), o.stdout());
        assertTrue(o.stdout().contains("wait, no new edge: 0\n"), o.stdout());
        assertTrue(o.stdout().contains("wait, through the dup: 1 [events=1 data=8]\n"), o.stdout());
        assertTrue(o.stdout().endsWith("select on an epoll: 1\n"), o.stdout());
    }

    @Test
    void cpusGroupsAndFileAdvice() throws Exception {
        GuestPrograms.Outcome o = agree("hostinfo");
        assertTrue(o.stdout().contains("bytes written in whole longs: 1\n"), o.stdout());
        assertTrue(o.stdout().contains("sched_setaffinity to none: -1 Invalid argument\n"), o.stdout());
        assertTrue(o.stdout().contains("fadvise on a pipe: Illegal seek\n"), o.stdout());
    }

    @Test
    void terminalRequestsOnPipesAndFilesAndFionread() throws Exception {
        GuestPrograms.Outcome o = agree("terminal");
        assertTrue(o.stdout().startsWith("fd 0: isatty=0 TCGETS=-1 Inappropriate ioctl for device"), o.stdout());
        assertTrue(o.stdout().contains("FIONREAD on the write end: 0, 5 bytes\n"), o.stdout());
        assertTrue(o.stdout().contains("FIONREAD on a file past its end: 0, -50 bytes\n"), o.stdout());
        assertTrue(o.stdout().contains("FIONREAD on /dev/null: -1 Inappropriate ioctl for device\n"), o.stdout());
    }

    @Test
    void aTerminalKeepsItsSettingsSizeAndForegroundGroup() throws Exception {
        // Not compared with a native run: the tests' standard streams are pipes there.
        GuestPrograms.Run r = new GuestPrograms.Run(GuestPrograms.compiled("terminal"), List.of("tty"), ENV, new byte[] {'a', 'b'}, dir);
        String expected = "fd 0: isatty=1\nfd 1: isatty=1\nfd 2: isatty=0\ncharacter device: 1\ntcgetattr: 0\n"
                + "iflag=4500 oflag=5 cflag=bf lflag=8a3b VINTR=3 VEOF=4 VMIN=1 speed=1\n"
                + "tcsetattr TCSAFLUSH: 0\n"
                + "after cfmakeraw: iflag=4000 oflag=4 lflag=a30 VMIN=0 VTIME=5\n"
                + "tcsetattr TCSANOW: 0\ntcsetattr TCSADRAIN: 0\nrestored: 1\n"
                + "TIOCGWINSZ: 0\nrows=30 cols=100\nTIOCSWINSZ: 0\nrows=50 cols=132\n"
                + "foreground is ours: 1\ntcsetpgrp: 0\ntcsetpgrp, negative: -1 Invalid argument\n"
                + "TCGETS into a bad pointer: -1 Bad address\nFIONREAD on the terminal: 0, 2 bytes\n"
                + "unknown request on a pipe: -1 Inappropriate ioctl for device\n";
        for (int threshold : new int[] {-1, 0}) {
            GuestPrograms.Outcome o = GuestPrograms.runKasou(r, threshold, new Terminal(30, 100, 0b011, false));
            assertEquals(expected, o.stdout());
            assertEquals(0, o.status());
        }
    }

    @Test
    void signalHandlers() throws Exception {
        GuestPrograms.Outcome o = agree("signals");
        assertTrue(o.stdout().contains("usr1 handler: 2010\n"), o.stdout());
        assertTrue(o.stdout().contains("segv handler: 11, then the write went through: k\n"), o.stdout());
        assertTrue(o.stdout().contains("fpe handler jumped back with 8\n"), o.stdout());
        assertTrue(o.stdout().contains("delivered when unblocked: 2010\n"), o.stdout());
        assertEquals(0, o.status());
        assertEquals(134, agree("signals", "abort").status());
    }

    @Test
    void faultsEndTheProcessWithTheirSignal() throws Exception {
        assertEquals(139, agree("segv", "null").status());
        assertEquals(139, agree("segv", "readonly").status());
        assertEquals(139, agree("segv", "unmapped").status());
        assertEquals(132, agree("segv", "ud2").status());
    }

    @Test
    void hostileSystemCallArgumentsAreAnsweredNotFatal() throws Exception {
        // Not compared with a native run: on the host these calls would damage the test's own process.
        GuestPrograms.Run r = new GuestPrograms.Run(GuestPrograms.compiled("hostile"), List.of(), ENV, new byte[0], dir);
        for (int threshold : new int[] {-1, 0}) {
            GuestPrograms.Outcome o = GuestPrograms.runKasou(r, threshold);
            assertTrue(o.stdout().startsWith("survived "), o.stdout() + o.stderr());
            assertEquals(0, o.status());
        }
    }

    @Test
    void aProcessWaitingInASystemCallCanBeStopped() throws Exception {
        for (String how : new String[] {"poll", "pipe"}) {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            LinuxProcess p = new LinuxProcess(new LinuxProcess.Options(GuestPrograms.compiled("blocked"), List.of("blocked", how), ENV,
                    java.io.InputStream.nullInputStream(), out, java.io.OutputStream.nullOutputStream(), -1, dir, null));
            LinuxProcess.Result[] result = new LinuxProcess.Result[1];
            Thread t = new Thread(() -> result[0] = p.run());
            t.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (out.size() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
            Thread.sleep(100);
            p.requestStop();
            t.join(30_000);
            assertTrue(!t.isAlive(), how + ": still waiting");
            assertEquals(128 + 9, result[0].status(), how);
            assertEquals(9, result[0].signal(), how);
        }
    }

    @Test
    void systemCallsThroughSysenterAsFromTheVdso() throws Exception {
        // Not compared with a native run: qemu-i386 answers SYSENTER with SIGSEGV; Linux returns through its vDSO as here.
        GuestPrograms.Run r = new GuestPrograms.Run(GuestPrograms.compiled("sysenter"), List.of(), ENV, new byte[0], dir);
        GuestPrograms.Run bad = new GuestPrograms.Run(r.program(), List.of("badstack"), ENV, new byte[0], dir);
        for (int threshold : new int[] {-1, 0}) {
            GuestPrograms.Outcome o = GuestPrograms.runKasou(r, threshold);
            assertEquals("written through sysenter\nwrite: 25\ngetpid matches: 1\nmmap2 with six arguments: 7\n"
                    + "mmap2, offset in the sixth argument not page-aligned file: -9\nunknown call: -38\nregisters kept: 1\n"
                    + "child goes on after the call\nchild status 3\n", o.stdout());
            assertEquals(0, o.status());
            GuestPrograms.Outcome b = GuestPrograms.runKasou(bad, threshold);
            assertEquals("entering with an unreadable stack\n", b.stdout());
            assertEquals(128 + 11, b.status());
        }
    }

    @Test
    void theSupervisorAreaIsOutOfReach() throws Exception {
        GuestPrograms.Run r = new GuestPrograms.Run(GuestPrograms.compiled("segv"), List.of("high"), ENV, new byte[0], dir);
        for (int threshold : new int[] {-1, 0}) {
            GuestPrograms.Outcome o = GuestPrograms.runKasou(r, threshold);
            assertEquals(139, o.status());
            assertEquals("mapped, wrote x\n", o.stdout());
        }
    }
}
