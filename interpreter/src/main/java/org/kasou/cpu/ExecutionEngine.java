package org.kasou.cpu;

/**
 * A second way to execute guest code (a JIT) that the {@link Interpreter} offers decoded blocks
 * before it interprets them: the first block after each look at interrupts and stops, and the
 * blocks it would go on to that the engine {@link #wants}. The engine either runs compiled code
 * for the block at CS:EIP and reports it (state, EIP and {@link Cpu#instructions} updated exactly
 * as the interpreter would have left them), or declines and the interpreter runs the block.
 *
 * <p>The interpreter never offers a block while single-stepping (TF), in an interrupt shadow, while
 * DR7 enables a breakpoint or while RF is set.
 */
public interface ExecutionEngine {
    /**
     * Runs compiled code for block {@code b} (its first instruction is at CS:EIP) for at most
     * {@code budget} instructions. Returns whether it ran anything. A guest fault comes out as the
     * {@link CpuFault}, with every register, the flags and EIP as before the faulting instruction
     * and {@link Cpu#instructions} counting the instructions retired before it.
     */
    boolean execute(Interpreter.Block b, int budget);

    /**
     * Whether the interpreter, about to go on from one block into the block {@code b}, should stop
     * and offer b to {@link #execute} instead. A false answer lets it run on through blocks the
     * engine has no code for without going back to its run loop between them; the engine then sees
     * those blocks only here, so an engine that counts runs of blocks counts them here as well.
     */
    default boolean wants(Interpreter.Block b) {
        return true;
    }

    /** Bytes at {@code physAddr} were written on a page marked as code: drop what they overlap. */
    void codeWritten(int physAddr, int size);

    /** Whether the engine still holds code translated from the physical page (so it stays marked). */
    boolean holdsCode(int physPage);

    /** Drops everything translated. */
    void flush();

    /** Creates engines (an engine's module may offer one to {@link java.util.ServiceLoader}). */
    interface Provider {
        ExecutionEngine create(Cpu cpu, int threshold);
    }
}
