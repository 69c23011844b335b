package org.kasou.fpu;

/** Fields of the x87 control word (SDM vol. 1, 8.1.5). */
public final class FpuControl {
    /** Exception mask bits share their positions with the status word's flags. */
    public static final int MASK_ALL = 0x3F;
    public static final int PC_SHIFT = 8, RC_SHIFT = 10;
    public static final int PC_24 = 0, PC_53 = 2, PC_64 = 3;
    public static final int RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;
    /** The control word after FINIT. */
    public static final int DEFAULT = 0x037F;

    private FpuControl() {}

    public static int roundingControl(int cw) {
        return (cw >>> RC_SHIFT) & 3;
    }

    /** Significand bits results are rounded to; the reserved setting 01 acts as 64 bits (as on the host CPU). */
    public static int precisionBits(int cw) {
        return switch ((cw >>> PC_SHIFT) & 3) {
            case PC_24 -> 24;
            case PC_53 -> 53;
            default -> 64;
        };
    }
}
