package org.kasou.linux;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.InterruptSource;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.cpu.sys.Descriptors;
import org.kasou.cpu.sys.SystemOps;
import org.kasou.io.IoPortBus;
import org.kasou.jit.JitEngine;
import org.kasou.mem.PhysicalMemory;

/**
 * The one place that touches kasou's CPU core: a CPU in 32-bit protected mode with paging, running
 * the guest at ring 3, and a tiny supervisor of our own in the top 4 MiB of the address space (GDT,
 * IDT, TSS, trap stubs, a kernel stack), mapped for the supervisor only.
 *
 * <p>Every IDT vector leads to a stub that starts with HLT. With interrupts disabled by the gate,
 * HLT makes {@link Cpu#run} return, and the caller learns which vector was taken from where the
 * CPU halted: INT 0x80 (a system call), a page fault, #GP and so on. After a system call the stub's
 * IRET returns to the guest; after a fault the caller either resumes the same way (a page mapped on
 * demand) or ends the process. The CPU's own semantics (gate checks, stack switch, IRET) do the
 * privilege transitions: nothing here imitates them.
 *
 * <p>SYSENTER goes the same way: its MSRs lead to a stub of its own (HLT, IRET) on the kernel
 * stack, where the caller builds the IRET frame that INT 0x80 would have pushed (see
 * {@link #enterFromSysenter}), so that everything after is the same as for INT 0x80.
 */
final class CpuCore {
    /** Start of the supervisor area: the guest may map nothing at or above it. */
    static final int KERNEL_BASE = 0xFFC00000;
    private static final int TABLES = KERNEL_BASE;              // GDT at +0, TSS at +0x100, IDT at +0x800
    private static final int TSS = TABLES + 0x100;
    private static final int IDT = TABLES + 0x800;
    private static final int STUBS = KERNEL_BASE + 0x1000;      // 8 bytes per vector
    private static final int KERNEL_STACK_TOP = KERNEL_BASE + 0x4000;
    private static final int GDT_ENTRIES = 32;
    /**
     * The supervisor pages of the CPUs of further threads: a GDT and TSS page and a kernel stack
     * page each (slot 1 onwards); the first CPU's are at {@link #TABLES} and below
     * {@link #KERNEL_STACK_TOP}. The IDT and the stubs are shared.
     */
    private static final int THREAD_SLOTS = KERNEL_BASE + 0x10000, SLOT_SIZE = 0x2000;
    static final int MAX_SLOTS = (0x400000 - 0x10000) / SLOT_SIZE;

    /** Linux's i386 GDT layout: TLS entries 6-8, kernel code/data 12/13, user code/data 14/15, TSS 16. */
    static final int TLS_FIRST = 6, TLS_COUNT = 3;
    private static final int KERNEL_CS = 12 << 3, USER_CS = (14 << 3) | 3, USER_DS = (15 << 3) | 3, TSS_SEL = 16 << 3;

    /** Pseudo-vector for SYSENTER: a system call whose IRET frame the caller must build ({@link #enterFromSysenter}). */
    static final int SYSENTER = 0x100;
    /** Where the SYSENTER stub sits, after the 256 vectors' stubs. */
    private static final int SYSENTER_STUB = 256 * 8;
    /**
     * The vector of the external interrupt that {@link #raiseSignal()} makes pending: the guest is
     * interrupted at an instruction boundary with an IRET frame, so that a signal frame can be
     * built as for a trap. INT 0x41 from ring 3 cannot reach it (its gate's DPL is 0).
     */
    static final int SIGNAL_VECTOR = 0x41;
    /** Set by any thread, cleared when the CPU takes {@link #SIGNAL_VECTOR}. */
    private volatile boolean signalRaised;
    /** Pseudo-vector for a CPU that shut down (a fault while delivering a fault). */
    static final int SHUTDOWN = -1;
    /** Pseudo-vector for {@link #requestStop()}, and for the end of a slice of {@link #SLICE} instructions. */
    static final int STOPPED = -2;
    /** Most instructions {@link #runUntilTrap()} runs before it returns {@link #STOPPED}. */
    private static final long SLICE = 1L << 24;

