package org.kasou.cpu.sys;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/**
 * Hardware task switches (SDM vol. 3, 7.3): JMP or CALL to a TSS or task gate, an interrupt
 * through a task gate, IRET with NT set. 32-bit and 16-bit TSSs.
 *
 * <p>Faults found before the state is saved leave the old task untouched. Faults while loading
 * the new task's segment registers are raised in the context of the new task, as on hardware.
 */
public final class TaskSwitch {
    /** Why the switch happens: decides the busy flags, NT and the back link (SDM table 7-2). */
    public static final int JMP = 0, CALL = 1, IRET = 2, INT = 3;

    private static final int[] SEG_ORDER = {Segment.ES, Segment.CS, Segment.SS, Segment.DS, Segment.FS, Segment.GS};
    /** DR7's L0-L3, cleared by every task switch. */
    private static final int LOCAL_BREAKPOINTS = 0x55;
    /** Indexes of ES, DS, FS, GS in SEG_ORDER. */
    private static final int[] DATA_SLOTS = {0, 3, 4, 5};

    private TaskSwitch() {}

    /** Whether a descriptor is a TSS (available or busy, 16- or 32-bit). */
    static boolean isTss(long d) {
        int t = Descriptors.type(d);
        return Descriptors.system(d) && (t == 1 || t == 3 || t == 9 || t == 0xB);
    }

    static boolean busy(long d) {
        return (Descriptors.type(d) & 2) != 0;
    }

