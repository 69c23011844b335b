package org.kasou.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.kasou.jit.JitStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 32-bit x86 Linux program run without a guest kernel: its ELF image loaded into a fresh address
 * space, its system calls (INT 0x80) carried out in Java on the host, the way qemu-i386 runs one.
 * Each guest thread (the first, and those of clone with CLONE_THREAD) runs on a Java thread of its
 * own with a CPU of its own over the process's one memory; {@link #run()} waits for the end.
 *
 * <pre>
 *   LinuxProcess p = new LinuxProcess(new LinuxProcess.Options(path, argv, env, in, out, err, threshold));
 *   LinuxProcess.Result r = p.run();
 * </pre>
 */
public final class LinuxProcess {
    private static final Logger LOG = LoggerFactory.getLogger(LinuxProcess.class);
    /** The initial stack ends here; it may grow down to {@link #STACK_SIZE} below. */
    static final int STACK_TOP = 0xC0000000;
    static final int STACK_SIZE = 8 << 20;
    /** Guest physical memory: frames are taken as pages are touched. */
    private static final int RAM_BYTES = 0x7FFF0000;

    /**
     * What to run: the program's host path, its argv (argv[0] included) and environment, the
     * standard streams, the JIT's compile threshold (-1: interpreter only), the working
     * directory it starts in (null: the JVM's) and the sysroot (null: none), a directory whose
     * files stand in for the host's of the same absolute path, where they exist (the dynamic
     * loader, the libraries), as qemu-i386's -L.
     */
    public record Options(Path program, List<String> argv, List<String> env, InputStream in, OutputStream out, OutputStream err,
            int jitThreshold, Path cwd, Path sysroot) {
        public Options(Path program, List<String> argv, List<String> env, InputStream in, OutputStream out, OutputStream err,
                int jitThreshold) {
            this(program, argv, env, in, out, err, jitThreshold, null, null);
        }
    }

    /**
     * How the program ended: its exit status, or the signal that killed it (then {@code status} is
     * 128 + signal, as a shell reports it) with the faulting address where there was one; the
     * guest instructions and the CPU time of the Java threads that ran its threads.
     */
    public record Result(int status, int signal, int faultEip, int faultAddress, long instructions, long cpuNanos) {
        Result(int status, int signal, int faultEip, int faultAddress, long instructions) {
            this(status, signal, faultEip, faultAddress, instructions, 0);
        }

        /** The signal's name as strsignal gives it, or null. */
        public String signalName() {
            return signal == 0 ? null : Signals.name(signal);
        }
    }

    /** The program cannot be started: the message says why, in words. */
    public static final class StartException extends Exception {
        public StartException(String message) {
            super(message);
        }
    }

    /** A signal whose default action ends the process. */
    static final class Killed extends RuntimeException {
        final int signal;

        Killed(int signal) {
            super(null, null, false, false);
            this.signal = signal;
        }
    }

    final int pid;
    final int ppid;
    /**
     * The signal the parent gets when this process ends (SIGCHLD from fork and vfork, clone's
     * CSIGNAL byte), with si_code CLD_EXITED or CLD_KILLED; 0 for none and for the first process.
     */
    private int exitSignal;
    private static final int CLD_EXITED = 1, CLD_KILLED = 2;
    /** The host's ids of the kasou process: the owner the standard streams report. */
    final int uid, gid;
    /** The guest's user and group ids, which set*id change. */
    final Credentials credentials;
    /** Its interval and POSIX timers. */
    final IntervalTimers timers = new IntervalTimers(this);
    /** Its nice value and scheduling policy. */
    final Scheduling scheduling;
    /** Its resource limits. */
    final ResourceLimits limits;
    /** personality(2)'s value (PER_LINUX, 0, unless the program set another); a fork's child inherits it. */
    volatile int personality;

    private final Options options;
    /** Every process of this run, for fork, wait4 and kill. */
    final ProcessTable table;
    private AddressSpace as;
    private final FileSyscalls files;
    /** The futexes of the process's threads. */
    final Futexes futexes = new Futexes();
    /** The first thread (tid = pid). */
    private final GuestThread main;
    /** Live threads by tid; the first thread stays listed while the process lives. */
    private final Map<Integer, GuestThread> threads = new ConcurrentHashMap<>();

    /** Whether the process has more than one thread (they share its descriptor table). */
    boolean multithreaded() {
        return threads.size() > 1;
    }
    /** How the process ended, once it did: set once, by exit_group, a fatal signal or the last thread's exit. */
    private final AtomicReference<Result> ending = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    /** The CPU time of the Java threads of threads that ended: all of it, and the user part; guarded by {@link #cpuThreads}. */
    private long endedCpuNanos, endedUserNanos;
    /** The Java threads running guest threads now, whose CPU time counts as the process's. */
    private final Map<GuestThread, Thread> cpuThreads = new java.util.HashMap<>();
    /** User and system CPU nanoseconds of the children reaped so far (theirs included). */
    private final AtomicLong childUserNanos = new AtomicLong(), childSystemNanos = new AtomicLong();
    /** The process's name (/proc/self/comm): its program's at execve, or what prctl(PR_SET_NAME) gave it. */
    volatile String name = "";

