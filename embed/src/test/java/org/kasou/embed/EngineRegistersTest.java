package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

class EngineRegistersTest {
    @Test
    void generalRegistersAndTheirNarrowViews() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        e.setReg(Register.EAX, 0x11223344L);
        assertEquals(0x3344, e.reg(Register.AX));
        assertEquals(0x44, e.reg(Register.AL));
        assertEquals(0x33, e.reg(Register.AH));
        e.setReg(Register.AH, 0xAB);
        assertEquals(0x1122AB44L, e.reg(Register.EAX));
        e.setReg(Register.SI, 0x1234);
        assertEquals(0x1234, e.reg(Register.ESI));
        e.setReg(Register.EDI, 0xFFFFFFFFL);
        assertEquals(0xFFFFFFFFL, e.reg(Register.EDI));
    }

    @Test
    void batchesFlagsControlAndDebugRegisters() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        e.setRegs(new Register[] {Register.EBX, Register.ECX, Register.EFLAGS, Register.DR0}, new long[] {1, 2, 0x8C5, 0x1000});
        assertArrayEquals(new long[] {1, 2, 0x8C7, 0x1000}, e.regs(Register.EBX, Register.ECX, Register.EFLAGS, Register.DR0));
        assertEquals(0x80000000L, e.reg(Register.CR0) & 0x80000001L & 0x80000000L);
        assertEquals(1, e.reg(Register.CR0) & 1);
        assertThrows(IllegalArgumentException.class, () -> e.setRegs(new Register[] {Register.EAX}, new long[0]));
    }

    @Test
    void segmentsCarryTheirDescriptorCaches() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        SegmentCache cs = e.segment(Register.CS);
        assertEquals(new SegmentCache(0x08, 0, 0xFFFFFFFF, 0xC09B), cs);
        e.setSegment(Register.FS, new SegmentCache(0x33, 0x7000, 0xFFF, 0x4093));
        assertEquals(0x33, e.reg(Register.FS));
        assertEquals(0x7000, e.segment(Register.FS).base());
        assertThrows(IllegalArgumentException.class, () -> e.segment(Register.EAX));

        Engine real = Engine.create(Mode.REAL_16);
        real.setReg(Register.DS, 0x1234);
        assertEquals(0x12340, real.segment(Register.DS).base());
    }
}
