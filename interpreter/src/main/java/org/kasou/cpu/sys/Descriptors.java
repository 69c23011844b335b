package org.kasou.cpu.sys;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;

/**
 * Reading and decoding GDT/LDT descriptors (SDM vol. 3, 3.4.5 and 5.2). A descriptor is handled
 * as a long: low dword in bits 0-31, high dword in bits 32-63.
 */
public final class Descriptors {
    private Descriptors() {}

    // System descriptor types (S = 0), SDM table 3-2.
    public static final int TSS16_AVAIL = 1, LDT = 2, TSS16_BUSY = 3, CALL_GATE16 = 4, TASK_GATE = 5,
            INT_GATE16 = 6, TRAP_GATE16 = 7, TSS32_AVAIL = 9, TSS32_BUSY = 0xB, CALL_GATE32 = 0xC,
            INT_GATE32 = 0xE, TRAP_GATE32 = 0xF;

    /** Whether a selector is null (index 0 in the GDT). */
    public static boolean isNull(int sel) {
        return (sel & 0xFFFC) == 0;
    }

    /**
     * Linear address of the descriptor a selector names, or raises {@code vector} with the
     * selector as error code (plus {@code ext}) when it lies outside the GDT or LDT.
     */
    public static int address(Cpu cpu, int sel, int vector, int ext) {
        CpuState s = cpu.state;
        int index = sel & 0xFFF8;
        int base, limit;
        if ((sel & 4) != 0) {
            Segment ldt = s.seg[Segment.LDTR];
            if (!ldt.valid || isNull(ldt.selector)) throw cpu.fault.set(vector, (sel & 0xFFFC) | ext);
            base = ldt.base;
            limit = ldt.limit;
        } else {
            base = s.gdtrBase;
            limit = s.gdtrLimit;
        }
        if (Integer.compareUnsigned(index + 7, limit) > 0) throw cpu.fault.set(vector, (sel & 0xFFFC) | ext);
        return base + index;
    }

    /** Reads the descriptor a selector names (supervisor access); see {@link #address}. */
    public static long read(Cpu cpu, int sel, int vector, int ext) {
        int a = address(cpu, sel, vector, ext);
        return readAt(cpu, a);
    }

    public static long readAt(Cpu cpu, int linear) {
        int lo = cpu.memory.readSystem32(linear);
        int hi = cpu.memory.readSystem32(linear + 4);
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }

    public static int lo(long d) { return (int) d; }
    public static int hi(long d) { return (int) (d >>> 32); }

    public static int base(long d) {
        int lo = lo(d), hi = hi(d);
        return (lo >>> 16) | ((hi & 0xFF) << 16) | (hi & 0xFF000000);
    }

    /** The limit in bytes with the granularity applied. */
    public static int limit(long d) {
        int hi = hi(d);
        int raw = (lo(d) & 0xFFFF) | (hi & 0xF0000);
        return (hi & (1 << 23)) != 0 ? (raw << 12) | 0xFFF : raw;
    }

    /** Access rights as Segment.access holds them (bits 8-23 of the high dword, limit bits cleared). */
    public static int access(long d) {
        return (hi(d) >>> 8) & 0xF0FF;
    }

    public static int type(long d) { return (hi(d) >>> 8) & 0xF; }
    public static boolean system(long d) { return (hi(d) & (1 << 12)) == 0; }
    public static int dpl(long d) { return (hi(d) >>> 13) & 3; }
    public static boolean present(long d) { return (hi(d) & (1 << 15)) != 0; }
    public static boolean isCode(long d) { return !system(d) && (type(d) & 8) != 0; }
    public static boolean isData(long d) { return !system(d) && (type(d) & 8) == 0; }
    public static boolean conforming(long d) { return isCode(d) && (type(d) & 4) != 0; }
    public static boolean readable(long d) { return isData(d) || (type(d) & 2) != 0; }
    public static boolean writableData(long d) { return isData(d) && (type(d) & 2) != 0; }

    /** Gate fields. */
    public static int gateSelector(long d) { return lo(d) >>> 16; }
    public static int gateOffset(long d) { return (lo(d) & 0xFFFF) | (hi(d) & 0xFFFF0000); }
    public static int gateParamCount(long d) { return hi(d) & 0x1F; }

    /** Loads a descriptor cache; code and data segments are cached with their accessed bit set. */
    public static void load(Segment sg, int sel, long d) {
        sg.set(sel, base(d), limit(d), access(d) | (system(d) ? 0 : 1));
    }

    /** Sets the accessed bit of a code or data descriptor in memory if it is clear. */
    public static void markAccessed(Cpu cpu, int sel, long d) {
        if (!system(d) && (type(d) & 1) == 0) {
            int a = address(cpu, sel, CpuFault.GP, 0);
            cpu.memory.writeSystem32(a + 4, hi(d) | 0x100);
        }
    }
}
