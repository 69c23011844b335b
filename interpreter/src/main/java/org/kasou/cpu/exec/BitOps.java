package org.kasou.cpu.exec;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;

/** Bit test and scan (SDM vol. 2: BT, BTS, BTR, BTC, BSF, BSR) and BSWAP. */
public final class BitOps {
    private BitOps() {}

    // BT, BTS, BTR, BTC change only CF; OF, SF, AF, PF are undefined (SDM) and kept, as the
    // host CPU of the test vectors does.

    /** BT: CF = the selected bit (bit offset taken modulo the operand width). */
    public static void bt(CpuState s, int size, int value, int bit) {
        setCf(s, (value >>> (bit & ((size << 3) - 1))) & 1);
    }

    public static int bts(CpuState s, int size, int value, int bit) {
        int b = bit & ((size << 3) - 1);
        setCf(s, (value >>> b) & 1);
        return (value | (1 << b)) & LazyFlags.mask(size);
    }

    public static int btr(CpuState s, int size, int value, int bit) {
        int b = bit & ((size << 3) - 1);
        setCf(s, (value >>> b) & 1);
        return (value & ~(1 << b)) & LazyFlags.mask(size);
    }

    public static int btc(CpuState s, int size, int value, int bit) {
        int b = bit & ((size << 3) - 1);
        setCf(s, (value >>> b) & 1);
        return (value ^ (1 << b)) & LazyFlags.mask(size);
    }

    private static void setCf(CpuState s, int cf) {
        LazyFlags.setCf(s, cf != 0);
    }

    /**
     * BSF: index of the lowest set bit; ZF set and the destination unchanged when src is 0.
     * CF, OF, SF, AF, PF are undefined (SDM); like the host CPU of the test vectors, they are
     * cleared except PF, the parity of the index (of 0 when src is 0).
     */
    public static int bsf(CpuState s, int size, int dst, int src) {
        src &= LazyFlags.mask(size);
        int res = scanForward(dst & LazyFlags.mask(size), src);
        LazyFlags.setArith(s, scanFlags(src, res));
        return res;
    }

    /** BSR: index of the highest set bit; ZF and the other flags as for {@link #bsf}. */
    public static int bsr(CpuState s, int size, int dst, int src) {
        src &= LazyFlags.mask(size);
        int res = scanReverse(dst & LazyFlags.mask(size), src);
        LazyFlags.setArith(s, scanFlags(src, res));
        return res;
    }

    /** BSF's result for a source of its operand size (zero-extended): the lowest set bit's index, or dst for 0. */
    public static int scanForward(int dst, int src) {
        return src == 0 ? dst : Integer.numberOfTrailingZeros(src);
    }

    /** BSR's result, as {@link #scanForward}: the highest set bit's index, or dst for 0. */
    public static int scanReverse(int dst, int src) {
        return src == 0 ? dst : 31 - Integer.numberOfLeadingZeros(src);
    }

    /** The arithmetic flags BSF and BSR leave, given the source and the result: see {@link #bsf}. */
    public static int scanFlags(int src, int result) {
        if (src == 0) return Flags.ZF | Flags.PF;
        return LazyFlags.parityEven(result) ? Flags.PF : 0;
    }

    public static int bswap(int v) {
        return Integer.reverseBytes(v);
    }
}
