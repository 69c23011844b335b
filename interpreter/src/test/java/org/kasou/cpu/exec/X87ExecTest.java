package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.FpuState;
import org.kasou.cpu.LazyFlags;
import org.kasou.fpu.Ext80;
import org.kasou.fpu.FpuStatus;
import org.junit.jupiter.api.Test;

/** The x87 in the CPU: stack discipline and faults, #NM and #MF, the save and restore layouts. */
class X87ExecTest {
    private static final String FNINIT = "DB E3", FLD1 = "D9 E8";

    @Test
    void theNinthPushOverflowsAndTopWraps() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt(FNINIT + (" " + FLD1).repeat(9));
        FpuState f = h.s.fpu;
        assertEquals(7, f.top);
        assertEquals(FpuStatus.IE | FpuStatus.SF | FpuStatus.C1, f.status & (FpuStatus.EXCEPTIONS | FpuStatus.SF | FpuStatus.C1));
        assertEquals(Ext80.INDEFINITE_SE, f.stSe(0));
        assertEquals(Ext80.INDEFINITE_SIG, f.stSig(0));
        assertEquals(0x3FFF, f.stSe(1));
        assertEquals(0x8000, f.tagWord(), "all valid but the indefinite in ST(0), physical register 7");
    }

    @Test
    void storingFromAnEmptyStackStoresTheIndefiniteWithC1Clear() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt(FNINIT + " D9 E8 DD D8 DD 1D 00 20 00 00" /* fld1; fstp st0; fstp qword [0x2000] */);
        FpuState f = h.s.fpu;
        assertEquals(0xFFF8_0000_0000_0000L, (h.phys.read32(0x2000) & 0xFFFF_FFFFL) | (long) h.phys.read32(0x2004) << 32);
        assertEquals(FpuStatus.IE | FpuStatus.SF, f.status & (FpuStatus.EXCEPTIONS | FpuStatus.SF | FpuStatus.C1));
        assertEquals(1, f.top, "the masked response pops");
        assertEquals(0xFFFF, f.tagWord());
    }

    @Test
    void fcomiWritesZfPfCf() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt(FNINIT + " D9 EE D9 E8 DB F1" /* fldz; fld1; fcomi st0,st1 */);
        assertEquals(0, LazyFlags.arith(h.s) & (Flags.ZF | Flags.PF | Flags.CF), "1 > 0");
        h.reset(true).runToHlt(FNINIT + " D9 E8 D9 EE DF F1" /* fld1; fldz; fcomip st0,st1 */);
        assertEquals(Flags.CF, LazyFlags.arith(h.s) & (Flags.ZF | Flags.PF | Flags.CF), "0 < 1");
        assertEquals(7, h.s.fpu.top, "popped once");
    }

    @Test
    void fptanPushesOneAndAnEmptyStackClearsC2() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt(FNINIT + " D9 E8 D9 F2" /* fld1; fptan */);
        FpuState f = h.s.fpu;
        assertEquals(6, f.top);
        assertEquals(0x3FFF, f.stSe(0));
        assertEquals(0x8000_0000_0000_0000L, f.stSig(0), "1.0 pushed");
        assertEquals(0xC759_22E5_F71D_2DC5L, f.stSig(1), "tan(1), correctly rounded");
        h.reset(true).runToHlt(FNINIT + " D9 FE" /* fsin on an empty stack */);
        f = h.s.fpu;
        assertEquals(FpuStatus.IE | FpuStatus.SF, f.status & (FpuStatus.EXCEPTIONS | FpuStatus.SF | FpuStatus.C1 | FpuStatus.C2));
        assertEquals(Ext80.INDEFINITE_SE, f.stSe(0));
    }

    @Test
    void fyl2xPopsIntoStOne() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt(FNINIT + " D9 E8 D9 E8 D8 C0 D9 F1" /* fld1; fld1; fadd st0,st0; fyl2x: 1 * log2(2) */);
        FpuState f = h.s.fpu;
        assertEquals(7, f.top);
        assertEquals(0x3FFF, f.stSe(0));
        assertEquals(0x8000_0000_0000_0000L, f.stSig(0));
        assertEquals(0xFFFF & ~0xC000, f.tagWord(), "one register in use");
    }

    @Test
    void emulationAndTaskSwitchedRaiseNm() {
        GuestHarness h = GuestHarness.flat32();
        h.s.cr0 |= CpuState.CR0_EM;
        h.runToHlt(FLD1);
        assertEquals(CpuFault.NM, h.deliveredVector());
        h.reset(true);
        h.s.cr0 |= CpuState.CR0_TS;
        h.runToHlt(FLD1);
        assertEquals(CpuFault.NM, h.deliveredVector());
        h.reset(true);
        h.s.cr0 |= CpuState.CR0_TS;
        h.runToHlt("9B 90" /* wait without MP: no fault */);
        assertEquals(0, h.s.fpu.top);
        assertTrue(h.deliveredVector() < 0 || h.deliveredVector() > 31);
        h.reset(true);
        h.s.cr0 |= CpuState.CR0_TS | CpuState.CR0_MP;
        h.runToHlt("9B");
        assertEquals(CpuFault.NM, h.deliveredVector());
    }

    @Test
    void anUnmaskedExceptionRaisesMfAtTheNextWaitingInstruction() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write16(0x2000, 0x037E); // IE unmasked
        h.s.cr0 |= CpuState.CR0_NE;
        h.runToHlt(FNINIT + " D9 2D 00 20 00 00 D9 E8 D9 E0 D9 FA DF E0 D9 E8" /* fldcw; fld1; fchs; fsqrt; fnstsw ax; fld1 */);
        assertEquals(CpuFault.MF, h.deliveredVector());
        int sw = h.r[CpuState.EAX] & 0xFFFF;
        assertEquals(0x8000 | FpuStatus.ES | FpuStatus.IE, sw & (0x8000 | FpuStatus.ES | FpuStatus.IE), "FNSTSW does not wait");
        assertEquals(0xBFFF, h.s.fpu.stSe(0), "-1 stays: the unmasked invalid writes nothing");
        assertEquals(7, h.s.fpu.top, "the faulting FLD1 did not push");
    }

    @Test
    void withNeClearThePendingExceptionDoesNotFault() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write16(0x2000, 0x037E);
        h.s.cr0 &= ~CpuState.CR0_NE;
        h.runToHlt(FNINIT + " D9 2D 00 20 00 00 D9 E8 D9 E0 D9 FA D9 E8");
        assertEquals(6, h.s.fpu.top);
        assertTrue(h.s.fpu.errorPending());
    }

    /** FNSAVE then FRSTOR gives the state back in every layout, and FNSAVE leaves the FNINIT state. */
    @Test
    void saveAndRestoreRoundTripInEveryLayout() {
        String program = FNINIT + " D9 EB D9 EE D9 E8 D9 E0"; // fldpi; fldz; fld1; fchs
        for (boolean real : new boolean[] {false, true}) {
            for (boolean wide : new boolean[] {true, false}) {
                GuestHarness h = real ? GuestHarness.real() : GuestHarness.flat32();
                boolean code32 = !real;
                String size = wide == code32 ? "" : "66 ";
                String save = size + (code32 ? "DD 35 00 20 00 00" : "DD 36 00 20");
                String restore = size + (code32 ? "DD 25 00 20 00 00" : "DD 26 00 20");
                h.runToHlt(program);
                FpuState f = h.s.fpu;
                int[] before = snapshot(f);
                int fip = f.fip, fop = f.fop;
                h.s.halted = false; // go on after the HLT
                h.runToHlt(save);
                assertEquals(0x037F, f.control, "FNSAVE ends with FNINIT");
                assertEquals(0xFFFF, f.tagWord());
                int base = (real ? h.s.seg[org.kasou.cpu.Segment.DS].base : 0) + 0x2000;
                int env = wide ? 28 : 14;
                assertEquals(0xBFFF, h.phys.read16(base + env + 8), "ST(0) = -1 follows the environment: "
                        + (real ? "real" : "protected") + (wide ? " 32-bit" : " 16-bit"));
                if (!real && wide) {
                    assertEquals(fip, h.phys.read32(base + 12));
                    assertEquals(fop, h.phys.read16(base + 18) & 0x7FF);
                }
                if (real && !wide) assertEquals(fop, h.phys.read16(base + 8) & 0x7FF);
                h.s.halted = false;
                h.runToHlt(restore);
                assertArrayEquals(before, snapshot(f), (real ? "real" : "protected") + (wide ? " 32-bit" : " 16-bit"));
            }
        }
    }

    private static int[] snapshot(FpuState f) {
        int[] v = new int[8 * 3 + 3];
        for (int i = 0; i < 8; i++) {
            v[3 * i] = f.stSe(i);
            v[3 * i + 1] = (int) f.stSig(i);
            v[3 * i + 2] = (int) (f.stSig(i) >>> 32);
        }
        v[24] = f.control;
        v[25] = f.statusWord();
        v[26] = f.tagWord();
        return v;
    }

    @Test
    void cpuidAdvertisesTheFpu() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("B8 01 00 00 00 0F A2");
        assertEquals(1, h.r[CpuState.EDX] & 1);
        assertTrue((h.r[CpuState.EDX] & (1 << 24)) != 0, "FXSR: FXSAVE and FXRSTOR");
    }

    private static final String FXSAVE_2000 = "0F AE 05 00 20 00 00", FXRSTOR_2000 = "0F AE 0D 00 20 00 00";

    @Test
    void fxsaveWritesTheImageAndLeavesTheState() {
        GuestHarness h = GuestHarness.flat32();
        for (int i = 0; i < 512; i += 4) h.phys.write32(0x2000 + i, 0xAAAAAAAA);
        h.runToHlt(FNINIT + " " + FLD1 + " D9 EB " + FXSAVE_2000 /* fld1; fldpi; fxsave [0x2000] */);
        FpuState f = h.s.fpu;
        assertEquals(6, f.top, "not reinitialised, unlike FNSAVE");
        assertEquals(0x037F, h.phys.read16(0x2000));
        assertEquals(0x3000, h.phys.read16(0x2002), "TOP = 6");
        assertEquals(0xC0, h.phys.read16(0x2004), "abridged tags: physical 6 and 7 in use");
        assertEquals(0, h.phys.read32(0x2008), "no exception pending: no instruction pointer (as on the host)");
        assertEquals(0, h.phys.read32(0x2018), "no MXCSR without SSE");
        assertEquals(0xC90F_DAA2_2168_C235L, (h.phys.read32(0x2020) & 0xFFFF_FFFFL) | (long) h.phys.read32(0x2024) << 32, "ST(0) = pi");
        assertEquals(0x4000, h.phys.read32(0x2028), "its exponent, then zeros");
        assertEquals(0x3FFF, h.phys.read16(0x2038), "ST(1) = 1 at byte 48");
        assertEquals(0xAAAAAAAA, h.phys.read32(0x2000 + 160), "no XMM area without SSE");
    }

    @Test
    void fxrstorRebuildsTheTagsFromTheValues() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write16(0x2000, 0x027F);
        h.phys.write16(0x2002, 0x3800 | FpuStatus.C3); // TOP = 7
        h.phys.write16(0x2004, 0x80); // physical 7 in use
        h.phys.write32(0x2008, 0x1234);
        h.phys.write32(0x2024, 0); // ST(0) = +0
        h.phys.write16(0x2028, 0);
        h.runToHlt(FNINIT + " " + FXRSTOR_2000);
        FpuState f = h.s.fpu;
        assertEquals(0x027F, f.control);
        assertEquals(7, f.top);
        assertEquals(FpuStatus.C3, f.status & FpuStatus.C3);
        assertEquals(0x1234, f.fip);
        assertEquals(FpuState.TAG_ZERO << 14 | 0x3FFF, f.tagWord());
    }

    @Test
    void fxsaveFaultsOnAMisalignedOperandAndWithTsOrEm() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("0F AE 05 08 20 00 00" /* fxsave [0x2008] */);
        assertEquals(CpuFault.GP, h.deliveredVector());
        h.reset(true);
        h.s.cr0 |= CpuState.CR0_TS;
        h.runToHlt(FXRSTOR_2000);
        assertEquals(CpuFault.NM, h.deliveredVector());
        h.reset(true);
        h.s.cr0 |= CpuState.CR0_EM;
        h.runToHlt(FXSAVE_2000);
        assertEquals(CpuFault.NM, h.deliveredVector());
    }

    @Test
    void everyMemoryFormNamesAnEntryPointThatExists() throws Exception {
        // compiled code calls X87Exec by these names: a rename must not compile and fail later
        org.kasou.isa.DecodedInsn d = new org.kasou.isa.DecodedInsn();
        for (int opcode = 0xD8; opcode <= 0xDF; opcode++) {
            d.opcode = opcode;
            java.lang.reflect.Method m = X87Exec.class.getMethod(X87Exec.memoryMethod(d),
                    org.kasou.cpu.Cpu.class, org.kasou.isa.DecodedInsn.class, int.class);
            assertTrue(java.lang.reflect.Modifier.isStatic(m.getModifiers()), m.toString());
            assertEquals(void.class, m.getReturnType(), m.toString());
        }
    }
}
