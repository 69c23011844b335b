package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.kasou.cpu.Flags.AF;
import static org.kasou.cpu.Flags.CF;
import static org.kasou.cpu.Flags.OF;
import static org.kasou.cpu.Flags.PF;
import static org.kasou.cpu.Flags.SF;
import static org.kasou.cpu.Flags.ZF;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.LazyFlags;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/** The tricky rules of the Intel SDM (vol. 2 instruction pages), one by one. */
class SdmRulesTest {
    private final Cpu cpu = org.kasou.cpu.TestCpus.create(new PhysicalMemory(4096), new IoPortBus());
    private final CpuState s = cpu.state;

    private int flags() { return LazyFlags.arith(s); }

    private void setFlags(int f) { LazyFlags.setArith(s, f); }

    @Test
    void incAndDecKeepCarry() {
        setFlags(CF);
        assertEquals(0, Alu.inc(s, 1, 0xFF));
        assertEquals(CF | ZF | AF | PF, flags());
        setFlags(0);
        assertEquals(0x7F, Alu.dec(s, 1, 0x80));
        assertEquals(OF | AF, flags()); // 0x7F has odd parity
        setFlags(CF);
        assertEquals(0x8000, Alu.inc(s, 2, 0x7FFF));
        assertEquals(CF | OF | SF | AF | PF, flags());
        // CF survives a chain of INC/DEC whatever recorded it.
        Alu.sub(s, 4, 1, 2); // borrow: CF = 1
        Alu.dec(s, 4, Alu.inc(s, 4, 5));
        assertEquals(CF, flags() & CF);
    }

    @Test
    void negSetsCarryUnlessZero() {
        assertEquals(0, Alu.neg(s, 4, 0));
        assertEquals(ZF | PF, flags());
        assertEquals(0x80, Alu.neg(s, 1, 0x80)); // the most negative value overflows
        assertEquals(CF | OF | SF, flags());
        assertEquals(0xFFFF, Alu.neg(s, 2, 1));
        assertEquals(CF | SF | AF | PF, flags());
    }

    @Test
    void carryInOfAdcAndSbb() {
        setFlags(CF);
        assertEquals(0, Alu.adc(s, 1, 0xFF, 0));
        assertEquals(CF | ZF | AF | PF, flags());
        setFlags(CF);
        assertEquals(0xFFFFFFFF, Alu.sbb(s, 4, 0, 0));
        assertEquals(CF | SF | AF | PF, flags());
        setFlags(CF);
        assertEquals(0, Alu.sbb(s, 2, 0x8000, 0x7FFF)); // -32768 - 32767 - 1 overflows to 0
        assertEquals(ZF | PF | OF | AF, flags());
        setFlags(CF);
        assertEquals(0x80000000, Alu.adc(s, 4, 0x7FFFFFFF, 0)); // +1 from the carry overflows
        assertEquals(OF | SF | AF | PF, flags());
    }

    @Test
    void logicClearsCarryAndOverflow() {
        setFlags(CF | OF | AF);
        Alu.test(s, 4, 0x80000000, 0xFFFFFFFF);
        assertEquals(SF | PF, flags());
        assertEquals(0xF0, Alu.xor(s, 1, 0xFF, 0x0F));
        assertEquals(SF | PF, flags());
    }

    @Test
    void countZeroChangesNothing() {
        Alu.sub(s, 4, 1, 2);
        int before = flags();
        for (int kind = 0; kind < 8; kind++) {
            assertEquals(0x1234, Shifts.shift(s, kind, 2, 0x1234, 0));
            assertEquals(before, flags());
        }
        assertEquals(0x1234, Shifts.shld(s, 2, 0x1234, 0xFFFF, 32)); // count mod 32 = 0
        assertEquals(before, flags());
    }