    /** The first thread's signal state (its mask and the process's handlers: what /proc/self/status shows). */
    SignalState mainSignals() {
        return main.signals;
    }

    /** The file behind descriptor {@code fd} (pidfd_getfd); EBADF when none. */
    OpenFile descriptor(int fd) {
        return files.file(fd);
    }

    int threadCount() {
        return threads.size();
    }

    int umask() {
        return files.umask();
    }

    /** Loads the program; nothing runs until {@link #run()}. */
    public LinuxProcess(Options options) throws StartException {
        this(options, Terminal.ofHost(options.in(), options.out(), options.err(), options.env()));
    }

    /** As {@link #LinuxProcess(Options)}, with {@code terminal} (or none) behind the standard streams it names. */
    LinuxProcess(Options options, Terminal terminal) throws StartException {
        this.options = options;
        int[] ids = hostIds();
        uid = ids[0];
        gid = ids[1];
        credentials = new Credentials(uid, gid);
        scheduling = Scheduling.ofHost();
        limits = ResourceLimits.ofHost();
        pid = (int) ProcessHandle.current().pid();
        ppid = ProcessHandle.current().parent().map(h -> (int) h.pid()).orElse(1);
        int[] groupSession = HostFacts.groupAndSession(pid);
        table = new ProcessTable(pid, groupSession[0], groupSession[1]);
        table.started(pid, this);
        if (terminal != null) terminal.setForeground(groupSession[0], table::groupExists);
        Path cwd = (options.cwd() != null ? options.cwd() : Path.of("")).toAbsolutePath().normalize();
        files = new FileSyscalls(cwd, options.program().toAbsolutePath(), options.sysroot());
        files.belongTo(pid, limits);
        files.provideOwnProc(n -> ProcSelf.contents(this, as, n));
        name = ProcSelf.comm(options.program().toString());
        files.install(0, standardStream(0, options.in(), null, terminal));
        files.install(1, standardStream(1, null, options.out(), terminal));
        files.install(2, standardStream(2, null, options.err(), terminal));
        byte[] image;
        try {
            image = Files.readAllBytes(options.program());
        } catch (IOException e) {
            throw new StartException(options.program() + ": cannot read: " + (e.getMessage() == null ? e : e.getMessage()));
        }
        Image img = load(options.program(), image, options.argv(), options.env());
        main = new GuestThread(pid, img.core(), new SignalState(), this, files);
        threads.put(pid, main);
        install(main, img);
    }

    private StreamFile standardStream(int fd, InputStream in, OutputStream out, Terminal terminal) {
        if (terminal != null && terminal.standsBehind(fd)) return new StreamFile(in, out, terminal.stat(fd, uid, gid), terminal);
        return new StreamFile(in, out, FileStat.pipe(fd + 1, uid, gid));
    }

    /** A copy of {@code parent}'s thread {@code caller} at its current system call (fork): memory, descriptors, registers. */
    private LinuxProcess(LinuxProcess parent, GuestThread caller, int childPid) {
        options = parent.options;
        uid = parent.uid;
        gid = parent.gid;
        credentials = parent.credentials.copy();
        scheduling = parent.scheduling.copy();
        limits = parent.limits.copy();
        personality = parent.personality;
        pid = childPid;
        ppid = parent.pid;
        table = parent.table;
        files = new FileSyscalls(parent.files);
        files.belongTo(childPid, limits);
        files.provideOwnProc(n -> ProcSelf.contents(this, as, n));
        name = parent.name;
        CpuCore c = new CpuCore(RAM_BYTES, options.jitThreshold());
        AddressSpace a = new AddressSpace(c, parent.as);
        for (SharedSegments.Segment seg : a.attachedSegments()) table.sharedSegments.attached(seg, childPid);
        c.copyStateFrom(caller.core);
        main = new GuestThread(childPid, c, new SignalState(caller.signals, false), this, files);
        for (int i = 0; i < main.tls.length; i++) main.tls[i] = caller.tls[i];
        threads.put(childPid, main);
        install(main, new Image(c, a));
    }

    /** A loaded program not yet running: its CPU and address space. */
    private record Image(CpuCore core, AddressSpace as) {
    }

    private void install(GuestThread t, Image img) {
        t.core = img.core();
        as = img.as();
        files.setAddressSpace(as);
        t.syscalls.setAddressSpace(as);
    }

