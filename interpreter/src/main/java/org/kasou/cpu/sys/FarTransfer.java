package org.kasou.cpu.sys;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/**
 * Far JMP, CALL, RET and IRET in real, protected and virtual-8086 mode (SDM vol. 2, the JMP,
 * CALL, RET and IRET pages). Every check that can fault is made before any state changes; stack
 * frames are probed before they are written.
 *
 * <p>opSize is the operand size in bytes (2 or 4): it sizes the offset, the pushed and popped
 * values. TSS and task-gate targets and IRET with NT switch tasks through {@link TaskSwitch}.
 */
public final class FarTransfer {
    private FarTransfer() {}

    /** JMP ptr16:16/32 and JMP m16:16/32. */
    public static void jmpFar(Cpu cpu, int selector, int offset, int opSize, int nextEip) {
        CpuState s = cpu.state;
        int sel = selector & 0xFFFF;
        if (opSize == 2) offset &= 0xFFFF;
        if (!s.protectedMode() || s.v86()) {
            checkRealLimit(cpu, offset);
            Segmentation.loadRealCs(s, sel);
            s.eip = offset;
            return;
        }
        if (Descriptors.isNull(sel)) throw cpu.fault.set(CpuFault.GP, 0);
        long d = Descriptors.read(cpu, sel, CpuFault.GP, 0);
        int err = sel & 0xFFFC;
        if (Descriptors.isCode(d)) {
            checkSamePrivilegeCode(cpu, sel, d);
            if (Integer.compareUnsigned(offset, Descriptors.limit(d)) > 0) throw cpu.fault.set(CpuFault.GP, 0);
            Descriptors.markAccessed(cpu, sel, d);
            Descriptors.load(s.seg[Segment.CS], err | s.cpl, d);
            s.eip = offset;
            return;
        }
        int type = Descriptors.system(d) ? Descriptors.type(d) : -1;
        if (type == Descriptors.CALL_GATE16 || type == Descriptors.CALL_GATE32) {
            checkGate(cpu, sel, d);
            int csSel = Descriptors.gateSelector(d);
            int target = type == Descriptors.CALL_GATE32 ? Descriptors.gateOffset(d) : Descriptors.gateOffset(d) & 0xFFFF;
            long cd = gateTarget(cpu, csSel);
            int dpl = Descriptors.dpl(cd);
            if (Descriptors.conforming(cd) ? dpl > s.cpl : dpl != s.cpl) throw cpu.fault.set(CpuFault.GP, csSel & 0xFFFC);
            if (!Descriptors.present(cd)) throw cpu.fault.set(CpuFault.NP, csSel & 0xFFFC);
            if (Integer.compareUnsigned(target, Descriptors.limit(cd)) > 0) throw cpu.fault.set(CpuFault.GP, 0);
            Descriptors.markAccessed(cpu, csSel, cd);
            Descriptors.load(s.seg[Segment.CS], (csSel & 0xFFFC) | s.cpl, cd);
            s.eip = target;
            return;
        }
        toTask(cpu, sel, d, type, TaskSwitch.JMP, nextEip);
    }

    /** CALL ptr16:16/32 and CALL m16:16/32: pushes CS and {@code nextEip}, then transfers. */
    public static void callFar(Cpu cpu, int selector, int offset, int opSize, int nextEip) {
        CpuState s = cpu.state;
        int sel = selector & 0xFFFF;
        if (opSize == 2) offset &= 0xFFFF;
        Segment ss = s.seg[Segment.SS];
        int esp = s.gpr[CpuState.ESP];
        if (!s.protectedMode() || s.v86()) {
            checkRealLimit(cpu, offset);
            int sp = push2(cpu, ss, esp, opSize, s.seg[Segment.CS].selector, nextEip);
            Segmentation.loadRealCs(s, sel);
            s.gpr[CpuState.ESP] = sp;
            s.eip = offset;
            return;
        }
        if (Descriptors.isNull(sel)) throw cpu.fault.set(CpuFault.GP, 0);
        long d = Descriptors.read(cpu, sel, CpuFault.GP, 0);
        int err = sel & 0xFFFC;
        if (Descriptors.isCode(d)) {
            checkSamePrivilegeCode(cpu, sel, d);
            if (Integer.compareUnsigned(offset, Descriptors.limit(d)) > 0) throw cpu.fault.set(CpuFault.GP, 0);
            int sp = push2(cpu, ss, esp, opSize, s.seg[Segment.CS].selector, nextEip);
            Descriptors.markAccessed(cpu, sel, d);
            Descriptors.load(s.seg[Segment.CS], err | s.cpl, d);
            s.gpr[CpuState.ESP] = sp;
            s.eip = offset;
            return;
        }
        int type = Descriptors.system(d) ? Descriptors.type(d) : -1;
        if (type == Descriptors.CALL_GATE16 || type == Descriptors.CALL_GATE32) {
            callGate(cpu, sel, d, nextEip);
            return;
        }
        toTask(cpu, sel, d, type, TaskSwitch.CALL, nextEip);
    }

