package org.kasou.embed;

import org.kasou.fpu.Ext80;
import org.kasou.fpu.FpuResult;
import org.kasou.fpu.MemoryOperands;
import org.kasou.fpu.Stores;

/**
 * An x87 register's 80-bit value as the FPU holds it: the sign and 15-bit exponent word and the
 * 64-bit significand with its explicit integer bit (SDM vol. 1, 4.2.2). Every encoding is
 * representable, unnormals and pseudo-NaNs included; {@link #of(double)} and {@link #toDouble()}
 * convert to and from Java doubles.
 *
 * @param signExponent the sign (bit 15) and the biased exponent (bits 0-14)
 * @param significand the significand, bit 63 being the integer bit
 */
public record X87Value(int signExponent, long significand) {
    public X87Value {
        if ((signExponent & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("the sign and exponent take 16 bits: 0x" + Integer.toHexString(signExponent));
        }
    }

    /** The double exactly (every double has an 80-bit form), signaling NaNs kept signaling. */
    public static X87Value of(double value) {
        long bits = Double.doubleToRawLongBits(value);
        return new X87Value(MemoryOperands.float64Se(bits) & 0xFFFF, MemoryOperands.float64Sig(bits));
    }

    /** The value rounded to the nearest double, as FST m64 does with the default control word. */
    public double toDouble() {
        FpuResult r = new FpuResult();
        Stores.float64(r, signExponent, significand);
        return Double.longBitsToDouble(r.memory);
    }

    /** Whether the sign bit is set. */
    public boolean negative() {
        return Ext80.negative(signExponent);
    }

    @Override
    public String toString() {
        return String.format("%04x:%016x (%s)", signExponent, significand, toDouble());
    }
}
