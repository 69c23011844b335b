package org.kasou.cpu.exec;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;

/**
 * Two-operand integer arithmetic and logic with their flags (SDM vol. 2: ADD, ADC, SUB, SBB, AND,
 * OR, XOR, CMP, TEST, INC, DEC, NEG). {@code size} is the operand size in bytes (1, 2 or 4);
 * operands are zero-extended (higher bits are ignored); results are masked to the size. Flags
 * are recorded lazily (see {@link LazyFlags}).
 */
public final class Alu {
    private Alu() {}

    public static int add(CpuState s, int size, int dst, int src) {
        int res = dst + src;
        record(s, LazyFlags.OP_ADD, size, res, dst, src);
        return res & LazyFlags.mask(size);
    }

    public static int adc(CpuState s, int size, int dst, int src) {
        int res = dst + src + (LazyFlags.cf(s) ? 1 : 0);
        // The carry-out formula of OP_ADD holds for any carry in.
        record(s, LazyFlags.OP_ADD, size, res, dst, src);
        return res & LazyFlags.mask(size);
    }

    public static int sub(CpuState s, int size, int dst, int src) {
        int res = dst - src;
        record(s, LazyFlags.OP_SUB, size, res, dst, src);
        return res & LazyFlags.mask(size);
    }

    public static int sbb(CpuState s, int size, int dst, int src) {
        int res = dst - src - (LazyFlags.cf(s) ? 1 : 0);
        record(s, LazyFlags.OP_SBB, size, res, dst, src);
        return res & LazyFlags.mask(size);
    }

    public static void cmp(CpuState s, int size, int dst, int src) {
        record(s, LazyFlags.OP_SUB, size, dst - src, dst, src);
    }

    /** AND, OR, XOR, TEST clear CF and OF; AF is undefined (SDM) and cleared by the hardware. */
    public static int and(CpuState s, int size, int dst, int src) {
        return logic(s, size, dst & src);
    }

    public static int or(CpuState s, int size, int dst, int src) {
        return logic(s, size, dst | src);
    }

    public static int xor(CpuState s, int size, int dst, int src) {
        return logic(s, size, dst ^ src);
    }

    public static void test(CpuState s, int size, int dst, int src) {
        logic(s, size, dst & src);
    }

    private static int logic(CpuState s, int size, int res) {
        LazyFlags.setResult(s, size, res, 0);
        return res & LazyFlags.mask(size);
    }

    /** INC: flags as ADD 1, except CF which keeps its value. */
    public static int inc(CpuState s, int size, int v) {
        int cf = LazyFlags.cf(s) ? Flags.CF : 0;
        int res = v + 1;
        s.lfOp = LazyFlags.OP_INC;
        s.lfKnown = cf;
        s.lfDst = LazyFlags.sx(size, v);
        s.lfRes = LazyFlags.sx(size, res);
        return res & LazyFlags.mask(size);
    }

    /** DEC: flags as SUB 1, except CF which keeps its value. */
    public static int dec(CpuState s, int size, int v) {
        int cf = LazyFlags.cf(s) ? Flags.CF : 0;
        int res = v - 1;
        s.lfOp = LazyFlags.OP_DEC;
        s.lfKnown = cf;
        s.lfDst = LazyFlags.sx(size, v);
        s.lfRes = LazyFlags.sx(size, res);
        return res & LazyFlags.mask(size);
    }

    /** NEG: flags as 0 - v (CF set unless v is 0). */
    public static int neg(CpuState s, int size, int v) {
        int res = -v;
        record(s, LazyFlags.OP_SUB, size, res, 0, v);
        return res & LazyFlags.mask(size);
    }

    private static void record(CpuState s, int op, int size, int res, int dst, int src) {
        int sh = (4 - size) << 3;
        s.lfOp = op;
        s.lfRes = res << sh >> sh;
        s.lfDst = dst << sh >> sh;
        s.lfSrc = src << sh >> sh;
    }
}