    /**
     * The TSS a task gate names: must be in the GDT (#GP(sel) otherwise, plus ext), an available
     * TSS (#GP(sel)), present (#NP(sel)). Returns the TSS selector; its descriptor is re-read by
     * {@link #switchTask}.
     */
    static int gateTarget(Cpu cpu, long gate, int ext) {
        int sel = Descriptors.gateSelector(gate);
        if ((sel & 4) != 0 || Descriptors.isNull(sel)) throw cpu.fault.set(CpuFault.GP, (sel & 0xFFFC) | ext);
        long d = Descriptors.read(cpu, sel, CpuFault.GP, ext);
        if (!isTss(d) || busy(d)) throw cpu.fault.set(CpuFault.GP, (sel & 0xFFFC) | ext);
        if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.NP, (sel & 0xFFFC) | ext);
        return sel;
    }

    /**
     * Switches to the task whose TSS selector is {@code sel}. {@code returnEip} is the EIP saved
     * in the old TSS; {@code errorCode} (or NO_ERROR_CODE) is pushed on the new task's stack for
     * an exception delivered through a task gate.
     */
    public static void switchTask(Cpu cpu, int sel, int reason, int returnEip, int errorCode, int ext) {
        CpuState s = cpu.state;
        int err = (sel & 0xFFFC) | ext;
        if ((sel & 4) != 0) throw cpu.fault.set(reason == IRET ? CpuFault.TS : CpuFault.GP, err);
        int descAddr = Descriptors.address(cpu, sel, reason == IRET ? CpuFault.TS : CpuFault.GP, ext);
        long nd = Descriptors.readAt(cpu, descAddr);
        if (!isTss(nd)) throw cpu.fault.set(reason == IRET ? CpuFault.TS : CpuFault.GP, err);
        if (reason == IRET ? !busy(nd) : busy(nd)) throw cpu.fault.set(reason == IRET ? CpuFault.TS : CpuFault.GP, err);
        if (!Descriptors.present(nd)) throw cpu.fault.set(CpuFault.NP, err);
        boolean new32 = (Descriptors.type(nd) & 8) != 0;
        int newBase = Descriptors.base(nd);
        if (Integer.compareUnsigned(Descriptors.limit(nd), new32 ? 0x67 : 0x2B) < 0) throw cpu.fault.set(CpuFault.TS, err);

        Segment tr = s.seg[Segment.TR];
        int oldType = tr.access & 0xF;
        boolean old32 = (oldType & 8) != 0;
        if (!tr.valid || Integer.compareUnsigned(tr.limit, old32 ? 0x5F : 0x29) < 0) {
            throw cpu.fault.set(CpuFault.TS, (tr.selector & 0xFFFC) | ext);
        }

        // Read the whole new state before anything changes (a #PF here leaves the old task intact).
        int[] gpr = new int[8];
        int[] sels = new int[6];
        int eip, eflags, ldt, cr3 = 0;
        if (new32) {
            cr3 = cpu.memory.readSystem32(newBase + 0x1C);
            eip = cpu.memory.readSystem32(newBase + 0x20);
            eflags = cpu.memory.readSystem32(newBase + 0x24);
            for (int i = 0; i < 8; i++) gpr[i] = cpu.memory.readSystem32(newBase + 0x28 + 4 * i);
            for (int i = 0; i < 6; i++) sels[i] = cpu.memory.readSystem16(newBase + 0x48 + 4 * i);
            ldt = cpu.memory.readSystem16(newBase + 0x60);
        } else {
            // The 286 layout holds the low words. The upper halves of the registers stay as they
            // were (the SDM leaves them undefined); the upper word of EFLAGS is cleared, since
            // none of its flags (VM above all: an interrupt from virtual-8086 mode) belongs to a
            // task described by a 16-bit TSS.
            eip = cpu.memory.readSystem16(newBase + 0x0E);
            eflags = cpu.memory.readSystem16(newBase + 0x10);
            for (int i = 0; i < 8; i++) gpr[i] = (s.gpr[i] & 0xFFFF0000) | cpu.memory.readSystem16(newBase + 0x12 + 2 * i);
            for (int i = 0; i < 4; i++) sels[i] = cpu.memory.readSystem16(newBase + 0x22 + 2 * i);
            ldt = cpu.memory.readSystem16(newBase + 0x2A);
        }

        // Save the old task.
        int oldFlags = s.eflags();
        if (reason == IRET) oldFlags &= ~Flags.NT;
        int ob = tr.base;
        if (old32) {
            cpu.memory.writeSystem32(ob + 0x20, returnEip);
            cpu.memory.writeSystem32(ob + 0x24, oldFlags);
            for (int i = 0; i < 8; i++) cpu.memory.writeSystem32(ob + 0x28 + 4 * i, s.gpr[i]);
            for (int i = 0; i < 6; i++) cpu.memory.writeSystem16(ob + 0x48 + 4 * i, s.seg[SEG_ORDER[i]].selector);
        } else {
            cpu.memory.writeSystem16(ob + 0x0E, returnEip);
            cpu.memory.writeSystem16(ob + 0x10, oldFlags);
            for (int i = 0; i < 8; i++) cpu.memory.writeSystem16(ob + 0x12 + 2 * i, s.gpr[i]);
            for (int i = 0; i < 4; i++) cpu.memory.writeSystem16(ob + 0x22 + 2 * i, s.seg[SEG_ORDER[i]].selector);
        }
        int oldSel = tr.selector;
        if ((reason == JMP || reason == IRET) && !Descriptors.isNull(oldSel)) setBusy(cpu, oldSel, false);
        if (reason == CALL || reason == INT) {
            cpu.memory.writeSystem16(newBase, oldSel);
            eflags |= Flags.NT;
        }
        if (reason != IRET) setBusy(cpu, sel, true);
        long busyDesc = nd | (1L << 41);
        Descriptors.load(tr, sel, busyDesc);
        s.cr0 |= CpuState.CR0_TS;
        if ((s.dr[7] & LOCAL_BREAKPOINTS) != 0) {
            // L0-L3 enable breakpoints for the old task only (SDM vol. 3, 17.2.4)
            s.dr[7] &= ~LOCAL_BREAKPOINTS;
            cpu.memory.debugRegistersChanged();
        }

        // Load the new task: registers first, then the segment registers with their checks.
        if (new32 && s.paging()) {
            if ((s.cr4 & CpuState.CR4_PAE) != 0) cpu.memory.loadPdptes(cr3);
            s.cr3 = cr3;
            cpu.memory.flushNonGlobal();
        } else if (new32) {
            s.cr3 = cr3;
        }
        System.arraycopy(gpr, 0, s.gpr, 0, 8);
        s.eip = eip;
        s.setEflags(eflags);
        Segment ldtr = s.seg[Segment.LDTR];
        ldtr.set(ldt, 0, 0, 0x82);
        ldtr.valid = false;
        for (int i = 0; i < 6; i++) s.seg[SEG_ORDER[i]].selector = sels[i];
        if (s.v86()) {
            s.cpl = 3;
            for (int i = 0; i < 6; i++) {
                Segment sg = s.seg[SEG_ORDER[i]];
                sg.loadReal(sels[i]);
                sg.limit = 0xFFFF;
                sg.access = Segmentation.V86_ACCESS;
            }
        } else {
            s.cpl = sels[1] & 3;
        }
        loadLdt(cpu, ldt, ext);
        if (!s.v86()) loadSegments(cpu, sels, ext);
        if (Integer.compareUnsigned(s.eip, s.seg[Segment.CS].limit) > 0) throw cpu.fault.set(CpuFault.GP, ext);
        if (errorCode != CpuFault.NO_ERROR_CODE) {
            Segment ss = s.seg[Segment.SS];
            int size = new32 ? 4 : 2;
            int sp = Stack.down(ss, s.gpr[CpuState.ESP], size);
            cpu.memory.write(Segment.SS, Stack.offset(ss, sp), size, errorCode);
            s.gpr[CpuState.ESP] = sp;
        }
        if (new32 && (cpu.memory.readSystem16(newBase + 0x64) & 1) != 0) {
            // The debug trap flag of the new TSS: #DB with DR6.BT once the switch is complete,
            // before the new task's first instruction (SDM vol. 3, 7.2.1 and 17.3.1.5).
            s.dr[6] |= 0x8000;
            Interrupts.raise(cpu, CpuFault.DB, CpuFault.NO_ERROR_CODE, Interrupts.EXCEPTION);
        }
    }

    private static void setBusy(Cpu cpu, int sel, boolean busy) {
        int a = Descriptors.address(cpu, sel, CpuFault.GP, 0);
        int hi = cpu.memory.readSystem32(a + 4);
        cpu.memory.writeSystem32(a + 4, busy ? hi | 0x200 : hi & ~0x200);
    }

    private static void loadLdt(Cpu cpu, int ldt, int ext) {
        if (Descriptors.isNull(ldt)) return;
        int err = (ldt & 0xFFFC) | ext;
        if ((ldt & 4) != 0) throw cpu.fault.set(CpuFault.TS, err);
        long d = Descriptors.read(cpu, ldt, CpuFault.TS, ext);
        if (!Descriptors.system(d) || Descriptors.type(d) != Descriptors.LDT) throw cpu.fault.set(CpuFault.TS, err);
        if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.TS, err);
        Descriptors.load(cpu.state.seg[Segment.LDTR], ldt, d);
    }

    /** The segment checks of a task switch (SDM 7.3, step 13): #TS for bad descriptors. */
    private static void loadSegments(Cpu cpu, int[] sels, int ext) {
        CpuState s = cpu.state;
        int cpl = s.cpl;
        // CS
        int cs = sels[1];
        if (Descriptors.isNull(cs)) throw cpu.fault.set(CpuFault.TS, ext);
        long cd = Descriptors.read(cpu, cs, CpuFault.TS, ext);
        int dpl = Descriptors.dpl(cd);
        if (!Descriptors.isCode(cd) || (Descriptors.conforming(cd) ? dpl > cpl : dpl != cpl)) {
            throw cpu.fault.set(CpuFault.TS, (cs & 0xFFFC) | ext);
        }
        if (!Descriptors.present(cd)) throw cpu.fault.set(CpuFault.NP, (cs & 0xFFFC) | ext);
        Descriptors.load(s.seg[Segment.CS], cs, cd);
        // SS
        int ss = sels[2];
        if (Descriptors.isNull(ss)) throw cpu.fault.set(CpuFault.TS, ext);
        long sd = Descriptors.read(cpu, ss, CpuFault.TS, ext);
        if ((ss & 3) != cpl || !Descriptors.writableData(sd) || Descriptors.dpl(sd) != cpl) {
            throw cpu.fault.set(CpuFault.TS, (ss & 0xFFFC) | ext);
        }
        if (!Descriptors.present(sd)) throw cpu.fault.set(CpuFault.SS, (ss & 0xFFFC) | ext);
        Descriptors.load(s.seg[Segment.SS], ss, sd);
        // ES, DS, FS, GS
        for (int i : DATA_SLOTS) {
            int sel = sels[i];
            Segment sg = s.seg[SEG_ORDER[i]];
            if (Descriptors.isNull(sel)) {
                Segmentation.loadNull(sg, sel);
                continue;
            }
            long d = Descriptors.read(cpu, sel, CpuFault.TS, ext);
            int e = (sel & 0xFFFC) | ext;
            if (Descriptors.system(d) || !Descriptors.readable(d)) throw cpu.fault.set(CpuFault.TS, e);
            if (!Descriptors.conforming(d) && (Descriptors.dpl(d) < cpl || Descriptors.dpl(d) < (sel & 3))) {
                throw cpu.fault.set(CpuFault.TS, e);
            }
            if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.NP, e);
            Descriptors.load(sg, sel, d);
        }
    }
}
