package org.kasou.jit;

/**
 * A compiled unit of guest code (extended by generated hidden classes). An abstract class rather
 * than an interface: the engine's call of {@link #run} goes through a vtable, which costs less
 * than an interface's lookup on every transition between units.
 */
public abstract class CompiledCode {
    /**
     * Runs the unit from its entry number {@code entry} (an index into the entries it was
     * compiled with) with at most {@code budget} guest instructions and returns the budget left.
     * On return the registers, lazy flags and EIP in the CPU's state are those after the last
     * retired instruction. (A unit is compiled for one CPU: its state, memory and the JIT's
     * runtime are constants of the unit's class.)
     */
    public abstract int run(int budget, int entry);
}