    /** CALL through a call gate (SDM vol. 2, CALL: "CALL-GATE"), to the same or an inner level. */
    private static void callGate(Cpu cpu, int gateSel, long gate, int nextEip) {
        CpuState s = cpu.state;
        checkGate(cpu, gateSel, gate);
        boolean gate32 = Descriptors.type(gate) == Descriptors.CALL_GATE32;
        int size = gate32 ? 4 : 2;
        int csSel = Descriptors.gateSelector(gate);
        int target = gate32 ? Descriptors.gateOffset(gate) : Descriptors.gateOffset(gate) & 0xFFFF;
        long cd = gateTarget(cpu, csSel);
        int dpl = Descriptors.dpl(cd);
        if (dpl > s.cpl) throw cpu.fault.set(CpuFault.GP, csSel & 0xFFFC);
        if (!Descriptors.present(cd)) throw cpu.fault.set(CpuFault.NP, csSel & 0xFFFC);
        if (Integer.compareUnsigned(target, Descriptors.limit(cd)) > 0) throw cpu.fault.set(CpuFault.GP, 0);
        Segment ss = s.seg[Segment.SS];
        int esp = s.gpr[CpuState.ESP];
        if (!Descriptors.conforming(cd) && dpl < s.cpl) {
            Segment newSs = new Segment();
            int newEsp = TaskState.innerStack(cpu, dpl, newSs, 0);
            int params = Descriptors.gateParamCount(gate);
            Stack.probeOtherPushes(cpu, newSs, newEsp, 4 + params, size, newSs.selector & 0xFFFC);
            int[] copied = new int[params];
            for (int i = 0; i < params; i++) {
                copied[i] = cpu.memory.read(Segment.SS, Stack.offset(ss, Stack.up(ss, esp, i * size)), size);
            }
            int sp = Stack.down(newSs, newEsp, size);
            Stack.writeOther(cpu, newSs, sp, size, ss.selector);
            sp = Stack.down(newSs, sp, size);
            Stack.writeOther(cpu, newSs, sp, size, esp);
            for (int i = params - 1; i >= 0; i--) {
                sp = Stack.down(newSs, sp, size);
                Stack.writeOther(cpu, newSs, sp, size, copied[i]);
            }
            sp = Stack.down(newSs, sp, size);
            Stack.writeOther(cpu, newSs, sp, size, s.seg[Segment.CS].selector);
            sp = Stack.down(newSs, sp, size);
            Stack.writeOther(cpu, newSs, sp, size, nextEip);
            Descriptors.markAccessed(cpu, csSel, cd);
            s.seg[Segment.SS].copyFrom(newSs);
            s.gpr[CpuState.ESP] = sp;
            s.cpl = dpl;
        } else {
            int sp = push2(cpu, ss, esp, size, s.seg[Segment.CS].selector, nextEip);
            Descriptors.markAccessed(cpu, csSel, cd);
            s.gpr[CpuState.ESP] = sp;
        }
        Descriptors.load(s.seg[Segment.CS], (csSel & 0xFFFC) | s.cpl, cd);
        s.eip = target;
    }

