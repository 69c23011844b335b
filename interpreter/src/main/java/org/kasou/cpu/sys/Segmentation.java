package org.kasou.cpu.sys;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;

/** Loading segment registers (SDM vol. 3, 5.4-5.6 and the MOV, POP, LDS/LES/LFS/LGS/LSS pages). */
public final class Segmentation {
    private Segmentation() {}

    /** ES, DS, FS, GS: the data segment registers. */
    static final int[] DATA_SEGMENTS = {Segment.ES, Segment.DS, Segment.FS, Segment.GS};

    /** Access rights of a segment in virtual-8086 mode: present, DPL 3, read/write data, accessed. */
    public static final int V86_ACCESS = 0xF3;

    /**
     * Loads ES, SS, DS, FS or GS (MOV Sreg, POP Sreg, LDS...) with the real-mode or protected-mode
     * rules: #GP(0) for a null SS, #GP(sel) for a bad selector or descriptor, #SS(sel) for a
     * non-present stack segment, #NP(sel) for another non-present segment. A null selector in a
     * data segment register loads an invalid (unusable) segment. Loading SS inhibits interrupts
     * for the next instruction. CS is loaded only by far transfers (see FarTransfer).
     */
    public static void loadSegment(Cpu cpu, int seg, int selector) {
        CpuState s = cpu.state;
        int sel = selector & 0xFFFF;
        Segment sg = s.seg[seg];
        if (!s.protectedMode() || s.v86()) {
            sg.loadReal(sel);
            if (s.v86()) {
                sg.limit = 0xFFFF;
                sg.access = V86_ACCESS;
            }
            if (seg == Segment.SS) s.interruptShadow = true;
            return;
        }
        if (seg == Segment.CS) throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE); // MOV CS is undefined
        int err = sel & 0xFFFC;
        int rpl = sel & 3;
        if (seg == Segment.SS) {
            if (Descriptors.isNull(sel)) throw cpu.fault.set(CpuFault.GP, 0);
            long d = Descriptors.read(cpu, sel, CpuFault.GP, 0);
            if (rpl != s.cpl || !Descriptors.writableData(d) || Descriptors.dpl(d) != s.cpl) {
                throw cpu.fault.set(CpuFault.GP, err);
            }
            if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.SS, err);
            Descriptors.markAccessed(cpu, sel, d);
            Descriptors.load(sg, sel, d);
            s.interruptShadow = true;
            return;
        }
        if (Descriptors.isNull(sel)) {
            loadNull(sg, sel);
            return;
        }
        long d = Descriptors.read(cpu, sel, CpuFault.GP, 0);
        if (Descriptors.system(d) || !Descriptors.readable(d)) throw cpu.fault.set(CpuFault.GP, err);
        if (!Descriptors.conforming(d) && (rpl > Descriptors.dpl(d) || s.cpl > Descriptors.dpl(d))) {
            throw cpu.fault.set(CpuFault.GP, err);
        }
        if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.NP, err);
        Descriptors.markAccessed(cpu, sel, d);
        Descriptors.load(sg, sel, d);
    }

    /** A null selector in DS, ES, FS or GS: the register becomes unusable until reloaded. */
    static void loadNull(Segment sg, int sel) {
        sg.set(sel, 0, 0, 0);
        sg.valid = false;
    }

    /**
     * After a return to an outer privilege level (RET far, IRET): data segment registers that the
     * new CPL may not use are nulled (SDM, RET instruction, "RETURN-TO-OUTER-PRIVILEGE-LEVEL").
     */
    static void nullifyForOuterLevel(CpuState s) {
        for (int r : DATA_SEGMENTS) {
            Segment sg = s.seg[r];
            if (!sg.valid) continue;
            boolean dataOrNonconformingCode = (sg.access & 8) == 0 || (sg.access & 4) == 0;
            if (dataOrNonconformingCode && sg.dpl() < s.cpl) loadNull(sg, 0);
        }
    }

    /** The whole 64 KiB real-mode code segment with real-mode attributes, for far transfers. */
    static void loadRealCs(CpuState s, int sel) {
        Segment cs = s.seg[Segment.CS];
        cs.loadReal(sel);
        if (s.v86()) {
            cs.limit = 0xFFFF;
            cs.access = V86_ACCESS;
        }
    }
}
