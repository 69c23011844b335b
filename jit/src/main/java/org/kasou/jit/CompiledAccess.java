package org.kasou.jit;

import org.kasou.mem.ChunkWords;
import org.kasou.mem.Memory;

/**
 * The memory accesses of compiled code: {@link Memory}'s fast path on values the unit keeps in
 * locals or constants (segment base and fast-path limit, and the RAM page that its CPL may read or
 * write at each linear page, or null: {@link Memory#readPages}), and Memory's checked methods for
 * everything else.
 *
 * <p>Compiled units call these instead of inlining the checks: HotSpot inlines them, and the
 * branch profile of a method is kept per method, not per call site, so a TLB miss or a limit
 * check that fails in one unit shows every unit that the slow path is taken. Branches inlined
 * into each unit would each be compiled as "never taken" until taken once, and each first
 * taking would throw the whole unit's machine code away (an uncommon trap) and recompile it.
 *
 * <p>The writes return whether the write reached compiled code ({@link JitRuntime#hit}), after
 * which the unit leaves. Only the checked path can (the write TLB never maps a page that holds
 * code): the fast path returns a constant false, so once inlined the unit's test of the result
 * costs nothing there, where a test of {@code rt.hit} would load the field after every store.
 *
 * <p>Units use the {@code ...OrLeave} forms: off the fast path they throw {@link SlowAccess} and
 * the unit leaves before the instruction for the interpreter, so that no call sits in the unit's
 * fast paths. The forms that call Memory serve the instructions that left that way often
 * ({@link Node#slowCalls}) and the x87 forms' 64-bit accesses.
 */
public final class CompiledAccess {
    private CompiledAccess() {}

    // HotSpot inlines at most about 8,000 bytes of bytecode into one compiled method, the unit's
    // own included; what does not fit becomes calls. So each access is kept small, and units are
    // sized so that all of their accesses fit. RAM words go through ChunkWords: one machine load
    // or store, and a few bytes of inlining budget where it can skip the bounds check (a
    // byte-array VarHandle costs about 200).
    //
    // The page's null test is a branch of its own, before the limit and page-crossing checks (which
    // are folded into one): after it HotSpot knows the page is there, and uses its compressed
    // reference without testing it again (folded with the others, C2's code tested it three times
    // an access). Every run has TLB misses, so its profile never shows it as "never taken".

