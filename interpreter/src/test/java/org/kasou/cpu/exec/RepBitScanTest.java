package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.StopReason;
import org.kasou.cpu.sys.SysFixture;

/**
 * F3 0F BC / F3 0F BD ("rep bsf", "rep bsr", spelled tzcnt and lzcnt by objdump) on a P6, which
 * has neither BMI1 nor ABM: the prefix is ignored and they are BSF and BSR (compilers emit them for
 * bit scans that must also work on older CPUs, as Linux's _find_first_bit).
 */
class RepBitScanTest {
    private final SysFixture f = new SysFixture();

    private void run(int eax, int ecx, int... code) {
        f.protectedFlat();
        byte[] b = new byte[code.length + 1];
        for (int i = 0; i < code.length; i++) b[i] = (byte) code[i];
        b[code.length] = (byte) 0xF4;
        f.phys.load(0x5000, b, 0, b.length);
        f.s.gpr[CpuState.EAX] = eax;
        f.s.gpr[CpuState.ECX] = ecx;
        f.s.eip = 0x5000;
        f.s.halted = false; // from the run before
        assertEquals(StopReason.HALTED, f.cpu.run(10));
    }

    @Test
    void repBsfIsBsf() {
        run(0x30, 0x77, 0xF3, 0x0F, 0xBC, 0xC8); // rep bsf ecx, eax
        assertEquals(4, f.s.gpr[CpuState.ECX]);
        assertEquals(0, f.s.eflags() & Flags.ZF);
        run(0, 0x77, 0xF3, 0x0F, 0xBC, 0xC8);
        assertEquals(0x77, f.s.gpr[CpuState.ECX], "a zero source leaves the destination (TZCNT would give 32)");
        assertEquals(Flags.ZF, f.s.eflags() & Flags.ZF);
    }

    @Test
    void repBsrIsBsr() {
        run(0x30, 0x77, 0xF3, 0x0F, 0xBD, 0xC8); // rep bsr ecx, eax
        assertEquals(5, f.s.gpr[CpuState.ECX], "the highest set bit (LZCNT would give 26)");
    }
}
