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

    /**
     * Compiled code announces the instruction at {@code linear} to the embedder's hooks (the state
     * is stored: registers, flags, EIP on the instruction). Returns 1 when the unit must leave
     * before the instruction: a stop was requested, or the hook moved EIP, changed the segments or
     * CPL the unit was compiled for, or wrote over compiled code.
     */
    public static int announce(JitRuntime rt, int linear, org.kasou.isa.DecodedInsn insn) {
        Cpu cpu = rt.cpu;
        org.kasou.cpu.CpuState s = cpu.state;
        int eip = s.eip, cpl = s.cpl, cr0 = s.cr0;
        int segs = segmentHash(s);
        cpu.hooks.beforeInstruction(linear, insn);
        boolean leave = cpu.stopRequested() || rt.hit || s.eip != eip || s.cpl != cpl || s.cr0 != cr0 || segmentHash(s) != segs;
        return leave ? 1 : 0;
    }

    /** A digest of the segment caches a unit may rely on (ES..GS). */
    private static int segmentHash(org.kasou.cpu.CpuState s) {
        int h = 0;
        for (int i = 0; i < 6; i++) {
            org.kasou.cpu.Segment g = s.seg[i];
            h = h * 31 + g.base;
            h = h * 31 + g.limit;
            h = h * 31 + g.access + (g.valid ? 1 : 0);
        }
        return h;
    }

    /** #GP(0), for a near branch beyond the CS limit. */
    public CpuFault gp0() {
        return cpu.fault.set(CpuFault.GP, 0);
    }
}