    public static int read32(Memory m, int seg, int off, int base, long limit, byte[][] pages) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || ((off & 0xFFFFFFFFL) + 3 > limit | (lin & 0xFFF) > 0xFFC)) return m.read32(seg, off);
        return ChunkWords.get32(p, lin & 0xFFF);
    }

    public static int read8(Memory m, int seg, int off, int base, long limit, byte[][] pages) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || (off & 0xFFFFFFFFL) > limit) return m.read8(seg, off);
        return ChunkWords.get8(p, lin & 0xFFF);
    }

    public static boolean write32(Memory m, int seg, int off, int v, int base, long limit, byte[][] pages, JitRuntime rt) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || ((off & 0xFFFFFFFFL) + 3 > limit | (lin & 0xFFF) > 0xFFC)) {
            m.write32(seg, off, v);
            return rt.hit;
        }
        ChunkWords.set32(p, lin & 0xFFF, v);
        return false;
    }

    public static boolean write8(Memory m, int seg, int off, int v, int base, long limit, byte[][] pages, JitRuntime rt) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || (off & 0xFFFFFFFFL) > limit) {
            m.write8(seg, off, v);
            return rt.hit;
        }
        ChunkWords.set8(p, lin & 0xFFF, v);
        return false;
    }

    public static int read16(Memory m, int seg, int off, int base, long limit, byte[][] pages) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || ((off & 0xFFFFFFFFL) + 1 > limit | (lin & 0xFFF) > 0xFFE)) return m.read16(seg, off);
        return ChunkWords.get16(p, lin & 0xFFF);
    }

    public static boolean write16(Memory m, int seg, int off, int v, int base, long limit, byte[][] pages, JitRuntime rt) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || ((off & 0xFFFFFFFFL) + 1 > limit | (lin & 0xFFF) > 0xFFE)) {
            m.write16(seg, off, v);
            return rt.hit;
        }
        ChunkWords.set16(p, lin & 0xFFF, v);
        return false;
    }

    // Flat segments (base 0, limit 4 GiB): no limit check of their own, since an access that would
    // pass the limit starts in the last page and crosses it, which sends it to the checked path.

    // Accesses that leave the unit (SlowAccess) instead of calling Memory off the fast path: flat ones.

    public static int readFlat32OrLeave(int off, byte[][] pages) {
        byte[] p = pages[off >>> 12];
        if (p == null || (off & 0xFFF) > 0xFFC) throw SlowAccess.INSTANCE;
        return ChunkWords.get32(p, off & 0xFFF);
    }

    public static int readFlat16OrLeave(int off, byte[][] pages) {
        byte[] p = pages[off >>> 12];
        if (p == null || (off & 0xFFF) > 0xFFE) throw SlowAccess.INSTANCE;
        return ChunkWords.get16(p, off & 0xFFF);
    }

    public static int readFlat8OrLeave(int off, byte[][] pages) {
        byte[] p = pages[off >>> 12];
        if (p == null) throw SlowAccess.INSTANCE;
        return ChunkWords.get8(p, off & 0xFFF);
    }

    public static void writeFlat32OrLeave(int off, int v, byte[][] pages) {
        byte[] p = pages[off >>> 12];
        if (p == null || (off & 0xFFF) > 0xFFC) throw SlowAccess.INSTANCE;
        ChunkWords.set32(p, off & 0xFFF, v);
    }

    public static void writeFlat16OrLeave(int off, int v, byte[][] pages) {
        byte[] p = pages[off >>> 12];
        if (p == null || (off & 0xFFF) > 0xFFE) throw SlowAccess.INSTANCE;
        ChunkWords.set16(p, off & 0xFFF, v);
    }

    public static void writeFlat8OrLeave(int off, int v, byte[][] pages) {
        byte[] p = pages[off >>> 12];
        if (p == null) throw SlowAccess.INSTANCE;
        ChunkWords.set8(p, off & 0xFFF, v);
    }

    // A page group's lookup (PageGroup): its accesses then go to that page at the group's offset
    // plus their own displacement, through ChunkWords.

    /**
     * The page holding linear addresses lo to hi; leaves the unit (SlowAccess, before the group's
     * first access) when they lie in two pages or the page is not in {@code pages}.
     */
    public static byte[] groupPageOrLeave(int lo, int hi, byte[][] pages) {
        byte[] p = ((lo ^ hi) >>> 12) == 0 ? pages[lo >>> 12] : null;
        if (p == null) throw SlowAccess.INSTANCE;
        return p;
    }

    // Accesses through segments with a base or a limit that leave the same way.

    public static int read32OrLeave(int off, int base, long limit, byte[][] pages) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || ((off & 0xFFFFFFFFL) + 3 > limit | (lin & 0xFFF) > 0xFFC)) throw SlowAccess.INSTANCE;
        return ChunkWords.get32(p, lin & 0xFFF);
    }

    public static int read16OrLeave(int off, int base, long limit, byte[][] pages) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || ((off & 0xFFFFFFFFL) + 1 > limit | (lin & 0xFFF) > 0xFFE)) throw SlowAccess.INSTANCE;
        return ChunkWords.get16(p, lin & 0xFFF);
    }

    public static int read8OrLeave(int off, int base, long limit, byte[][] pages) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || (off & 0xFFFFFFFFL) > limit) throw SlowAccess.INSTANCE;
        return ChunkWords.get8(p, lin & 0xFFF);
    }

    public static void write32OrLeave(int off, int v, int base, long limit, byte[][] pages) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || ((off & 0xFFFFFFFFL) + 3 > limit | (lin & 0xFFF) > 0xFFC)) throw SlowAccess.INSTANCE;
        ChunkWords.set32(p, lin & 0xFFF, v);
    }

    public static void write16OrLeave(int off, int v, int base, long limit, byte[][] pages) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || ((off & 0xFFFFFFFFL) + 1 > limit | (lin & 0xFFF) > 0xFFE)) throw SlowAccess.INSTANCE;
        ChunkWords.set16(p, lin & 0xFFF, v);
    }

    public static void write8OrLeave(int off, int v, int base, long limit, byte[][] pages) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || (off & 0xFFFFFFFFL) > limit) throw SlowAccess.INSTANCE;
        ChunkWords.set8(p, lin & 0xFFF, v);
    }

    public static int readFlat32(Memory m, int seg, int off, byte[][] pages) {
        byte[] p = pages[off >>> 12];
        if (p == null || (off & 0xFFF) > 0xFFC) return m.read32(seg, off);
        return ChunkWords.get32(p, off & 0xFFF);
    }

    public static int readFlat16(Memory m, int seg, int off, byte[][] pages) {
        byte[] p = pages[off >>> 12];
        if (p == null || (off & 0xFFF) > 0xFFE) return m.read16(seg, off);
        return ChunkWords.get16(p, off & 0xFFF);
    }

    public static boolean writeFlat16(Memory m, int seg, int off, int v, byte[][] pages, JitRuntime rt) {
        byte[] p = pages[off >>> 12];
        if (p == null || (off & 0xFFF) > 0xFFE) {
            m.write16(seg, off, v);
            return rt.hit;
        }
        ChunkWords.set16(p, off & 0xFFF, v);
        return false;
    }

    public static int readFlat8(Memory m, int seg, int off, byte[][] pages) {
        byte[] p = pages[off >>> 12];
        if (p == null) return m.read8(seg, off);
        return ChunkWords.get8(p, off & 0xFFF);
    }

    public static boolean writeFlat32(Memory m, int seg, int off, int v, byte[][] pages, JitRuntime rt) {
        byte[] p = pages[off >>> 12];
        if (p == null || (off & 0xFFF) > 0xFFC) {
            m.write32(seg, off, v);
            return rt.hit;
        }
        ChunkWords.set32(p, off & 0xFFF, v);
        return false;
    }

    public static boolean writeFlat8(Memory m, int seg, int off, int v, byte[][] pages, JitRuntime rt) {
        byte[] p = pages[off >>> 12];
        if (p == null) {
            m.write8(seg, off, v);
            return rt.hit;
        }
        ChunkWords.set8(p, off & 0xFFF, v);
        return false;
    }

    /**
     * Whether the 4 bytes at linear address lin (not crossing a page) are readable at the unit's
     * CPL ({@code pages}) and hold {@code expected}: code that a unit folded in from elsewhere is still there.
     * A TLB miss answers false (the interpreter then fetches it the usual way).
     */
    public static boolean codeIs(byte[][] pages, int lin, int expected) {
        byte[] p = pages[lin >>> 12];
        return p != null && ChunkWords.get32(p, lin & 0xFFF) == expected;
    }

    /** Whether the TLB maps linear page linPage to the physical page at physAddr, for the CPL (abit). */
    public static boolean pageIs(int[] tlb, int abit, int linPage, int physAddr) {
        int e = tlb[linPage];
        return (e & abit) != 0 && (e & ~0xFFF) == physAddr;
    }

    // 64-bit operands (x87): one RAM access when all 8 bytes lie in one page; otherwise Memory's
    // read64/write64, which check both halves before touching either.

    public static long read64(Memory m, int seg, int off, int base, long limit, byte[][] pages) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || ((off & 0xFFFFFFFFL) + 7 > limit | (lin & 0xFFF) > 0xFF8)) return m.read64(seg, off);
        return ChunkWords.get64(p, lin & 0xFFF);
    }

    public static long readFlat64(Memory m, int seg, int off, byte[][] pages) {
        byte[] p = pages[off >>> 12];
        if (p == null || (off & 0xFFF) > 0xFF8) return m.read64(seg, off);
        return ChunkWords.get64(p, off & 0xFFF);
    }

    public static boolean write64(Memory m, int seg, int off, long v, int base, long limit, byte[][] pages, JitRuntime rt) {
        int lin = base + off;
        byte[] p = pages[lin >>> 12];
        if (p == null || ((off & 0xFFFFFFFFL) + 7 > limit | (lin & 0xFFF) > 0xFF8)) {
            m.write64(seg, off, v);
            return rt.hit;
        }
        ChunkWords.set64(p, lin & 0xFFF, v);
        return false;
    }

    public static boolean writeFlat64(Memory m, int seg, int off, long v, byte[][] pages, JitRuntime rt) {
        byte[] p = pages[off >>> 12];
        if (p == null || (off & 0xFFF) > 0xFF8) {
            m.write64(seg, off, v);
            return rt.hit;
        }
        ChunkWords.set64(p, off & 0xFFF, v);
        return false;
    }
}