    /** Loads an executable into a fresh CPU and address space, with its initial stack. */
    private Image load(Path program, byte[] image, List<String> argv, List<String> env) throws StartException {
        ElfImage elf;
        try {
            elf = new ElfImage(image);
        } catch (ElfImage.ElfFormatException e) {
            throw new StartException(program + ": " + e.getMessage());
        }
        CpuCore c = new CpuCore(RAM_BYTES, options.jitThreshold());
        AddressSpace a = new AddressSpace(c);
        try {
            a.map(STACK_TOP - STACK_SIZE, STACK_SIZE, AddressSpace.PROT_READ | AddressSpace.PROT_WRITE);
            ElfLoader.Loaded main = ElfLoader.load(elf, a, ElfLoader.PIE_BASE);
            a.brkStart = a.brk = (main.end() + 0xFFF) & ~0xFFF;
            int entry = main.entry(), interpBase = 0;
            if (elf.interpreter != null) {
                ElfLoader.Loaded interp = ElfLoader.load(interpreter(program, elf.interpreter), a, -1);
                entry = interp.entry();
                interpBase = interp.bias();
            }
            byte[] random = new byte[16];
            new SecureRandom().nextBytes(random);
            int esp = InitialStack.build(a, STACK_TOP, argv, env, program.toString(),
                    new InitialStack.Image(main.phdr(), elf.phnum(), main.entry(), interpBase), random, credentials.uids()[0], credentials.gids()[0]);
            c.setUserEntry(entry, esp);
        } catch (ElfImage.ElfFormatException e) {
            throw new StartException(program + ": " + e.getMessage());
        } catch (LinuxError e) {
            throw new StartException(program + ": cannot be loaded (errno " + e.errno + ")");
        }
        return new Image(c, a);
    }

    // ------------------------------------------------------------------------------------------
    // Processes.

    /**
     * fork, vfork and clone without CLONE_VM: a child process with a copy of this one's memory
     * and descriptors and of the calling thread, running in a thread of its own from the same
     * system call, with 0 in EAX ({@code childStack} as ESP and its pid stored at
     * {@code childTidAddr} when not 0). Returns the child's pid.
     */
    int fork(GuestThread caller, int childStack, int childTidAddr, int exitSignal) {
        return fork(caller, childStack, childTidAddr, exitSignal, false);
    }

    /** As {@link #fork(GuestThread, int, int, int)}; {@code clearHandlers}: the child's handled signals back to their default actions (clone3's CLONE_CLEAR_SIGHAND). */
    int fork(GuestThread caller, int childStack, int childTidAddr, int exitSignal, boolean clearHandlers) {
        int childPid = table.allocatePid(pid);
        LinuxProcess child;
        synchronized (as) { // no other thread changes the mappings halfway through the copy
            child = new LinuxProcess(this, caller, childPid);
        }
        if (clearHandlers) child.main.signals.clearHandlers();
        child.exitSignal = exitSignal;
        child.main.core.setReg(0, 0);
        if (childStack != 0) child.main.core.setTrapStack(childStack);
        if (childTidAddr != 0) {
            try {
                child.as.write32(childTidAddr, childPid);
            } catch (LinuxError e) {
                // as the kernel: a bad address is not the parent's error
            }
        }
        Thread t = new Thread(null, child::runChild, "guest-" + childPid, 64 << 20);
        t.setDaemon(true);
        table.started(childPid, child);
        t.start();
        return childPid;
    }

    private void runChild() {
        Result r;
        try {
            r = run();
        } catch (RuntimeException | Error e) {
            LOG.error("process {} failed", pid, e);
            r = new Result(128 + Signals.SIGKILL, Signals.SIGKILL, 0, 0, 0);
        }
        if (r.signal() != 0) LOG.debug("process {} killed by signal {}", pid, r.signal());
    }

    /**
     * clone with CLONE_THREAD: a new thread of this process, on a Java thread of its own, with a
     * CPU of its own that continues from {@code parent}'s system call with 0 in EAX, ESP at
     * {@code stack} (when not 0) and the TLS entry of the struct user_desc at {@code tls} (when not
     * 0). Its tid is stored at {@code parentTidAddr} and {@code childTidAddr} (when not 0);
     * {@code clearTidAddr} is where its exit will write 0 and wake a futex. Returns the tid.
     */
    int newThread(GuestThread parent, int stack, int tls, int parentTidAddr, int childTidAddr, int clearTidAddr) {
        if (ending.get() != null) throw new LinuxError(Errno.EAGAIN);
        CpuCore c = as.newThreadCore(parent.core, options.jitThreshold());
        int tid = table.allocateTid();
        GuestThread t = new GuestThread(tid, c, new SignalState(parent.signals, true), this, files);
        t.syscalls.setAddressSpace(as);
        try {
            for (int i = 0; i < t.tls.length; i++) t.tls[i] = parent.tls[i];
            c.setReg(0, 0);
            if (stack != 0) c.setTrapStack(stack);
            if (tls != 0) t.setThreadArea(as, tls);
            if (parentTidAddr != 0) as.write32(parentTidAddr, tid);
            if (childTidAddr != 0) as.write32(childTidAddr, tid);
        } catch (LinuxError e) {
            as.releaseThreadCore(c);
            table.releaseTid(tid);
            throw e;
        }
        t.clearChildTid = clearTidAddr;
        threads.put(tid, t);
        start(t);
        return tid;
    }

