package org.kasou.fpu;

/**
 * FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2 and FLDZ. The hardware holds 66-bit constants and
 * rounds them by the rounding control without raising PE or setting C1 (SDM vol. 2A, FLD1...).
 * Rounding the exact value matches the host: log10(2)'s bits 65-66 are 10, a tie at 66 bits
 * that the hardware rounds up (to ...F799), not to even, so 64 further bits are kept here.
 */
public final class Constants {
    /** In opcode order, D9 E8 to D9 EE. */
    public enum Value {
        ONE(0x3FFF, 0x8000_0000_0000_0000L, 0),
        LOG2_TEN(0x4000, 0xD49A_784B_CD1B_8AFEL, 0x492B_F6FF_4DAF_DB4CL),
        LOG2_E(0x3FFF, 0xB8AA_3B29_5C17_F0BBL, 0xBE87_FED0_691D_3E88L),
        PI(0x4000, 0xC90F_DAA2_2168_C234L, 0xC4C6_628B_80DC_1CD1L),
        LOG10_TWO(0x3FFD, 0x9A20_9A84_FBCF_F798L, 0x8F89_59AC_0B7C_9178L),
        LN_TWO(0x3FFE, 0xB172_17F7_D1CF_79ABL, 0xC9E3_B398_03F2_F6AFL),
        ZERO(0, 0, 0);

        final int se;
        final long sig, below;

        Value(int se, long sig, long below) {
            this.se = se;
            this.sig = sig;
            this.below = below;
        }
    }

    private Constants() {}

    public static void load(FpuResult r, Value v) {
        r.begin();
        boolean up = switch (r.roundingControl()) {
            case FpuControl.RC_NEAREST -> v.below < 0;
            case FpuControl.RC_UP -> v.below != 0;
            default -> false;
        };
        r.set(v.se, up ? v.sig + 1 : v.sig);
    }
}
