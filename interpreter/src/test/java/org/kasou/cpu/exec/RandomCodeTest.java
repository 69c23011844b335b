package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;

/**
 * Random bytes as code, in real mode and in 32-bit protected mode with paging: whatever they do,
 * the guest gets x86 exceptions and the interpreter never meets a Java exception.
 */
class RandomCodeTest {
    private static void fuzz(boolean protectedMode, long seed) {
        Random rnd = new Random(seed);
        GuestHarness h = protectedMode ? GuestHarness.flat32() : GuestHarness.real();
        for (int round = 0; round < 1500; round++) {
            h.reset(protectedMode);
            if (protectedMode) h.paging().pte(0x50000, 0);
            byte[] code = new byte[48];
            rnd.nextBytes(code);
            h.phys.load(h.s.seg[org.kasou.cpu.Segment.CS].base + h.s.eip, code, 0, code.length);
            for (int r = 0; r < 8; r++) {
                if (r != CpuState.ESP) h.r[r] = rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(0x60000);
            }
            h.cpu.run(300);
            assertEquals(0, h.cpu.interpreter().internalErrors(), "seed " + seed + " round " + round);
        }
    }

    @Test
    void protectedModeRandomCode() {
        fuzz(true, 1234);
    }

    @Test
    void realModeRandomCode() {
        fuzz(false, 5678);
    }
}