    /** Starts the Java thread of a guest thread: a daemon, so that one stuck in the host cannot keep the JVM alive. */
    private void start(GuestThread t) {
        Thread java = new Thread(null, () -> runThread(t), t == main ? "guest-" + pid : "guest-" + pid + "-" + t.tid, 64 << 20);
        java.setDaemon(true);
        t.runner = java;
        synchronized (cpuThreads) {
            cpuThreads.put(t, java);
        }
        java.start();
    }

    /** The body of a guest thread's Java thread. */
    private void runThread(GuestThread t) {
        t.waits.bind();
        try {
            Result r = runGuest(t);
            if (r != null) endProcess(r);
        } catch (RuntimeException | Error e) {
            LOG.error("thread {} of process {} failed", t.tid, pid, e);
            endProcess(new Result(128 + Signals.SIGKILL, Signals.SIGKILL, 0, 0, 0));
        } finally {
            var mx = ManagementFactory.getThreadMXBean();
            long cpu = mx.getCurrentThreadCpuTime(), user = mx.getCurrentThreadUserTime();
            synchronized (cpuThreads) {
                cpuThreads.remove(t);
                endedCpuNanos += cpu;
                endedUserNanos += user;
            }
            retire(t); // last: the end of the process waits for the listed threads only
        }
    }

    /** A file to load: its host path and contents, and argv with the interpreters of scripts put in front. */
    private record Executable(Path path, byte[] image, List<String> argv) {
    }

    /**
     * Follows "#!" lines from {@code program} (which the caller named {@code name}) to the binary
     * that runs it, each interpreter looked up through the sysroot as a dynamic loader is.
     * LinuxError: ENOENT, EACCES (not executable, a directory), ENOEXEC, ELOOP (too many scripts).
     */
    private Executable executable(Path program, String name, List<String> argv) {
        Path p = program;
        for (int depth = 0; ; depth++) {
            if (!Files.exists(p)) throw new LinuxError(Errno.ENOENT);
            if (Files.isDirectory(p) || !Files.isExecutable(p)) throw new LinuxError(Errno.EACCES);
            byte[] image;
            try {
                image = ExecutableImages.read(p);
            } catch (IOException e) {
                throw new LinuxError(Errno.of(e));
            }
            Shebang script = Shebang.parse(image);
            if (script == null) return new Executable(p, image, argv);
            if (depth >= Shebang.MAX_DEPTH) throw new LinuxError(Errno.ELOOP);
            argv = script.argv(name, argv);
            name = script.interpreter();
            p = files.resolve(FileSyscalls.AT_FDCWD, name);
        }
    }

    /**
     * Replaces the running program (execve) with {@code program}, which the guest named
     * {@code name}; throws LinuxError, the old image intact, when the new one cannot be loaded.
     */
    void exec(GuestThread caller, Path program, String name, List<String> argv, List<String> env) {
        Executable exe = executable(program, name, argv);
        Image img;
        try {
            img = load(exe.path(), exe.image(), exe.argv(), env);
        } catch (StartException e) {
            LOG.debug("execve {}: {}", program, e.getMessage());
            throw new LinuxError(Errno.ENOEXEC);
        }
        for (GuestThread t : threads.values()) {
            if (t != caller) t.cancelled = true;
        }
        stopOtherThreads(caller);
        releaseRobustFutexes(caller);
        for (GuestThread t : threads.values()) releaseRobustFutexes(t);
        files.closeOnExec();
        files.setExe(exe.path().toAbsolutePath());
        this.name = ProcSelf.comm(name);
        timers.deletePosixTimers();
        table.execed(pid);
        caller.syscalls.resetHandlers();
        java.util.Arrays.fill(caller.tls, null);
        caller.clearChildTid = 0;
        AddressSpace replaced = as;
        install(caller, img);
        releaseTables(replaced);
    }

