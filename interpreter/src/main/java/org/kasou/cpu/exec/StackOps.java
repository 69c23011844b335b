package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;

/**
 * Stack access for the interpreter: SS.B selects SP or ESP (SDM vol. 1, 6.2). Pushes write the
 * memory before ESP changes and pops read it before, so a fault leaves ESP as it was.
 */
public final class StackOps {
    private StackOps() {}

    /** ESP after adding n (negative to push); a 16-bit stack keeps ESP's high half. */
    public static int espAdd(Segment ss, int esp, int n) {
        return ss.big() ? esp + n : (esp & 0xFFFF0000) | ((esp + n) & 0xFFFF);
    }

    /** The SS offset that an ESP value addresses. */
    public static int offset(Segment ss, int esp) {
        return ss.big() ? esp : esp & 0xFFFF;
    }

    public static void push(Cpu cpu, int size, int v) {
        CpuState s = cpu.state;
        Segment ss = s.seg[Segment.SS];
        int esp = espAdd(ss, s.gpr[CpuState.ESP], -size);
        cpu.memory.write(Segment.SS, offset(ss, esp), size, v);
        s.gpr[CpuState.ESP] = esp;
    }

    public static void push32(Cpu cpu, int v) {
        CpuState s = cpu.state;
        Segment ss = s.seg[Segment.SS];
        int esp = s.gpr[CpuState.ESP];
        if (ss.big()) {
            esp -= 4;
            cpu.memory.write32(Segment.SS, esp, v);
        } else {
            esp = (esp & 0xFFFF0000) | ((esp - 4) & 0xFFFF);
            cpu.memory.write32(Segment.SS, esp & 0xFFFF, v);
        }
        s.gpr[CpuState.ESP] = esp;
    }

    public static int pop(Cpu cpu, int size) {
        CpuState s = cpu.state;
        Segment ss = s.seg[Segment.SS];
        int esp = s.gpr[CpuState.ESP];
        int v = cpu.memory.read(Segment.SS, offset(ss, esp), size);
        s.gpr[CpuState.ESP] = espAdd(ss, esp, size);
        return v;
    }

    public static int pop32(Cpu cpu) {
        CpuState s = cpu.state;
        Segment ss = s.seg[Segment.SS];
        int esp = s.gpr[CpuState.ESP];
        if (ss.big()) {
            int v = cpu.memory.read32(Segment.SS, esp);
            s.gpr[CpuState.ESP] = esp + 4;
            return v;
        }
        int v = cpu.memory.read32(Segment.SS, esp & 0xFFFF);
        s.gpr[CpuState.ESP] = (esp & 0xFFFF0000) | ((esp + 4) & 0xFFFF);
        return v;
    }

    /** Reads the value {@code depth} bytes above the top of the stack without popping. */
    public static int peek(Cpu cpu, int size, int depth) {
        CpuState s = cpu.state;
        Segment ss = s.seg[Segment.SS];
        return cpu.memory.read(Segment.SS, offset(ss, espAdd(ss, s.gpr[CpuState.ESP], depth)), size);
    }

    /** Adds n to ESP (SP on a 16-bit stack). */
    public static void release(CpuState s, int n) {
        s.gpr[CpuState.ESP] = espAdd(s.seg[Segment.SS], s.gpr[CpuState.ESP], n);
    }
}
