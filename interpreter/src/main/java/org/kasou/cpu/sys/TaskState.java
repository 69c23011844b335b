package org.kasou.cpu.sys;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;

/** The parts of the TSS used without a task switch: inner-level stacks and the I/O bitmap (SDM 7.2). */
final class TaskState {
    private TaskState() {}

    /**
     * Reads SS:ESP for privilege level {@code dpl} from the current TSS and validates the stack
     * segment (SDM 6.12.1.1): loads its descriptor into {@code out} and returns the ESP value.
     */
    static int innerStack(Cpu cpu, int dpl, Segment out, int ext) {
        CpuState s = cpu.state;
        Segment tr = s.seg[Segment.TR];
        int trErr = (tr.selector & 0xFFFC) | ext;
        int type = tr.access & 0xF;
        boolean tss32 = type == Descriptors.TSS32_AVAIL || type == Descriptors.TSS32_BUSY;
        boolean tss16 = type == Descriptors.TSS16_AVAIL || type == Descriptors.TSS16_BUSY;
        if (!tr.valid || (!tss32 && !tss16)) throw cpu.fault.set(CpuFault.TS, trErr);
        int espOff = tss32 ? 4 + 8 * dpl : 2 + 4 * dpl;
        int bytes = tss32 ? 8 : 4;
        if (Integer.compareUnsigned(espOff + bytes - 1, tr.limit) > 0) throw cpu.fault.set(CpuFault.TS, trErr);
        int esp = tss32 ? cpu.memory.readSystem32(tr.base + espOff) : cpu.memory.readSystem16(tr.base + espOff);
        int ss = cpu.memory.readSystem16(tr.base + espOff + bytes / 2);
        if (Descriptors.isNull(ss)) throw cpu.fault.set(CpuFault.TS, ext);
        int ssErr = (ss & 0xFFFC) | ext;
        long d = Descriptors.read(cpu, ss, CpuFault.TS, ext);
        if ((ss & 3) != dpl || Descriptors.dpl(d) != dpl || !Descriptors.writableData(d)) {
            throw cpu.fault.set(CpuFault.TS, ssErr);
        }
        if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.SS, ssErr);
        Descriptors.markAccessed(cpu, ss, d);
        Descriptors.load(out, ss, d);
        return esp;
    }

    /**
     * Whether the I/O permission bitmap of the current 32-bit TSS allows {@code size} bytes at
     * {@code port} (SDM vol. 1, 19.5.2). A 16-bit TSS or a bitmap beyond the limit denies.
     */
    static boolean ioAllowed(Cpu cpu, int port, int size) {
        Segment tr = cpu.state.seg[Segment.TR];
        int type = tr.access & 0xF;
        if (!tr.valid || (type != Descriptors.TSS32_AVAIL && type != Descriptors.TSS32_BUSY)) return false;
        if (Integer.compareUnsigned(tr.limit, 103) < 0) return false;
        int bitmap = cpu.memory.readSystem16(tr.base + 102);
        int byteOff = bitmap + (port >>> 3);
        if (Integer.compareUnsigned(byteOff + 1, tr.limit) > 0) return false;
        int bits = cpu.memory.readSystem16(tr.base + byteOff);
        int mask = ((1 << size) - 1) << (port & 7);
        return (bits & mask) == 0;
    }
}
