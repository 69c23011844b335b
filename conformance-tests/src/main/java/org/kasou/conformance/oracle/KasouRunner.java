package org.kasou.conformance.oracle;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.io.IoPortBus;
import org.kasou.jit.JitEngine;
import org.kasou.mem.PhysicalMemory;

/**
 * Runs oracle test cases on kasou's CPU, set up as the helper's process is: protected mode, CPL 3,
 * the flat user code segment 0x23 and the same LDT data segments (selectors 0x07, 0x0F, 0x17)
 * over the same linear addresses, IF set, IOPL 0. Exceptions go through a real IDT to ring-0
 * handlers (a HLT each, on a ring-0 stack from the TSS), so the test's own stack is untouched and
 * the exception frame tells the vector, the error code and the interrupted EIP, ESP and EFLAGS.
 * Code ends at a HLT, which at CPL 3 is a #GP(0) at the end of the code: that is completion.
 */
public final class KasouRunner {
    static final int RAM_SIZE = 4 << 20;
    static final int GDT = 0x0030_0000, IDT = 0x0030_0800, LDT = 0x0030_1000, TSS = 0x0030_1800;
    static final int HANDLERS = 0x0030_2000, STACK0_TOP = 0x0030_4000;
    static final int SEL_CODE0 = 0x08, SEL_DATA0 = 0x10, SEL_CODE3 = 0x23, SEL_TSS = 0x28, SEL_LDT = 0x30;
    private static final int VECTORS = 32;
    private static final int LDT_ENTRIES = 7;
    private static final byte HLT = (byte) 0xF4;

    private final PhysicalMemory physical = new PhysicalMemory(RAM_SIZE);
    private final Cpu cpu = new Cpu(physical, new IoPortBus());
    private int codeExtent = OracleLayout.CODE_SIZE;
    /** Instruction budget per case: far above what a generated case needs (REP counts included). */
    private final long budget;

    public KasouRunner() {
        this(false);
    }

    /** A runner on the interpreter, or with the JIT forced on (every block compiled) when {@code jit}. */
    public KasouRunner(boolean jit) {
        this(2_000_000, jit);
    }

    public KasouRunner(long budget, boolean jit) {
        this.budget = budget;
        writeTables();
        if (jit) JitEngine.install(cpu, 0);
    }

    /** Selectors (ES CS SS DS FS GS) for the segment registers of 32-bit cases, or null for OracleLayout's. */
    private int[] selectors;

    /**
     * Gives the segment registers of 32-bit cases these selectors (ES CS SS DS FS GS), keeping
     * their descriptors: those a host helper in 64-bit mode runs x87 cases with, which its FPU
     * stores as FCS and FDS.
     */
    public void useSelectors(int[] selectors) {
        this.selectors = selectors.clone();
    }

    public Cpu cpu() {
        return cpu;
    }

