package org.kasou.fpu;

/**
 * The memory operands of FADD m32, FIADD m16, FCOM m64 and the like, converted to the register
 * format exactly and without exceptions: the operation itself reacts to them. An SNaN stays
 * signaling, and a denormal float, normal once widened, keeps {@link #DENORMAL_SOURCE} in its
 * sign/exponent word so that the operation still raises DE for it.
 */
public final class MemoryOperands {
    /** A flag above the 16 bits of the sign/exponent word: the operand was a denormal float. */
    public static final int DENORMAL_SOURCE = 0x1_0000;

    private MemoryOperands() {}

    public static int float32Se(int bits) {
        return floatSe(bits >>> 31 != 0, (bits >>> 23) & 0xFF, bits & 0x7F_FFFFL, 23, 127);
    }

    public static long float32Sig(int bits) {
        return floatSig((bits >>> 23) & 0xFF, bits & 0x7F_FFFFL, 23, 127);
    }

    public static int float64Se(long bits) {
        return floatSe(bits < 0, (int) (bits >>> 52) & 0x7FF, bits & 0xF_FFFF_FFFF_FFFFL, 52, 1023);
    }

    public static long float64Sig(long bits) {
        return floatSig((int) (bits >>> 52) & 0x7FF, bits & 0xF_FFFF_FFFF_FFFFL, 52, 1023);
    }

    /** An integer operand's sign/exponent word; {@link #integerSig(long)} gives the significand. */
    public static int integerSe(long value) {
        if (value == 0) return 0;
        int lz = Long.numberOfLeadingZeros(Math.abs(value));
        return (value < 0 ? Ext80.SIGN : 0) | (Ext80.BIAS + 63 - lz);
    }

    public static long integerSig(long value) {
        long m = Math.abs(value);
        return m << Long.numberOfLeadingZeros(m);
    }

    private static int floatSe(boolean negative, int exp, long fraction, int fractionBits, int bias) {
        int sign = negative ? Ext80.SIGN : 0;
        if (exp == 2 * bias + 1) return sign | Ext80.EXP_MAX;
        if (exp != 0) return sign | (exp - bias + Ext80.BIAS);
        if (fraction == 0) return sign;
        int lz = Long.numberOfLeadingZeros(fraction << (63 - fractionBits));
        return sign | (Ext80.BIAS - bias + 1 - lz) | DENORMAL_SOURCE;
    }

    private static long floatSig(int exp, long fraction, int fractionBits, int bias) {
        long sig = fraction << (63 - fractionBits);
        if (exp == 0) return sig << Long.numberOfLeadingZeros(sig | 1);
        return Ext80.INTEGER_BIT | sig;
    }
}