    /** The feature bits CPUID leaf 1 reports in EDX: what AT_HWCAP carries. */
    static final int HWCAP = SystemOps.FEATURES_EDX;

    private final PhysicalMemory physical;
    /** Whether this CPU made its physical memory (the first CPU of an address space), not shares a sibling's. */
    private boolean ownsPhysical;
    /** Set by {@link #release}: the CPU never runs again. */
    private boolean released;
    private final Cpu cpu;
    private final CpuState s;
    private final JitEngine jit;
    private int gdtPhys;
    /** Instructions of our stubs retired so far, and those the stub of the last trap runs when resumed. */
    private long stubInstructions;
    private int stubTail;
    private int kernelStackPhys;
    /** The page table of the supervisor area, shared by every CPU of the address space. */
    private int kernelTablePhys;
    /** Linear address of the top of this CPU's kernel stack. */
    private int kernelStackTop = KERNEL_STACK_TOP;

    /**
     * A CPU with {@code ramBytes} of guest physical memory (allocated as touched) and, with a
     * threshold of zero or more, the JIT.
     */
    CpuCore(int ramBytes, int jitThreshold) {
        this(new PhysicalMemory(ramBytes), jitThreshold);
        ownsPhysical = true;
    }

    /** A CPU for one more thread, over the same guest physical memory as {@code sibling}. */
    CpuCore(CpuCore sibling, int jitThreshold) {
        this(sibling.physical, jitThreshold);
    }

    private CpuCore(PhysicalMemory physical, int jitThreshold) {
        this.physical = physical;
        cpu = new Cpu(physical, new IoPortBus());
        s = cpu.state;
        cpu.interrupts = new InterruptSource() {
            @Override
            public boolean pending() {
                return signalRaised;
            }

            @Override
            public int acknowledge() {
                signalRaised = false;
                return SIGNAL_VECTOR;
            }
        };
        jit = jitThreshold >= 0 ? JitEngine.install(cpu, jitThreshold) : null;
    }

    /**
     * Makes this CPU, one more thread's, continue where {@code parent} stands in the trap handler
     * of a system call (clone), with GDT, TSS and kernel stack of its own in supervisor slot
     * {@code slot} (1 or more), whose two pages are {@code tablesFrame} and {@code stackFrame}.
     */
    void enterThread(CpuCore parent, int slot, int tablesFrame, int stackFrame) {
        int base = THREAD_SLOTS + (slot - 1) * SLOT_SIZE;
        kernelTablePhys = parent.kernelTablePhys;
        physical.write32(kernelTablePhys + ((base - KERNEL_BASE) >>> 12) * 4, tablesFrame | 0x3);
        physical.write32(kernelTablePhys + ((base + 0x1000 - KERNEL_BASE) >>> 12) * 4, stackFrame | 0x3);
        gdtPhys = tablesFrame;
        kernelStackPhys = stackFrame;
        kernelStackTop = base + SLOT_SIZE;
        for (int i = 0; i < GDT_ENTRIES; i++) {
            long d = parent.gdt(i);
            writeGdt(i, (int) d, (int) (d >>> 32));
        }
        int tss = base + 0x100;
        writeGdt(TSS_SEL >> 3, (tss << 16) | 0x67, (tss & 0xFF000000) | 0x8B00 | ((tss >>> 16) & 0xFF));
        physical.write32(tablesFrame + 0x100 + 4, kernelStackTop); // ESP0
        physical.write32(tablesFrame + 0x100 + 8, 13 << 3);        // SS0
        physical.write16(tablesFrame + 0x100 + 102, 104);
        CpuState o = parent.s;
        s.gdtrBase = base;
        s.gdtrLimit = GDT_ENTRIES * 8 - 1;
        s.idtrBase = o.idtrBase;
        s.idtrLimit = o.idtrLimit;
        s.cr3 = o.cr3;
        s.cr4 = o.cr4;
        s.cr0 = o.cr0;
        Descriptors.load(s.seg[Segment.TR], TSS_SEL, gdt(TSS_SEL >> 3));
        setSysenterMsrs();
        copyRegisters(parent);
        s.gpr[CpuState.ESP] = o.gpr[CpuState.ESP] - parent.kernelStackTop + kernelStackTop; // same depth, own stack
        cpu.memory.flushTlb();
    }

