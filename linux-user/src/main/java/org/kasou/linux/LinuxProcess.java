package org.kasou.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.kasou.jit.JitStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A 32-bit x86 Linux program run without a guest kernel: its ELF image loaded into a fresh address
 * space, its system calls (INT 0x80) carried out in Java on the host, the way qemu-i386 runs one.
 * One process, one thread, for now.
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
     * 128 + signal, as a shell reports it) with the faulting address where there was one.
     */
    public record Result(int status, int signal, int faultEip, int faultAddress, long instructions) {
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
    final int uid, gid;

    private final Options options;
    /** Every process of this run, for fork, wait4 and kill. */
    final ProcessTable table;
    /** The image running now: replaced by execve. */
    private volatile CpuCore core;
    private AddressSpace as;
    private final FileSyscalls files;
    private final Syscalls syscalls;
    private final int[][] tls = new int[CpuCore.TLS_COUNT][];
    /** The thread running the process, once it runs. */
    private volatile Thread runner;
    /** The name prctl(PR_SET_NAME) gave the thread. */
    String name = "";

    /** Loads the program; nothing runs until {@link #run()}. */
    public LinuxProcess(Options options) throws StartException {
        this.options = options;
        int[] ids = hostIds();
        uid = ids[0];
        gid = ids[1];
        pid = (int) ProcessHandle.current().pid();
        ppid = ProcessHandle.current().parent().map(h -> (int) h.pid()).orElse(1);
        table = new ProcessTable(pid);
        Path cwd = (options.cwd() != null ? options.cwd() : Path.of("")).toAbsolutePath().normalize();
        files = new FileSyscalls(cwd, options.program().toAbsolutePath(), options.sysroot());
        files.install(0, new StreamFile(options.in(), null, FileStat.pipe(1, uid, gid)));
        files.install(1, new StreamFile(null, options.out(), FileStat.pipe(2, uid, gid)));
        files.install(2, new StreamFile(null, options.err(), FileStat.pipe(3, uid, gid)));
        byte[] image;
        try {
            image = Files.readAllBytes(options.program());
        } catch (IOException e) {
            throw new StartException(options.program() + ": cannot read: " + (e.getMessage() == null ? e : e.getMessage()));
        }
        Image img = load(options.program(), image, options.argv(), options.env());
        syscalls = new Syscalls(this, files);
        install(img);
    }

    /** A copy of {@code parent} at its current system call (fork): memory, descriptors, registers. */
    private LinuxProcess(LinuxProcess parent, int childPid) {
        options = parent.options;
        uid = parent.uid;
        gid = parent.gid;
        pid = childPid;
        ppid = parent.pid;
        table = parent.table;
        files = new FileSyscalls(parent.files);
        syscalls = new Syscalls(this, files, parent.syscalls);
        CpuCore c = new CpuCore(RAM_BYTES, options.jitThreshold());
        AddressSpace a = new AddressSpace(c, parent.as);
        c.copyStateFrom(parent.core);
        for (int i = 0; i < tls.length; i++) tls[i] = parent.tls[i];
        install(new Image(c, a));
    }

    /** A loaded program not yet running: its CPU and address space. */
    private record Image(CpuCore core, AddressSpace as) {
    }

    private void install(Image img) {
        core = img.core();
        as = img.as();
        files.setAddressSpace(as);
        syscalls.setAddressSpace(as);
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
                    new InitialStack.Image(main.phdr(), elf.phnum(), main.entry(), interpBase), random, uid, gid);
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
     * and descriptors, running in a thread of its own from the same system call, with 0 in EAX
     * ({@code childStack} as ESP and its pid stored at {@code childTidAddr} when not 0). Returns
     * the child's pid.
     */
    int fork(int childStack, int childTidAddr) {
        int childPid = table.allocatePid(pid);
        LinuxProcess child = new LinuxProcess(this, childPid);
        child.core.setReg(0, 0);
        if (childStack != 0) child.core.setTrapStack(childStack);
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

    /** Replaces the running program (execve); throws LinuxError, the old image intact, when the new one cannot be loaded. */
    void exec(Path program, List<String> argv, List<String> env) {
        byte[] image;
        try {
            image = Files.readAllBytes(program);
        } catch (IOException e) {
            throw new LinuxError(Errno.of(e));
        }
        if (!Files.isExecutable(program)) throw new LinuxError(Errno.EACCES);
        Image img;
        try {
            img = load(program, image, argv, env);
        } catch (StartException e) {
            LOG.debug("execve {}: {}", program, e.getMessage());
            throw new LinuxError(8); // ENOEXEC
        }
        files.closeOnExec();
        files.setExe(program.toAbsolutePath());
        syscalls.resetHandlers();
        java.util.Arrays.fill(tls, null);
        install(img);
    }

    /**
     * Makes a signal pending (kill, from this process or another one's thread). It is taken at the
     * next system call or fault; one whose action ends the process also stops the CPU at once.
     */
    void signal(int sig) {
        signals().raise(sig);
        SignalState.Action a = signals().action(sig);
        if (a.handler() == SignalState.SIG_DFL && !SignalState.ignoredByDefault(sig)) {
            core.requestStop();
            // A system call that waits (poll, a pipe, wait4, nanosleep) ends with EINTR; the process then ends.
            Thread t = runner;
            if (t != null && t != Thread.currentThread()) t.interrupt();
        }
    }

    private SignalState signals() {
        return syscalls.signals;
    }

    /** rt_sigreturn: back to the context a handler interrupted; returns its EAX. */
    int sigreturn() {
        return SignalFrames.sigreturn(core, as, signals());
    }

    /**
     * Takes pending signals: ignored ones vanish, a default action ends the process (Killed), and
     * a handler gets a frame when {@code inTrap} (a system call or fault is being handled; else it
     * stays pending until one is).
     */
    private void deliverPending(boolean inTrap) {
        int sig;
        while ((sig = signals().take()) != 0) {
            SignalState.Action a = signals().action(sig);
            if (a.handler() == SignalState.SIG_IGN || (a.handler() == SignalState.SIG_DFL && SignalState.ignoredByDefault(sig))) continue;
            if (a.handler() == SignalState.SIG_DFL) throw new Killed(sig);
            if (!inTrap) {
                signals().raise(sig);
                return;
            }
            if (!SignalFrames.deliver(core, as, signals(), sig, a, 0, 0, 0)) throw new Killed(Signals.SIGSEGV);
            return;
        }
    }

    int parentPid() {
        return ppid;
    }
    /** The dynamic loader a program names (PT_INTERP), looked up through the sysroot. */
    private ElfImage interpreter(Path program, String path) throws StartException {
        Path p = files.resolve(FileSyscalls.AT_FDCWD, path);
        byte[] data;
        try {
            data = Files.readAllBytes(p);
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

    /** Runs the program to its end (exit, or a fatal signal) on the calling thread. */
    public Result run() {
        runner = Thread.currentThread();
        try {
            while (true) {
                CpuCore c = core;
                int vector = c.runUntilTrap();
                if (vector == 0x80) {
                    int r = syscalls.call(c.reg(0), c.reg(3), c.reg(1), c.reg(2), c.reg(6), c.reg(7), c.reg(5));
                    core.setReg(0, r); // after execve: the new image's, whose registers start at zero anyway
                    deliverPending(true);
                    continue;
                }
                if (vector == CpuCore.STOPPED) {
                    deliverPending(false);
                    continue;
                }
                if (vector == 14) {
                    int ec = core.trapErrorCode();
                    if ((ec & 1) == 0 && as.handlePageFault(core.faultAddress(), (ec & 2) != 0)) continue;
                }
                int sig = Signals.forVector(vector);
                SignalState.Action a = signals().action(sig);
                boolean blocked = (signals().blocked & (1L << (sig - 1))) != 0;
                if (vector >= 0 && a.handler() != SignalState.SIG_DFL && a.handler() != SignalState.SIG_IGN && !blocked) {
                    int addr = vector == 14 ? core.faultAddress() : 0;
                    int code = vector == 14 ? ((core.trapErrorCode() & 1) != 0 ? 2 : 1) : 0; // SEGV_ACCERR, SEGV_MAPERR
                    if (SignalFrames.deliver(core, as, signals(), sig, a, code, addr, vector)) continue;
                }
                int eip = vector >= 0 ? core.trapEip() : 0;
                LOG.debug("vector {} at {}: signal {}", vector, Integer.toHexString(eip), sig);
                return end(128 + sig, sig, eip, vector == 14 ? core.faultAddress() : 0);
            }
        } catch (Syscalls.Exit e) {
            return end(e.status, 0, 0, 0);
        } catch (Killed k) {
            return end(128 + k.signal, k.signal, 0, 0);
        }
    }

    private Result end(int status, int signal, int eip, int addr) {
        Thread.interrupted(); // a kill that came while ending must not reach the caller's thread
        files.closeAll();
        table.exited(pid, signal != 0 ? signal : (status & 0xFF) << 8);
        return new Result(status, signal, eip, addr, core.instructions());
    }

    /** Asks a running program to stop (it ends as if by SIGKILL); safe from any thread. */
    public void requestStop() {
        signal(Signals.SIGKILL);
    }

    /** The JIT's counters, or null when everything ran in the interpreter. */
    public JitStats jitStats() {
        return core.jit() == null ? null : core.jit().stats;
    }

    // ------------------------------------------------------------------------------------------
    // TLS entries of the GDT (set_thread_area).

    int freeTlsEntry() {
        for (int i = 0; i < tls.length; i++) {
            if (tls[i] == null) return CpuCore.TLS_FIRST + i;
        }
        return -1;
    }

    /** Sets a TLS entry from struct user_desc's base, limit and flag bits. */
    void setTls(int entry, int base, int limit, int flags) {
        tls[entry - CpuCore.TLS_FIRST] = new int[] {base, limit, flags};
        boolean seg32 = (flags & 1) != 0, readOnly = (flags & 8) != 0, pages = (flags & 16) != 0, absent = (flags & 32) != 0;
        int contents = (flags >>> 1) & 3;
        if (base == 0 && limit == 0 && readOnly && absent) { // an empty entry clears it
            core.setGdtEntry(entry, 0, 0);
            return;
        }
        int type = contents == 2 ? 0xA : (contents << 2) | (readOnly ? 0 : 2); // code, or data (expand-down with contents 1)
        if (contents == 2 && readOnly) type = 0x8;
        int lo = (base << 16) | (limit & 0xFFFF);
        int hi = (base & 0xFF000000) | ((base >>> 16) & 0xFF) | (limit & 0xF0000) | ((type | 0x10 | 0x60 | (absent ? 0 : 0x80)) << 8)
                | ((flags & 64) != 0 ? 1 << 20 : 0) | (seg32 ? 1 << 22 : 0) | (pages ? 1 << 23 : 0);
        core.setGdtEntry(entry, lo, hi | 0x100); // accessed
    }

    int[] tls(int entry) {
        int[] t = tls[entry - CpuCore.TLS_FIRST];
        return t == null ? new int[3] : t;
    }
}
