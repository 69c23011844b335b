package org.kasou.cpu.exec;

import java.util.Arrays;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Op;
import org.kasou.mem.ChunkWords;
import org.kasou.mem.PhysicalMemory;

/**
 * Bulk paths for REP MOVS and REP STOS over plain RAM (memcpy, memmove and memset), in either
 * direction, 32-bit addressing, page by page. Each chunk (the elements that lie in one page of
 * the destination and of the source) is checked (segment limits and rights without faulting, then
 * translation of its first element, which may raise the #PF that element would raise) before
 * anything is written, and ECX/ESI/EDI advance after each chunk, so faults stay precise.
 *
 * <p>A copy whose destination lies ahead of its source in the direction of travel, closer than a
 * chunk, would read bytes that earlier elements of the chunk wrote (a forward copy up by a few
 * bytes repeats a pattern); such a chunk is cut to the distance, so that no element reads what
 * another element of its chunk writes, and an array copy gives the element loop's result. Anything
 * unusual (16-bit addressing, expand-down or unusable segments, MMIO, code pages, elements
 * straddling a page, a copy onto itself by less than an element, offsets that wrap) is left to the
 * element loop. RAM's chunks are pages, so each step is one array copy or fill.
 */
final class FastStrings {
    private FastStrings() {}

    /** Bytes moved per execution before the instruction yields (it is restarted where it stopped). */
    private static final long MAX_BYTES = 16L << 20;

    /** Runs the repeated instruction in bulk as far as it can; true when it finished (ECX = 0). */
    static boolean tryFast(Cpu cpu, DecodedInsn d, boolean a32) {
        CpuState s = cpu.state;
        // Bulk copies bypass the accesses that data breakpoints watch.
        if (!a32 || cpu.memory.watchingData()) return false;
        boolean down = (s.eflagsRest & Flags.DF) != 0;
        int[] r = s.gpr;
        int size = d.dstSize;
        boolean movs = d.op == Op.MOVS;
        Segment es = s.seg[Segment.ES];
        Segment src = s.seg[d.eaSeg];
        PhysicalMemory phys = cpu.physical;
        boolean user = s.cpl == 3;
        int value = Operands.readReg(s, CpuState.EAX, size);
        long moved = 0;
        while (r[CpuState.ECX] != 0 && moved < MAX_BYTES) {
            long count = r[CpuState.ECX] & 0xFFFFFFFFL;
            int di = r[CpuState.EDI], si = r[CpuState.ESI];
            int dlin = es.base + di, slin = src.base + si;
            // The elements from the first one on that stay in its page, on each side.
            long elems = Math.min(count, elementsInPage(dlin, size, down));
            if (movs) elems = Math.min(elems, elementsInPage(slin, size, down));
            if (elems == 0) return false;
            int n = (int) elems * size;
            // The chunk's lowest offsets: the first element's, or the last one's going down.
            int back = down ? n - size : 0;
            if (down && (Integer.compareUnsigned(di, back) < 0 || (movs && Integer.compareUnsigned(si, back) < 0))) {
                return false; // the offsets wrap below 0
            }
            if (!fits(s, es, di - back, n, true) || (movs && !fits(s, src, si - back, n, false))) return false;
            int spa = movs ? cpu.memory.translate(slin, false, user) : 0;
            int dpa = cpu.memory.translate(dlin, true, user);
            if (movs) {
                // Bytes ahead in the direction of travel that earlier elements of the chunk write.
                long ahead = down ? (long) spa - dpa : (long) dpa - spa;
                if (ahead > 0 && ahead < n) {
                    elems = ahead / size;
                    if (elems == 0) return false;
                    n = (int) elems * size;
                    back = down ? n - size : 0;
                }
            }
            int dlow = dpa - back, slow = spa - back;
            if (!phys.isRam(dlow) || !phys.isRam(dlow + n - 1) || phys.isCodePage(dlow >>> 12)) return false;
            if (movs) {
                if (!phys.isRam(slow) || !phys.isRam(slow + n - 1)) return false;
                System.arraycopy(phys.chunkFor(slow), slow & PhysicalMemory.CHUNK_MASK,
                        phys.chunkFor(dlow), dlow & PhysicalMemory.CHUNK_MASK, n);
                r[CpuState.ESI] = down ? si - n : si + n;
            } else {
                byte[] ram = phys.chunkFor(dlow);
                int at = dlow & PhysicalMemory.CHUNK_MASK;
                if (size == 1) {
                    Arrays.fill(ram, at, at + n, (byte) value);
                } else if (size == 2) {
                    for (int i = 0; i < n; i += 2) ChunkWords.set16(ram, at + i, value);
                } else {
                    for (int i = 0; i < n; i += 4) ChunkWords.set32(ram, at + i, value);
                }
            }
            r[CpuState.EDI] = down ? di - n : di + n;
            r[CpuState.ECX] = (int) (count - elems);
            moved += n;
        }
        return r[CpuState.ECX] == 0;
    }

    /**
     * How many elements of {@code size} bytes, from the one at {@code lin} on, lie in lin's page
     * when going up (or down); 0 when that first element straddles the page's end.
     */
    private static long elementsInPage(int lin, int size, boolean down) {
        int at = lin & 0xFFF;
        if (at + size > 0x1000) return 0;
        return down ? at / size + 1 : (0x1000 - at) / size;
    }

    /** Whether n bytes at off pass the segment checks without a fault (expand-up segments only). */
    private static boolean fits(CpuState s, Segment sg, int off, int n, boolean write) {
        if (!sg.valid) return false;
        int acc = sg.access;
        if (s.protectedMode() && !s.v86()) {
            if ((acc & Segment.ACC_S) == 0) return false;
            int type = acc & 0xF;
            if (write ? (type & 0xA) != 0x2 : (type & 0xA) == 0x8) return false;
        }
        if ((acc & Segment.ACC_S) != 0 && (acc & 0xC) == 0x4) return false; // expand-down
        long last = (off & 0xFFFFFFFFL) + n - 1;
        return last <= (sg.limit & 0xFFFFFFFFL);
    }
}