    /**
     * Builds the supervisor area in frames from {@code frames} (mapped by {@code kernelTable}, the
     * page table of the top 4 MiB) and enters ring 3 with paging on through {@code pageDirectory}.
     */
    void enterUserMode(int pageDirectory, int kernelTable, FrameAllocator frames) {
        int tables = frames.allocate(), stubs = frames.allocate();
        int stack0 = frames.allocate(), stack1 = frames.allocate();
        int[] pages = {tables, stubs, stack0, stack1};
        for (int i = 0; i < pages.length; i++) {
            physical.write32(kernelTable + i * 4, pages[i] | 0x3); // present, writable, supervisor
        }
        physical.write32(pageDirectory + (KERNEL_BASE >>> 22) * 4, kernelTable | 0x3);
        gdtPhys = tables;
        kernelStackPhys = stack1;
        kernelTablePhys = kernelTable;
        writeGdt(KERNEL_CS >> 3, 0x0000FFFF, 0x00CF9B00);
        writeGdt(13, 0x0000FFFF, 0x00CF9300);
        writeGdt(USER_CS >> 3, 0x0000FFFF, 0x00CFFB00);
        writeGdt(USER_DS >> 3, 0x0000FFFF, 0x00CFF300);
        writeGdt(TSS_SEL >> 3, (TSS << 16) | 0x67, (TSS & 0xFF000000) | 0x8B00 | ((TSS >>> 16) & 0xFF));
        int tss = tables + 0x100;
        physical.write32(tss + 4, KERNEL_STACK_TOP);   // ESP0
        physical.write32(tss + 8, (13 << 3));          // SS0
        physical.write16(tss + 102, 104);              // no I/O permission bitmap: IN/OUT fault at CPL 3
        for (int v = 0; v < 256; v++) {
            int stub = STUBS + v * 8;
            int sp = stubs + v * 8;
            boolean errorCode = hasErrorCode(v);
            physical.write8(sp, 0xF4); // HLT: back to Java
            if (errorCode) {
                physical.write8(sp + 1, 0x83); // ADD ESP, 4: drop the error code
                physical.write8(sp + 2, 0xC4);
                physical.write8(sp + 3, 0x04);
                physical.write8(sp + 4, 0xCF); // IRET
            } else {
                physical.write8(sp + 1, 0xCF);
            }
            // Interrupt gates; INT 0x80, INT3 and INTO may be raised from ring 3.
            int dpl = v == 0x80 || v == 3 || v == 4 ? 3 : 0;
            physical.write32(tables + 0x800 + v * 8, (KERNEL_CS << 16) | (stub & 0xFFFF));
            physical.write32(tables + 0x800 + v * 8 + 4, (stub & 0xFFFF0000) | 0x8E00 | (dpl << 13));
        }
        physical.write8(stubs + SYSENTER_STUB, 0xF4);     // HLT: back to Java, which builds the frame
        physical.write8(stubs + SYSENTER_STUB + 1, 0xCF); // IRET
        s.gdtrBase = TABLES;
        s.gdtrLimit = GDT_ENTRIES * 8 - 1;
        s.idtrBase = IDT;
        s.idtrLimit = 256 * 8 - 1;
        s.cr3 = pageDirectory;
        s.cr4 = 0;
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_MP | CpuState.CR0_ET | CpuState.CR0_NE | CpuState.CR0_WP | CpuState.CR0_PG;
        Descriptors.load(s.seg[Segment.TR], TSS_SEL, gdt(TSS_SEL >> 3));
        Descriptors.load(s.seg[Segment.CS], USER_CS, gdt(USER_CS >> 3));
        for (int r : new int[] {Segment.SS, Segment.DS, Segment.ES}) {
            Descriptors.load(s.seg[r], USER_DS, gdt(USER_DS >> 3));
        }
        for (int r : new int[] {Segment.FS, Segment.GS}) {
            s.seg[r].set(0, 0, 0, 0);
            s.seg[r].valid = false;
        }
        s.cpl = 3;
        s.fpu.init(); // as the kernel leaves it for a new process: FNINIT, every exception masked
        s.setEflags(0x202); // IF, the reserved bit
        setSysenterMsrs();
        cpu.memory.flushTlb();
    }

