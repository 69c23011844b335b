package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/** A CPU with 4 MiB of RAM and helpers to build descriptor tables by hand. */
public class SysFixture {
    public static final int GDT = 0x1000, IDT = 0x2000, TSS = 0x3000;
    /** Selectors of the standard GDT built by {@link #protectedFlat}. */
    public static final int CODE0 = 0x08, DATA0 = 0x10, CODE3 = 0x1B, DATA3 = 0x23, TSS_SEL = 0x28, CODE16 = 0x30, DATA_RO = 0x38,
            EXPAND_DOWN = 0x40, NOT_PRESENT = 0x48, CODE_XO = 0x50, CONFORMING = 0x58, LDT_SEL = 0x60;
    /** Access rights (Segment.access form). */
    public static final int ACC_CODE = 0xC09A, ACC_DATA = 0xC092;

    public final PhysicalMemory phys = new PhysicalMemory(4 << 20);
    public final Cpu cpu = org.kasou.cpu.TestCpus.create(phys, new IoPortBus());
    public final CpuState s = cpu.state;

    /** A descriptor from base, raw 20-bit limit and access rights (bits 8-23 of the high dword). */
    public static long desc(int base, int limit, int access) {
        int lo = (limit & 0xFFFF) | (base << 16);
        int hi = ((base >>> 16) & 0xFF) | ((access << 8) & 0xF0FF00) | (limit & 0xF0000) | (base & 0xFF000000);
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }

    public static long gate(int sel, int offset, int type, int dpl) {
        int lo = (offset & 0xFFFF) | (sel << 16);
        int hi = (offset & 0xFFFF0000) | 0x8000 | (dpl << 13) | (type << 8);
        return (lo & 0xFFFFFFFFL) | ((long) hi << 32);
    }

    public void put(int pa, long d) {
        phys.write32(pa, (int) d);
        phys.write32(pa + 4, (int) (d >>> 32));
    }

    public long get(int pa) {
        return (phys.read32(pa) & 0xFFFFFFFFL) | ((long) phys.read32(pa + 4) << 32);
    }

    public void putGdt(int sel, long d) {
        put(GDT + (sel & ~7), d);
    }

    /**
     * Protected mode at CPL 0 with flat 4 GiB segments, a GDT with the selectors above, an empty
     * IDT of 256 entries and a 32-bit TSS whose ring-0 stack is DATA0:0x9000.
     */
    public void protectedFlat() {
        putGdt(CODE0, desc(0, 0xFFFFF, ACC_CODE));
        putGdt(DATA0, desc(0, 0xFFFFF, ACC_DATA));
        putGdt(CODE3, desc(0, 0xFFFFF, ACC_CODE | 0x60));
        putGdt(DATA3, desc(0, 0xFFFFF, ACC_DATA | 0x60));
        putGdt(TSS_SEL, desc(TSS, 0x67, 0x8B)); // busy: the current task
        putGdt(CODE16, desc(0x10000, 0xFFFF, 0x9A));
        putGdt(DATA_RO, desc(0x20000, 0xFFFF, 0x90));
        putGdt(EXPAND_DOWN, desc(0x30000, 0x0FFF, 0x96));
        putGdt(NOT_PRESENT, desc(0, 0xFFFF, 0x12));
        putGdt(CODE_XO, desc(0, 0xFFFF, 0x98));
        putGdt(CONFORMING, desc(0, 0xFFFFF, 0xC09E));
        s.gdtrBase = GDT;
        s.gdtrLimit = 0x67;
        s.idtrBase = IDT;
        s.idtrLimit = 256 * 8 - 1;
        phys.write32(TSS + 4, 0x9000); // ESP0
        phys.write16(TSS + 8, DATA0); // SS0
        s.cr0 |= CpuState.CR0_PE;
        s.seg[Segment.CS].set(CODE0, 0, 0xFFFFFFFF, ACC_CODE | 1);
        for (int r : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) {
            s.seg[r].set(DATA0, 0, 0xFFFFFFFF, ACC_DATA | 1);
        }
        s.seg[Segment.TR].set(TSS_SEL, TSS, 0x67, 0x8B);
        s.cpl = 0;
        cpu.memory.flushTlb();
    }

    /** Runs r and asserts that it raises the given vector and error code. */
    public void assertFault(int vector, int errorCode, Runnable r) {
        assertFault(vector, errorCode, r, "");
    }

    public void assertFault(int vector, int errorCode, Runnable r, String what) {
        try {
            r.run();
        } catch (CpuFault f) {
            assertEquals(vector, f.vector, "vector");
            assertEquals(errorCode, f.errorCode, "error code");
            return;
        }
        fail("expected fault " + vector + " " + what);
    }
}
