package org.kasou.embed;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.FpuState;
import org.kasou.cpu.Segment;

/** Reads and writes {@link Register}s of a CPU, keeping the core's caches in step. */
final class Registers {
    private Registers() {}

    static long read(Cpu cpu, Register r) {
        CpuState s = cpu.state;
        int o = r.ordinal();
        if (o <= Register.EDI.ordinal()) return s.gpr[o] & 0xFFFFFFFFL;
        if (o <= Register.DI.ordinal()) return s.reg16(o - Register.AX.ordinal());
        if (o <= Register.BH.ordinal()) return s.reg8(o - Register.AL.ordinal());
        if (r.isSegment()) return s.seg[r.segmentIndex()].selector;
        if (r.isX87()) return readX87(s.fpu, r);
        if (o >= Register.DR0.ordinal()) return s.dr[o - Register.DR0.ordinal()] & 0xFFFFFFFFL;
        return switch (r) {
            case EIP -> s.eip & 0xFFFFFFFFL;
            case IP -> s.eip & 0xFFFF;
            case EFLAGS -> s.eflags() & 0xFFFFFFFFL;
            case GDTR_BASE -> s.gdtrBase & 0xFFFFFFFFL;
            case GDTR_LIMIT -> s.gdtrLimit & 0xFFFF;
            case IDTR_BASE -> s.idtrBase & 0xFFFFFFFFL;
            case IDTR_LIMIT -> s.idtrLimit & 0xFFFF;
            case CR0 -> s.cr0 & 0xFFFFFFFFL;
            case CR2 -> s.cr2 & 0xFFFFFFFFL;
            case CR3 -> s.cr3 & 0xFFFFFFFFL;
            case CR4 -> s.cr4 & 0xFFFFFFFFL;
            default -> throw new AssertionError(r);
        };
    }

    static void write(Cpu cpu, Register r, long value) {
        CpuState s = cpu.state;
        int v = (int) value;
        int o = r.ordinal();
        if (o <= Register.EDI.ordinal()) {
            s.gpr[o] = v;
        } else if (o <= Register.DI.ordinal()) {
            s.setReg16(o - Register.AX.ordinal(), v);
        } else if (o <= Register.BH.ordinal()) {
            s.setReg8(o - Register.AL.ordinal(), v);
        } else if (r.isSegment()) {
            Segment sg = s.seg[r.segmentIndex()];
            if (!s.protectedMode() || s.v86()) {
                sg.loadReal(v);
            } else {
                sg.selector = v & 0xFFFF; // the cache stays: set it with Engine.setSegment
                if (r == Register.CS) s.cpl = v & 3;
            }
        } else if (r.isX87()) {
            writeX87(s.fpu, r, v);
        } else if (o >= Register.DR0.ordinal()) {
            s.dr[o - Register.DR0.ordinal()] = v;
        } else {
            switch (r) {
                case EIP -> s.eip = v;
                case IP -> s.eip = v & 0xFFFF;
                case EFLAGS -> s.setEflags(v);
                case GDTR_BASE -> s.gdtrBase = v;
                case GDTR_LIMIT -> s.gdtrLimit = v & 0xFFFF;
                case IDTR_BASE -> s.idtrBase = v;
                case IDTR_LIMIT -> s.idtrLimit = v & 0xFFFF;
                case CR0 -> { s.cr0 = v; cpu.memory.flushTlb(); }
                case CR2 -> s.cr2 = v;
                case CR3 -> { s.cr3 = v; cpu.memory.flushTlb(); }
                case CR4 -> { s.cr4 = v; cpu.memory.flushTlb(); }
                default -> throw new AssertionError(r);
            }
        }
    }

    private static long readX87(FpuState f, Register r) {
        return switch (r) {
            case FPCW -> f.control & 0xFFFF;
            case FPSW -> f.statusWord();
            case FPTW -> f.tagWord();
            case FIP -> f.fip & 0xFFFFFFFFL;
            case FCS -> f.fcs & 0xFFFF;
            case FDP -> f.fdp & 0xFFFFFFFFL;
            case FDS -> f.fds & 0xFFFF;
            case FOP -> f.fop & 0x7FF;
            default -> throw new AssertionError(r);
        };
    }

    private static void writeX87(FpuState f, Register r, int v) {
        switch (r) {
            case FPCW -> f.setControl(v & 0xFFFF);
            case FPSW -> f.setStatusWord(v & 0xFFFF);
            case FPTW -> f.setTagWord(v & 0xFFFF);
            case FIP -> f.fip = v;
            case FCS -> f.fcs = v & 0xFFFF;
            case FDP -> f.fdp = v;
            case FDS -> f.fds = v & 0xFFFF;
            case FOP -> f.fop = v & 0x7FF;
            default -> throw new AssertionError(r);
        }
    }

    /** ST(i): 0 the stack top. */
    static X87Value st(Cpu cpu, int i) {
        FpuState f = cpu.state.fpu;
        return new X87Value(f.stSe(stIndex(i)), f.stSig(i));
    }

    /** Writes ST(i) and tags it by its contents (valid, zero or special), as a load does. */
    static void setSt(Cpu cpu, int i, X87Value v) {
        cpu.state.fpu.set(stIndex(i), v.signExponent(), v.significand());
    }

    private static int stIndex(int i) {
        if (i < 0 || i > 7) throw new IllegalArgumentException("ST(" + i + ") does not exist: 0 to 7");
        return i;
    }

    /**
     * Whether writing it changes more than compiled code keeps in step with (segments, control,
     * debug and table registers, EFLAGS). Compiled code keeps no x87 state of its own.
     */
    static boolean structural(Register r) {
        return r.ordinal() >= Register.EFLAGS.ordinal() && !r.isX87();
    }

    static SegmentCache segment(Cpu cpu, Register r) {
        Segment sg = cpu.state.seg[segmentIndex(r)];
        return new SegmentCache(sg.selector, sg.base, sg.limit, sg.access);
    }

    static void setSegment(Cpu cpu, Register r, SegmentCache c) {
        Segment sg = cpu.state.seg[segmentIndex(r)];
        sg.set(c.selector(), c.base(), c.limit(), c.access());
        if (r == Register.CS && cpu.state.protectedMode() && !cpu.state.v86()) cpu.state.cpl = c.selector() & 3;
    }

    private static int segmentIndex(Register r) {
        if (!r.isSegment()) throw new IllegalArgumentException(r + " is not a segment register");
        return r.segmentIndex();
    }
}
