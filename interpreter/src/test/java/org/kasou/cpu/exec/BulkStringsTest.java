package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;

/**
 * REP MOVS and REP STOS in both directions, overlapping or not, against a model that moves one
 * element at a time as the SDM describes (read the whole element, then write it; ESI/EDI step by
 * the element size, down when DF=1): the bulk path must give the same bytes and registers.
 */
class BulkStringsTest {
    /** Where the copies happen: 5 pages with room on both sides, away from the harness's tables and code. */
    static final int AREA = 0x40000, AREA_BYTES = 0x5000;

    @Test
    void randomCopiesAndFillsMatchTheElementModel() {
        Random rnd = new Random(20261206);
        for (int round = 0; round < 400; round++) {
            int size = 1 << rnd.nextInt(3);
            boolean down = rnd.nextBoolean();
            boolean movs = rnd.nextInt(4) != 0;
            int count = 1 + rnd.nextInt(rnd.nextBoolean() ? 40 : 3000 / size);
            // Sources and destinations close together (overlapping by a few bytes either way) or far apart.
            int span = count * size;
            int lo = AREA + 0x100, hi = AREA + AREA_BYTES - 0x100;
            int src = down ? hi - rnd.nextInt(hi - lo - span) : lo + rnd.nextInt(hi - lo - span);
            int delta = rnd.nextInt(3) == 0 ? rnd.nextInt(2 * span + 1) - span : rnd.nextInt(17) - 8;
            int dst = Math.max(lo + (down ? span : 0), Math.min(hi - (down ? 0 : span), src + delta));
            check(size, down, movs, src, dst, count, rnd.nextInt(), rnd.nextLong(), "round " + round);
        }
    }

    @Test
    void backwardCopyOfAWholeImageUpwardsOverItself() {
        // The Linux decompressor moves itself up with std; rep movsd from the image's last word down.
        check(4, true, true, AREA + 0x3FFC, AREA + 0x4A8C, 0x1000, 0, 7, "image move");
    }

    @Test
    void forwardCopyOneElementAheadRepeatsThePattern() {
        check(4, false, true, AREA + 0x800, AREA + 0x804, 0x900, 0, 11, "pattern");
        check(2, false, true, AREA + 0x800, AREA + 0x803, 0x900, 0, 12, "pattern, odd distance");
    }

    @Test
    void backwardCopyFaultLeavesRegistersAtTheFaultingElement() {
        // Going down from 0x31010: the elements in 0x31000-0x31013 move, then #PF at 0x30FFC.
        GuestHarness h = GuestHarness.flat32().paging().pte(0x30000, 0);
        for (int i = 0; i < 0x20; i++) h.phys.write8(0x20000 + i, 0x60 + i);
        h.runToHlt("FD BE 10 00 02 00 BF 10 10 03 00 B9 40 00 00 00 F3 A5"
                /* std; mov esi,0x20010; mov edi,0x31010; mov ecx,0x40; rep movsd */);
        assertEquals(14, h.deliveredVector());
        assertEquals(0x30FFC, h.s.cr2);
        assertEquals(0x40 - 5, h.r[CpuState.ECX]);
        assertEquals(0x30FFC, h.r[CpuState.EDI]);
        assertEquals(0x20010 - 20, h.r[CpuState.ESI]);
        for (int i = 0; i < 20; i++) assertEquals(0x60 + i, h.phys.read8(0x31000 + i), "byte " + i);
    }

    @Test
    void backwardFillWhoseOffsetsWrapBelowZero() {
        // ES based at 0x40800: offsets 4, 0 and then 0xFFFFFFFC, which is linear 0x407FC (one page, offsets wrapping).
        GuestHarness h = GuestHarness.flat32();
        h.s.seg[org.kasou.cpu.Segment.ES].set(0x10, 0x40800, 0xFFFFFFFF, 0xC093);
        h.r[CpuState.EAX] = 0x5A5A5A5A;
        h.r[CpuState.EDI] = 4;
        h.r[CpuState.ECX] = 3;
        h.runToHlt("FD F3 AB FC"); // std; rep stosd; cld
        for (int a = 0x407FC; a < 0x40808; a += 4) assertEquals(0x5A5A5A5A, h.phys.read32(a), Integer.toHexString(a));
        assertEquals(0, h.phys.read32(0x407F8));
        assertEquals(0, h.phys.read32(0x40808));
        assertEquals(-8, h.r[CpuState.EDI]);
        assertEquals(0, h.r[CpuState.ECX]);
    }

    /** Runs one REP MOVS or STOS on random bytes and compares memory and registers with the model. */
    private static void check(int size, boolean down, boolean movs, int src, int dst, int count, int eax, long seed, String what) {
        byte[] before = new byte[AREA_BYTES];
        new Random(seed).nextBytes(before);
        GuestHarness h = GuestHarness.flat32();
        h.phys.load(AREA, before, 0, AREA_BYTES);
        h.r[CpuState.ESI] = src;
        h.r[CpuState.EDI] = dst;
        h.r[CpuState.ECX] = count;
        h.r[CpuState.EAX] = eax;
        int opcode = (movs ? 0xA4 : 0xAA) + (size == 1 ? 0 : 1);
        String prefix = size == 2 ? "66 " : "";
        h.runToHlt((down ? "FD " : "") + prefix + "F3 " + Integer.toHexString(opcode) + (down ? " FC" : ""));

        byte[] model = before.clone();
        int si = src, di = dst, step = down ? -size : size;
        for (int i = 0; i < count; i++) {
            byte[] element = new byte[size];
            for (int k = 0; k < size; k++) element[k] = movs ? model[si - AREA + k] : (byte) (eax >>> (8 * k));
            System.arraycopy(element, 0, model, di - AREA, size);
            si += step;
            di += step;
        }
        String desc = String.format("%s: size %d %s %s src %x dst %x count %d", what, size, down ? "down" : "up",
                movs ? "movs" : "stos", src, dst, count);
        assertArrayEquals(model, h.phys.copyOut(AREA, AREA_BYTES), desc);
        assertEquals(0, h.r[CpuState.ECX], desc);
        assertEquals(di, h.r[CpuState.EDI], desc);
        assertEquals(movs ? si : src, h.r[CpuState.ESI], desc);
    }
}