    /** SYSENTER lands on this CPU's kernel stack with room for an IRET frame above, where INT 0x80 would leave ESP. */
    private void setSysenterMsrs() {
        s.sysenterCs = KERNEL_CS;
        s.sysenterEsp = kernelStackTop - 20;
        s.sysenterEip = STUBS + SYSENTER_STUB;
    }

    private static boolean hasErrorCode(int vector) {
        return vector == 8 || (vector >= 10 && vector <= 14) || vector == 17;
    }

    private void writeGdt(int index, int lo, int hi) {
        physical.write32(gdtPhys + index * 8, lo);
        physical.write32(gdtPhys + index * 8 + 4, hi);
    }

    private long gdt(int index) {
        return (physical.read32(gdtPhys + index * 8) & 0xFFFFFFFFL) | ((long) physical.read32(gdtPhys + index * 8 + 4) << 32);
    }

    /**
     * Writes GDT entry {@code index} (a TLS entry) and reloads the hidden part of any segment
     * register that holds it, as the kernel does when a thread's TLS changes.
     */
    void setGdtEntry(int index, int lo, int hi) {
        writeGdt(index, lo, hi);
        for (int r = Segment.ES; r <= Segment.GS; r++) {
            if (s.seg[r].selector >> 3 == index && (s.seg[r].selector & 4) == 0 && s.seg[r].valid) {
                Descriptors.load(s.seg[r], s.seg[r].selector, gdt(index));
            }
        }
    }

    long gdtEntry(int index) {
        return gdt(index);
    }

    /**
     * Gives this CPU's TLB tables, and the physical memory's tables when this CPU made it, to the
     * next CPU (see {@link org.kasou.mem.SpareTables}): for a CPU whose thread has ended, of a
     * process that ended or replaced its program. Its counters stay readable; it never runs again.
     */
    void release() {
        if (released) return;
        released = true;
        cpu.release();
        if (ownsPhysical) physical.release();
    }

    /**
     * Runs the guest until it enters our supervisor, and returns the vector it came through (0x80
     * for a system call), {@link #SHUTDOWN} or {@link #STOPPED} (asked to stop, or a slice ended).
     */
    int runUntilTrap() {
        if (released) throw new IllegalStateException("a released CPU cannot run");
        stubInstructions += stubTail; // the rest of the last trap's stub runs first
        stubTail = 0;
        while (true) {
            // A slice at a time: a stop request made just before the CPU started running is
            // forgotten by Cpu.run, so the caller looks at its own reasons to stop after each one.
            StopReason r = cpu.run(SLICE);
            switch (r) {
                case HALTED -> {
                    s.halted = false;
                    int at = s.eip - 1 - STUBS;
                    if (s.cpl == 0 && at == SYSENTER_STUB) {
                        stubInstructions++;
                        stubTail = 1;
                        return SYSENTER;
                    }
                    if (s.cpl != 0 || at < 0 || at >= 256 * 8 || at % 8 != 0) return SHUTDOWN; // cannot happen: HLT faults at CPL 3
                    int vector = at / 8;
                    stubInstructions++;
                    stubTail = hasErrorCode(vector) ? 2 : 1;
                    return vector;
                }
                case SHUTDOWN -> {
                    return SHUTDOWN;
                }
                case STOP_REQUESTED, BUDGET_EXHAUSTED -> {
                    return STOPPED;
                }
                default -> { }
            }
        }
    }

    /**
     * Makes this CPU continue where {@code other} stands, in the trap handler of a system call:
     * registers, flags, segments, x87 state, TLS entries and the trap frame on the kernel stack
     * (fork). The address space is copied separately.
     */
    void copyStateFrom(CpuCore other) {
        for (int i = TLS_FIRST; i < TLS_FIRST + TLS_COUNT; i++) {
            long d = other.gdt(i);
            writeGdt(i, (int) d, (int) (d >>> 32));
        }
        copyRegisters(other);
        s.gpr[CpuState.ESP] = other.s.gpr[CpuState.ESP] - other.kernelStackTop + kernelStackTop; // other may be a thread's CPU
        cpu.memory.flushTlb();
    }

