package org.kasou.embed;

/**
 * The callbacks an {@link Engine} calls while it runs, as functional interfaces. A hook runs on
 * the thread that called {@link Engine#run}; it may read and write registers and memory, map and
 * unmap, add and remove hooks, and call {@link Engine#stop()}.
 */
public final class Hooks {
    private Hooks() {}

    /** Before each instruction in the hooked address range runs. */
    @FunctionalInterface
    public interface CodeHook {
        void onInstruction(Engine engine, long address, int size);
    }

    /**
     * Before the first instruction of each basic block: the first instruction of a run and every
     * instruction that follows one that transfers control (branches, calls, returns, INT, ...).
     */
    @FunctionalInterface
    public interface BlockHook {
        void onBlock(Engine engine, long address);
    }

    /** What a memory hook sees. */
    public enum MemoryAccess {
        /** Before a read (the value is 0). */
        READ,
        /** After a read, with the value read. */
        READ_AFTER,
        /** Before a write, with the value to be written. */
        WRITE,
        /**
         * An instruction fetched from the hooked range, before it runs: the address of its first
         * byte, its length as the size, and its first bytes (up to 8, little-endian) as the value.
         */
        FETCH
    }

    /** A data access of 1, 2 or 4 bytes in the hooked range, or an instruction fetched from it ({@link MemoryAccess#FETCH}). */
    @FunctionalInterface
    public interface MemoryHook {
        void onAccess(Engine engine, MemoryAccess access, long address, int size, long value);
    }

    /** Why an access was refused. */
    public enum InvalidAccess {
        READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, WRITE_PROTECTED, FETCH_PROTECTED, READ_PROTECTED
    }

    /**
     * An access to unmapped memory or against a page's permissions. Return true after fixing it
     * (mapping the page, changing its permissions): the instruction is then tried again. Return
     * false to pass it on (the run stops with {@link StopCause#INVALID_MEMORY}).
     */
    @FunctionalInterface
    public interface InvalidMemoryHook {
        boolean onInvalidAccess(Engine engine, InvalidAccess access, long address);
    }

    /**
     * An exception (#DE, #UD, #GP ...) or a software interrupt (INT n, INT3, INTO) about to be
     * delivered. {@code errorCode} is -1 for vectors without one. EIP is the faulting instruction
     * for faults and the next instruction for INT n. Return true when handled (the run continues at
     * EIP, which the hook may change), false to pass it on.
     */
    @FunctionalInterface
    public interface InterruptHook {
        boolean onInterrupt(Engine engine, int vector, int errorCode);
    }

    /** IN from a port: returns the value read (1, 2 or 4 bytes). */
    @FunctionalInterface
    public interface PortInHook {
        int onIn(Engine engine, int port, int size);
    }

    /** OUT to a port. */
    @FunctionalInterface
    public interface PortOutHook {
        void onOut(Engine engine, int port, int size, int value);
    }

    /**
     * SYSENTER (a system call), with EIP already at the next instruction: return true when handled
     * (the run goes on at EIP), false to run SYSENTER itself (through the SYSENTER MSRs).
     */
    @FunctionalInterface
    public interface SysenterHook {
        boolean onSysenter(Engine engine);
    }

    /** CPUID (leaf in EAX, subleaf in ECX): return true after setting EAX, EBX, ECX and EDX. */
    @FunctionalInterface
    public interface CpuidHook {
        boolean onCpuid(Engine engine);
    }

    /** Reads device memory mapped with {@link Engine#mapMmio}: {@code size} (1, 2 or 4) bytes at {@code offset} in the region. */
    @FunctionalInterface
    public interface MmioRead {
        long read(Engine engine, long offset, int size);
    }

    /** Writes device memory mapped with {@link Engine#mapMmio}: the low {@code size} bytes of {@code value}. */
    @FunctionalInterface
    public interface MmioWrite {
        void write(Engine engine, long offset, int size, long value);
    }
}
