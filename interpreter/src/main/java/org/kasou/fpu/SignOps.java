package org.kasou.fpu;

/** FABS and FCHS: only the sign bit changes, whatever the operand (no exceptions, C1 cleared). */
public final class SignOps {
    private SignOps() {}

    public static void abs(FpuResult r, int se, long sig) {
        r.begin();
        r.set(se & ~Ext80.SIGN, sig);
    }

    public static void negate(FpuResult r, int se, long sig) {
        r.begin();
        r.set(se ^ Ext80.SIGN, sig);
    }
}