    /** RET far [imm16]: pops EIP and CS, then {@code popBytes}; to the same or an outer level. */
    public static void retFar(Cpu cpu, int opSize, int popBytes) {
        CpuState s = cpu.state;
        Segment ss = s.seg[Segment.SS];
        int esp = s.gpr[CpuState.ESP];
        int eip = cpu.memory.read(Segment.SS, Stack.offset(ss, esp), opSize);
        int sel = cpu.memory.read(Segment.SS, Stack.offset(ss, Stack.up(ss, esp, opSize)), opSize) & 0xFFFF;
        int after = Stack.up(ss, esp, 2 * opSize + popBytes);
        if (!s.protectedMode() || s.v86()) {
            checkRealLimit(cpu, eip);
            Segmentation.loadRealCs(s, sel);
            s.eip = eip;
            s.gpr[CpuState.ESP] = after;
            return;
        }
        long cd = returnTarget(cpu, sel);
        int rpl = sel & 3;
        if (rpl == s.cpl) {
            if (Integer.compareUnsigned(eip, Descriptors.limit(cd)) > 0) throw cpu.fault.set(CpuFault.GP, 0);
            Descriptors.markAccessed(cpu, sel, cd);
            Descriptors.load(s.seg[Segment.CS], sel, cd);
            s.eip = eip;
            s.gpr[CpuState.ESP] = after;
            return;
        }
        // Return to an outer privilege level: the caller's SS:ESP follows the parameters.
        int newEsp = cpu.memory.read(Segment.SS, Stack.offset(ss, after), opSize);
        int newSsSel = cpu.memory.read(Segment.SS, Stack.offset(ss, Stack.up(ss, after, opSize)), opSize) & 0xFFFF;
        Segment newSs = outerStack(cpu, newSsSel, rpl);
        if (Integer.compareUnsigned(eip, Descriptors.limit(cd)) > 0) throw cpu.fault.set(CpuFault.GP, 0);
        Descriptors.markAccessed(cpu, sel, cd);
        Descriptors.load(s.seg[Segment.CS], sel, cd);
        s.cpl = rpl;
        s.seg[Segment.SS].copyFrom(newSs);
        if (opSize == 2) newEsp &= 0xFFFF;
        s.gpr[CpuState.ESP] = newSs.big() ? newEsp + popBytes
                : (s.gpr[CpuState.ESP] & 0xFFFF0000) | ((newEsp + popBytes) & 0xFFFF);
        s.eip = eip;
        Segmentation.nullifyForOuterLevel(s);
    }

    /** IRET with the current EIP as the address after the instruction (see the three-argument form). */
    public static void iret(Cpu cpu, int opSize) {
        iret(cpu, opSize, cpu.state.eip);
    }

    /**
     * IRET/IRETD (SDM vol. 2, IRET): real mode, virtual-8086 mode, protected mode same/outer
     * level, and a return to the previous task when NT is set ({@code nextEip} is saved in the
     * TSS of the task being left).
     */
    public static void iret(Cpu cpu, int opSize, int nextEip) {
        returnFromInterrupt(cpu, opSize, nextEip);
        cpu.state.nmiBlocked = false; // an IRET that completes ends NMI blocking, whatever it returns from
    }

