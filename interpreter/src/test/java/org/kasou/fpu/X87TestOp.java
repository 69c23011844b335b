package org.kasou.fpu;

/** The operations the oracle runs; the ordinal is the op number in x87oracle.c. */
enum X87TestOp {
    FADD, FSUB, FMUL, FDIV, FSQRT, FRNDINT, FSCALE, FXTRACT, FPREM, FPREM1, FABS, FCHS,
    FCOM, FUCOM, FCOMI, FUCOMI, FTST, FXAM,
    FLD_M32, FLD_M64, FILD_M16, FILD_M32, FILD_M64, FBLD,
    FSTP_M32, FSTP_M64, FISTP_M16, FISTP_M32, FISTP_M64, FBSTP,
    FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ,
    FADD_M32, FMUL_M64, FDIVR_M32, FSUB_M64, FIADD_M16, FIDIV_M32, FCOM_M32, FICOM_M32;

    boolean loadsMemory() {
        return ordinal() >= FLD_M32.ordinal() && ordinal() <= FBLD.ordinal();
    }

    boolean storesMemory() {
        return ordinal() >= FSTP_M32.ordinal() && ordinal() <= FBSTP.ordinal();
    }

    boolean loadsConstant() {
        return ordinal() >= FLD1.ordinal() && ordinal() <= FLDZ.ordinal();
    }

    /** Arithmetic with a memory operand: ST(0) = ST(0) op m. */
    boolean readsMemoryOperand() {
        return ordinal() >= FADD_M32.ordinal();
    }
}