    private void writeTables() {
        descriptor(GDT + SEL_CODE0, 0, 0xFFFFF, 0x9A, 0xC);
        descriptor(GDT + SEL_DATA0, 0, 0xFFFFF, 0x92, 0xC);
        descriptor(GDT + (SEL_CODE3 & ~7), 0, 0xFFFFF, 0xFA, 0xC);
        descriptor(GDT + SEL_TSS, TSS, 0x67, 0x8B, 0);
        descriptor(GDT + SEL_LDT, LDT, LDT_ENTRIES * 8 - 1, 0x82, 0);
        for (int seg = Segment.ES; seg <= Segment.GS; seg++) {
            int sel = OracleLayout.segmentSelector(seg);
            descriptor(LDT + (sel & ~7), OracleLayout.DATA_BASE + OracleLayout.segmentOffset(seg),
                    OracleLayout.segmentLimit(seg), 0xF3, 0x4);
        }
        descriptor(LDT + (OracleLayout.SEL_CODE16 & ~7), OracleLayout.CODE_BASE, OracleLayout.CODE_SIZE - 1, 0xFB, 0);
        descriptor(LDT + (OracleLayout.SEL_STACK16 & ~7), OracleLayout.DATA_BASE, OracleLayout.DATA_SIZE - 1, 0xF3, 0);
        descriptor(LDT + (OracleLayout.SEL_DOWN32 & ~7), OracleLayout.DATA_BASE + OracleLayout.DATA_SIZE, 0xFFFF7, 0xF7, 0xC);
        descriptor(LDT + (OracleLayout.SEL_DOWN16 & ~7), OracleLayout.DATA_BASE - OracleLayout.DATA_SIZE, OracleLayout.DATA_SIZE - 1, 0xF7, 0);
        for (int v = 0; v < VECTORS; v++) {
            int handler = HANDLERS + 16 * v;
            int dpl = v == 3 || v == 4 ? 3 : 0; // INT3 and INTO are allowed from user mode, as on Linux
            physical.write32(IDT + 8 * v, (handler & 0xFFFF) | SEL_CODE0 << 16);
            physical.write32(IDT + 8 * v + 4, (handler & 0xFFFF0000) | (0x80 | dpl << 5 | 0xE) << 8);
            physical.write8(handler, HLT);
            physical.write8(handler + 1, 0xEB); // jmp back to the HLT
            physical.write8(handler + 2, 0xFD);
        }
        physical.write32(TSS + 4, STACK0_TOP);
        physical.write32(TSS + 8, SEL_DATA0);
        physical.write16(TSS + 0x66, 0x68); // no I/O permission bitmap
    }

    private void descriptor(int at, int base, int limit, int access, int flags) {
        physical.write32(at, (limit & 0xFFFF) | (base & 0xFFFF) << 16);
        physical.write32(at + 4, (base >>> 16 & 0xFF) | access << 8 | (limit & 0xF0000) | flags << 20 | (base & 0xFF000000));
    }

    private void resetState(TestCase tc) {
        CpuState s = cpu.state;
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET | CpuState.CR0_NE;
        s.cr2 = s.cr3 = s.cr4 = 0;
        s.gdtrBase = GDT;
        s.gdtrLimit = 0x3F;
        s.idtrBase = IDT;
        s.idtrLimit = VECTORS * 8 - 1;
        s.cpl = 3;
        boolean code16 = (tc.mode & OracleLayout.MODE_CODE16) != 0;
        if (code16) s.seg[Segment.CS].set(OracleLayout.SEL_CODE16, OracleLayout.CODE_BASE, OracleLayout.CODE_SIZE - 1, 0x00FB);
        else s.seg[Segment.CS].set(SEL_CODE3, 0, 0xFFFF_FFFF, 0xC0FB);
        for (int seg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) {
            s.seg[seg].set(OracleLayout.segmentSelector(seg), OracleLayout.DATA_BASE + OracleLayout.segmentOffset(seg),
                    OracleLayout.segmentLimit(seg), 0x40F3);
        }
        if ((tc.mode & OracleLayout.MODE_ES_DOWN32) != 0) {
            s.seg[Segment.ES].set(OracleLayout.SEL_DOWN32, OracleLayout.DATA_BASE + OracleLayout.DATA_SIZE, 0xFFFF7FFF, 0xC0F7);
        } else if ((tc.mode & OracleLayout.MODE_ES_DOWN16) != 0) {
            s.seg[Segment.ES].set(OracleLayout.SEL_DOWN16, OracleLayout.DATA_BASE - OracleLayout.DATA_SIZE, OracleLayout.DATA_SIZE - 1, 0x00F7);
        }
        if ((tc.mode & OracleLayout.MODE_STACK16) != 0) {
            s.seg[Segment.SS].set(OracleLayout.SEL_STACK16, OracleLayout.DATA_BASE, OracleLayout.DATA_SIZE - 1, 0x00F3);
        }
        if (selectors != null && tc.mode == 0) {
            for (int k = 0; k < 6; k++) {
                Segment g = s.seg[k];
                g.set(selectors[k], g.base, g.limit, g.access);
            }
        }
        s.seg[Segment.LDTR].set(SEL_LDT, LDT, LDT_ENTRIES * 8 - 1, 0x82);
        s.seg[Segment.TR].set(SEL_TSS, TSS, 0x67, 0x8B);
        System.arraycopy(tc.gpr, 0, s.gpr, 0, 8);
        s.eip = code16 ? 0 : OracleLayout.CODE_BASE;
        s.setEflags((tc.eflags & (Flags.ARITH | Flags.DF)) | Flags.IF | Flags.FIXED1);
        if (tc.fpu != null) FsaveImage.load(s.fpu, tc.fpu);
        else s.fpu.init();
        s.halted = false;
        s.shutdown = false;
        s.interruptShadow = false;
    }