    private static void returnFromInterrupt(Cpu cpu, int opSize, int nextEip) {
        CpuState s = cpu.state;
        Segment ss = s.seg[Segment.SS];
        int esp = s.gpr[CpuState.ESP];
        int iopl = (s.eflagsRest & Flags.IOPL) >>> 12;
        if (s.v86() && iopl < 3) throw cpu.fault.set(CpuFault.GP, 0);
        if (s.protectedMode() && !s.v86() && (s.eflagsRest & Flags.NT) != 0) {
            int link = cpu.memory.readSystem16(s.seg[Segment.TR].base);
            TaskSwitch.switchTask(cpu, link, TaskSwitch.IRET, nextEip, CpuFault.NO_ERROR_CODE, 0);
            return;
        }
        int eip = cpu.memory.read(Segment.SS, Stack.offset(ss, esp), opSize);
        int sel = cpu.memory.read(Segment.SS, Stack.offset(ss, Stack.up(ss, esp, opSize)), opSize) & 0xFFFF;
        int flags = cpu.memory.read(Segment.SS, Stack.offset(ss, Stack.up(ss, esp, 2 * opSize)), opSize);
        int after = Stack.up(ss, esp, 3 * opSize);
        int old = s.eflags();
        if (!s.protectedMode() || s.v86()) {
            checkRealLimit(cpu, eip);
            // Real mode: every flag of the popped image; VM, VIF, VIP stay. Virtual-8086: IOPL stays too.
            int mask = opSize == 4 ? ~(Flags.VM | Flags.VIF | Flags.VIP) : 0xFFFF;
            if (s.v86()) mask &= ~Flags.IOPL;
            Segmentation.loadRealCs(s, sel);
            s.eip = eip;
            s.gpr[CpuState.ESP] = after;
            s.setEflags((old & ~mask) | (flags & mask));
            return;
        }
        if (opSize == 4 && (flags & Flags.VM) != 0 && s.cpl == 0) {
            returnToV86(cpu, eip, sel, flags, after);
            return;
        }
        long cd = returnTarget(cpu, sel);
        int rpl = sel & 3;
        Segment newSs = null;
        int newEsp = 0;
        if (rpl != s.cpl) {
            newEsp = cpu.memory.read(Segment.SS, Stack.offset(ss, after), opSize);
            int newSsSel = cpu.memory.read(Segment.SS, Stack.offset(ss, Stack.up(ss, after, opSize)), opSize) & 0xFFFF;
            newSs = outerStack(cpu, newSsSel, rpl);
        }
        if (Integer.compareUnsigned(eip, Descriptors.limit(cd)) > 0) throw cpu.fault.set(CpuFault.GP, 0);
        // Which flags the popped image may change depends on the CPL before the return.
        int mask = Flags.ARITH | Flags.TF | Flags.DF | Flags.NT;
        // RF from the image lets a debugger resume at an instruction breakpoint (SDM 17.3.1.1).
        if (opSize == 4) mask |= Flags.AC | Flags.ID | Flags.RF;
        if (s.cpl <= iopl) mask |= Flags.IF;
        if (s.cpl == 0) {
            mask |= Flags.IOPL;
            if (opSize == 4) mask |= Flags.VIF | Flags.VIP;
        }
        Descriptors.markAccessed(cpu, sel, cd);
        Descriptors.load(s.seg[Segment.CS], sel, cd);
        s.eip = eip;
        s.setEflags((old & ~mask) | (flags & mask));
        if (newSs == null) {
            s.gpr[CpuState.ESP] = after;
        } else {
            s.cpl = rpl;
            s.seg[Segment.SS].copyFrom(newSs);
            if (opSize == 2) newEsp &= 0xFFFF;
            s.gpr[CpuState.ESP] = newSs.big() ? newEsp : (s.gpr[CpuState.ESP] & 0xFFFF0000) | (newEsp & 0xFFFF);
            Segmentation.nullifyForOuterLevel(s);
        }
    }

    /** IRETD from CPL 0 with VM set in the popped EFLAGS (SDM vol. 2, IRET: RETURN-TO-VIRTUAL-8086-MODE). */
    private static void returnToV86(Cpu cpu, int eip, int cs, int flags, int after) {
        CpuState s = cpu.state;
        Segment ss = s.seg[Segment.SS];
        int[] v = new int[6]; // ESP, SS, ES, DS, FS, GS
        int p = after;
        for (int i = 0; i < 6; i++) {
            v[i] = cpu.memory.read(Segment.SS, Stack.offset(ss, p), 4);
            p = Stack.up(ss, p, 4);
        }
        s.setEflags(flags);
        s.cpl = 3;
        Segmentation.loadRealCs(s, cs & 0xFFFF);
        int[] regs = {Segment.SS, Segment.ES, Segment.DS, Segment.FS, Segment.GS};
        for (int i = 0; i < regs.length; i++) {
            Segment sg = s.seg[regs[i]];
            sg.loadReal(v[i + 1] & 0xFFFF);
            sg.limit = 0xFFFF;
            sg.access = Segmentation.V86_ACCESS;
        }
        s.gpr[CpuState.ESP] = v[0];
        s.eip = eip & 0xFFFF;
    }

    // ------------------------------------------------------------------------------------------

    /** Pushes CS then EIP (opSize bytes each) after probing both slots; returns the new ESP. */
    private static int push2(Cpu cpu, Segment ss, int esp, int opSize, int cs, int eip) {
        Stack.probePushes(cpu, ss, esp, 2, opSize);
        int sp1 = Stack.down(ss, esp, opSize);
        int sp2 = Stack.down(ss, sp1, opSize);
        cpu.memory.write(Segment.SS, Stack.offset(ss, sp1), opSize, cs);
        cpu.memory.write(Segment.SS, Stack.offset(ss, sp2), opSize, eip);
        return sp2;
    }

