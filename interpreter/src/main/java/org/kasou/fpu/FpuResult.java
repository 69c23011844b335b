package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/**
 * One operation's outcome, written in place so that operations allocate nothing. Set
 * {@link #control} before an operation; afterwards {@link #se}/{@link #sig} hold the register result
 * (and {@link #se2}/{@link #sig2} a second one, FXTRACT's significand), {@link #memory} and
 * {@link #memoryHigh} a store's bytes, {@link #status} the exception flags and condition codes the
 * operation produced, {@link #codes} which condition codes it defines (the caller keeps the others)
 * and {@link #written} whether the destination is updated (an unmasked invalid, denormal or
 * zero-divide exception, or an unmasked overflow or underflow of a store, leaves it alone).
 */
public final class FpuResult {
    public int control = FpuControl.DEFAULT;
    public int se, se2;
    public long sig, sig2;
    public long memory;
    public int memoryHigh;
    public int status;
    public int codes;
    public boolean written;
    /** How the last rounding to an integer went: IntegerRounding.INEXACT and ROUNDED_UP. */
    int rounding;
    final Division division = new Division();
    final SquareRoot squareRoot = new SquareRoot();

    /** Starts an operation that defines C1 only, the arithmetic case. */
    void begin() {
        status = 0;
        codes = C1;
        written = true;
    }

    void begin(int definedCodes) {
        status = 0;
        codes = definedCodes;
        written = true;
    }

    boolean masked(int exception) {
        return (control & exception) != 0;
    }

    void raise(int flags) {
        status |= flags;
    }

    void set(int se, long sig) {
        this.se = se & 0xFFFF;
        this.sig = sig;
    }

    void setInfinity(int sign) {
        set(sign | Ext80.EXP_MAX, Ext80.INTEGER_BIT);
    }

    void setZero(int sign) {
        set(sign, 0);
    }

    /**
     * Raises the exception; when it is unmasked the destination keeps its value. Returns whether
     * the operation goes on to a masked response.
     */
    boolean raiseMaskable(int exception) {
        status |= exception;
        if (masked(exception)) return true;
        written = false;
        return false;
    }

    /** Invalid operation: the indefinite when masked, no result when not. */
    void invalid() {
        if (raiseMaskable(IE)) set(Ext80.INDEFINITE_SE, Ext80.INDEFINITE_SIG);
    }

    public int roundingControl() {
        return FpuControl.roundingControl(control);
    }

    public int precisionBits() {
        return FpuControl.precisionBits(control);
    }
}
