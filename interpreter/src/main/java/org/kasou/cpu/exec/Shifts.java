package org.kasou.cpu.exec;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;

/**
 * Shifts and rotates (SDM vol. 2: RCL/RCR/ROL/ROR, SAL/SAR/SHL/SHR, SHLD, SHRD). Counts arrive
 * masked to five bits; a count of zero changes neither the operand nor any flag.
 *
 * <p>Flags the SDM leaves undefined follow the host CPU the test vectors come from (AMD Zen):
 * shifts set AF; OF keeps its count-1 formula for every count (SHL: MSB(result) XOR CF;
 * SHR: MSB before the last step XOR MSB(result); SAR: 0; rotates: as for count 1); CF is the
 * last bit shifted out of an infinitely wide operand (0, or the sign for SAR, once the count
 * exceeds the size). 16-bit SHLD/SHRD with counts above 16 shift dst:src:src.
 */
public final class Shifts {
    public static final int ROL = 0, ROR = 1, RCL = 2, RCR = 3, SHL = 4, SHR = 5, SAL = 6, SAR = 7;

    private Shifts() {}

    /** Group-2 shift or rotate {@code kind} (the ModRM reg field) of a {@code size}-byte value. */
    public static int shift(CpuState s, int kind, int size, int value, int count) {
        if (count == 0) {
            return value & LazyFlags.mask(size);
        }
        switch (kind) {
            case ROL: return rol(s, size, value, count);
            case ROR: return ror(s, size, value, count);
            case RCL: return rcl(s, size, value, count);
            case RCR: return rcr(s, size, value, count);
            case SHR: return shr(s, size, value, count);
            case SAR: return sar(s, size, value, count);
            default: return shl(s, size, value, count); // SHL and its alias SAL
        }
    }

    public static int shl(CpuState s, int size, int value, int count) {
        int res = (value << count) & LazyFlags.mask(size);
        LazyFlags.setResult(s, size, res, shlFlags(size, value, count));
        return res;
    }

    public static int shr(CpuState s, int size, int value, int count) {
        int res = (value & LazyFlags.mask(size)) >>> count;
        LazyFlags.setResult(s, size, res, shrFlags(size, value, count));
        return res;
    }

    public static int sar(CpuState s, int size, int value, int count) {
        int res = (LazyFlags.sx(size, value) >> count) & LazyFlags.mask(size);
        LazyFlags.setResult(s, size, res, sarFlags(size, value, count));
        return res;
    }

    // CF, AF and OF (the lfKnown bits of OP_RESULT) of a shift by a count of 1 to 31: the
    // interpreter records them through the methods above, compiled code calls these directly.

    /** SHL: CF is the last bit shifted out (0 once the count exceeds the size); OF = MSB(result) XOR CF. */
    public static int shlFlags(int size, int value, int count) {
        int bits = size << 3;
        long wide = (value & LazyFlags.mask(size) & 0xFFFFFFFFL) << count;
        int cf = (int) (wide >>> bits) & 1;
        int of = (((int) wide >>> (bits - 1)) ^ cf) & 1; // SDM: defined for count 1
        return cf | Flags.AF | (of << 11);
    }

    /** SHR: CF is the last bit shifted out; OF is MSB before the last step XOR MSB(result) (for count 1, the original sign). */
    public static int shrFlags(int size, int value, int count) {
        int bits = size << 3;
        int v = value & LazyFlags.mask(size);
        int cf = (v >>> (count - 1)) & 1;
        int of = ((v >>> (count - 1)) ^ (v >>> count)) >>> (bits - 1) & 1;
        return cf | Flags.AF | (of << 11);
    }

    /** SAR: CF is the last bit shifted out (the sign once the count exceeds the size); OF is 0. */
    public static int sarFlags(int size, int value, int count) {
        return (LazyFlags.sx(size, value) >> (count - 1)) & 1 | Flags.AF;
    }

    public static int rol(CpuState s, int size, int value, int count) {
        int bits = size << 3;
        int mask = LazyFlags.mask(size);
        int v = value & mask;
        int t = count & (bits - 1);
        int res = t == 0 ? v : ((v << t) | (v >>> (bits - t))) & mask;
        int cf = res & 1;
        int of = ((res >>> (bits - 1)) ^ cf) & 1;
        setCfOf(s, cf, of);
        return res;
    }