    /** Real and virtual-8086 mode: an offset beyond the CS limit is #GP(0) on a 386 and later. */
    private static void checkRealLimit(Cpu cpu, int offset) {
        if (Integer.compareUnsigned(offset, cpu.state.seg[Segment.CS].limit) > 0) throw cpu.fault.set(CpuFault.GP, 0);
    }

    /** A direct far JMP/CALL to a code segment stays at the current level (SDM 5.8.1). */
    private static void checkSamePrivilegeCode(Cpu cpu, int sel, long d) {
        CpuState s = cpu.state;
        int dpl = Descriptors.dpl(d);
        boolean ok = Descriptors.conforming(d) ? dpl <= s.cpl : (sel & 3) <= s.cpl && dpl == s.cpl;
        if (!ok) throw cpu.fault.set(CpuFault.GP, sel & 0xFFFC);
        if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.NP, sel & 0xFFFC);
    }

    private static void checkGate(Cpu cpu, int sel, long gate) {
        int dpl = Descriptors.dpl(gate);
        if (dpl < cpu.state.cpl || dpl < (sel & 3)) throw cpu.fault.set(CpuFault.GP, sel & 0xFFFC);
        if (!Descriptors.present(gate)) throw cpu.fault.set(CpuFault.NP, sel & 0xFFFC);
    }

    /** The code segment a call gate names: null is #GP(0), anything but code #GP(sel). */
    private static long gateTarget(Cpu cpu, int csSel) {
        if (Descriptors.isNull(csSel)) throw cpu.fault.set(CpuFault.GP, 0);
        long cd = Descriptors.read(cpu, csSel, CpuFault.GP, 0);
        if (!Descriptors.isCode(cd)) throw cpu.fault.set(CpuFault.GP, csSel & 0xFFFC);
        return cd;
    }

    /** The CS checks of RET far and IRET in protected mode. */
    private static long returnTarget(Cpu cpu, int sel) {
        CpuState s = cpu.state;
        if (Descriptors.isNull(sel)) throw cpu.fault.set(CpuFault.GP, 0);
        long cd = Descriptors.read(cpu, sel, CpuFault.GP, 0);
        int rpl = sel & 3, err = sel & 0xFFFC;
        if (!Descriptors.isCode(cd) || rpl < s.cpl) throw cpu.fault.set(CpuFault.GP, err);
        int dpl = Descriptors.dpl(cd);
        if (Descriptors.conforming(cd) ? dpl > rpl : dpl != rpl) throw cpu.fault.set(CpuFault.GP, err);
        if (!Descriptors.present(cd)) throw cpu.fault.set(CpuFault.NP, err);
        return cd;
    }

    /** The stack segment checks of a return to an outer level; returns the loaded cache. */
    private static Segment outerStack(Cpu cpu, int ssSel, int rpl) {
        if (Descriptors.isNull(ssSel)) throw cpu.fault.set(CpuFault.GP, 0);
        long d = Descriptors.read(cpu, ssSel, CpuFault.GP, 0);
        int err = ssSel & 0xFFFC;
        if ((ssSel & 3) != rpl || !Descriptors.writableData(d) || Descriptors.dpl(d) != rpl) {
            throw cpu.fault.set(CpuFault.GP, err);
        }
        if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.SS, err);
        Descriptors.markAccessed(cpu, ssSel, d);
        Segment sg = new Segment();
        Descriptors.load(sg, ssSel, d);
        return sg;
    }

    /** JMP or CALL to an available TSS or a task gate (SDM 7.3): DPL >= max(CPL, RPL). */
    private static void toTask(Cpu cpu, int sel, long d, int type, int reason, int nextEip) {
        int err = sel & 0xFFFC;
        boolean tss = type == Descriptors.TSS16_AVAIL || type == Descriptors.TSS32_AVAIL;
        if (!tss && type != Descriptors.TASK_GATE) throw cpu.fault.set(CpuFault.GP, err);
        int dpl = Descriptors.dpl(d);
        if (dpl < cpu.state.cpl || dpl < (sel & 3)) throw cpu.fault.set(CpuFault.GP, err);
        if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.NP, err);
        int tssSel = tss ? sel : TaskSwitch.gateTarget(cpu, d, 0);
        TaskSwitch.switchTask(cpu, tssSel, reason, nextEip, CpuFault.NO_ERROR_CODE, 0);
    }
}
