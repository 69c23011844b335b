package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;

/**
 * PAUSE tells the machine of a spin-wait loop on each turn (its clock moves on there); NOP, the
 * same byte without the F3 prefix, does not. Through instruction bytes, so on the JIT too when its
 * module runs these tests (the loops run often enough to be compiled).
 */
class SpinWaitHintTest {
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;
    static final int CODE = 0x5000;
    int hints;

    /** mov ecx, turns; loop: [F3] 90; dec ecx; jnz loop; hlt. */
    private int hintsOfLoop(boolean pause, int turns) {
        f.protectedFlat();
        f.cpu.spinWaitHint = () -> hints++;
        byte[] code = pause
                ? new byte[] {(byte) 0xB9, (byte) turns, (byte) (turns >> 8), 0, 0, (byte) 0xF3, (byte) 0x90, 0x49, 0x75, (byte) 0xFB, (byte) 0xF4}
                : new byte[] {(byte) 0xB9, (byte) turns, (byte) (turns >> 8), 0, 0, (byte) 0x90, 0x49, 0x75, (byte) 0xFC, (byte) 0xF4};
        f.phys.load(CODE, code, 0, code.length);
        s.eip = CODE;
        s.gpr[CpuState.ESP] = 0x8000;
        assertEquals(StopReason.HALTED, f.cpu.run(10 * turns));
        assertEquals(0, s.gpr[CpuState.ECX], "the loop ran to its end");
        return hints;
    }

    @Test
    void eachPauseIsAHint() {
        assertEquals(5000, hintsOfLoop(true, 5000));
    }

    @Test
    void nopIsNone() {
        assertEquals(0, hintsOfLoop(false, 5000));
    }
}