    /** Runs one case and describes the outcome as the host oracle would. */
    public CaseResult run(TestCase tc) {
        byte[] data = tc.initialData();
        physical.load(OracleLayout.DATA_BASE, data, 0, data.length);
        // Code through PhysicalMemory, so that decoded code of the previous case is dropped.
        byte[] code = new byte[Math.max(codeExtent, tc.code.length + 16)];
        java.util.Arrays.fill(code, HLT);
        System.arraycopy(tc.code, 0, code, 0, tc.code.length);
        physical.load(OracleLayout.CODE_BASE, code, 0, code.length);
        codeExtent = tc.code.length + 16;
        resetState(tc);
        CaseResult r = new CaseResult();
        StopReason stop;
        long before = cpu.instructions;
        try {
            stop = cpu.run(budget);
        } catch (RuntimeException | StackOverflowError e) {
            r.status = CaseResult.Status.CRASH;
            r.detail = e.toString();
            r.data = data;
            System.arraycopy(cpu.state.gpr, 0, r.gpr, 0, 8);
            return r;
        }
        CpuState s = cpu.state;
        r.instructions = cpu.instructions - before;
        System.arraycopy(s.gpr, 0, r.gpr, 0, 8);
        r.eflags = s.eflags();
        for (int i = 0; i < 6; i++) r.sreg[i] = s.seg[i].selector;
        int codeOrigin = (tc.mode & OracleLayout.MODE_CODE16) != 0 ? 0 : OracleLayout.CODE_BASE;
        r.eipOffset = s.eip - codeOrigin;
        int handler = s.eip - 1 - HANDLERS;
        if (stop == StopReason.SHUTDOWN || s.shutdown) {
            r.status = CaseResult.Status.SHUTDOWN;
        } else if (stop == StopReason.HALTED && handler >= 0 && handler < VECTORS * 16 && handler % 16 == 0 && s.cpl == 0) {
            int vector = handler / 16;
            int esp = s.gpr[CpuState.ESP];
            boolean hasError = STACK0_TOP - esp == 24;
            int frame = esp;
            if (hasError) {
                r.errorCode = physical.read32(frame);
                frame += 4;
            }
            r.eipOffset = physical.read32(frame) - codeOrigin;
            r.eflags = physical.read32(frame + 8);
            r.gpr[CpuState.ESP] = physical.read32(frame + 12);
            r.sreg[Segment.CS] = physical.read32(frame + 4) & 0xFFFF;
            r.sreg[Segment.SS] = physical.read32(frame + 16) & 0xFFFF;
            if (vector == 13 && r.eipOffset == tc.code.length && r.errorCode == 0) {
                r.status = CaseResult.Status.COMPLETED;
                r.errorCode = 0;
            } else {
                r.status = CaseResult.Status.EXCEPTION;
                r.vector = vector;
            }
        } else {
            r.status = CaseResult.Status.TIMEOUT;
            r.detail = stop.toString();
        }
        r.data = physical.copyOut(OracleLayout.DATA_BASE, OracleLayout.DATA_SIZE);
        r.fpu = new X87State(FsaveImage.of(s.fpu));
        return r;
    }
}
