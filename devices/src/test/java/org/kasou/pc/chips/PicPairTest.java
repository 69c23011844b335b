package org.kasou.pc.chips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The 8259A pair as a PC BIOS and Linux program and use it (Intel 8259A data sheet). */
class PicPairTest {
    private PicPair pic;

    /** The initialization Linux's init_8259A does: vectors 0x30/0x38, cascade on line 2, 8086 mode. */
    @BeforeEach
    void init() {
        pic = new PicPair();
        pic.out(0x20, 1, 0x11);
        pic.out(0x21, 1, 0x30);
        pic.out(0x21, 1, 0x04);
        pic.out(0x21, 1, 0x01);
        pic.out(0xA0, 1, 0x11);
        pic.out(0xA1, 1, 0x38);
        pic.out(0xA1, 1, 0x02);
        pic.out(0xA1, 1, 0x01);
        pic.out(0x21, 1, 0x00);
        pic.out(0xA1, 1, 0x00);
    }

    @Test
    void theMaskReadsBackAsWritten() {
        pic.out(0x21, 1, 0xFB); // Linux's probe
        assertEquals(0xFB, pic.in(0x21, 1));
        pic.out(0xA1, 1, 0x5A);
        assertEquals(0x5A, pic.in(0xA1, 1));
    }

    @Test
    void anEdgeIsDeliveredOnceAndBlocksLowerPrioritiesUntilItsEoi() {
        pic.pulseIrq(3);
        pic.pulseIrq(1);
        assertTrue(pic.pending());
        assertEquals(0x31, pic.acknowledge(), "IRQ 1 before IRQ 3");
        assertFalse(pic.pending(), "IRQ 3 waits while IRQ 1 is in service");
        pic.out(0x20, 1, 0x0B); // OCW3: read ISR
        assertEquals(0x02, pic.in(0x20, 1));
        pic.out(0x20, 1, 0x60 + 1); // specific EOI for IRQ 1, as Linux sends it
        assertEquals(0x00, pic.in(0x20, 1));
        assertTrue(pic.pending());
        assertEquals(0x33, pic.acknowledge());
        pic.out(0x20, 1, 0x20); // non-specific EOI
        assertFalse(pic.pending());
    }

    @Test
    void theAnswerToPendingFollowsEveryChangeAfterItWasAsked() {
        assertFalse(pic.pending());
        pic.setIrq(4, true);
        assertTrue(pic.pending(), "a line raised");
        pic.out(0x21, 1, 0x10);
        assertFalse(pic.pending(), "masked");
        pic.out(0x21, 1, 0x00);
        assertTrue(pic.pending(), "unmasked");
        assertEquals(0x34, pic.acknowledge());
        assertFalse(pic.pending(), "acknowledged: in service");
        pic.setIrq(4, false);
        pic.setIrq(12, true);
        assertTrue(pic.pending(), "IRQ 12, on the master's line 2, goes before IRQ 4 in service");
        assertEquals(0x3C, pic.acknowledge());
        assertFalse(pic.pending(), "both in service");
        pic.setIrq(12, false);
        pic.setIrq(3, true);
        assertFalse(pic.pending(), "IRQ 3 waits behind line 2 in service");
        pic.out(0xA0, 1, 0x20);
        pic.out(0x20, 1, 0x20); // non-specific EOIs: the slave's IRQ 12, then the master's line 2
        assertTrue(pic.pending(), "IRQ 3 goes before IRQ 4, still in service");
    }

    @Test
    void slaveInterruptsComeThroughTheCascade() {
        pic.pulseIrq(14);
        assertTrue(pic.pending());
        assertEquals(0x3E, pic.acknowledge());
        pic.out(0xA0, 1, 0x0B);
        assertEquals(0x40, pic.in(0xA0, 1), "IRQ 14 in service on the slave");
        pic.out(0x20, 1, 0x0B);
        assertEquals(0x04, pic.in(0x20, 1), "the cascade line in service on the master");
    }

    @Test
    void maskedRequestsWaitInTheIrr() {
        pic.out(0x21, 1, 0x01);
        pic.pulseIrq(0);
        assertFalse(pic.pending());
        pic.out(0x20, 1, 0x0A); // OCW3: read IRR
        assertEquals(0x01, pic.in(0x20, 1) & 0x01);
        pic.out(0x21, 1, 0x00);
        assertTrue(pic.pending());
        assertEquals(0x30, pic.acknowledge());
    }

    @Test
    void aRequestGoneBeforeTheAcknowledgeIsSpuriousIrq7() {
        pic.out(0x4D0, 1, 0x20); // IRQ 5 level-triggered
        pic.setIrq(5, true);
        assertTrue(pic.pending());
        pic.setIrq(5, false);
        assertEquals(0x37, pic.acknowledge(), "the master's IRQ 7 vector");
        pic.out(0x20, 1, 0x0B);
        assertEquals(0, pic.in(0x20, 1), "nothing put in service");
    }

    @Test
    void levelTriggeredLinesRequestAgainWhileHigh() {
        pic.out(0x4D1, 1, 0x08); // IRQ 11
        assertEquals(0x08, pic.in(0x4D1, 1));
        pic.setIrq(11, true);
        assertEquals(0x3B, pic.acknowledge());
        pic.out(0xA0, 1, 0x20);
        pic.out(0x20, 1, 0x20);
        assertTrue(pic.pending(), "still high: requested again");
        pic.setIrq(11, false);
        assertFalse(pic.pending());
    }

    @Test
    void autoEoiLeavesNothingInService() {
        pic.out(0x20, 1, 0x11);
        pic.out(0x21, 1, 0x08);
        pic.out(0x21, 1, 0x04);
        pic.out(0x21, 1, 0x03); // 8086 mode, auto-EOI
        pic.pulseIrq(0);
        assertEquals(0x08, pic.acknowledge());
        pic.pulseIrq(0);
        assertTrue(pic.pending(), "IRQ 0 again without an EOI");
    }

    @Test
    void pollCommandAcknowledgesWithoutAVector() {
        pic.pulseIrq(4);
        pic.out(0x20, 1, 0x0C); // OCW3: poll
        assertEquals(0x84, pic.in(0x20, 1));
        assertFalse(pic.pending(), "IRQ 4 is in service now");
    }
}
