package org.kasou.conformance.sst;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SstFamilyTest {
    @Test
    void groupsOpcodesAndGroupMembers() {
        assertEquals(SstFamily.ALU, SstFamily.of("00"));
        assertEquals(SstFamily.STACK, SstFamily.of("1F"));
        assertEquals(SstFamily.BCD, SstFamily.of("27"));
        assertEquals(SstFamily.ALU, SstFamily.of("F7.3"));
        assertEquals(SstFamily.MULDIV, SstFamily.of("F7.6"));
        assertEquals(SstFamily.SHIFT, SstFamily.of("D3.2"));
        assertEquals(SstFamily.FAR_AND_INTERRUPT, SstFamily.of("FF.3"));
        assertEquals(SstFamily.BRANCH, SstFamily.of("FF.4"));
        assertEquals(SstFamily.STACK, SstFamily.of("FF.6"));
        assertEquals(SstFamily.STRING, SstFamily.of("A5"));
        assertEquals(SstFamily.IO, SstFamily.of("6D"));
        assertEquals(SstFamily.FLAGS, SstFamily.of("FD"));
        assertEquals(SstFamily.OTHER, SstFamily.of("D8"));
        assertEquals(SstFamily.MOVE, SstFamily.of("8E"));
    }
}
