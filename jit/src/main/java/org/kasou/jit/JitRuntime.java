package org.kasou.jit;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;

/** Per-CPU state that compiled code reads and writes besides the CPU state. */
public final class JitRuntime {
    public final Cpu cpu;
    /** Set when a write invalidated compiled code: the running unit exits after that instruction. */
    public boolean hit;
    /** Set by a unit that left before an instruction whose memory access missed the fast path ({@link SlowAccess}). */
    public boolean slowExit;
    /** The budget left when compiled code raised a fault (its instructions before the fault retired). */
    public int faultLeft;
    /**
     * {@link Cpu#instructions} when a chain of units began plus the chain's budget: a unit with
     * {@code left} instructions of budget left has retired up to {@code chainEnd - left} (so that
     * generic instructions see the exact count without a store at every pass between units).
     */
    public long chainEnd;
    /**
     * What units read to follow their exits' links ({@link ChainLink#follow}): the chain state's
     * number (the engine takes a new one whenever CS, the mode, the CPL, the flat segments or the
     * TLB's translations change, so that a link or a unit's next says whether it was checked
     * against the state now; never Unit.NO_STAMP), the budget at which the engine looks at stops and interrupts next, the hops so far
     * in this call by the engine and the unit the last one went to, and the link of the exit that
     * returned to the engine instead (null after any other exit).
     */
    int chainStamp, checkAt = Integer.MAX_VALUE, hops;
    JitEngine.Unit last;
    ChainLink exitLink;

    /**
     * Units the engine found after others, by EIP, each with the chain state it was checked in:
     * where a unit leaves for many places (a RET, a computed jump), the one at the new EIP is
     * found here as cheaply as through a link.
     */
    private final JitEngine.Unit[] recentUnits = new JitEngine.Unit[1 << RECENT_BITS];
    private final int[] recentStamps = new int[1 << RECENT_BITS];
    private static final int RECENT_BITS = 12;

    private static int recentIndex(int eip) {
        return (eip ^ eip >>> RECENT_BITS) & ((1 << RECENT_BITS) - 1);
    }

    /** Remembers n, found at its EIP and checked in the chain state now. */
    void remember(JitEngine.Unit n) {
        int i = recentIndex(n.eip);
        recentUnits[i] = n;
        recentStamps[i] = chainStamp;
    }

    /** The unit remembered at eip in the chain state now (not checked for validity), or null. */
    JitEngine.Unit recent(int eip) {
        int i = recentIndex(eip);
        JitEngine.Unit n = recentUnits[i];
        return n != null && n.eip == eip && recentStamps[i] == chainStamp ? n : null;
    }

    JitRuntime(Cpu cpu) {
        this.cpu = cpu;
    }

    /**
     * Compiled code announces the instruction at {@code linear} to the embedder's hooks (the state
     * is stored: registers, flags, EIP on the instruction). Returns 1 when the unit must leave
     * before the instruction: a stop was requested, or the hook moved EIP, changed what the unit
     * was compiled for (segments, mode) or wrote over compiled code.
     */
    public static int announce(JitRuntime rt, int linear, org.kasou.isa.DecodedInsn insn) {
        Cpu cpu = rt.cpu;
        int eip = cpu.state.eip;
        boolean changed = cpu.hooks.beforeInstruction(linear, insn);
        return changed || rt.hit || cpu.state.eip != eip || cpu.stopRequested() ? 1 : 0;
    }

    /** #GP(0), for a near branch beyond the CS limit. */
    public CpuFault gp0() {
        return cpu.fault.set(CpuFault.GP, 0);
    }
}
