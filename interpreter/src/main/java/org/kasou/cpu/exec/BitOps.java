package org.kasou.cpu.exec;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;

/** Bit test and scan (SDM vol. 2: BT, BTS, BTR, BTC, BSF, BSR) and BSWAP. */
public final class BitOps {
    private BitOps() {}

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
        LazyFlags.setArith(s, (LazyFlags.arith(s) & ~Flags.CF) | cf);
    }

    /** BSF: index of the lowest set bit; ZF set and the destination unchanged when src is 0. */
    public static int bsf(CpuState s, int size, int dst, int src) {
        src &= LazyFlags.mask(size);
        if (src == 0) {
            setZf(s, true);
            return dst & LazyFlags.mask(size);
        }
        setZf(s, false);
        return Integer.numberOfTrailingZeros(src);
    }

    /** BSR: index of the highest set bit; ZF set and the destination unchanged when src is 0. */
    public static int bsr(CpuState s, int size, int dst, int src) {
        src &= LazyFlags.mask(size);
        if (src == 0) {
            setZf(s, true);
            return dst & LazyFlags.mask(size);
        }
        setZf(s, false);
        return 31 - Integer.numberOfLeadingZeros(src);
    }

    private static void setZf(CpuState s, boolean zf) {
        LazyFlags.setArith(s, (LazyFlags.arith(s) & ~Flags.ZF) | (zf ? Flags.ZF : 0));
    }

    public static int bswap(int v) {
        return Integer.reverseBytes(v);
    }
}
