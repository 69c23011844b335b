package org.kasou.jit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;

/** Per-CPU state that compiled code reads and writes besides the CPU state. */
public final class JitRuntime {
    /** Little-endian 32-bit view of RAM, for the inlined fast path of memory accesses. */
    public static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

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
