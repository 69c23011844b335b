package org.kasou.embed;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.io.IoPortBus;
import org.kasou.jit.JitEngine;
import org.kasou.mem.PhysicalMemory;

/**
 * An x86 CPU to embed: map memory, set registers, run guest code and watch it through hooks.
 *
 * <pre>{@code
 * Engine e = Engine.create(Mode.PROTECTED_32);
 * e.map(0x1000, 0x1000, Perm.READ | Perm.EXEC);
 * e.write(0x1000, code);
 * RunResult r = e.run(Run.from(0x1000).until(0x1000 + code.length));
 * }</pre>
 *
 * <p>In the protected modes segments are flat (base 0) at CPL 0 and paging carries the region
 * permissions; no GDT or IDT is set up: exceptions and interrupts go to the interrupt hooks and,
 * unhandled, end the run ({@link StopCause#EXCEPTION}) with EIP on the faulting instruction.
 * Nothing the guest does escapes as a Java exception: API misuse does, as
 * {@link IllegalArgumentException} (bad addresses, overlaps, misalignment) or
 * {@link IllegalStateException} (an engine used from two threads at once, physical memory
 * exhausted).
 *
 * <p>One engine belongs to one thread at a time; engines share nothing, so any number may run in
 * parallel. Runs are deterministic: the same state and the same run give the same instruction
 * count and the same final state, with the JIT on or off.
 */