    /** Registers, flags, segments, x87 state and the trap frame of {@code other}, which is in a system call. */
    private void copyRegisters(CpuCore other) {
        CpuState o = other.s;
        System.arraycopy(o.gpr, 0, s.gpr, 0, 8);
        s.eip = o.eip;
        s.setEflags(o.eflags());
        for (int r = Segment.ES; r <= Segment.GS; r++) s.seg[r].copyFrom(o.seg[r]);
        s.cpl = o.cpl;
        s.fpu.setControl(o.fpu.control);
        s.fpu.status = o.fpu.status;
        s.fpu.top = o.fpu.top;
        s.fpu.tags = o.fpu.tags;
        System.arraycopy(o.fpu.se, 0, s.fpu.se, 0, 8);
        System.arraycopy(o.fpu.sig, 0, s.fpu.sig, 0, 8);
        byte[] frame = new byte[64];
        other.physical.copyOut(other.kernelStackPhys + 0x1000 - 64, frame, 0, 64);
        physical.load(kernelStackPhys + 0x1000 - 64, frame, 0, 64);
        stubTail = other.stubTail;
    }

    /**
     * After {@link #SYSENTER}: the trap frame INT 0x80 would have pushed, for a return to
     * {@code eip} with {@code esp}, and the user's EFLAGS (SYSENTER cleared IF, which ring 3 always has).
     * Linux's vDSO entry has the stack this leaves (see LinuxProcess).
     */
    void enterFromSysenter(int eip, int esp) {
        physical.write32(kernelStackPhys + FRAME_EIP, eip);
        physical.write32(kernelStackPhys + FRAME_CS, USER_CS);
        physical.write32(kernelStackPhys + FRAME_EFLAGS, s.eflags() | 0x200);
        physical.write32(kernelStackPhys + FRAME_ESP, esp);
        physical.write32(kernelStackPhys + FRAME_SS, USER_DS);
    }

    /** Sets the user ESP that the pending system call returns with (clone with a new stack). */
    void setTrapStack(int esp) {
        physical.write32(kernelStackPhys + 0x1000 - 8, esp);
    }

    // The user context of the trap being handled: the IRET frame on the kernel stack.
    private static final int FRAME_EIP = 0x1000 - 20, FRAME_CS = 0x1000 - 16, FRAME_EFLAGS = 0x1000 - 12, FRAME_ESP = 0x1000 - 8,
            FRAME_SS = 0x1000 - 4;

    int userEip() {
        return physical.read32(kernelStackPhys + FRAME_EIP);
    }

    int userEsp() {
        return physical.read32(kernelStackPhys + FRAME_ESP);
    }

    int userEflags() {
        return physical.read32(kernelStackPhys + FRAME_EFLAGS);
    }

    int userCs() {
        return physical.read32(kernelStackPhys + FRAME_CS) & 0xFFFF;
    }

    int userSs() {
        return physical.read32(kernelStackPhys + FRAME_SS) & 0xFFFF;
    }

    /** The selector in segment register {@code r} (ES, CS, SS, DS, FS, GS order). */
    int selector(int r) {
        return s.seg[r].selector;
    }

    /** Makes the trap return to {@code eip} with {@code esp} and {@code eflags} (a signal handler, or back from one). */
    void setUserEntryFromTrap(int eip, int esp, int eflags) {
        physical.write32(kernelStackPhys + FRAME_EIP, eip);
        physical.write32(kernelStackPhys + FRAME_ESP, esp);
        physical.write32(kernelStackPhys + FRAME_EFLAGS, (eflags & ~0x3000) | 0x202); // IOPL 0, IF set
    }

    /** Makes the guest code take {@link #SIGNAL_VECTOR} soon (a signal came for it); safe from any thread. */
    void raiseSignal() {
        signalRaised = true;
        cpu.requestStop(); // leaves compiled code and chains of blocks at once
    }

    /** Asks the running guest to stop soon; safe from any thread. */
    void requestStop() {
        cpu.requestStop();
    }

    /** The user-mode EIP saved by the trap being handled (the faulting instruction for a fault). */
    int trapEip() {
        return physical.read32(kernelStackPhys + 0x1000 - 20);
    }

    /** The error code a fault pushed. */
    int trapErrorCode() {
        return physical.read32(kernelStackPhys + 0x1000 - 24);
    }

