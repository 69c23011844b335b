package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * A CPU with 2 MiB of RAM for instruction tests: flat 32-bit protected mode (GDT at 0x500, an IDT
 * at 0x800 whose every vector points at a HLT stub at 0x7000 + 16 * vector) or real mode (IVT
 * with every vector at F000:vector*16 ... stub segment 0x0700).
 */
final class GuestHarness {
    static final int GDT = 0x500, IDT = 0x800, STUBS = 0x7000, CODE = 0x10000, STACK_TOP = 0x90000;

    final PhysicalMemory phys = new PhysicalMemory(2 << 20);
    final IoPortBus io = new IoPortBus();
    final Cpu cpu = org.kasou.cpu.TestCpus.create(phys, io);
    final CpuState s = cpu.state;
    final int[] r = s.gpr;

    static GuestHarness flat32() {
        GuestHarness h = new GuestHarness();
        h.setupFlat32();
        return h;
    }

    static GuestHarness real() {
        GuestHarness h = new GuestHarness();
        h.setupReal();
        return h;
    }

    /** Back to the initial state of a fresh harness of the same kind (RAM keeps what it holds). */
    GuestHarness reset(boolean protectedMode) {
        s.reset();
        phys.zero(0, 0x8000);
        s.shutdown = false;
        if (protectedMode) setupFlat32();
        else setupReal();
        cpu.interpreter().flushCodeCache();
        return this;
    }

    private void setupFlat32() {
        // GDT: null, 0x08 code (flat, 32-bit), 0x10 data (flat, 32-bit), 0x18 16-bit code, 0x20 16-bit data
        put64(GDT, 0);
        put64(GDT + 8, 0x00CF9A000000FFFFL);
        put64(GDT + 16, 0x00CF92000000FFFFL);
        put64(GDT + 24, 0x00009A000000FFFFL);
        put64(GDT + 32, 0x000092000000FFFFL);
        s.gdtrBase = GDT;
        s.gdtrLimit = 39;
        for (int v = 0; v < 256; v++) {
            int handler = STUBS + 16 * v;
            int lo = (0x08 << 16) | (handler & 0xFFFF);
            int hi = (handler & 0xFFFF0000) | 0x8E00;
            phys.write32(IDT + 8 * v, lo);
            phys.write32(IDT + 8 * v + 4, hi);
            phys.write8(handler, 0xF4); // hlt
        }
        s.idtrBase = IDT;
        s.idtrLimit = 256 * 8 - 1;
        s.cr0 |= CpuState.CR0_PE;
        s.seg[Segment.CS].set(0x08, 0, 0xFFFFFFFF, 0xC09B);
        for (int sg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) {
            s.seg[sg].set(0x10, 0, 0xFFFFFFFF, 0xC093);
        }
        r[CpuState.ESP] = STACK_TOP;
        s.eip = CODE;
        cpu.memory.flushTlb();
    }

    private void setupReal() {
        for (int v = 0; v < 256; v++) {
            phys.write16(4 * v, v * 16);      // IP
            phys.write16(4 * v + 2, STUBS >> 4); // CS
            phys.write8(STUBS + 16 * v, 0xF4);
        }
        s.idtrBase = 0;
        s.idtrLimit = 0x3FF;
        s.seg[Segment.CS].set(CODE >> 4, CODE, 0xFFFF, 0x9B);
        for (int sg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) {
            s.seg[sg].set(0x2000, 0x20000, 0xFFFF, 0x93);
        }
        r[CpuState.ESP] = 0xFFF0;
        s.eip = 0;
        cpu.memory.flushTlb();
    }

    static final int PAGE_DIR = 0x100000, PAGE_TABLE = 0x101000;

    /** Turns on paging with the first 4 MiB identity-mapped by 4 KiB pages (user, writable). */
    GuestHarness paging() {
        phys.write32(PAGE_DIR, PAGE_TABLE | 7);
        for (int i = 0; i < 1024; i++) phys.write32(PAGE_TABLE + 4 * i, (i << 12) | 7);
        s.cr3 = PAGE_DIR;
        s.cr0 |= CpuState.CR0_PG;
        cpu.memory.flushTlb();
        return this;
    }

    /** Changes the page-table entry of a linear page in the first 4 MiB (0 unmaps it). */
    GuestHarness pte(int linear, int flags) {
        phys.write32(PAGE_TABLE + 4 * (linear >>> 12), flags == 0 ? 0 : (linear & ~0xFFF) | flags);
        cpu.memory.flushTlb();
        return this;
    }

    void put64(int addr, long v) {
        phys.write32(addr, (int) v);
        phys.write32(addr + 4, (int) (v >>> 32));
    }

    static byte[] hex(String text) {
        String[] t = text.trim().split("\\s+");
        byte[] b = new byte[t.length];
        for (int i = 0; i < t.length; i++) b[i] = (byte) Integer.parseInt(t[i], 16);
        return b;
    }

    /** Places code at the current CS:EIP. */
    GuestHarness code(String text) {
        byte[] b = hex(text);
        phys.load(s.seg[Segment.CS].base + s.eip, b, 0, b.length);
        return this;
    }

    /** Places code then HLT, runs until the HLT (interrupts off) and checks it halted. */
    StopReason runToHlt(String text) {
        code(text + " F4");
        return cpu.run(100_000);
    }

    /** The vector a fault was delivered to: the stub address EIP points after (HLT executed). */
    int deliveredVector() {
        int linear = s.seg[Segment.CS].base + s.eip - 1;
        return (linear - STUBS) / 16;
    }

    int read32(int lin) {
        return phys.read32(lin);
    }
}