    /**
     * Gives the tables of {@code old} and of its CPUs to the next process (see
     * {@link AddressSpace#release}) once no Java thread of this process but the caller's can run
     * guest code on them: a thread left behind (stuck in the host) keeps them all. Called at the
     * end of the process and after execve replaced the program.
     */
    private void releaseTables(AddressSpace old) {
        for (SharedSegments.Segment seg : old.takeSegments()) table.sharedSegments.detached(seg, pid);
        java.util.List<Thread> runners;
        synchronized (cpuThreads) {
            runners = new java.util.ArrayList<>(cpuThreads.values());
        }
        for (Thread j : runners) {
            if (j == Thread.currentThread()) continue;
            try {
                j.join(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (j.isAlive()) return;
        }
        old.release();
    }

    /**
     * A process-directed signal (kill, a timer) with its siginfo: pending in a thread that does
     * not block it, or for the whole process when all do (the first thread to unblock it, or to
     * wait for it with sigtimedwait, takes it). One whose action ends the process ends it at once.
     * False when a real-time signal found its queue full (sigqueue's EAGAIN).
     */
    boolean signal(int sig, SignalState.Info info) {
        GuestThread target = null;
        for (GuestThread t : threads.values()) {
            if (!t.signals.blocks(sig)) {
                target = t;
                break;
            }
        }
        SignalState.Action a = main.signals.action(sig);
        boolean fatal = a.handler() == SignalState.SIG_DFL && !SignalState.ignoredByDefault(sig);
        if (sig == Signals.SIGKILL || (fatal && target != null)) {
            endProcess(new Result(128 + sig, sig, 0, 0, 0));
            return true;
        }
        if (target != null) return target.raise(sig, info);
        if (!main.signals.raiseShared(sig, info)) return false;
        for (GuestThread t : threads.values()) t.waits.wake(sig); // one may be waiting for it in sigtimedwait
        return true;
    }

    void signal(int sig) {
        signal(sig, SignalState.Info.KERNEL);
    }

    /** System calls of this run (this process and the others it made) that failed inside kasou: 0 unless there is a bug. */
    int internalErrors() {
        return table.internalErrors.get();
    }

    /** The thread {@code tid} of this process, or null. */
    GuestThread thread(int tid) {
        return threads.get(tid);
    }

    /** tkill and tgkill: signal {@code sig} for thread {@code tid} of this process, from {@code info}'s sender. */
    int signalThread(int sig, int tid, SignalState.Info info) {
        if (sig < 0 || sig > 64) throw new LinuxError(Errno.EINVAL);
        GuestThread t = threads.get(tid);
        if (t == null) throw new LinuxError(Errno.ESRCH);
        if (sig == 0) return 0;
        if (sig == Signals.SIGKILL) {
            endProcess(new Result(128 + sig, sig, 0, 0, 0));
        } else if (!t.raise(sig, info)) { // a default action that ends the process is taken by the thread, unless it blocks it
            throw new LinuxError(Errno.EAGAIN); // a real-time signal's queue is full
        }
        return 0;
    }

    /** rt_sigreturn and sigreturn: back to the context a handler interrupted; returns its EAX. */
    int sigreturn(GuestThread t, boolean rt) {
        return SignalFrames.sigreturn(t.core, as, t.signals, rt ? 4 : 8);
    }

    /**
     * Takes a thread's pending signals at the end of a trap (a system call, or the interrupt of
     * {@link CpuCore#SIGNAL_VECTOR}): ignored ones vanish, a default action ends the process
     * (Killed), and the first with a handler gets a frame. {@code restart}, when not null, is
     * the system call that a signal cut short: it fails with EINTR or is made again.
     */
    private void deliverPending(GuestThread t, Restart restart) {
        // A call that was not cut short leaves the mask it set (pselect6, ppoll) before signals are looked at, as in Linux.
        if (restart == null) t.signals.restoreSavedMask();
        SignalState.Taken k;
        while ((k = t.signals.take()) != null) {
            int sig = k.sig();
            SignalState.Action a = t.signals.action(sig);
            if (a.handler() == SignalState.SIG_IGN || (a.handler() == SignalState.SIG_DFL && SignalState.ignoredByDefault(sig))) continue;
            if (a.handler() == SignalState.SIG_DFL) throw new Killed(sig);
            if (restart != null) restart.beforeHandler(t.core, a.flags());
            if (!SignalFrames.deliver(t.core, as, t.signals, sig, a, k.info(), 0, 0)) throw new Killed(Signals.SIGSEGV);
            return;
        }
        if (restart != null) restart.withoutHandler(t.core);
        t.signals.restoreSavedMask();
    }

    /** Whether {@code tid} is a live thread of this process. */
    boolean hasThread(int tid) {
        return threads.containsKey(tid);
    }

    int parentPid() {
        return ppid;
    }

    /** The dynamic loader a program names (PT_INTERP), looked up through the sysroot. */
    private ElfImage interpreter(Path program, String path) throws StartException {
        Path p = files.resolve(FileSyscalls.AT_FDCWD, path);
        byte[] data;
        try {
            data = ExecutableImages.read(p);
        } catch (IOException e) {
            throw new StartException(program + ": its dynamic loader " + path + " cannot be read"
                    + (options.sysroot() == null ? " (give the directory that holds the i386 libraries with -L)" : " under " + options.sysroot()));
        }
        try {
            ElfImage interp = new ElfImage(data);
            if (interp.interpreter != null || interp.type != ElfImage.ET_DYN) throw new StartException(p + ": not a dynamic loader");
            return interp;
        } catch (ElfImage.ElfFormatException e) {
            throw new StartException(p + ": " + e.getMessage());
        }
    }

    /** The dynamic loader an executable names (PT_INTERP), or null for a static one or a file that is not one. */
    public static String interpreterOf(Path program) {
        try {
            return new ElfImage(Files.readAllBytes(program)).interpreter;
        } catch (IOException | ElfImage.ElfFormatException e) {
            return null;
        }
    }

    private static int[] hostIds() {
        try {
            Path self = Path.of("/proc/self");
            return new int[] {(Integer) Files.getAttribute(self, "unix:uid"), (Integer) Files.getAttribute(self, "unix:gid")};
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return new int[] {1000, 1000};
        }
    }

    /**
     * Runs the program to its end (exit_group, the exit of its last thread, or a fatal signal).
     * Every guest thread, the first included, runs on a Java thread of its own; the calling thread
     * waits for the end, so that it returns even when a guest thread is stuck where an interrupt
     * does not reach (a read from the terminal).
     */
    public Result run() {
        start(main);
        try {
            ended.await();
        } catch (InterruptedException e) {
            endProcess(new Result(128 + Signals.SIGKILL, Signals.SIGKILL, 0, 0, 0));
        }
        stopOtherThreads(null);
        return end(ending.get());
    }

    /**
     * Runs one guest thread until it ends: returns how the process ends, or null when only this
     * thread ended (exit, with other threads left) or another thread ended the process.
     */
    private Result runGuest(GuestThread t) {
        try {
            while (true) {
                if (ending.get() != null || t.cancelled) return null;
                CpuCore c = t.core;
                int vector = c.runUntilTrap();
                if (ending.get() != null || t.cancelled) return null;
                if (vector == 0x80 || vector == CpuCore.SYSENTER) {
                    int nr = c.reg(0), a1 = c.reg(3), a2 = c.reg(1), a3 = c.reg(2), a4 = c.reg(6), a5 = c.reg(7);
                    int a6 = vector == 0x80 ? c.reg(5) : enterFromSysenter(c);
                    int r = t.syscalls.call(nr, a1, a2, a3, a4, a5, a6);
                    t.core.setReg(0, r); // after execve: the new image's, whose registers start at zero anyway
                    deliverPending(t, Restart.of(r, nr, vector == 0x80));
                    continue;
                }
                if (vector == CpuCore.SIGNAL_VECTOR) {
                    deliverPending(t, null);
                    continue;
                }
                if (vector == CpuCore.STOPPED) {
                    if (t.signals.interrupting()) t.core.raiseSignal(); // taken through SIGNAL_VECTOR, with a frame to build on
                    continue;
                }
                c = t.core;
                if (vector == 14) {
                    int ec = c.trapErrorCode();
                    if ((ec & 1) == 0 && as.handlePageFault(c.faultAddress(), (ec & 2) != 0)) continue;
                }
                int sig = Signals.forVector(vector);
                SignalState.Action a = t.signals.action(sig);
                if (vector >= 0 && a.handler() != SignalState.SIG_DFL && a.handler() != SignalState.SIG_IGN && !t.signals.blocks(sig)) {
                    int addr = vector == 14 ? c.faultAddress() : 0;
                    int code = vector == 14 ? ((c.trapErrorCode() & 1) != 0 ? 2 : 1) : 0; // SEGV_ACCERR, SEGV_MAPERR
                    if (SignalFrames.deliver(c, as, t.signals, sig, a, new SignalState.Info(code, addr, 0, 0), vector, addr)) continue;
                }
                int eip = vector >= 0 ? c.trapEip() : 0;
                LOG.debug("thread {}: vector {} at {}: signal {}", t.tid, vector, Integer.toHexString(eip), sig);
                return new Result(128 + sig, sig, eip, vector == 14 ? c.faultAddress() : 0, 0);
            }
        } catch (Syscalls.Exit e) {
            if (e.group) return new Result(e.status, 0, 0, 0, 0);
            return threadExited(t, e.status);
        } catch (Killed k) {
            return new Result(128 + k.signal, k.signal, 0, 0, 0);
        }
    }

    /**
     * SYSENTER as Linux takes it from its vDSO's __kernel_vsyscall (push ECX, EDX, EBP; EBP = ESP;
     * SYSENTER): the sixth argument is the saved EBP at [EBP], and the call returns through the
     * vDSO's landing pad, which pops EBP, EDX and ECX and returns. There is no vDSO here, so the
     * pad's work is done before the call (whose arguments the caller has read): the trap frame
     * returns to [EBP+12] with ESP = EBP+16, and EBP, EDX, ECX hold what was pushed, so that fork,
     * clone and signal frames see where the program goes on. Returns the sixth argument. A stack
     * that cannot be read ends the process with SIGSEGV, as the pad would fault.
     */
    private int enterFromSysenter(CpuCore c) {
        int ebp = c.reg(5);
        int[] saved = new int[4];
        try {
            for (int i = 0; i < 4; i++) saved[i] = as.read32(ebp + i * 4);
        } catch (LinuxError e) {
            throw new Killed(Signals.SIGSEGV);
        }
        c.enterFromSysenter(saved[3], ebp + 16);
        c.setReg(5, saved[0]);
        c.setReg(2, saved[1]);
        c.setReg(1, saved[2]);
        return saved[0];
    }

    /**
     * exit of one thread: CLONE_CHILD_CLEARTID's word becomes 0 and its futex is woken (what
     * pthread_join waits for). The last thread's exit ends the process with its status.
     */
    private Result threadExited(GuestThread t, int status) {
        releaseRobustFutexes(t);
        if (t.clearChildTid != 0) {
            try {
                as.write32(t.clearChildTid, 0);
                futexes.wake(t.clearChildTid & 0xFFFFFFFFL, 1, Futexes.MATCH_ANY);
            } catch (LinuxError e) {
                // as the kernel: nothing to clear there
            }
        }
        synchronized (threads) {
            threads.remove(t.tid);
            if (threads.isEmpty()) return new Result(status, 0, 0, 0, 0);
        }
        return null;
    }

    private static final int FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3FFFFFFF;
    /** Most entries of a robust list walked (Linux's ROBUST_LIST_LIMIT), so that a cycle in it ends. */
    private static final int ROBUST_LIST_LIMIT = 2048;

    /**
     * A thread's end with robust mutexes held (its set_robust_list): as Linux's exit_robust_list,
     * each futex word of the list (an entry's address plus the head's offset; bit 0 of an entry
     * marks a PI futex) that holds the thread's tid gets FUTEX_OWNER_DIED in place of the tid,
     * its FUTEX_WAITERS bit kept, and one waiter is woken (not for PI futexes); the entry being
     * changed (list_op_pending) is done last, and woken even when its word is 0 (an unlock that
     * did not get to its wake). Then the next locker learns EOWNERDEAD instead of waiting for ever.
     * Unreadable memory ends the walk, as in Linux. Once per thread.
     */
    void releaseRobustFutexes(GuestThread t) {
        int head = t.robustList;
        if (head == 0) return;
        t.robustList = 0;
        try {
            int entry = as.read32(head), offset = as.read32(head + 4), pending = as.read32(head + 8);
            for (int n = 0; (entry & ~1) != head && n < ROBUST_LIST_LIMIT; n++) {
                int next = as.read32(entry & ~1);
                if ((entry & ~1) != (pending & ~1)) ownerDied(t, (entry & ~1) + offset, (entry & 1) != 0, false);
                entry = next;
            }
            if (pending != 0) ownerDied(t, (pending & ~1) + offset, (pending & 1) != 0, true);
        } catch (LinuxError e) {
            // as Linux: a list in memory that cannot be read is left where it ends
        }
    }

    /** handle_futex_death: the futex word at {@code addr} of the dying thread t. */
    private void ownerDied(GuestThread t, int addr, boolean pi, boolean pendingOp) {
        if ((addr & 3) != 0) return;
        int v = as.atomicUpdate32(addr, w -> (w & FUTEX_TID_MASK) == t.tid ? (w & FUTEX_WAITERS) | FUTEX_OWNER_DIED : w);
        boolean wake = pendingOp && !pi && v == 0 || (v & FUTEX_TID_MASK) == t.tid && !pi && (v & FUTEX_WAITERS) != 0;
        if (!wake) return;
        // Linux wakes through the shared key; waiters of a private one on a shared page are woken too (waking more is harmless).
        long shared = as.sharedFutexKey(addr);
        if (shared >= 0) table.sharedFutexes.wake(shared, 1, Futexes.MATCH_ANY);
        futexes.wake(addr & 0xFFFFFFFFL, 1, Futexes.MATCH_ANY);
    }

    /** A thread is done: its CPU and supervisor slot may serve a new thread. */
    private void retire(GuestThread t) {
        synchronized (threads) {
            threads.remove(t.tid);
        }
        if (t != main) {
            as.releaseThreadCore(t.core);
            table.releaseTid(t.tid);
        }
    }

    /** Ends the process with {@code r} unless it has ended already, and tells every thread to stop. */
    private void endProcess(Result r) {
        if (!ending.compareAndSet(null, r)) return;
        for (GuestThread t : threads.values()) t.interrupt();
        main.interrupt();
        ended.countDown();
    }

    /**
     * Makes every thread but {@code keep} (null: every thread) leave guest code (they look at
     * {@link #ending} or their cancellation after each trap) and waits a little for each: a thread
     * blocked where an interrupt does not reach (a read from the terminal) is left behind, a daemon.
     */
    private void stopOtherThreads(GuestThread keep) {
        long deadline = System.nanoTime() + 1_000_000_000L;
        for (GuestThread t : threads.values()) {
            if (t == keep) continue;
            Thread j = t.runner;
            while (j != null && j.isAlive() && System.nanoTime() < deadline) {
                t.interrupt(); // again: a stop request made just before the CPU started running is forgotten
                try {
                    j.join(10);
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
    }

    private Result end(Result r) {
        Thread.interrupted(); // a kill that came while ending must not reach the caller's thread
        releaseRobustFutexes(main);
        for (GuestThread t : threads.values()) releaseRobustFutexes(t);
        timers.cancelAll();
        files.closeAll();
        long[] cpu = cpuTimes();
        releaseTables(as); // before the parent hears of the end: its next fork takes them
        table.semaphores.exited(pid); // its SEM_UNDO adjustments
        LinuxProcess parent = exitSignal != 0 ? table.find(ppid) : null;
        boolean killed = r.signal() != 0;
        SignalState.Info info = new SignalState.Info(killed ? CLD_KILLED : CLD_EXITED, pid, uid, killed ? r.signal() : r.status() & 0xFF);
        // As Linux's do_notify_parent: a parent that ignores SIGCHLD, or set SA_NOCLDWAIT, has its
        // children reaped as they end (no wait finds them), and with SIG_IGN no signal is sent.
        SignalState.Action childAction = parent != null && exitSignal == Signals.SIGCHLD
                ? parent.main.signals.action(Signals.SIGCHLD) : SignalState.Action.DEFAULT;
        boolean ignored = childAction.handler() == SignalState.SIG_IGN;
        boolean autoReap = ignored || (childAction.flags() & SignalState.SA_NOCLDWAIT) != 0;
        table.exited(pid, killed ? r.signal() : (r.status() & 0xFF) << 8, cpu[0] + childUserNanos.get(),
                cpu[1] + childSystemNanos.get(), autoReap, () -> {
                    if (parent != null && !ignored) parent.signal(exitSignal, info);
                });
        return new Result(r.status(), r.signal(), r.faultEip(), r.faultAddress(), instructionsSoFar(), cpu[0] + cpu[1]);
    }

    // ------------------------------------------------------------------------------------------
    // CPU time.

    /** The process's user and system CPU nanoseconds: those of the Java threads running its threads, and of those that ended. */
    long[] cpuTimes() {
        var mx = ManagementFactory.getThreadMXBean();
        synchronized (cpuThreads) {
            long all = endedCpuNanos, user = endedUserNanos;
            for (Thread j : cpuThreads.values()) {
                long c = mx.getThreadCpuTime(j.getId()), u = mx.getThreadUserTime(j.getId());
                if (c > 0) {
                    all += c;
                    user += Math.max(0, Math.min(u, c));
                }
            }
            return new long[] {user, Math.max(0, all - user)};
        }
    }

    /** One live thread's user and system CPU nanoseconds, or null when {@code tid} is none. */
    long[] threadCpuTimes(int tid) {
        GuestThread t = threads.get(tid);
        Thread j = t == null ? null : t.runner;
        if (j == null) return null;
        var mx = ManagementFactory.getThreadMXBean();
        long c = Math.max(0, mx.getThreadCpuTime(j.getId())), u = Math.max(0, Math.min(mx.getThreadUserTime(j.getId()), c));
        return new long[] {u, c - u};
    }

    /** The reaped children's user and system CPU nanoseconds (getrusage RUSAGE_CHILDREN, times). */
    long[] childrenCpuTimes() {
        return new long[] {childUserNanos.get(), childSystemNanos.get()};
    }

    /** wait4 reaped a child: its times join the children's. */
    void reaped(ProcessTable.Reaped r) {
        childUserNanos.addAndGet(r.user());
        childSystemNanos.addAndGet(r.system());
    }

    /** Asks a running program to stop (it ends as if by SIGKILL); safe from any thread. */
    public void requestStop() {
        signal(Signals.SIGKILL);
    }

    /**
     * Guest instructions retired so far by the process's threads, safe from any thread: each thread's
     * count as that thread last stored it (a timeline's figure, not an exact one while it runs).
     */
    public long instructionsSoFar() {
        long n = main.core.instructions();
        for (CpuCore c : as.threadCores()) n += c.instructions();
        return n;
    }

    /** Blocks the interpreter has decoded so far in the process's threads (as {@link #instructionsSoFar}). */
    public long blocksDecodedSoFar() {
        long n = main.core.blocksDecoded();
        for (CpuCore c : as.threadCores()) n += c.blocksDecoded();
        return n;
    }

    /** The main thread's EIP as it last stored it. */
    public int mainEip() {
        return main.core.eip();
    }

    /** The JIT's counters, summed over the threads, or null when everything ran in the interpreter. */
    public JitStats jitStats() {
        if (main.core.jit() == null) return null;
        JitStats sum = new JitStats();
        sum.add(main.core.jit().stats);
        for (CpuCore c : as.threadCores()) sum.add(c.jit().stats);
        return sum;
    }
}