    public static int ror(CpuState s, int size, int value, int count) {
        int bits = size << 3;
        int mask = LazyFlags.mask(size);
        int v = value & mask;
        int t = count & (bits - 1);
        int res = t == 0 ? v : ((v >>> t) | (v << (bits - t))) & mask;
        int cf = (res >>> (bits - 1)) & 1;
        int of = ((res >>> (bits - 1)) ^ (res >>> (bits - 2))) & 1;
        setCfOf(s, cf, of);
        return res;
    }

    /** RCL rotates size+1 bits (the operand and CF); 8- and 16-bit counts are taken mod 9 and 17. */
    public static int rcl(CpuState s, int size, int value, int count) {
        int bits = size << 3;
        int t = count % (bits + 1);
        long all = (1L << (bits + 1)) - 1;
        long x = ((LazyFlags.cf(s) ? 1L : 0L) << bits) | (value & LazyFlags.mask(size) & 0xFFFFFFFFL);
        x = ((x << t) | (x >>> (bits + 1 - t))) & all;
        int res = (int) x & LazyFlags.mask(size);
        int cf = (int) (x >>> bits) & 1;
        int of = ((res >>> (bits - 1)) ^ cf) & 1;
        setCfOf(s, cf, of);
        return res;
    }

    public static int rcr(CpuState s, int size, int value, int count) {
        int bits = size << 3;
        int t = count % (bits + 1);
        long all = (1L << (bits + 1)) - 1;
        long x = ((LazyFlags.cf(s) ? 1L : 0L) << bits) | (value & LazyFlags.mask(size) & 0xFFFFFFFFL);
        x = ((x >>> t) | (x << (bits + 1 - t))) & all;
        int res = (int) x & LazyFlags.mask(size);
        int cf = (int) (x >>> bits) & 1;
        int of = ((res >>> (bits - 1)) ^ (res >>> (bits - 2))) & 1;
        setCfOf(s, cf, of);
        return res;
    }

    /** Rotates change only CF and OF. */
    private static void setCfOf(CpuState s, int cf, int of) {
        LazyFlags.setCfOf(s, cf | (of << 11));
    }

    /** SHLD: shifts dst left, filling from the top of src; count taken mod 32. */
    public static int shld(CpuState s, int size, int dst, int src, int count) {
        count &= 31;
        int mask = LazyFlags.mask(size);
        if (count == 0) {
            return dst & mask;
        }
        int bits = size << 3;
        int res;
        if (size == 4) {
            res = (dst << count) | (src >>> (32 - count));
        } else {
            // Counts above 16 are undefined in the SDM: the host shifts the 48 bits dst:src:src.
            long x = ((long) (dst & 0xFFFF) << 32) | ((long) (src & 0xFFFF) << 16) | (src & 0xFFFF);
            res = (int) ((x << count) >>> 32) & 0xFFFF;
        }
        // CF and OF as for SHL of dst alone (for count 1 OF is the sign change, as the SDM says).
        long wide = (long) (dst & mask & 0xFFFFFFFFL) << count;
        int cf = (int) (wide >>> bits) & 1;
        int of = (((int) wide >>> (bits - 1)) ^ cf) & 1;
        LazyFlags.setResult(s, size, res, cf | Flags.AF | (of << 11));
        return res;
    }

    /** SHRD: shifts dst right, filling from the bottom of src; count taken mod 32. */
    public static int shrd(CpuState s, int size, int dst, int src, int count) {
        count &= 31;
        int mask = LazyFlags.mask(size);
        if (count == 0) {
            return dst & mask;
        }
        int bits = size << 3;
        int res, cf;
        if (size == 4) {
            res = (dst >>> count) | (src << (32 - count));
            cf = (dst >>> (count - 1)) & 1;
        } else {
            // Counts above 16 are undefined in the SDM: the host shifts the 48 bits src:src:dst.
            long x = ((long) (src & 0xFFFF) << 32) | ((long) (src & 0xFFFF) << 16) | (dst & 0xFFFF);
            res = (int) (x >>> count) & 0xFFFF;
            cf = count <= 16 ? ((dst & 0xFFFF) >>> (count - 1)) & 1 : 0;
        }
        // OF: the two top bits of the result differ (the sign change for count 1).
        int of = ((res ^ (res << 1)) >>> (bits - 1)) & 1;
        LazyFlags.setResult(s, size, res, cf | Flags.AF | (of << 11));
        return res;
    }
}
