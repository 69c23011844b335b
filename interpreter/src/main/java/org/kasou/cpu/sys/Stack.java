package org.kasou.cpu.sys;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.Segment;

/** Stack pointer arithmetic for the system instructions: SS.B selects SP or ESP (SDM 6.2). */
final class Stack {
    private Stack() {}

    /** ESP after pushing n bytes; a 16-bit stack keeps the high half of ESP. */
    static int down(Segment ss, int esp, int n) {
        return ss.big() ? esp - n : (esp & 0xFFFF0000) | ((esp - n) & 0xFFFF);
    }

    static int up(Segment ss, int esp, int n) {
        return ss.big() ? esp + n : (esp & 0xFFFF0000) | ((esp + n) & 0xFFFF);
    }

    /** The offset in SS that an ESP value addresses. */
    static int offset(Segment ss, int esp) {
        return ss.big() ? esp : esp & 0xFFFF;
    }

    /** Whether size bytes at off lie within a segment's limit (expand-down aware). */
    static boolean withinLimit(Segment sg, int off, int size) {
        long first = off & 0xFFFFFFFFL;
        long last = first + size - 1;
        long limit = sg.limit & 0xFFFFFFFFL;
        if ((sg.access & 0x1C) == 0x14) { // expand-down data
            return first > limit && last <= (sg.big() ? 0xFFFFFFFFL : 0xFFFFL);
        }
        return last <= limit;
    }

    /** Writes to a stack segment that is not (yet) loaded in SS, as a supervisor access. */
    static void writeOther(Cpu cpu, Segment ss, int esp, int size, int v) {
        int lin = ss.base + offset(ss, esp);
        if (size == 4) cpu.memory.writeSystem32(lin, v);
        else cpu.memory.writeSystem16(lin, v);
    }

    /** Raises any fault that pushing {@code count} values of {@code size} bytes on SS would raise. */
    static void probePushes(Cpu cpu, Segment ss, int esp, int count, int size) {
        int sp = esp;
        for (int i = 0; i < count; i++) {
            sp = down(ss, sp, size);
            cpu.memory.probeWrite(Segment.SS, offset(ss, sp), size);
        }
    }

    /**
     * The same for a stack not yet loaded in SS (a privilege change): a limit violation is
     * #SS(errorCode); the pages are probed as supervisor writes.
     */
    static void probeOtherPushes(Cpu cpu, Segment ss, int esp, int count, int size, int errorCode) {
        int sp = esp;
        for (int i = 0; i < count; i++) {
            sp = down(ss, sp, size);
            int off = offset(ss, sp);
            if (!withinLimit(ss, off, size)) throw cpu.fault.set(CpuFault.SS, errorCode);
            cpu.memory.probeLinear(ss.base + off, size, true, false);
        }
    }
}
