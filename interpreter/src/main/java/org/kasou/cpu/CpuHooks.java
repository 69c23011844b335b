package org.kasou.cpu;

import org.kasou.isa.DecodedInsn;

/**
 * Callbacks from the CPU core to an embedder ({@code Cpu#hooks}; null when nobody listens). The
 * core calls them at instruction boundaries and before delivering events, so that an embedder
 * sees every instruction of the pages it watches and every exception, interrupt and CPUID.
 */
public interface CpuHooks {
    /**
     * Whether code in the linear bytes [first, last] (a block; an instruction) must run one
     * instruction at a time with {@link #beforeInstruction} before each. Such code never runs
     * compiled, and compiled code stops before it. Asked for every block the interpreter starts
     * and by the JIT while it compiles; when an answer changes, the compiled code that may cover
     * it must go ({@link Interpreter#flushCodeCache()} or {@link ExecutionEngine#codeWritten}).
     */
    boolean stepsCode(int first, int last);

    /**
     * Whether instructions in the linear bytes [first, last] must be announced with
     * {@link #beforeInstruction}, which compiled code may do itself: the interpreter offers such a
     * block to the execution engine first and steps through it (announcing each instruction) only
     * when the engine declines. Asked like {@link #stepsCode}, after it said no.
     */
    default boolean announcesCode(int first, int last) {
        return false;
    }

    /**
     * The instruction {@code insn} at linear address {@code linear} is about to run (in code that
     * {@link #stepsCode} watches or {@link #announcesCode} names), EIP on it. The hook may change
     * registers and memory or request a stop ({@link Cpu#requestStop()}): the CPU then stops
     * before the instruction, or, when EIP changed, continues at the new EIP. Returns true when it
     * changed more than general registers, flags, EIP and memory (segment registers, control
     * registers, the mode), so that compiled code leaves before the instruction.
     */
    boolean beforeInstruction(int linear, DecodedInsn insn);

    /**
     * An exception or interrupt is about to be delivered ({@code kind} as in
     * {@code Interrupts.EXCEPTION/SOFTWARE/EXTERNAL/ICEBP}); EIP is the return address it would push.
     * Returns true when the embedder handled it (it is then not delivered to the guest).
     */
    boolean interrupt(int vector, int errorCode, int kind);

    /** CPUID with the leaf in EAX (subleaf in ECX): returns true when it set EAX, EBX, ECX and EDX itself. */
    boolean cpuid(CpuState state);

    /**
     * SYSENTER is about to run, with EIP already at the next instruction. Returns true when the
     * embedder handled it (execution goes on at EIP, which it may have changed); false runs it.
     */
    default boolean sysenter(CpuState state) {
        return false;
    }
}
