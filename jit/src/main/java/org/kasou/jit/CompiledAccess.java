package org.kasou.jit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import org.kasou.mem.Memory;

/**
 * The memory accesses of compiled code: {@link Memory}'s fast path on values the unit keeps in
 * locals or constants (segment base and fast-path limit, the TLB, the RAM chunk of each TLB entry,
 * the permission bit of the CPL), and
 * Memory's checked methods for everything else.
 *
 * <p>Compiled units call these instead of inlining the checks: HotSpot inlines them, and the
 * branch profile of a method is kept per method, not per call site, so a TLB miss or a limit
 * check that fails in one unit shows every unit that the slow path is taken. Branches inlined
 * into each unit would each be compiled as "never taken" until taken once, and each first
 * taking would throw the whole unit's machine code away (an uncommon trap) and recompile it.
 */
public final class CompiledAccess {
    private static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** The offset in its RAM chunk of the page a TLB entry maps: {@code e & IN_CHUNK}. */
    private static final int IN_CHUNK = org.kasou.mem.PhysicalMemory.CHUNK_MASK & ~0xFFF;

    private CompiledAccess() {}

    // Each fast path stays under 35 bytes of bytecode, so that C1 inlines it as well as C2; the
    // checks that send an access to Memory's checked path are folded into one branch.

    public static int read32(Memory m, int seg, int off, int base, long limit, int[] tlb, byte[][] chunks, int abit) {
        int lin = base + off;
        int e = tlb[lin >>> 12];
        if (slow(off, 3, limit, lin, e, abit)) return m.read32(seg, off);
        return (int) I32.get(chunks[lin >>> 12], (e & IN_CHUNK) | (lin & 0xFFF));
    }

    public static int read8(Memory m, int seg, int off, int base, long limit, int[] tlb, byte[][] chunks, int abit) {
        int lin = base + off;
        int e = tlb[lin >>> 12];
        if (slow(off, 0, limit, lin, e, abit)) return m.read8(seg, off);
        return chunks[lin >>> 12][(e & IN_CHUNK) | (lin & 0xFFF)] & 0xFF;
    }

    public static void write32(Memory m, int seg, int off, int v, int base, long limit, int[] tlb, byte[][] chunks, int abit) {
        int lin = base + off;
        int e = tlb[lin >>> 12];
        if (slow(off, 3, limit, lin, e, abit)) m.write32(seg, off, v);
        else I32.set(chunks[lin >>> 12], (e & IN_CHUNK) | (lin & 0xFFF), v);
    }

    public static void write8(Memory m, int seg, int off, int v, int base, long limit, int[] tlb, byte[][] chunks, int abit) {
        int lin = base + off;
        int e = tlb[lin >>> 12];
        if (slow(off, 0, limit, lin, e, abit)) m.write8(seg, off, v);
        else chunks[lin >>> 12][(e & IN_CHUNK) | (lin & 0xFFF)] = (byte) v;
    }

    /**
     * Whether an access of {@code extra} + 1 bytes at seg:off takes the checked path: its last byte
     * beyond the segment's fast limit (unsigned), no TLB permission for the CPL, or crossing into
     * the next page.
     */
    private static boolean slow(int off, int extra, long limit, int lin, int e, int abit) {
        return ((off & 0xFFFFFFFFL) + extra > limit) | (e & abit) == 0 | (lin & 0xFFF) > 0xFFF - extra;
    }
}
