package org.kasou.cpu.exec;

import static org.kasou.fpu.FpuStatus.C0;
import static org.kasou.fpu.FpuStatus.C1;
import static org.kasou.fpu.FpuStatus.C2;
import static org.kasou.fpu.FpuStatus.C3;
import static org.kasou.fpu.FpuStatus.DE;
import static org.kasou.fpu.FpuStatus.EXCEPTIONS;
import static org.kasou.fpu.FpuStatus.IE;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.FpuState;
import org.kasou.cpu.LazyFlags;
import org.kasou.fpu.Arithmetic;
import org.kasou.fpu.Comparison;
import org.kasou.fpu.Ext80;
import org.kasou.fpu.FpuResult;
import org.kasou.fpu.IntegerRounding;
import org.kasou.fpu.Remainder;
import org.kasou.fpu.Scaling;
import org.kasou.fpu.SignOps;
import org.kasou.fpu.Transcendental;

/**
 * The x87 operations on register-stack values: the eight D8-style operations (ModRM.reg: add,
 * mul, com, comp, sub, subr, div, divr) in all their forms, the FCOMI family, and the one-operand
 * functions of D9 E0-FF. Values come from the stack or from an already converted memory operand.
 */
final class X87Compute {
    static final int ADD = 0, MUL = 1, COM = 2, COMP = 3;

    private X87Compute() {}

    /**
     * ST(dst) = ST(dst) op other, or with the operands exchanged for the reversed operations
     * (op 5 and 7); {@code otherEmpty} when the other operand is an empty register. Pops after
     * when {@code pop}.
     */
    static void arithmetic(FpuState f, int op, int dst, boolean otherEmpty, int oSe, long oSig, boolean pop) {
        if (op == COM || op == COMP) {
            compare(f, otherEmpty, oSe, oSig, false, op == COMP ? 1 : 0);
            return;
        }
        if (f.empty(dst) || otherEmpty) {
            if (!X87Stack.underflow(f)) return;
            X87Stack.setIndefinite(f, dst);
            if (pop) f.pop();
            return;
        }
        FpuResult r = X87Stack.begin(f);
        int dSe = f.stSe(dst);
        long dSig = f.stSig(dst);
        Arithmetic.operation(r, op, dSe, dSig, oSe, oSig);
        X87Stack.merge(f, r);
        if (!r.written) return;
        f.set(dst, r.se, r.sig);
        if (pop) f.pop();
    }

    /** FCOM/FUCOM of ST(0) with a value, then {@code pops} pops (FCOMP, FCOMPP). */
    static void compare(FpuState f, boolean otherEmpty, int oSe, long oSig, boolean quiet, int pops) {
        if (f.empty(0) || otherEmpty) {
            f.status |= C0 | C2 | C3; // unordered, even when the exception is unmasked
            if (!X87Stack.underflow(f)) return;
        } else {
            FpuResult r = X87Stack.begin(f);
            Comparison.compare(r, f.stSe(0), f.stSig(0), oSe, oSig, quiet);
            X87Stack.merge(f, r);
            if (unmaskedOperandException(f, r)) return;
        }
        for (int i = 0; i < pops; i++) f.pop();
    }

    /** FCOMI, FUCOMI, FCOMIP, FUCOMIP: the outcome goes to ZF, PF and CF; OF, SF and AF are cleared. */
    static void compareToEflags(CpuState s, int i, boolean quiet, boolean pop) {
        FpuState f = s.fpu;
        boolean popAllowed;
        int flags;
        if (f.empty(0) || f.empty(i)) {
            popAllowed = X87Stack.underflow(f);
            flags = Flags.ZF | Flags.PF | Flags.CF;
        } else {
            FpuResult r = X87Stack.begin(f);
            Comparison.compare(r, f.stSe(0), f.stSig(0), f.stSe(i), f.stSig(i), quiet);
            f.status |= r.status & EXCEPTIONS; // C1 as it was, as on the host
            popAllowed = !unmaskedOperandException(f, r);
            flags = Comparison.eflags(r.status);
        }
        // the flags are written even when the exception is unmasked (as on the host)
        LazyFlags.setArith(s, (LazyFlags.arith(s) & ~Flags.ARITH) | flags);
        if (pop && popAllowed) f.pop();
    }

    /** An unmasked invalid-operand or denormal exception: the stack is left as it was. */
    private static boolean unmaskedOperandException(FpuState f, FpuResult r) {
        return (r.status & ~f.control & (IE | DE)) != 0;
    }

    /** D9 E0-FF except the constants and the transcendental functions. */
    static void function(FpuState f, int rm) {
        switch (rm) {
            case 0x0 -> unary(f, rm); // FCHS
            case 0x1 -> unary(f, rm); // FABS
            case 0x4 -> { // FTST
                if (f.empty(0)) {
                    f.status |= C0 | C2 | C3;
                    X87Stack.underflow(f);
                    return;
                }
                FpuResult r = X87Stack.begin(f);
                Comparison.test(r, f.stSe(0), f.stSig(0));
                X87Stack.merge(f, r);
            }
            case 0x5 -> { // FXAM
                FpuResult r = X87Stack.begin(f);
                Comparison.examine(r, f.stSe(0), f.stSig(0), f.empty(0));
                X87Stack.merge(f, r);
            }
            case 0x10, 0x1E, 0x1F -> unary(f, rm); // F2XM1, FSIN, FCOS
            case 0x11, 0x13, 0x19 -> popping(f, rm); // FYL2X, FPATAN, FYL2XP1
            case 0x12, 0x1B -> pushing(f, rm); // FPTAN, FSINCOS
            case 0x14 -> extract(f);
            case 0x15, 0x18 -> twoOperand(f, rm);
            case 0x16 -> { // FDECSTP
                f.top = (f.top - 1) & 7;
                X87Stack.clearC1(f);
            }
            case 0x17 -> { // FINCSTP
                f.top = (f.top + 1) & 7;
                X87Stack.clearC1(f);
            }
            case 0x1A, 0x1C -> unary(f, rm);
            case 0x1D -> twoOperand(f, rm);
            default -> throw new IllegalStateException("not an x87 function: D9 " + Integer.toHexString(0xE0 + rm));
        }
    }

