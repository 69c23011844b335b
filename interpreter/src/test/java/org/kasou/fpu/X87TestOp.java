package org.kasou.fpu;

/** The operations the oracle runs; the ordinal is the op number in x87oracle.c. */
enum X87TestOp {
    FADD, FSUB, FMUL, FDIV, FSQRT, FRNDINT, FSCALE, FXTRACT, FPREM, FPREM1, FABS, FCHS,
    FCOM, FUCOM, FCOMI, FUCOMI, FTST, FXAM,
    FLD_M32, FLD_M64, FILD_M16, FILD_M32, FILD_M64, FBLD,
    FSTP_M32, FSTP_M64, FISTP_M16, FISTP_M32, FISTP_M64, FBSTP,
    FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ;

    boolean loadsMemory() {
        return ordinal() >= FLD_M32.ordinal() && ordinal() <= FBLD.ordinal();
    }

    boolean storesMemory() {
        return ordinal() >= FSTP_M32.ordinal() && ordinal() <= FBSTP.ordinal();
    }

    boolean loadsConstant() {
        return ordinal() >= FLD1.ordinal();
    }
}