public final class Engine {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kasou-embed-timeouts");
        t.setDaemon(true);
        return t;
    });

    private final Mode mode;
    private final EngineOptions options;
    private final Cpu cpu;
    private final AddressSpace space;
    private final HookSet hooks;
    private final AtomicReference<Thread> owner = new AtomicReference<>();
    /** The first reason to stop the current run (a hook, the timer or another thread may set it). */
    private final AtomicReference<RunResult> cause = new AtomicReference<>();
    /** The first exception a hook threw in the current run, rethrown when the run has stopped. */
    private Throwable hookFailure;
    /** Counts runs, so that a late timer does not stop the next one. */
    private long runNumber;
    /** The run a timeout is armed for, 0 when none: a timer fires only into its own run. */
    private long timedRun;
    private final Object timerLock = new Object();
    private Snapshots.Baseline baseline;

    private Engine(Mode mode, EngineOptions options) {
        this.mode = mode;
        this.options = options;
        boolean paged = mode.enginePaged();
        int ram = (int) (mode == Mode.REAL_16 ? 0x110000 : options.physicalMemory());
        PhysicalMemory phys = new PhysicalMemory(ram);
        IoPortBus io = new IoPortBus();
        this.cpu = new Cpu(phys, io);
        this.space = new AddressSpace(phys, cpu.memory, paged, mode == Mode.REAL_16 ? 0x110000 : 1L << 32);
        this.hooks = new HookSet(this, space);
        io.register(0, 0x10000, hooks);
        cpu.hooks = hooks;
        setUpMode();
        if (options.jit()) JitEngine.install(cpu, options.jitThreshold());
    }

    /** An engine in {@code mode} with the default options (JIT on). */
    public static Engine create(Mode mode) {
        return create(mode, EngineOptions.defaults());
    }

    public static Engine create(Mode mode, EngineOptions options) {
        if (mode == null || options == null) throw new IllegalArgumentException("mode and options must not be null");
        return new Engine(mode, options);
    }

    private void setUpMode() {
        CpuState s = cpu.state;
        s.reset();
        s.gpr[CpuState.EDX] = 0;
        s.eip = 0;
        s.setEflags(0x2);
        s.fpu.init(); // as after FNINIT: an empty stack, exceptions masked
        if (mode == Mode.REAL_16) {
            for (int i = 0; i < 6; i++) s.seg[i].set(0, 0, 0xFFFF, i == Segment.CS ? 0x9B : 0x93);
            s.cr0 = CpuState.CR0_ET;
        } else if (mode == Mode.SYSTEM_32) {
            for (int i = 0; i < 6; i++) {
                s.seg[i].set(i == Segment.CS ? 0x08 : 0x10, 0, 0xFFFFFFFF, (i == Segment.CS ? 0x9B : 0x93) | Segment.ACC_DB | Segment.ACC_G);
            }
            s.gdtrLimit = 0;
            s.idtrLimit = 0;
            s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE;
            s.cpl = 0;
        } else {
            boolean big = mode == Mode.PROTECTED_32;
            int limit = big ? 0xFFFFFFFF : 0xFFFF;
            int flags = big ? Segment.ACC_DB | Segment.ACC_G : 0;
            for (int i = 0; i < 6; i++) {
                s.seg[i].set(i == Segment.CS ? 0x08 : 0x10, 0, limit, (i == Segment.CS ? 0x9B : 0x93) | flags);
            }
            s.gdtrLimit = 0;
            s.idtrLimit = 0;
            s.cr3 = space.directory();
            s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE | CpuState.CR0_WP | CpuState.CR0_PG;
            s.cpl = 0;
        }
        cpu.memory.flushTlb();
    }

    public Mode mode() {
        return mode;
    }

    public EngineOptions options() {
        return options;
    }

    /** The CPU core underneath, for what this API does not cover (use with care). */
    public Cpu cpu() {
        return cpu;
    }

    // ------------------------------------------------------------------------------------------
    // Memory

    /**
     * Maps {@code size} bytes at {@code address} (both multiples of 4 KiB), zero-filled, with
     * {@link Perm} bits. Throws IllegalArgumentException on misalignment, an empty or too large
     * range, or an overlap with a mapped region.
     */
    public void map(long address, long size, int perms) {
        checkThread();
        space.map(address, size, perms);
        layoutChanged();
    }

    /** Unmaps a page-aligned range; every page of it must be mapped (regions are split as needed). */
    public void unmap(long address, long size) {
        checkThread();
        space.unmap(address, size);
        layoutChanged();
    }

    /** Changes the permissions of a page-aligned, mapped range (regions are split as needed). */
    public void protect(long address, long size, int perms) {
        checkThread();
        space.protect(address, size, perms);
        layoutChanged();
    }

        /**
     * Maps device memory whose reads and writes call {@code read} and {@code write} (offsets from
     * {@code address}; 1, 2 or 4 bytes at a time, little-endian values), readable and writable,
     * never executable. Accesses to it always take the engine's slow path. A callback that throws
     * stops the run, which throws {@link HookFailedException}. Snapshots leave device memory alone.
     */
    public void mapMmio(long address, long size, Hooks.MmioRead read, Hooks.MmioWrite write) {
        checkThread();
        if (read == null || write == null) throw new IllegalArgumentException("both callbacks are needed");
        space.mapDevice(address, size, Perm.READ | Perm.WRITE, new org.kasou.mem.MmioHandler() {
            @Override
            public int read(int offset, int n) {
                try {
                    return (int) read.read(Engine.this, offset & 0xFFFFFFFFL, n);
                } catch (RuntimeException | Error t) {
                    hookFailed(t);
                    return 0;
                }
            }

            @Override
            public void write(int offset, int n, int value) {
                try {
                    write.write(Engine.this, offset & 0xFFFFFFFFL, n, value & (n == 4 ? 0xFFFFFFFFL : (1L << (8 * n)) - 1));
                } catch (RuntimeException | Error t) {
                    hookFailed(t);
                }
            }
        });
    }

    /**
     * Maps the caller's buffer as guest memory: the guest reads and writes its bytes (from index
     * 0, whatever its position and byte order; its capacity, a multiple of 4 KiB, is the size),
     * and the caller sees the guest's writes at once and the guest the caller's. {@code perms}:
     * READ and WRITE; buffer memory cannot hold code (EXEC is refused). Slower than the engine's
     * own memory: every access takes the slow path.
     */
    public void mapBuffer(long address, java.nio.ByteBuffer buffer, int perms) {
        checkThread();
        if (buffer == null) throw new IllegalArgumentException("no buffer");
        if (buffer.isReadOnly() && (perms & Perm.WRITE) != 0) throw new IllegalArgumentException("a read-only buffer cannot be mapped writable");
        java.nio.ByteBuffer b = buffer.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
        space.mapDevice(address, b.capacity(), perms, new org.kasou.mem.MmioHandler() {
            @Override
            public int read(int offset, int n) {
                return switch (n) {
                    case 1 -> b.get(offset) & 0xFF;
                    case 2 -> b.getShort(offset) & 0xFFFF;
                    default -> b.getInt(offset);
                };
            }

            @Override
            public void write(int offset, int n, int value) {
                if (b.isReadOnly()) return; // only the engine's own writes (the guest's fault first)
                switch (n) {
                    case 1 -> b.put(offset, (byte) value);
                    case 2 -> b.putShort(offset, (short) value);
                    default -> b.putInt(offset, value);
                }
            }
        });
    }