    /**
     * FCHS, FABS, FSQRT, FRNDINT, F2XM1, FSIN and FCOS on ST(0); {@code rm} is the low five bits
     * of the D9 opcode's second byte.
     */
    private static void unary(FpuState f, int rm) {
        if (f.empty(0)) {
            if (rm >= 0x1E) f.status &= ~C2; // FSIN, FCOS: a reduction that did not fail (as on the host)
            if (X87Stack.underflow(f)) X87Stack.setIndefinite(f, 0);
            return;
        }
        FpuResult r = X87Stack.begin(f);
        int se = f.stSe(0);
        long sig = f.stSig(0);
        switch (rm) {
            case 0x0 -> SignOps.negate(r, se, sig);
            case 0x1 -> SignOps.abs(r, se, sig);
            case 0x1A -> Arithmetic.squareRoot(r, se, sig);
            case 0x10 -> Transcendental.power2Minus1(r, se, sig);
            case 0x1E -> Transcendental.sine(r, se, sig);
            case 0x1F -> Transcendental.cosine(r, se, sig);
            default -> IntegerRounding.roundToInteger(r, se, sig);
        }
        X87Stack.merge(f, r);
        if (r.written) f.set(0, r.se, r.sig);
    }

    /** FPREM1, FPREM and FSCALE: ST(0) = ST(0) op ST(1). */
    private static void twoOperand(FpuState f, int rm) {
        if (f.empty(0) || f.empty(1)) {
            if (rm != 0x1D) f.status &= ~C2; // the remainders report a complete reduction
            if (X87Stack.underflow(f)) X87Stack.setIndefinite(f, 0);
            return;
        }
        FpuResult r = X87Stack.begin(f);
        int aSe = f.stSe(0), bSe = f.stSe(1);
        long aSig = f.stSig(0), bSig = f.stSig(1);
        switch (rm) {
            case 0x15 -> Remainder.ieee(r, aSe, aSig, bSe, bSig);
            case 0x18 -> Remainder.partial(r, aSe, aSig, bSe, bSig);
            default -> Scaling.scale(r, aSe, aSig, bSe, bSig);
        }
        if (rm != 0x1D && (!r.written || Ext80.isNaN(r.se, r.sig))) {
            // no reduction took place: C2 says complete, C1 is clear and C0 and C3 stay as they were (as on the host)
            f.status = (f.status & ~(C1 | C2)) | (r.status & EXCEPTIONS);
        } else {
            X87Stack.merge(f, r);
        }
        if (r.written) f.set(0, r.se, r.sig);
    }

    /** FYL2X, FPATAN and FYL2XP1: ST(1) = f(ST(1), ST(0)), then a pop. */
    private static void popping(FpuState f, int rm) {
        if (f.empty(0) || f.empty(1)) {
            if (!X87Stack.underflow(f)) return;
            X87Stack.setIndefinite(f, 1);
            f.pop();
            return;
        }
        FpuResult r = X87Stack.begin(f);
        int ySe = f.stSe(1), xSe = f.stSe(0);
        long ySig = f.stSig(1), xSig = f.stSig(0);
        switch (rm) {
            case 0x11 -> Transcendental.log2Times(r, ySe, ySig, xSe, xSig);
            case 0x13 -> Transcendental.arctangent(r, ySe, ySig, xSe, xSig);
            default -> Transcendental.log2PlusOneTimes(r, ySe, ySig, xSe, xSig);
        }
        X87Stack.merge(f, r);
        if (!r.written) return;
        f.set(1, r.se, r.sig);
        f.pop();
    }

    /** FPTAN and FSINCOS: ST(0) gets the first result and the second is pushed, unless ST(0) was out of range (C2). */
    private static void pushing(FpuState f, int rm) {
        if (f.empty(0) || !f.empty(7)) {
            f.status &= ~C2; // a reduction that did not fail (as on the host)
            boolean masked = f.empty(0) ? X87Stack.underflow(f) : X87Stack.overflow(f);
            if (!masked) return;
            X87Stack.setIndefinite(f, 0);
            f.push(Ext80.INDEFINITE_SE, Ext80.INDEFINITE_SIG);
            return;
        }
        FpuResult r = X87Stack.begin(f);
        if (rm == 0x12) Transcendental.tangent(r, f.stSe(0), f.stSig(0));
        else Transcendental.sineCosine(r, f.stSe(0), f.stSig(0));
        X87Stack.merge(f, r);
        if (!r.written) return;
        f.set(0, r.se, r.sig);
        if ((r.status & C2) == 0) f.push(r.se2, r.sig2);
    }

    /** FXTRACT: ST(0) becomes the exponent and the significand is pushed above it. */
    private static void extract(FpuState f) {
        if (f.empty(0) || !f.empty(7)) {
            boolean masked = f.empty(0) ? X87Stack.underflow(f) : X87Stack.overflow(f);
            if (!masked) return;
            X87Stack.setIndefinite(f, 0);
            f.push(Ext80.INDEFINITE_SE, Ext80.INDEFINITE_SIG);
            return;
        }
        FpuResult r = X87Stack.begin(f);
        Scaling.extract(r, f.stSe(0), f.stSig(0));
        X87Stack.merge(f, r);
        if (!r.written) return;
        f.set(0, r.se, r.sig);
        f.push(r.se2, r.sig2);
    }
}
