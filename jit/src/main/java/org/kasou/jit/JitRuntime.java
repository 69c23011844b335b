package org.kasou.jit;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;

/** Per-CPU state that compiled code reads and writes besides the CPU state. */
public final class JitRuntime {
    public final Cpu cpu;
    /** Set when a write invalidated compiled code: the running unit exits after that instruction. */
    public boolean hit;
    /** The budget left when compiled code raised a fault (its instructions before the fault retired). */
    public int faultLeft;
    /** {@link Cpu#instructions} when compiled code was entered (generic instructions see the exact count). */
    public long baseInstructions;

    JitRuntime(Cpu cpu) {
        this.cpu = cpu;
    }

    /** #GP(0), for a near branch beyond the CS limit. */
    public CpuFault gp0() {
        return cpu.fault.set(CpuFault.GP, 0);
    }
}