    @Test
    void rotatesTouchOnlyCarryAndOverflow() {
        setFlags(ZF | SF | PF | AF);
        assertEquals(0x01, Shifts.shift(s, Shifts.ROL, 1, 0x80, 1));
        assertEquals(ZF | SF | PF | AF | CF | OF, flags()); // OF = MSB XOR CF = 0 XOR 1
        setFlags(0);
        // 8-bit ROL by 8: no rotation but CF = LSB of the result.
        assertEquals(0x81, Shifts.shift(s, Shifts.ROL, 1, 0x81, 8));
        assertEquals(CF, flags() & CF);
    }

    @Test
    void rclAndRcrRotateThroughCarry() {
        setFlags(CF);
        assertEquals(0x01, Shifts.shift(s, Shifts.RCL, 1, 0x00, 1));
        assertEquals(0, flags() & (CF | OF));
        // 8-bit RCL by 9 is the identity: the nine bits come back to where they were.
        setFlags(CF);
        assertEquals(0x5A, Shifts.shift(s, Shifts.RCL, 1, 0x5A, 9));
        assertEquals(CF, flags() & CF);
        // 16-bit RCR by 17 likewise; by 18 it is a rotate by 1.
        setFlags(0);
        assertEquals(0x1235, Shifts.shift(s, Shifts.RCR, 2, 0x1235, 17));
        assertEquals(0x091A, Shifts.shift(s, Shifts.RCR, 2, 0x1235, 18));
        assertEquals(CF, flags() & CF);
        // RCR by 1: OF is MSB XOR next bit of the result (the old MSB XOR the old CF).
        setFlags(CF);
        assertEquals(0x8000, Shifts.shift(s, Shifts.RCR, 2, 0x0000, 1));
        assertEquals(OF, flags() & (CF | OF));
        // 32-bit RCL: no modulus; by 31 over 33 bits it is a right rotation by 2, bit 1 lands in CF.
        setFlags(0);
        assertEquals(0, Shifts.shift(s, Shifts.RCL, 4, 0x00000002, 31));
        assertEquals(CF, flags() & CF);
        setFlags(0);
        assertEquals(1, Shifts.shift(s, Shifts.RCL, 4, 0x00000004, 31));
        assertEquals(0, flags() & CF);
    }

    @Test
    void shiftsSetCarryAndOverflow() {
        assertEquals(0x00, Shifts.shift(s, Shifts.SHL, 1, 0x80, 1));
        assertEquals(CF | OF | ZF | PF, flags() & ~AF);
        assertEquals(0x40, Shifts.shift(s, Shifts.SHR, 1, 0x81, 1));
        assertEquals(CF | OF, flags() & ~AF); // OF = original MSB
        assertEquals(0xFF, Shifts.shift(s, Shifts.SAR, 1, 0xC0, 7)); // CF = bit 6
        assertEquals(CF | SF | PF, flags() & ~AF); // OF clear
        assertEquals(0xFF, Shifts.shift(s, Shifts.SAR, 1, 0x80, 31)); // sign fills
        assertEquals(0x0000, Shifts.shift(s, Shifts.SHL, 2, 0x8001, 16));
        assertEquals(CF, flags() & CF); // the last bit out is bit 0
    }

    @Test
    void salIsShl() {
        // Group 2 /6 (SAL) is an alias of /4 (SHL): same result and flags for every count.
        for (int size : new int[] {1, 2, 4}) {
            for (int count = 0; count < 32; count++) {
                setFlags(CF | OF);
                int shl = Shifts.shift(s, Shifts.SHL, size, 0x9A5C3E71, count);
                int shlFlags = flags();
                setFlags(CF | OF);
                assertEquals(shl, Shifts.shift(s, Shifts.SAL, size, 0x9A5C3E71, count));
                assertEquals(shlFlags, flags());
            }
        }
    }

    @Test
    void doublePrecisionShifts() {
        assertEquals(0x2468ACF1, Shifts.shld(s, 4, 0x12345678, 0x80000000, 1));
        assertEquals(0, flags() & (CF | OF));
        assertEquals(0x80000000, Shifts.shrd(s, 4, 0x00000001, 0x00000001, 1));
        assertEquals(CF | OF | SF, flags() & (CF | OF | SF | ZF));
        assertEquals(0x5678ABCD, Shifts.shld(s, 4, 0x12345678, 0xABCDEF01, 16));
        assertEquals(0x5678, Shifts.shrd(s, 2, 0x1234, 0x5678, 16));
    }

