package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;

/**
 * Two rules the public test386 ROM checks, through instruction bytes (and so on the JIT too when
 * its module runs these tests): POP SS steps ESP by the stack size SS had before it, and a fault
 * while delivering INT n is a fault of the INT instruction, whose address it pushes.
 */
class StackAndTrapFaultTest {
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;

    @Test
    void popSsStepsEspByTheSizeOfTheOldStack() {
        f.protectedFlat();
        s.seg[Segment.SS].set(SysFixture.DATA0, 0, 0xFFFF, 0x0093); // a 16-bit stack: SP, not ESP
        s.gpr[CpuState.ESP] = 0x2FFFC;
        f.phys.write16(0xFFFC, SysFixture.DATA0); // the 32-bit flat data segment
        f.phys.load(0x5000, new byte[] {0x17, (byte) 0xF4}, 0, 2); // pop ss; hlt
        s.eip = 0x5000;
        assertEquals(StopReason.HALTED, f.cpu.run(10));
        assertTrue(s.seg[Segment.SS].big(), "the new SS is a 32-bit stack");
        assertEquals(0x20000, s.gpr[CpuState.ESP], "SP wrapped from 0xFFFC + 4 to 0 and the high half stayed");
    }

    @Test
    void intThroughAGateAboveItsPrivilegeFaultsAtTheIntInstruction() {
        f.protectedFlat();
        f.put(SysFixture.IDT + 0x23 * 8, SysFixture.gate(SysFixture.CODE0, 0x7000, Descriptors.INT_GATE32, 0));
        f.put(SysFixture.IDT + 13 * 8, SysFixture.gate(SysFixture.CODE0, 0x6000, Descriptors.INT_GATE32, 0));
        f.phys.write8(0x6000, 0xF4); // the #GP handler: hlt
        f.phys.load(0x5000, new byte[] {(byte) 0xCD, 0x23, (byte) 0xF4}, 0, 3); // int 23h; hlt
        s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x61);
        s.seg[Segment.SS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
        s.cpl = 3;
        s.gpr[CpuState.ESP] = 0x8000;
        s.eip = 0x5000;
        assertEquals(StopReason.HALTED, f.cpu.run(10));
        assertEquals(0x6001, s.eip, "halted in the #GP handler");
        assertEquals(0x9000 - 24, s.gpr[CpuState.ESP], "error code, EIP, CS, EFLAGS, ESP, SS on the ring-0 stack");
        assertEquals(0x23 * 8 + 2, f.phys.read32(0x9000 - 24), "#GP(vector * 8 + 2): the IDT bit");
        assertEquals(0x5000, f.phys.read32(0x9000 - 20), "the address of the INT, not of the instruction after it");
        assertEquals(SysFixture.CODE3, f.phys.read32(0x9000 - 16) & 0xFFFF);
    }
}