    /** CR2: the linear address of the last page fault. */
    int faultAddress() {
        return s.cr2;
    }

    int reg(int r) {
        return s.gpr[r];
    }

    void setReg(int r, int v) {
        s.gpr[r] = v;
    }

    /** Sets the user-mode entry state: EIP and ESP, every other register zero. */
    void setUserEntry(int eip, int esp) {
        java.util.Arrays.fill(s.gpr, 0);
        s.gpr[CpuState.ESP] = esp;
        s.eip = eip;
    }

    /** Translations changed for the page holding {@code linear}. */
    void invalidatePage(int linear) {
        cpu.memory.invalidatePage(linear);
    }

    /** Many translations changed. */
    void flushTlb() {
        cpu.memory.flushTlb();
    }

    int ramSize() {
        return physical.ramSize();
    }

    int read32(int pa) {
        return physical.read32(pa);
    }

    void write32(int pa, int v) {
        physical.write32(pa, v);
    }

    /** Copies bytes into guest physical memory (compiled code over them is dropped). */
    void load(int pa, byte[] data, int off, int len) {
        physical.load(pa, data, off, len);
    }

    private static final java.lang.invoke.VarHandle I32 =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(int[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /**
     * Replaces the aligned dword at {@code pa} by {@code f} of it, atomically against the LOCK'd
     * instructions of every CPU on this memory (their lock, and a compare-and-set so that a plain
     * store in between is not lost); returns the old value. For FUTEX_WAKE_OP.
     */
    int atomicUpdate32(int pa, java.util.function.IntUnaryOperator f) {
        synchronized (physical.atomicLock()) {
            if (physical.isRam(pa) && !physical.isCodePage(pa >>> PhysicalMemory.PAGE_SHIFT)) {
                byte[] chunk = physical.chunkFor(pa);
                int off = pa & PhysicalMemory.CHUNK_MASK;
                while (true) {
                    int old = (int) I32.getVolatile(chunk, off);
                    if (I32.compareAndSet(chunk, off, old, f.applyAsInt(old))) return old;
                }
            }
            int old = physical.read32(pa); // a page holding code: the write must be reported
            physical.write32(pa, f.applyAsInt(old));
            return old;
        }
    }

    /** Makes frame {@code pa} the same page as {@code from}'s frame {@code fromPa}: memory two processes share. */
    void shareFrame(int pa, CpuCore from, int fromPa) {
        physical.shareChunk(pa, from.physical, fromPa);
    }

    /** Frame {@code pa} becomes the page {@code page}, which others hold too (a SysV shared memory segment's). */
    void useSharedPage(int pa, byte[] page) {
        physical.useChunk(pa, page);
    }

    /** This CPU's memory now shares pages with unrelated processes' (see PhysicalMemory#sharePagesWithOthers). */
    void sharePagesWithOthers() {
        physical.sharePagesWithOthers();
    }

    /** Frame {@code pa} no longer shares its page (unmapped here); it reads as zeros until written. */
    void dropSharedFrame(int pa) {
        physical.dropSharedChunk(pa);
    }

    /** This CPU's memory, before it runs, shares pages with {@code other}'s: their LOCK'd instructions exclude each other. */
    void shareAtomicsWith(CpuCore other) {
        physical.shareAtomicsWith(other.physical);
    }

    /** Whether the frame holding {@code pa} was ever written (else it reads as zeros). */
    boolean touched(int pa) {
        return physical.allocated(pa);
    }

    void copyOut(int pa, byte[] dst, int off, int len) {
        physical.copyOut(pa, dst, off, len);
    }

    void zero(int pa, int len) {
        physical.zero(pa, len);
    }

    /** Guest instructions retired so far, not counting our trap stubs. */
    long instructions() {
        return cpu.instructions - stubInstructions;
    }

    /** Blocks the interpreter has decoded so far. */
    long blocksDecoded() {
        return cpu.interpreter().blocksBuilt();
    }

    /** The guest's EIP (as last stored: compiled code keeps it in a local while it runs). */
    int eip() {
        return cpu.state.eip;
    }

    /** The JIT, or null when everything is interpreted. */
    JitEngine jit() {
        return jit;
    }
}
