package org.kasou.cpu;

import java.util.ServiceLoader;

/**
 * A second way to execute guest code (a JIT) that the {@link Interpreter} offers each decoded block
 * before it interprets it. The engine either runs compiled code for the block at CS:EIP and
 * reports it (state, EIP and {@link Cpu#instructions} updated exactly as the interpreter would have
 * left them), or declines and the interpreter runs the block.
 *
 * <p>The interpreter never offers a block while single-stepping (TF) or in an interrupt shadow.
 */
public interface ExecutionEngine {
    /**
     * Runs compiled code for block {@code b} (its first instruction is at CS:EIP) for at most
     * {@code budget} instructions. Returns whether it ran anything. A guest fault comes out as the
     * {@link CpuFault}, with every register, the flags and EIP as before the faulting instruction
     * and {@link Cpu#instructions} counting the instructions retired before it.
     */
    boolean execute(Interpreter.Block b, int budget);

    /** Bytes at {@code physAddr} were written on a page marked as code: drop what they overlap. */
    void codeWritten(int physAddr, int size);

    /** Whether the engine still holds code translated from the physical page (so it stays marked). */
    boolean holdsCode(int physPage);

    /** Drops everything translated. */
    void flush();

    /** Creates engines; found with {@link ServiceLoader} when such an engine is on the class path. */
    interface Provider {
        ExecutionEngine create(Cpu cpu);
    }

    /** System property that installs an engine into every new CPU (its value is the engine's compile threshold). */
    String THRESHOLD_PROPERTY = "kasou.jit.threshold";

    /**
     * The engine to install in a new CPU: one from the class path when the system property
     * {@link #THRESHOLD_PROPERTY} is set, otherwise none.
     */
    static ExecutionEngine fromSystemProperties(Cpu cpu) {
        if (System.getProperty(THRESHOLD_PROPERTY) == null) return null;
        for (Provider p : ServiceLoader.load(Provider.class, ExecutionEngine.class.getClassLoader())) {
            return p.create(cpu);
        }
        return null;
    }
}
