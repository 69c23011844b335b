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
 * Bulk paths for REP MOVS and REP STOS over plain RAM (the common memcpy/memset case): forward,
 * 32-bit addressing, page by page. Each page-sized chunk is checked (segment limits and rights
 * without faulting, then translation, which may raise the #PF the first element of the chunk would
 * raise) before anything is written, and ECX/ESI/EDI advance after each chunk, so faults stay
 * precise. Anything unusual (16-bit addressing, DF=1, expand-down or unusable segments, MMIO,
 * code pages, overlapping copies, elements straddling a page) is left to the element loop. RAM's
 * chunks are pages, so each page-sized step is one array copy or fill.
 */
final class FastStrings {
    private FastStrings() {}

    /** Bytes moved per execution before the instruction yields (it is restarted where it stopped). */
    private static final long MAX_BYTES = 16L << 20;

    /** Runs the repeated instruction in bulk as far as it can; true when it finished (ECX = 0). */
    static boolean tryFast(Cpu cpu, DecodedInsn d, boolean a32) {
        CpuState s = cpu.state;
        // Bulk copies bypass the accesses that data breakpoints watch.
        if (!a32 || (s.eflagsRest & Flags.DF) != 0 || cpu.memory.watchingData()) return false;
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
            int di = r[CpuState.EDI];
            int dlin = es.base + di;
            long bytes = Math.min(count * size, 0x1000 - (dlin & 0xFFF));
            int si = r[CpuState.ESI];
            int slin = src.base + si;
            if (movs) bytes = Math.min(bytes, 0x1000 - (slin & 0xFFF));
            int elems = (int) (bytes / size);
            if (elems == 0) return false;
            int n = elems * size;
            if (!fits(s, es, di, n, true) || (movs && !fits(s, src, si, n, false))) return false;
            int dpa;
            int spa = 0;
            if (movs) {
                spa = cpu.memory.translate(slin, false, user);
                if (!phys.isRam(spa) || !phys.isRam(spa + n - 1)) return false;
            }
            dpa = cpu.memory.translate(dlin, true, user);
            if (!phys.isRam(dpa) || !phys.isRam(dpa + n - 1) || phys.isCodePage(dpa >>> 12)) return false;
            if (movs) {
                if (dpa > spa && dpa < spa + n) return false; // overlapping forward copy: element semantics
                System.arraycopy(phys.chunkFor(spa), spa & PhysicalMemory.CHUNK_MASK,
                        phys.chunkFor(dpa), dpa & PhysicalMemory.CHUNK_MASK, n);
                r[CpuState.ESI] = si + n;
            } else {
                byte[] ram = phys.chunkFor(dpa);
                int at = dpa & PhysicalMemory.CHUNK_MASK;
                if (size == 1) {
                    Arrays.fill(ram, at, at + n, (byte) value);
                } else if (size == 2) {
                    for (int i = 0; i < n; i += 2) ChunkWords.set16(ram, at + i, value);
                } else {
                    for (int i = 0; i < n; i += 4) ChunkWords.set32(ram, at + i, value);
                }
            }
            r[CpuState.EDI] = di + n;
            r[CpuState.ECX] = (int) (count - elems);
            moved += n;
        }
        return r[CpuState.ECX] == 0;
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
