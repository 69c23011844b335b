package org.kasou.jit;

import java.io.ByteArrayOutputStream;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * A small flat 32-bit protected-mode machine for JIT tests: code at {@link #CODE}, data at
 * {@link #DATA} (ESI points there), the stack below {@link #STACK_TOP}, and an IDT whose 32
 * exception vectors all lead to a HLT, so that a fault ends the run with its frame on the stack.
 */
final class Guest {
    static final int CODE = 0x10000, DATA = 0x20000, STACK_TOP = 0x80000, IDT = 0x1000, HANDLER = 0x2000;
    static final int RAM = 1 << 20;
    /** DS/ES limit: accesses at or above this offset raise #GP(0). */
    static final int DATA_LIMIT = 0x8FFFF;

    final Cpu cpu;

    /** Page directory and table when paging is on: identity map of the first 4 MiB except below. */
    static final int PD = 0x3000, PT = 0x4000, GDT = 0x5000;
    /** Not present when paging is on (#PF). */
    static final int UNMAPPED = 0x50000;
    /** Maps to the code page {@link #CODE} when paging is on: a second view of the code. */
    static final int CODE_ALIAS = 0x60000;

    Guest(byte[] code, int threshold) {
        this(code, threshold, false);
    }

    Guest(byte[] code, int threshold, boolean paging) {
        this(code, threshold, paging, JitEngine.DEFAULT_CAPACITY);
    }

    Guest(byte[] code, int threshold, boolean paging, int capacity) {
        PhysicalMemory ram = new PhysicalMemory(RAM);
        ram.load(CODE, code, 0, code.length);
        ram.load(HANDLER, new byte[] {(byte) 0xF4, (byte) 0xEB, (byte) 0xFD}, 0, 3); // hlt; jmp hlt
        for (int v = 0; v < 32; v++) {
            int g = IDT + v * 8;
            ram.write32(g, (0x08 << 16) | (HANDLER & 0xFFFF));
            ram.write32(g + 4, (HANDLER & 0xFFFF0000) | 0x8E00);
        }
        // GDT: null, 0x08 flat code, 0x10 flat data, 0x18 data with limit DATA_LIMIT.
        ram.write32(GDT + 8, 0x0000FFFF);
        ram.write32(GDT + 12, 0x00CF9B00);
        ram.write32(GDT + 16, 0x0000FFFF);
        ram.write32(GDT + 20, 0x00CF9300);
        ram.write32(GDT + 24, DATA_LIMIT & 0xFFFF);
        ram.write32(GDT + 28, 0x00409300 | (DATA_LIMIT & 0xF0000));
        if (paging) {
            ram.write32(PD, PT | 7);
            for (int p = 0; p < 1024; p++) ram.write32(PT + 4 * p, (p << 12) | 7);
            ram.write32(PT + 4 * (UNMAPPED >>> 12), 0);
            ram.write32(PT + 4 * (CODE_ALIAS >>> 12), CODE | 7);
        }
        cpu = new Cpu(ram, new IoPortBus());
        if (threshold >= 0) cpu.interpreter().setEngine(new JitEngine(cpu, threshold, capacity));
        else cpu.interpreter().setEngine(null);
        CpuState s = cpu.state;
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | (paging ? CpuState.CR0_PG : 0);
        s.cr3 = PD;
        s.gdtrBase = GDT;
        s.gdtrLimit = 31;
        s.idtrBase = IDT;
        s.idtrLimit = 32 * 8 - 1;
        s.seg[Segment.CS].set(0x08, 0, 0xFFFFFFFF, 0xCF9B);
        s.seg[Segment.SS].set(0x10, 0, 0xFFFFFFFF, 0xCF93);
        for (int r : new int[] {Segment.ES, Segment.DS, Segment.FS, Segment.GS}) {
            s.seg[r].set(0x18, 0, DATA_LIMIT, 0x4093);
        }
        s.setEflags(0x2);
        s.eip = CODE;
        s.gpr[CpuState.ESP] = STACK_TOP;
        s.gpr[CpuState.ESI] = DATA;
        cpu.memory.flushTlb();
    }

    /** Runs {@code instructions}, then on one at a time until EIP is {@code eip} (a loop's head, where compiled code is entered again). */
    void runThenStopAt(int instructions, int eip) {
        if (cpu.run(instructions) != org.kasou.cpu.StopReason.BUDGET_EXHAUSTED) throw new AssertionError("stopped early at " + Integer.toHexString(cpu.state.eip));
        while (cpu.state.eip != eip) cpu.run(1);
    }

    /**
     * Reads and writes back the dword at seg:offset through the CPU's memory, so that the TLB maps
     * its page for reads and writes as after the guest touched it: compiled code leaves at an
     * access that misses the TLB (the interpreter fills it), so a short guest compiled at first
     * sight runs compiled from its first access only on pages touched before.
     */
    void touch(int seg, int offset) {
        cpu.memory.write32(seg, offset, cpu.memory.read32(seg, offset));
    }

    JitStats stats() {
        return JitEngine.of(cpu).stats;
    }

    /** Everything a test compares: registers, EIP, EFLAGS, the instruction count and the data and stack pages. */
    String snapshot() {
        CpuState s = cpu.state;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) sb.append(String.format("r%d=%08x ", i, s.gpr[i]));
        sb.append(String.format("eip=%08x efl=%08x n=%d halted=%b cr2=%08x", s.eip, s.eflags(), cpu.instructions, s.halted, s.cr2));
        long h = 0;
        for (int base : new int[] {DATA, STACK_TOP - 0x1000, CODE}) {
            for (byte b : cpu.physical.copyOut(base, 0x1000)) h = h * 31 + b;
        }
        return sb.append(" mem=").append(Long.toHexString(h)).toString();
    }

    /**
     * Runs {@code code} on the interpreter and with the JIT (at {@code threshold}), each until it
     * halts within {@code budget} instructions, checks that both end in the same state, and returns
     * the JIT's guest (for its statistics).
     */
    static Guest haltsAlike(byte[] code, int threshold, long budget) {
        Guest interp = new Guest(code, -1);
        Guest jit = new Guest(code, threshold);
        org.junit.jupiter.api.Assertions.assertEquals(org.kasou.cpu.StopReason.HALTED, interp.cpu.run(budget), "the interpreter halts");
        org.junit.jupiter.api.Assertions.assertEquals(org.kasou.cpu.StopReason.HALTED, jit.cpu.run(budget), "the JIT halts");
        org.junit.jupiter.api.Assertions.assertEquals(interp.snapshot(), jit.snapshot());
        return jit;
    }

    /** x86 code assembled by hand, a byte at a time. */
    static final class Asm {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        Asm b(int... bytes) {
            for (int x : bytes) out.write(x);
            return this;
        }

        Asm raw(byte[] bytes) {
            out.write(bytes, 0, bytes.length);
            return this;
        }

        Asm d(int v) {
            return b(v, v >>> 8, v >>> 16, v >>> 24);
        }

        int here() {
            return CODE + out.size();
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