/** The mapped regions, by address. */
    public List<MemoryRegion> regions() {
        return space.regions();
    }

    private void layoutChanged() {
        hooks.structureChanged = true;
        // Executable pages changed: decoded and compiled code goes, pages are watched anew.
        cpu.interpreter().flushCodeCache();
    }

    /** Reads {@code len} bytes whatever their permissions; every byte must be mapped. */
    public byte[] read(long address, int len) {
        if (len < 0) throw new IllegalArgumentException("negative length " + len);
        byte[] b = new byte[len];
        read(address, b, 0, len);
        return b;
    }

    public void read(long address, byte[] dst, int off, int len) {
        checkThread();
        java.util.Objects.checkFromIndexSize(off, len, dst.length);
        space.read(address, dst, off, len);
    }

    /** Writes bytes whatever their permissions (code compiled from them is dropped); every byte must be mapped. */
    public void write(long address, byte[] src) {
        write(address, src, 0, src.length);
    }

    public void write(long address, byte[] src, int off, int len) {
        checkThread();
        java.util.Objects.checkFromIndexSize(off, len, src.length);
        space.write(address, src, off, len);
    }

    public int readU8(long address) {
        return read(address, 1)[0] & 0xFF;
    }

    public int readU16(long address) {
        return (int) readLittle(address, 2);
    }

    public long readU32(long address) {
        return readLittle(address, 4);
    }

    public long readU64(long address) {
        return readLittle(address, 8);
    }

    public void writeU8(long address, int v) {
        writeLittle(address, v, 1);
    }

    public void writeU16(long address, int v) {
        writeLittle(address, v, 2);
    }

    public void writeU32(long address, long v) {
        writeLittle(address, v, 4);
    }

    public void writeU64(long address, long v) {
        writeLittle(address, v, 8);
    }

    private long readLittle(long address, int n) {
        byte[] b = read(address, n);
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = (v << 8) | (b[i] & 0xFF);
        return v;
    }

    private void writeLittle(long address, long v, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) b[i] = (byte) (v >>> (8 * i));
        write(address, b);
    }

    // ------------------------------------------------------------------------------------------
    // Registers

    /** A register's value, zero-extended. */
    public long reg(Register r) {
        checkThread();
        return Registers.read(cpu, r);
    }

    /** Sets a register (the value is truncated to its width). */
    public void setReg(Register r, long value) {
        checkThread();
        Registers.write(cpu, r, value);
        if (Registers.structural(r)) hooks.structureChanged = true;
    }

    /** Several registers at once, in the order given. */
    public long[] regs(Register... rs) {
        checkThread();
        long[] v = new long[rs.length];
        for (int i = 0; i < rs.length; i++) v[i] = Registers.read(cpu, rs[i]);
        return v;
    }

    /** Sets several registers, {@code rs[i]} to {@code values[i]}. */
    public void setRegs(Register[] rs, long[] values) {
        checkThread();
        if (rs.length != values.length) throw new IllegalArgumentException(rs.length + " registers but " + values.length + " values");
        for (int i = 0; i < rs.length; i++) {
            Registers.write(cpu, rs[i], values[i]);
            if (Registers.structural(rs[i])) hooks.structureChanged = true;
        }
    }

    /**
     * The x87 register ST(i), 0 being the stack top, whatever its tag says ({@link Register#FPTW}
     * and {@link Register#FPSW} give the tags and the top).
     */
    public X87Value st(int i) {
        checkThread();
        return Registers.st(cpu, i);
    }

    /** Sets ST(i) and its tag (valid, zero or special, by the value), without moving the stack top. */
    public void setSt(int i, X87Value value) {
        checkThread();
        Registers.setSt(cpu, i, value);
    }

    /** A segment register with its descriptor cache. */
    public SegmentCache segment(Register r) {
        checkThread();
        return Registers.segment(cpu, r);
    }

    /** Sets a segment register and its descriptor cache (no descriptor table is read). */
    public void setSegment(Register r, SegmentCache c) {
        checkThread();
        Registers.setSegment(cpu, r, c);
        hooks.structureChanged = true;
    }

    // ------------------------------------------------------------------------------------------
    // Running

    /** Runs from {@code begin} until EIP reaches {@code until}. */
    public RunResult run(long begin, long until) {
        return run(Run.from(begin).until(until));
    }

    /**
     * Runs guest code as {@code spec} says and returns why and where it stopped. Throws
     * IllegalStateException when the engine is already running (in another thread, or in this one
     * from a hook), and {@link HookFailedException} when a hook threw (the run stopped at the next
     * instruction boundary).
     */
    public RunResult run(Run spec) {
        enter();
        try {
            return runOwned(spec);
        } finally {
            owner.set(null);
        }
    }

    private RunResult runOwned(Run spec) {
        CpuState s = cpu.state;
        long eip = spec.begin - (s.seg[Segment.CS].base & 0xFFFFFFFFL);
        if (!s.seg[Segment.CS].big() && (eip < 0 || eip > 0xFFFF)) {
            throw new IllegalArgumentException(String.format("0x%x is not reachable from CS base 0x%x with 16-bit code", spec.begin, s.seg[Segment.CS].base));
        }
        s.eip = (int) eip;
        s.halted = false;
        s.shutdown = false; // a triple fault ended the last run; the caller has set the state anew
        if (spec.until != hooks.until) {
            hooks.until = spec.until;
            if (spec.until >= 0) dropCompiledCode(spec.until);
        }
        hooks.blockStart = true;
        cause.set(null);
        hookFailure = null;
        long run = ++runNumber;
        cpu.clearStopRequest();
        ScheduledFuture<?> timer = null;
        if (spec.timeoutNanos > 0) {
            synchronized (timerLock) {
                timedRun = run;
            }
            timer = TIMER.schedule(() -> timeUp(run), spec.timeoutNanos, TimeUnit.NANOSECONDS);
        }
        long start = cpu.instructions;
        StopReason why;
        try {
            why = cpu.interpreter().run(spec.count > 0 ? spec.count : Long.MAX_VALUE);
        } finally {
            if (timer != null) {
                synchronized (timerLock) {
                    timedRun = 0;
                }
                timer.cancel(false);
            }
        }
        if (hookFailure != null) {
            throw new HookFailedException(hookFailure, (s.seg[Segment.CS].base + s.eip) & 0xFFFFFFFFL);
        }
        long done = cpu.instructions - start;
        long at = (s.seg[Segment.CS].base + s.eip) & 0xFFFFFFFFL;
        RunResult c = cause.get();
        if (c != null) {
            return new RunResult(c.cause(), at, done, c.vector(), c.errorCode(), c.faultAddress(), c.access());
        }
        StopCause sc = switch (why) {
            case BUDGET_EXHAUSTED -> StopCause.COUNT_EXHAUSTED;
            case HALTED -> StopCause.HALTED;
            case STOP_REQUESTED -> StopCause.STOPPED;
            case SHUTDOWN -> StopCause.TRIPLE_FAULT;
        };
        return RunResult.of(sc, at, done);
    }

    /** Compiled code of the page holding {@code address} goes, so that it is compiled again stopping there. */
    private void dropCompiledCode(long address) {
        org.kasou.cpu.ExecutionEngine jit = cpu.interpreter().engine();
        if (jit != null && space.mapped(address)) jit.codeWritten(space.physical(address) & ~0xFFF, 4096);
    }

    /** Stops the run at the next instruction boundary; callable from a hook or any thread. */
    public void stop() {
        stopWith(StopCause.STOPPED);
    }

    private void timeUp(long run) {
        synchronized (timerLock) {
            if (timedRun == run) stopWith(StopCause.TIMEOUT);
        }
    }

    void stopWith(StopCause c) {
        cause.compareAndSet(null, RunResult.of(c, -1, -1));
        cpu.requestStop();
    }

    /** A hook threw: the run stops at the next instruction boundary and run() throws it. */
    void hookFailed(Throwable t) {
        if (hookFailure == null) hookFailure = t;
        stopWith(StopCause.STOPPED);
    }

    void stopWithException(int vector, int errorCode) {
        cause.compareAndSet(null, new RunResult(StopCause.EXCEPTION, -1, -1, vector, errorCode, -1, null));
        cpu.requestStop();
    }

    void stopWithInvalid(Hooks.InvalidAccess access, long address) {
        cause.compareAndSet(null, new RunResult(StopCause.INVALID_MEMORY, -1, -1, -1, -1, address, access));
        cpu.requestStop();
    }

    private void enter() {
        Thread me = Thread.currentThread();
        if (!owner.compareAndSet(null, me)) {
            Thread o = owner.get();
            throw new IllegalStateException(o == me ? "run() called while this engine is running (from a hook)"
                    : "engine is in use by thread \"" + (o == null ? "?" : o.getName()) + "\": one engine runs in one thread at a time");
        }
    }

    private void checkThread() {
        Thread o = owner.get();
        if (o != null && o != Thread.currentThread()) {
            throw new IllegalStateException("engine is running in thread \"" + o.getName() + "\": use it from that thread (hooks) or after the run");
        }
    }

    // ------------------------------------------------------------------------------------------
    // Hooks

    /** Calls {@code hook} before each instruction in [begin, end] (inclusive linear addresses). */
    public HookHandle hookCode(long begin, long end, Hooks.CodeHook hook) {
        checkThread();
        HookSet.Ranged<Hooks.CodeHook> r = new HookSet.Ranged<>(begin, end, hook);
        checkRange(begin, end);
        hooks.setCode(HookSet.plus(hooks.code, r));
        pagesChanged();
        return new HookHandle(() -> {
            hooks.setCode(HookSet.minus(hooks.code, r));
            pagesChanged();
        });
    }

    /** Calls {@code hook} before every instruction. */
    public HookHandle hookCode(Hooks.CodeHook hook) {
        return hookCode(0, 0xFFFFFFFFL, hook);
    }

    /** Calls {@code hook} at the start of each basic block in [begin, end]. */
    public HookHandle hookBlock(long begin, long end, Hooks.BlockHook hook) {
        checkThread();
        checkRange(begin, end);
        HookSet.Ranged<Hooks.BlockHook> r = new HookSet.Ranged<>(begin, end, hook);
        hooks.blocks = HookSet.plus(hooks.blocks, r);
        pagesChanged();
        return new HookHandle(() -> {
            hooks.blocks = HookSet.minus(hooks.blocks, r);
            pagesChanged();
        });
    }

    /** Calls {@code hook} for each data access that touches [begin, end], and for each instruction fetched from there. */
    public HookHandle hookMemory(long begin, long end, Hooks.MemoryHook hook) {
        checkThread();
        checkRange(begin, end);
        HookSet.Ranged<Hooks.MemoryHook> r = new HookSet.Ranged<>(begin, end, hook);
        hooks.memory = HookSet.plus(hooks.memory, r);
        memoryHooksChanged();
        return new HookHandle(() -> {
            hooks.memory = HookSet.minus(hooks.memory, r);
            memoryHooksChanged();
        });
    }

    /** Calls {@code hook} for accesses to unmapped memory and against permissions. */
    public HookHandle hookInvalidMemory(Hooks.InvalidMemoryHook hook) {
        checkThread();
        hooks.invalid = HookSet.plus(hooks.invalid, hook);
        return new HookHandle(() -> hooks.invalid = HookSet.minus(hooks.invalid, hook));
    }

    /** Calls {@code hook} for every exception and software interrupt. */
    public HookHandle hookInterrupt(Hooks.InterruptHook hook) {
        return hookInterrupt(-1, hook);
    }

    /** Calls {@code hook} for one vector (0x80 for Linux system calls through INT 0x80, for example). */
    public HookHandle hookInterrupt(int vector, Hooks.InterruptHook hook) {
        checkThread();
        if (vector < -1 || vector > 255) throw new IllegalArgumentException("vector must be 0-255, not " + vector);
        HookSet.ForVector<Hooks.InterruptHook> v = new HookSet.ForVector<>(vector, hook);
        hooks.interrupts = HookSet.plus(hooks.interrupts, v);
        return new HookHandle(() -> hooks.interrupts = HookSet.minus(hooks.interrupts, v));
    }

    /** Answers IN from ports [first, last]. */
    public HookHandle hookPortIn(int first, int last, Hooks.PortInHook hook) {
        checkThread();
        checkPorts(first, last);
        HookSet.Ranged<Hooks.PortInHook> r = new HookSet.Ranged<>(first, last, hook);
        hooks.portIn = HookSet.plus(hooks.portIn, r);
        pagesChanged();
        return new HookHandle(() -> {
            hooks.portIn = HookSet.minus(hooks.portIn, r);
            pagesChanged();
        });
    }

    /** Sees OUT to ports [first, last]. */
    public HookHandle hookPortOut(int first, int last, Hooks.PortOutHook hook) {
        checkThread();
        checkPorts(first, last);
        HookSet.Ranged<Hooks.PortOutHook> r = new HookSet.Ranged<>(first, last, hook);
        hooks.portOut = HookSet.plus(hooks.portOut, r);
        pagesChanged();
        return new HookHandle(() -> {
            hooks.portOut = HookSet.minus(hooks.portOut, r);
            pagesChanged();
        });
    }

    /** Sees SYSENTER (system calls of 32-bit Linux through the vDSO, of Windows), to handle it in Java. */
    public HookHandle hookSysenter(Hooks.SysenterHook hook) {
        checkThread();
        hooks.sysenter = HookSet.plus(hooks.sysenter, hook);
        return new HookHandle(() -> hooks.sysenter = HookSet.minus(hooks.sysenter, hook));
    }

    /** Answers CPUID (before the built-in answer). */
    public HookHandle hookCpuid(Hooks.CpuidHook hook) {
        checkThread();
        hooks.cpuid = HookSet.plus(hooks.cpuid, hook);
        pagesChanged();
        return new HookHandle(() -> {
            hooks.cpuid = HookSet.minus(hooks.cpuid, hook);
            pagesChanged();
        });
    }

    private void pagesChanged() {
        // Pages that now run one instruction at a time must not keep compiled code.
        if (hooks.recomputePages()) cpu.interpreter().flushCodeCache();
    }

    private void memoryHooksChanged() {
        pagesChanged();
        cpu.memory.setAccessWatcher(hooks.watchesMemory() ? hooks : null);
    }

    private static void checkRange(long begin, long end) {
        if (begin < 0 || end >= 1L << 32 || begin > end) {
            throw new IllegalArgumentException(String.format("bad address range [0x%x, 0x%x]: need 0 <= begin <= end < 2^32", begin, end));
        }
    }

    private static void checkPorts(int first, int last) {
        if (first < 0 || last > 0xFFFF || first > last) {
            throw new IllegalArgumentException(String.format("bad port range [0x%x, 0x%x]: need 0 <= first <= last <= 0xFFFF", first, last));
        }
    }

    // ------------------------------------------------------------------------------------------
    // Contexts and snapshots

    /** The registers (not memory). */
    public CpuContext saveContext() {
        checkThread();
        return CpuContext.capture(cpu.state);
    }

    /** Puts back registers saved by {@link #saveContext()}. */
    public void restoreContext(CpuContext c) {
        checkThread();
        c.applyTo(cpu.state);
        cpu.memory.flushTlb();
        hooks.structureChanged = true;
    }

    /** Registers and the contents and layout of all mapped memory. */
    public Snapshot snapshot() {
        checkThread();
        Snapshot snap = Snapshots.take(this, space);
        baseline = new Snapshots.Baseline(snap, space.layoutVersion());
        return snap;
    }

    /**
     * Puts back a snapshot. Restoring the snapshot taken (or restored) last, with no map, unmap or
     * protect since, copies back only the pages written since; otherwise every region is rebuilt.
     */
    public void restore(Snapshot snap) {
        checkThread();
        if (snap.mode != mode) throw new IllegalArgumentException("a snapshot of a " + snap.mode + " engine cannot be restored into a " + mode + " engine");
        boolean incremental = baseline != null && baseline.snapshot() == snap && baseline.layoutVersion() == space.layoutVersion();
        Snapshots.restore(this, space, snap, incremental);
        hooks.structureChanged = true;
        if (!incremental) layoutChanged();
        baseline = new Snapshots.Baseline(snap, space.layoutVersion());
    }

    /**
     * A new engine with a snapshot's mode, options, registers and memory (not its hooks), sharing
     * nothing with the engine it was taken from: for running copies in parallel.
     */
    public static Engine fromSnapshot(Snapshot snap) {
        Engine e = create(snap.mode, snap.options);
        e.restore(snap);
        return e;
    }

    // ------------------------------------------------------------------------------------------
    // Disassembly

    /** Disassembles {@code count} instructions from mapped memory at {@code address}, in the engine's code size. */
    public List<Instruction> disassemble(long address, int count) {
        checkThread();
        int bits = cpu.state.seg[Segment.CS].big() ? 32 : 16;
        return Disassembly.fromMemory(this, address, count, bits);
    }
}
