package org.kasou.conformance.sst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExpectedDifferenceTest {
    private static SstTest test(int vector, int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) bytes[i];
        }
        int[] regs = new int[SstTest.REG_COUNT];
        int[] fin = new int[SstTest.REG_COUNT];
        java.util.Arrays.fill(fin, SstTest.UNCHANGED);
        return new SstTest(0, "t", b, regs, new int[0], fin, new int[0], vector, -1, "h");
    }

    private static SstOutcome outcome(SstTest t, int sentinel, String... mismatched) {
        List<SstOutcome.Mismatch> m = new java.util.ArrayList<>();
        for (String name : mismatched) {
            m.add(new SstOutcome.Mismatch(name, 1, 2, 4));
        }
        return new SstOutcome(t, "HALTED", 2, sentinel, new int[SstTest.REG_COUNT], m, 0xFFF);
    }

    @Test
    void lockIsValidOnlyOnMemoryReadModifyWrite() {
        assertTrue(ExpectedDifference.lockableOnIa32(test(-1, 0xF0, 0x00, 0x07, 0xF4)), "add [bx],al");
        assertFalse(ExpectedDifference.lockableOnIa32(test(-1, 0xF0, 0x00, 0xC0, 0xF4)), "add al,al");
        assertFalse(ExpectedDifference.lockableOnIa32(test(-1, 0xF0, 0x80, 0x3F, 0x01, 0xF4)), "cmp byte [bx],1");
        assertTrue(ExpectedDifference.lockableOnIa32(test(-1, 0xF0, 0xF6, 0x17, 0xF4)), "not byte [bx]");
        assertFalse(ExpectedDifference.lockableOnIa32(test(-1, 0xF0, 0xF6, 0x27, 0xF4)), "mul byte [bx]");
        assertFalse(ExpectedDifference.lockableOnIa32(test(-1, 0xF0, 0x8B, 0x07, 0xF4)), "mov ax,[bx]");
        assertTrue(ExpectedDifference.lockableOnIa32(test(-1, 0x2E, 0xF0, 0x87, 0x07, 0xF4)), "xchg [cs:bx],ax");
    }

    @Test
    void aLockUdIsExcusedOnlyWhenTheCpuTookUd() {
        SstTest leave = test(-1, 0xF0, 0xC9, 0xF4);
        assertEquals(ExpectedDifference.LOCK_ON_NON_LOCKABLE, ExpectedDifference.explain(leave, outcome(leave, 6, "ip", "cs")));
        assertNull(ExpectedDifference.explain(leave, outcome(leave, SstOutcome.NO_VECTOR, "sp")), "a wrong SP is a bug");
        SstTest add = test(-1, 0xF0, 0x00, 0x07, 0xF4);
        assertNull(ExpectedDifference.explain(add, outcome(add, 6, "ip")), "LOCK ADD [BX],AL is valid on IA-32");
    }

    private static SstOutcome outcome(SstTest t, SstOutcome.Mismatch... m) {
        return new SstOutcome(t, "HALTED", 2, SstOutcome.NO_VECTOR, new int[SstTest.REG_COUNT], List.of(m), 0xFFF);
    }

    @Test
    void stringFaultExcusesOnlyTheFaultingElementsStep() {
        SstTest movsw = test(13, 0xA5, 0xF4); // DF clear: the 286 is one word ahead
        assertEquals(ExpectedDifference.STRING_FAULT_ADVANCES_INDEX, ExpectedDifference.explain(movsw, outcome(movsw,
                new SstOutcome.Mismatch("si", 0x0001, 0xFFFF, 4), new SstOutcome.Mismatch("di", 0x1236, 0x1234, 4))));
        assertNull(ExpectedDifference.explain(movsw, outcome(movsw, new SstOutcome.Mismatch("si", 0x0003, 0xFFFF, 4))),
                "two words ahead is not the 286's behaviour");
        assertNull(ExpectedDifference.explain(movsw, outcome(movsw, new SstOutcome.Mismatch("cx", 4, 5, 4))),
                "CX only moves under REP");
        assertNull(ExpectedDifference.explain(movsw, outcome(movsw, new SstOutcome.Mismatch("si", 0x0001, 0xFFFF, 4),
                new SstOutcome.Mismatch("ram[00010]", 1, 2, 2))), "memory differences are not excused");
        SstTest repInsw = test(13, 0xF3, 0x6D, 0xF4);
        assertEquals(ExpectedDifference.STRING_FAULT_ADVANCES_INDEX, ExpectedDifference.explain(repInsw, outcome(repInsw,
                new SstOutcome.Mismatch("cx", 0x2C, 0x2E, 4), new SstOutcome.Mismatch("di", 0x0001, 0xFFFF, 4))));
        SstTest noFault = test(-1, 0xA5, 0xF4);
        assertNull(ExpectedDifference.explain(noFault, outcome(noFault, new SstOutcome.Mismatch("si", 0x0001, 0xFFFF, 4))));
    }

    @Test
    void stackOverrunNeedsGpExpectedAndSsTaken() {
        SstTest ret = test(13, 0xC3, 0xF4);
        assertEquals(ExpectedDifference.STACK_OVERRUN_VECTOR, ExpectedDifference.explain(ret, outcome(ret, 12, "cs", "ip")));
        assertNull(ExpectedDifference.explain(ret, outcome(ret, 6, "cs", "ip")));
    }

    @Test
    void onlyInstructionsOverTenBytesMayMissTheGp() {
        SstTest eleven = test(13, 0x3E, 0x26, 0x3E, 0x2E, 0x3E, 0x36, 0xEA, 0x2C, 0x76, 0x54, 0x9B, 0xF4);
        assertEquals(ExpectedDifference.INSTRUCTION_LONGER_THAN_10,
                ExpectedDifference.explain(eleven, outcome(eleven, SstOutcome.NO_VECTOR, "cs", "ip", "sp")));
        SstTest ten = test(13, 0x26, 0x3E, 0x2E, 0x3E, 0x36, 0xEA, 0x2C, 0x76, 0x54, 0x9B, 0xF4);
        assertNull(ExpectedDifference.explain(ten, outcome(ten, SstOutcome.NO_VECTOR, "cs", "ip", "sp")));
    }

    @Test
    void aPassIsNeverAnExpectedDifference() {
        SstTest t = test(-1, 0xF0, 0xC9, 0xF4);
        assertNull(ExpectedDifference.explain(t, outcome(t, 6)));
    }
}
