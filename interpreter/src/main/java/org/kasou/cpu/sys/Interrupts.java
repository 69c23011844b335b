package org.kasou.cpu.sys;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exception and interrupt delivery (SDM vol. 3, chapter 6; the INT n/INTO/INT3 page): through the
 * IVT in real mode, through the IDT in protected mode, with the double-fault rules of table 6-5
 * and shutdown on a triple fault.
 */
public final class Interrupts {
    private static final Logger LOG = LoggerFactory.getLogger(Interrupts.class);

    /** A fault or trap raised by an instruction (pushes an error code where the vector has one). */
    public static final int EXCEPTION = 0;
    /** INT n, INT3, INTO: the gate's DPL is checked against CPL and EXT is clear. */
    public static final int SOFTWARE = 1;
    /** A hardware interrupt (or NMI): EXT is set in error codes raised while delivering it. */
    public static final int EXTERNAL = 2;
    /** INT1 / ICEBP (F1): delivered like an external #DB, without the gate DPL check. */
    public static final int ICEBP = 3;

    private Interrupts() {}

    /**
     * Delivers an event. The caller first sets {@code state.eip} to the return address to push:
     * the faulting instruction for faults, the next instruction for traps and INT n. Never throws:
     * a fault while delivering is handled as SDM table 6-5 says (a second, serial delivery or
     * #DF), and a fault while delivering #DF shuts the CPU down ({@code state.shutdown}).
     */
    public static void raise(Cpu cpu, int vector, int errorCode, int kind) {
        raise(cpu, vector, errorCode, kind, cpu.state.eip);
    }

    /**
     * As {@link #raise(Cpu, int, int, int)}, for an instruction at {@code insnEip} that raises the
     * event as a trap (INT n, INT3, INTO, INT1: EIP is already the next instruction's): a fault
     * while delivering it is a fault of that instruction, and returns to it.
     */
    private static void raise(Cpu cpu, int vector, int errorCode, int kind, int insnEip) {
        CpuState s = cpu.state;
        org.kasou.cpu.CpuHooks hooks = cpu.hooks;
        if (hooks != null && hooks.interrupt(vector, errorCode, kind)) return; // the embedder handled it
        s.halted = false;
        int v = vector, ec = errorCode, k = kind;
        for (int attempt = 0; attempt < 8; attempt++) {
            try {
                deliver(cpu, v, ec, k);
                return;
            } catch (CpuFault f) {
                if (k != EXCEPTION) s.eip = insnEip;
                int v2 = f.vector, ec2 = f.errorCode;
                if (v == CpuFault.DF) break;
                if (k == EXCEPTION && doubleFault(v, v2)) {
                    v = CpuFault.DF;
                    ec = 0;
                } else {
                    v = v2;
                    ec = ec2;
                }
                k = EXCEPTION;
            }
        }
        LOG.debug("triple fault at {}:{}", Integer.toHexString(s.seg[Segment.CS].selector), Integer.toHexString(s.eip));
        s.shutdown = true;
    }

    private static boolean contributory(int v) {
        return v == CpuFault.DE || (v >= CpuFault.TS && v <= CpuFault.GP);
    }

    /** Exceptions of the fault class (SDM vol. 3, table 6-1); #DB is left out (it is a trap or a fault). */
    static boolean isFault(int v) {
        return v == CpuFault.DE || v == CpuFault.BR || v == CpuFault.UD || v == CpuFault.NM
                || (v >= CpuFault.TS && v <= CpuFault.PF) || v == CpuFault.MF || v == CpuFault.AC || v == CpuFault.XM;
    }

    /** SDM vol. 3, table 6-5. */
    static boolean doubleFault(int first, int second) {
        if (contributory(first)) return contributory(second);
        if (first == CpuFault.PF) return contributory(second) || second == CpuFault.PF;
        return false;
    }

    /**
     * INT n: sets EIP to the next instruction and delivers a software interrupt. In virtual-8086
     * mode with IOPL < 3 it raises #GP(0) instead (thrown: the fault of the INT instruction).
     */
    public static void softwareInterrupt(Cpu cpu, int vector, int nextEip) {
        softwareInterrupt(cpu, vector, cpu.state.eip, nextEip);
    }

    /** INT n at {@code insnEip}: a fault while delivering it returns there. */
    public static void softwareInterrupt(Cpu cpu, int vector, int insnEip, int nextEip) {
        CpuState s = cpu.state;
        if (s.v86() && ((s.eflagsRest & Flags.IOPL) >>> 12) < 3) {
            throw cpu.fault.set(CpuFault.GP, 0); // to the monitor (SDM vol. 2, INT n: "VM = 1 and IOPL < 3 and INT n")
        }
        s.eip = nextEip;
        raise(cpu, vector, CpuFault.NO_ERROR_CODE, SOFTWARE, insnEip);
    }

