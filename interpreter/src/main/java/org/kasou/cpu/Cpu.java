package org.kasou.cpu;

import org.kasou.io.IoPortBus;
import org.kasou.mem.Memory;
import org.kasou.mem.PhysicalMemory;

/**
 * One IA-32 CPU with its view of memory and I/O: the entry point for embedding the core.
 * Map RAM and devices, set registers in {@link #state}, then call {@link #run(long)}.
 */
public final class Cpu {
    public final CpuState state = new CpuState();
    public final PhysicalMemory physical;
    public final IoPortBus io;
    /** Segmentation, paging and the TLB: every guest memory access goes through here. */
    public final Memory memory;
    /** The preallocated exception object thrown for guest faults (see CpuFault). */
    public final CpuFault fault = new CpuFault();
    /** The INTR line and its vector acknowledge (the interrupt controller); null when there is none. */
    public InterruptSource interrupts;
    /**
     * The FERR# output: a waiting x87 instruction that finds an unmasked exception pending with
     * CR0.NE clear signals it (on a PC the chipset turns it into IRQ 13); null when nothing listens.
     */
    public Runnable fpuError;
    /** The machine's clock in nanoseconds, which the TSC follows; null to count instructions instead. */
    public java.util.function.LongSupplier clock;
    /**
     * Told of each PAUSE, the hint a spin-wait loop gives on each turn (a machine moves its clock
     * on there, so that delay loops end sooner); null when nobody listens.
     */
    public Runnable spinWaitHint;
    /** An embedder's callbacks (watched pages, exceptions, CPUID); null when nobody listens. */
    public CpuHooks hooks;
    /** Guest instructions retired since creation. */
    public long instructions;

    private final Interpreter interpreter;
    private volatile boolean stopRequested;

    public Cpu(PhysicalMemory physical, IoPortBus io) {
        this.physical = physical;
        this.io = io;
        this.memory = new Memory(state, physical, fault);
        this.interpreter = new Interpreter(this);
    }

    /** Runs at most {@code maxInstructions} guest instructions and says why it stopped. */
    public StopReason run(long maxInstructions) {
        stopRequested = false;
        return interpreter.run(maxInstructions);
    }

    /**
     * Signals the NMI input (vector 2): taken at the next instruction boundary whatever IF is,
     * outside an interrupt shadow, and not while an earlier NMI's handler runs (until its IRET).
     * Wakes a halted CPU. Called from the thread that runs the CPU (devices run on it).
     */
    public void nmi() {
        state.nmiPending = true;
    }

    /** Asks a running CPU to stop at the next instruction boundary; safe from any thread. */
    public void requestStop() {
        stopRequested = true;
    }

    /** Withdraws a stop request (an embedder about to call {@link Interpreter#run} itself). */
    public void clearStopRequest() {
        stopRequested = false;
    }

    public boolean stopRequested() {
        return stopRequested;
    }

    public Interpreter interpreter() {
        return interpreter;
    }

    /**
     * This CPU is gone for good (nothing runs it again, compiled code for it included): its
     * TLB's and block cache's tables go to the next CPU ({@link org.kasou.mem.SpareTables}).
     * Physical memory is not the CPU's own: whoever made it releases it.
     */
    public void release() {
        memory.release();
        interpreter.releaseTables();
    }
}
