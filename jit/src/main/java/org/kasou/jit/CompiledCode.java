package org.kasou.jit;

import org.kasou.cpu.CpuState;
import org.kasou.mem.Memory;

/** A compiled unit of guest code (implemented by generated hidden classes). */
public interface CompiledCode {
    /**
     * Runs the unit from its entry number {@code entry} (an index into the entries it was
     * compiled with) with at most {@code budget} guest instructions and returns the budget left.
     * On return the registers, lazy flags and EIP in {@code s} are those after the last retired
     * instruction.
     */
    int run(CpuState s, Memory m, JitRuntime rt, int budget, int entry);
}