    /** INT3 (CC): #BP as a software interrupt (gate DPL checked; not IOPL-sensitive in virtual-8086 mode). */
    public static void int3(Cpu cpu, int insnEip, int nextEip) {
        int at = insnEip;
        cpu.state.eip = nextEip;
        raise(cpu, CpuFault.BP, CpuFault.NO_ERROR_CODE, SOFTWARE, at);
    }

    /** INTO: interrupt 4 if OF is set; otherwise nothing (the caller moves on to nextEip). */
    public static void into(Cpu cpu, int insnEip, int nextEip) {
        if (cpu.state.flag(Flags.OF)) {
            int at = insnEip;
            cpu.state.eip = nextEip;
            raise(cpu, CpuFault.OF, CpuFault.NO_ERROR_CODE, SOFTWARE, at);
        }
    }

    /** INT1 / ICEBP (F1): a #DB trap without the gate privilege check. */
    public static void icebp(Cpu cpu, int insnEip, int nextEip) {
        int at = insnEip;
        cpu.state.eip = nextEip;
        raise(cpu, CpuFault.DB, CpuFault.NO_ERROR_CODE, ICEBP, at);
    }

    /** One delivery attempt; throws the fault that prevents it, changing no state in that case. */
    static void deliver(Cpu cpu, int vector, int errorCode, int kind) {
        CpuState s = cpu.state;
        if (!s.protectedMode()) {
            deliverReal(cpu, vector);
        } else {
            deliverProtected(cpu, vector, errorCode, kind);
        }
    }

    /** Real mode: through the IVT; pushes FLAGS, CS, IP and clears IF, TF, AC (SDM 20.1.4). */
    private static void deliverReal(Cpu cpu, int vector) {
        CpuState s = cpu.state;
        if (vector * 4 + 3 > (s.idtrLimit & 0xFFFF)) throw cpu.fault.set(CpuFault.GP, 0);
        int ip = cpu.memory.readSystem16(s.idtrBase + vector * 4);
        int cs = cpu.memory.readSystem16(s.idtrBase + vector * 4 + 2);
        Segment ss = s.seg[Segment.SS];
        int esp = s.gpr[CpuState.ESP];
        Stack.probePushes(cpu, ss, esp, 3, 2); // no partial frame when the stack overruns its limit
        int sp1 = Stack.down(ss, esp, 2), sp2 = Stack.down(ss, sp1, 2), sp3 = Stack.down(ss, sp2, 2);
        cpu.memory.write16(Segment.SS, Stack.offset(ss, sp1), s.eflags());
        cpu.memory.write16(Segment.SS, Stack.offset(ss, sp2), s.seg[Segment.CS].selector);
        cpu.memory.write16(Segment.SS, Stack.offset(ss, sp3), s.eip);
        s.gpr[CpuState.ESP] = sp3;
        s.eflagsRest &= ~(Flags.IF | Flags.TF | Flags.AC | Flags.RF);
        Segmentation.loadRealCs(s, cs);
        s.eip = ip;
    }

