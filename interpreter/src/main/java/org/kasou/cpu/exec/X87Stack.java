package org.kasou.cpu.exec;

import static org.kasou.fpu.FpuStatus.C1;
import static org.kasou.fpu.FpuStatus.IE;
import static org.kasou.fpu.FpuStatus.SF;

import org.kasou.cpu.FpuState;
import org.kasou.fpu.Ext80;
import org.kasou.fpu.FpuResult;

/**
 * Stack faults and how an operation's outcome reaches the status word (SDM vol. 1, 8.5.1.1):
 * overflow and underflow raise IE with SF, C1 telling which; the masked response is the
 * indefinite, an unmasked one leaves the registers and TOP alone.
 */
final class X87Stack {
    private X87Stack() {}

    /** Signals stack underflow; returns whether IE is masked (the caller then writes the indefinite). */
    static boolean underflow(FpuState f) {
        f.status = (f.status & ~C1) | IE | SF;
        return (f.control & IE) != 0;
    }

    /** Signals stack overflow; returns whether IE is masked. */
    static boolean overflow(FpuState f) {
        f.status |= IE | SF | C1;
        return (f.control & IE) != 0;
    }

    /**
     * Whether a push may go ahead: ST(7) must be empty. On overflow the masked response pushes the
     * indefinite; either way the caller does nothing more.
     */
    static boolean pushAllowed(FpuState f) {
        if (f.empty(7)) return true;
        if (overflow(f)) f.push(Ext80.INDEFINITE_SE, Ext80.INDEFINITE_SIG);
        return false;
    }

    /** Sticky exception flags are added; the condition codes the operation defines are replaced. */
    static void merge(FpuState f, FpuResult r) {
        f.status = (f.status & ~r.codes) | r.status;
    }

    /** Starts an operation of the core with the current control word. */
    static FpuResult begin(FpuState f) {
        FpuResult r = f.result;
        r.control = f.control;
        return r;
    }

    /** Writes the indefinite to ST(i). */
    static void setIndefinite(FpuState f, int i) {
        f.set(i, Ext80.INDEFINITE_SE, Ext80.INDEFINITE_SIG);
    }

    static void clearC1(FpuState f) {
        f.status &= ~C1;
    }
}