    @Test
    void multiplySetsCarryAndOverflowTogether() {
        s.gpr[CpuState.EAX] = 0xAAAA0080;
        MulDiv.mul(s, 1, 2);
        assertEquals(0xAAAA0100, s.gpr[CpuState.EAX]);
        assertEquals(CF | OF, flags() & (CF | OF));
        s.gpr[CpuState.EAX] = 0xFFFFFFFF;
        MulDiv.imul1(s, 4, 0xFFFFFFFF); // -1 * -1 = 1 fits
        assertEquals(1, s.gpr[CpuState.EAX]);
        assertEquals(0, s.gpr[CpuState.EDX]);
        assertEquals(0, flags() & (CF | OF));
        s.gpr[CpuState.EAX] = 0xFFFFFFFF;
        MulDiv.mul(s, 4, 0xFFFFFFFF);
        assertEquals(1, s.gpr[CpuState.EAX]);
        assertEquals(0xFFFFFFFE, s.gpr[CpuState.EDX]);
        assertEquals(CF | OF, flags() & (CF | OF));
        assertEquals(0x8000, MulDiv.imul(s, 2, 0x4000, 2)); // 32768 does not fit 16 bits signed
        assertEquals(CF | OF, flags() & (CF | OF));
        assertEquals(0xFFFFFFFE, MulDiv.imul(s, 4, 0xFFFFFFFF, 2));
        assertEquals(0, flags() & (CF | OF));
    }

    private void assertDivideError(Runnable r) {
        int eax = s.gpr[CpuState.EAX], edx = s.gpr[CpuState.EDX];
        CpuFault f = assertThrows(CpuFault.class, r::run);
        assertEquals(CpuFault.DE, f.vector);
        assertEquals(eax, s.gpr[CpuState.EAX], "EAX unchanged by a faulting divide");
        assertEquals(edx, s.gpr[CpuState.EDX], "EDX unchanged by a faulting divide");
    }

    @Test
    void divideErrors() {
        s.gpr[CpuState.EAX] = 5;
        s.gpr[CpuState.EDX] = 0;
        assertDivideError(() -> MulDiv.div(cpu, 4, 0));
        assertDivideError(() -> MulDiv.idiv(cpu, 2, 0));
        s.gpr[CpuState.EAX] = 0x1000; // 4096 / 16 = 256 does not fit AL
        assertDivideError(() -> MulDiv.div(cpu, 1, 16));
        s.gpr[CpuState.EAX] = 0xFF80; // -128 / -1 = 128 does not fit AL
        assertDivideError(() -> MulDiv.idiv(cpu, 1, 0xFF));
        s.gpr[CpuState.EAX] = 0x8000;
        s.gpr[CpuState.EDX] = 0xFFFF; // -32768 / -1
        assertDivideError(() -> MulDiv.idiv(cpu, 2, 0xFFFF));
        s.gpr[CpuState.EAX] = 0x80000000;
        s.gpr[CpuState.EDX] = 0xFFFFFFFF; // -2^31 / -1
        assertDivideError(() -> MulDiv.idiv(cpu, 4, -1));
        MulDiv.idiv(cpu, 4, 1); // -2^31 / 1 fits
        assertEquals(0x80000000, s.gpr[CpuState.EAX]);
        assertEquals(0, s.gpr[CpuState.EDX]);
        s.gpr[CpuState.EAX] = 0xFFF9; // -7 / 2 = -3 remainder -1 (truncation toward zero)
        MulDiv.idiv(cpu, 1, 2);
        assertEquals(0xFFFD, s.gpr[CpuState.EAX] & 0xFFFF);
        s.gpr[CpuState.EAX] = 0;
        s.gpr[CpuState.EDX] = 1; // 2^32 / 2^32-1
        MulDiv.div(cpu, 4, 0xFFFFFFFF);
        assertEquals(1, s.gpr[CpuState.EAX]);
        assertEquals(1, s.gpr[CpuState.EDX]);
    }