    private static void deliverProtected(Cpu cpu, int vector, int errorCode, int kind) {
        CpuState s = cpu.state;
        int ext = kind == SOFTWARE ? 0 : 1;
        int idtErr = vector * 8 + 2 + ext;
        if (vector * 8 + 7 > (s.idtrLimit & 0xFFFF)) throw cpu.fault.set(CpuFault.GP, idtErr);
        long gate = Descriptors.readAt(cpu, s.idtrBase + vector * 8);
        int gtype = Descriptors.system(gate) ? Descriptors.type(gate) : -1;
        boolean intGate = gtype == Descriptors.INT_GATE16 || gtype == Descriptors.INT_GATE32;
        boolean trapGate = gtype == Descriptors.TRAP_GATE16 || gtype == Descriptors.TRAP_GATE32;
        if (!intGate && !trapGate && gtype != Descriptors.TASK_GATE) throw cpu.fault.set(CpuFault.GP, idtErr);
        if (kind == SOFTWARE && Descriptors.dpl(gate) < s.cpl) throw cpu.fault.set(CpuFault.GP, vector * 8 + 2);
        if (!Descriptors.present(gate)) throw cpu.fault.set(CpuFault.NP, idtErr);
        boolean pushError = kind == EXCEPTION && CpuFault.hasErrorCode(vector);
        int ec = errorCode == CpuFault.NO_ERROR_CODE ? 0 : errorCode;
        if (gtype == Descriptors.TASK_GATE) {
            int tss = TaskSwitch.gateTarget(cpu, gate, ext);
            TaskSwitch.switchTask(cpu, tss, TaskSwitch.INT, s.eip, pushError ? ec : CpuFault.NO_ERROR_CODE, ext);
            return;
        }
        boolean gate32 = (gtype & 8) != 0;
        int size = gate32 ? 4 : 2;
        int sel = Descriptors.gateSelector(gate);
        int offset = gate32 ? Descriptors.gateOffset(gate) : Descriptors.gateOffset(gate) & 0xFFFF;
        if (Descriptors.isNull(sel)) throw cpu.fault.set(CpuFault.GP, ext);
        int selErr = (sel & 0xFFFC) | ext;
        long cd = Descriptors.read(cpu, sel, CpuFault.GP, ext);
        int dpl = Descriptors.dpl(cd);
        if (!Descriptors.isCode(cd) || dpl > s.cpl) throw cpu.fault.set(CpuFault.GP, selErr);
        if (!Descriptors.present(cd)) throw cpu.fault.set(CpuFault.NP, selErr);
        if (Integer.compareUnsigned(offset, Descriptors.limit(cd)) > 0) throw cpu.fault.set(CpuFault.GP, ext);
        // Faults push RF = 1 so that IRET does not re-trigger an instruction breakpoint (SDM 17.3.1.1).
        int eflags = s.eflags() | (kind == EXCEPTION && isFault(vector) ? Flags.RF : 0);
        int oldCs = s.seg[Segment.CS].selector;

        if (!Descriptors.conforming(cd) && dpl < s.cpl) {
            // Inner privilege level: the stack comes from the TSS (SDM 6.12.1).
            boolean fromV86 = s.v86();
            if (fromV86 && dpl != 0) throw cpu.fault.set(CpuFault.GP, selErr);
            Segment newSs = new Segment();
            int newEsp = TaskState.innerStack(cpu, dpl, newSs, ext);
            int items = (fromV86 ? 9 : 5) + (pushError ? 1 : 0);
            Stack.probeOtherPushes(cpu, newSs, newEsp, items, size, (newSs.selector & 0xFFFC) | ext);
            int sp = newEsp;
            if (fromV86) {
                for (int i = Segmentation.DATA_SEGMENTS.length - 1; i >= 0; i--) { // GS, FS, DS, ES
                    int r = Segmentation.DATA_SEGMENTS[i];
                    sp = Stack.down(newSs, sp, size);
                    Stack.writeOther(cpu, newSs, sp, size, s.seg[r].selector);
                }
            }
            sp = Stack.down(newSs, sp, size);
            Stack.writeOther(cpu, newSs, sp, size, s.seg[Segment.SS].selector);
            sp = Stack.down(newSs, sp, size);
            Stack.writeOther(cpu, newSs, sp, size, s.gpr[CpuState.ESP]);
            sp = Stack.down(newSs, sp, size);
            Stack.writeOther(cpu, newSs, sp, size, eflags);
            sp = Stack.down(newSs, sp, size);
            Stack.writeOther(cpu, newSs, sp, size, oldCs);
            sp = Stack.down(newSs, sp, size);
            Stack.writeOther(cpu, newSs, sp, size, s.eip);
            if (pushError) {
                sp = Stack.down(newSs, sp, size);
                Stack.writeOther(cpu, newSs, sp, size, ec);
            }
            Descriptors.markAccessed(cpu, sel, cd);
            s.seg[Segment.SS].copyFrom(newSs);
            s.gpr[CpuState.ESP] = sp;
            if (fromV86) {
                for (int r : Segmentation.DATA_SEGMENTS) {
                    Segmentation.loadNull(s.seg[r], 0);
                }
            }
            s.cpl = dpl;
        } else {
            if (s.v86()) throw cpu.fault.set(CpuFault.GP, selErr);
            // Same privilege level: the frame goes on the current stack.
            Segment ss = s.seg[Segment.SS];
            int items = 3 + (pushError ? 1 : 0);
            int esp = s.gpr[CpuState.ESP];
            Stack.probePushes(cpu, ss, esp, items, size);
            int sp = Stack.down(ss, esp, size);
            cpu.memory.write(Segment.SS, Stack.offset(ss, sp), size, eflags);
            sp = Stack.down(ss, sp, size);
            cpu.memory.write(Segment.SS, Stack.offset(ss, sp), size, oldCs);
            sp = Stack.down(ss, sp, size);
            cpu.memory.write(Segment.SS, Stack.offset(ss, sp), size, s.eip);
            if (pushError) {
                sp = Stack.down(ss, sp, size);
                cpu.memory.write(Segment.SS, Stack.offset(ss, sp), size, ec);
            }
            Descriptors.markAccessed(cpu, sel, cd);
            s.gpr[CpuState.ESP] = sp;
        }
        Descriptors.load(s.seg[Segment.CS], (sel & 0xFFFC) | s.cpl, cd);
        s.eip = offset;
        s.eflagsRest &= ~(Flags.TF | Flags.NT | Flags.RF | Flags.VM);
        if (intGate) s.eflagsRest &= ~Flags.IF;
    }
}
