package org.kasou.conformance.sst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The runner's own behaviour on hand-made tests: loading, halting, comparing, cleaning up. */
class SstRunnerTest {
    private final SstRunner runner = new SstRunner();

    /** A test at 1000:0100 (linear 0x10100) with the given code bytes and expected changes. */
    private static SstTest test(int[] code, int[] finalRegs, int[] finalRam, int vector) {
        int[] regs = new int[SstTest.REG_COUNT];
        regs[SstTest.CS] = 0x1000;
        regs[SstTest.SS] = 0x2000;
        regs[SstTest.DS] = 0x3000;
        regs[SstTest.ES] = 0x4000;
        regs[SstTest.SP] = 0x0100;
        regs[SstTest.IP] = 0x0100;
        regs[SstTest.BX] = 0x0010;
        regs[SstTest.FLAGS] = 0xF002; // bits 12-15 set: the 286 in real mode cannot hold them
        int[] ram = new int[code.length * 2];
        byte[] bytes = new byte[code.length];
        for (int i = 0; i < code.length; i++) {
            ram[2 * i] = 0x10100 + i;
            ram[2 * i + 1] = code[i];
            bytes[i] = (byte) code[i];
        }
        int[] fin = new int[SstTest.REG_COUNT];
        Arrays.fill(fin, SstTest.UNCHANGED);
        for (int i = 0; i < finalRegs.length; i += 2) {
            fin[finalRegs[i]] = finalRegs[i + 1];
        }
        return new SstTest(0, "t", bytes, regs, ram, fin, finalRam, vector, -1, "h");
    }

    @Test
    void runsToTheHltAndCompares() {
        SstTest mov = test(new int[] {0xB8, 0x34, 0x12, 0xF4}, new int[] {SstTest.AX, 0x1234, SstTest.IP, 0x0104}, new int[0], -1);
        SstOutcome o = runner.run(mov, 0xFFFF);
        assertTrue(o.passed(), o.mismatches.toString());
        assertEquals("HALTED", o.stop);
        assertEquals(0x0002, o.actualRegs[SstTest.FLAGS] & 0xF000 | 2, "FLAGS bits 12-15 are not loaded");

        SstTest wrong = test(new int[] {0xB8, 0x34, 0x12, 0xF4}, new int[] {SstTest.AX, 0x1235, SstTest.IP, 0x0104}, new int[0], -1);
        SstOutcome w = runner.run(wrong, 0xFFFF);
        assertFalse(w.passed());
        assertEquals("[ax: expected 1235, got 1234]", w.mismatches.toString());
    }

    @Test
    void comparesMemoryAndPutsItBack() {
        // mov byte [bx],0x5A: DS:0010 = linear 0x30010
        SstTest store = test(new int[] {0xC6, 0x07, 0x5A, 0xF4}, new int[] {SstTest.IP, 0x0104}, new int[] {0x30010, 0x5A}, -1);
        assertTrue(runner.run(store, 0xFFFF).passed());
        assertFalse(runner.memoryDirty(), "the runner restores what the test wrote");
        SstTest wrong = test(new int[] {0xC6, 0x07, 0x5A, 0xF4}, new int[] {SstTest.IP, 0x0104}, new int[] {0x30010, 0x5B}, -1);
        assertEquals("[ram[30010]: expected 5B, got 5A]", runner.run(wrong, 0xFFFF).mismatches.toString());
    }

    @Test
    void aStrayWriteIsFoundInStrictMode() {
        // The expected RAM leaves out the byte the instruction writes.
        SstTest store = test(new int[] {0xC6, 0x07, 0x5A, 0xF4}, new int[] {SstTest.IP, 0x0104}, new int[0], -1);
        assertTrue(runner.run(store, 0xFFFF).passed(), "without strict checking the write goes unseen");
        assertTrue(runner.memoryDirty());
        runner.resetMemory();
        SstOutcome o = runner.run(store, 0xFFFF, true);
        assertEquals("[stray write ram[30010]: expected 00, got 5A]", o.mismatches.toString());
        assertFalse(runner.memoryDirty());
    }

    @Test
    void anUnexpectedExceptionEndsAtItsSentinel() {
        // UD2 (0F 0B): the test does not supply IVT entry 6, so the sentinel handler catches it.
        SstTest ud2 = test(new int[] {0x0F, 0x0B, 0xF4}, new int[] {SstTest.IP, 0x0103}, new int[0], -1);
        SstOutcome o = runner.run(ud2, 0xFFFF);
        assertFalse(o.passed());
        assertEquals(6, o.sentinelVector);
        assertEquals(SstRunner.SENTINEL_SEGMENT, o.actualRegs[SstTest.CS]);
        assertEquals(1, o.instructions, "a faulting UD2 does not retire; the sentinel's HLT does");
    }

    @Test
    void flagsCompareThroughTheMask() {
        // or al,0: AF is undefined after OR on the 286, so the metadata masks it out.
        SstTest or = test(new int[] {0x0C, 0x00, 0xF4}, new int[] {SstTest.IP, 0x0103, SstTest.FLAGS, 0x0056}, new int[0], -1);
        assertFalse(runner.run(or, 0xFFFF).passed(), "kasou clears AF; this capture says it was set");
        assertTrue(runner.run(or, 0xFFFF & ~0x10).passed());
    }
}