    @Test
    void decimalAdjustExamplesFromTheSdm() {
        // DAA example (SDM vol. 2): ADD AL, BL with 79H + 35H = AEH, then DAA gives 14H, CF and AF set.
        s.gpr[CpuState.EAX] = Alu.add(s, 1, 0x79, 0x35);
        Bcd.daa(s);
        assertEquals(0x14, s.gpr[CpuState.EAX]);
        assertEquals(CF | AF | PF, flags() & ~OF);
        // DAS example: SUB AL, BL with 35H - 47H = EEH, then DAS gives 88H with SF, AF, PF, CF.
        s.gpr[CpuState.EAX] = Alu.sub(s, 1, 0x35, 0x47);
        Bcd.das(s);
        assertEquals(0x88, s.gpr[CpuState.EAX]);
        assertEquals(SF | AF | PF | CF, flags() & ~OF);
        // AAA after 8 + 5 = 0DH: AX becomes 0103H.
        s.gpr[CpuState.EAX] = Alu.add(s, 1, 8, 5);
        Bcd.aaa(s);
        assertEquals(0x0103, s.gpr[CpuState.EAX]);
        assertEquals(CF | AF, flags() & (CF | AF));
        // AAS after 3 - 5: AX = 0xFF08 with CF and AF set (borrow from AH).
        s.gpr[CpuState.EAX] = Alu.sub(s, 1, 3, 5);
        Bcd.aas(s);
        assertEquals(0xFF08, s.gpr[CpuState.EAX]);
        assertEquals(CF | AF, flags() & (CF | AF));
        // AAM: 63 -> AH 6, AL 3; AAD undoes it.
        s.gpr[CpuState.EAX] = 63;
        Bcd.aam(cpu, 10);
        assertEquals(0x0603, s.gpr[CpuState.EAX]);
        Bcd.aad(s, 10);
        assertEquals(63, s.gpr[CpuState.EAX]);
        assertEquals(0, flags() & (ZF | SF));
        // AAM 0 raises #DE and changes nothing.
        s.gpr[CpuState.EAX] = 0x1234;
        CpuFault f = assertThrows(CpuFault.class, () -> Bcd.aam(cpu, 0));
        assertEquals(CpuFault.DE, f.vector);
        assertEquals(0x1234, s.gpr[CpuState.EAX]);
    }

    @Test
    void bitTestAndScan() {
        setFlags(ZF | SF);
        BitOps.bt(s, 4, 0x2, 33); // bit offset of a register operand is taken mod 32
        assertEquals(CF | ZF | SF, flags());
        assertEquals(0x8001, BitOps.bts(s, 2, 0x0001, 15));
        assertEquals(0, flags() & CF);
        assertEquals(0x0000, BitOps.btr(s, 2, 0x8000, 31));
        assertEquals(CF, flags() & CF);
        assertEquals(0x10, BitOps.btc(s, 4, 0, 4));
        assertEquals(0, flags() & CF);
        assertEquals(0xCAFE, BitOps.bsf(s, 2, 0xCAFE, 0)); // destination unchanged when the source is 0
        assertEquals(ZF, flags() & ZF);
        assertEquals(4, BitOps.bsf(s, 4, 0xCAFE, 0x30));
        assertEquals(0, flags() & ZF);
        assertEquals(31, BitOps.bsr(s, 4, 0, 0x80000001));
        assertEquals(0, flags() & ZF);
        assertEquals(0x78563412, BitOps.bswap(0x12345678));
    }

    @Test
    void lazyStateSurvivesSaveAndRestoreThroughEflags() {
        Alu.sub(s, 1, 0x10, 0x20); // 0xF0: SF, CF, PF? 0xF0 has four bits set: PF
        int f = s.eflags();
        s.setEflags(0);
        s.setEflags(f);
        assertEquals(CF | SF | PF, LazyFlags.arith(s));
        assertEquals(true, Conditions.test(s, Conditions.B));
        assertEquals(true, Conditions.test(s, Conditions.S));
    }
}
