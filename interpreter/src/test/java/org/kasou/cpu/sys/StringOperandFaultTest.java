package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;

/**
 * When both memory operands of a string instruction lie beyond their segments' limits, which
 * fault is raised: CMPS reports its ES:EDI operand, MOVS its source (as the host CPU does; see
 * OperandFaultOrderTest in conformance-tests). An SS override on the source makes the two faults
 * differ (#SS against #GP). When both operands' pages are absent, both report the source's #PF
 * (as the host CPU does, seen in a 64-bit process through the signal's fault address).
 */
class StringOperandFaultTest {
    private static int vectorOf(int... code) {
        SysFixture f = new SysFixture();
        CpuState s = f.s;
        f.protectedFlat();
        f.put(SysFixture.IDT + 12 * 8, SysFixture.gate(SysFixture.CODE0, 0x6000, Descriptors.INT_GATE32, 0));
        f.put(SysFixture.IDT + 13 * 8, SysFixture.gate(SysFixture.CODE0, 0x6100, Descriptors.INT_GATE32, 0));
        f.phys.write8(0x6000, 0xF4);
        f.phys.write8(0x6100, 0xF4);
        for (int i = 0; i < code.length; i++) f.phys.write8(0x5000 + i, code[i]);
        s.seg[Segment.SS].set(SysFixture.DATA0, 0, 0xFFFF, SysFixture.ACC_DATA | 1);
        s.seg[Segment.ES].set(SysFixture.DATA0, 0, 0xFFFF, SysFixture.ACC_DATA | 1);
        s.gpr[CpuState.ESP] = 0x9000;
        s.gpr[CpuState.ESI] = 0x20000;
        s.gpr[CpuState.EDI] = 0x20000;
        s.eip = 0x5000;
        assertEquals(StopReason.HALTED, f.cpu.run(10));
        return s.eip == 0x6001 ? 12 : s.eip == 0x6101 ? 13 : -1;
    }

    @Test
    void cmpsReportsTheDestinationFirst() {
        assertEquals(13, vectorOf(0x36, 0xA6), "ss cmpsb: #GP of ES:EDI");
        assertEquals(13, vectorOf(0x36, 0xA7), "ss cmpsd: #GP of ES:EDI");
    }

    /**
     * With both operands' pages absent (ESI on page 0x20, EDI on page 0x21), the vector raised
     * and CR2: the source is read first, by CMPS as by MOVS (as the host CPU does).
     */
    private static String pageFaultOf(int... code) {
        SysFixture f = new SysFixture();
        CpuState s = f.s;
        f.protectedFlat();
        f.put(SysFixture.IDT + 14 * 8, SysFixture.gate(SysFixture.CODE0, 0x6000, Descriptors.INT_GATE32, 0));
        f.phys.write8(0x6000, 0xF4);
        for (int i = 0; i < code.length; i++) f.phys.write8(0x5000 + i, code[i]);
        int pd = 0x100000, pt = 0x101000;
        f.phys.write32(pd, pt | 3);
        for (int page = 0; page < 0x20; page++) f.phys.write32(pt + page * 4, (page << 12) | 3);
        s.cr3 = pd;
        s.cr0 |= CpuState.CR0_PG;
        f.cpu.memory.flushTlb();
        s.gpr[CpuState.ESP] = 0x9000;
        s.gpr[CpuState.ESI] = 0x20010;
        s.gpr[CpuState.EDI] = 0x21020;
        s.gpr[CpuState.ECX] = 2;
        s.eip = 0x5000;
        assertEquals(StopReason.HALTED, f.cpu.run(10));
        return (s.eip == 0x6001 ? "#PF" : "eip " + Integer.toHexString(s.eip)) + " at " + Integer.toHexString(s.cr2);
    }

    @Test
    void bothReadTheSourceFirst() {
        assertEquals("#PF at 20010", pageFaultOf(0xA6), "cmpsb");
        assertEquals("#PF at 20010", pageFaultOf(0xA7), "cmpsd");
        assertEquals("#PF at 20010", pageFaultOf(0xF3, 0xA6), "repe cmpsb");
        assertEquals("#PF at 20010", pageFaultOf(0xA4), "movsb");
        assertEquals("#PF at 20010", pageFaultOf(0xF3, 0xA5), "rep movsd");
    }

    @Test
    void movsReportsTheSourceFirst() {
        assertEquals(12, vectorOf(0x36, 0xA4), "ss movsb: #SS of the source");
        assertEquals(12, vectorOf(0x36, 0xA5), "ss movsd: #SS of the source");
    }
}
