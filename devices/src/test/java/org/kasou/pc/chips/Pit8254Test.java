package org.kasou.pc.chips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The 8254 against its data sheet, on a clock the test moves. */
class Pit8254Test {
    private long nanos;
    private int irqs;
    private final Pit8254 pit = new Pit8254(() -> nanos);

    {
        pit.irq = () -> irqs++;
    }

    /** Moves the clock by whole PIT ticks. */
    private void ticks(long n) {
        nanos = Pit8254.nanosAt(pit.now() + n);
    }

    private int readCount(int ch) {
        pit.out(0x43, 1, ch << 6); // latch
        int lo = pit.in(0x40 + ch, 1);
        return lo | pit.in(0x40 + ch, 1) << 8;
    }

    @Test
    void mode2RaisesIrq0EveryPeriod() {
        pit.out(0x43, 1, 0x34); // channel 0, LSB then MSB, mode 2
        pit.out(0x40, 1, 1000 & 0xFF);
        pit.out(0x40, 1, 1000 >> 8);
        ticks(500);
        pit.poll();
        assertEquals(0, irqs);
        ticks(600);
        pit.poll();
        assertEquals(1, irqs);
        ticks(5000);
        pit.poll();
        assertEquals(2, irqs, "ticks missed between polls raise one request, as a slow CPU sees them");
        long next = pit.nextTickNanos();
        assertTrue(next > nanos && next - nanos <= Pit8254.nanosAt(1000) + 1, "the next tick within one period");
    }

    @Test
    void theCounterCountsDownAndTheLatchHoldsItsValue() {
        pit.out(0x43, 1, 0x34);
        pit.out(0x40, 1, 0x00);
        pit.out(0x40, 1, 0x10); // 4096
        ticks(101);
        assertEquals(4096 - 100, readCount(0));
        pit.out(0x43, 1, 0x00);
        ticks(50);
        int lo = pit.in(0x40, 1);
        int hi = pit.in(0x40, 1);
        assertEquals(4096 - 100, lo | hi << 8, "the latched value, not the current one");
    }

    @Test
    void mode0OneShotRaisesOnceAtTerminalCount() {
        pit.out(0x43, 1, 0x30); // mode 0
        pit.out(0x40, 1, 100);
        pit.out(0x40, 1, 0);
        ticks(100);
        pit.poll();
        assertEquals(0, irqs);
        ticks(2);
        pit.poll();
        assertEquals(1, irqs);
        ticks(100_000);
        pit.poll();
        assertEquals(1, irqs, "one shot");
        assertEquals(Long.MAX_VALUE, pit.nextTickNanos());
    }

    @Test
    void mode4StrobesOnceAfterTheCount() {
        pit.out(0x43, 1, 0x38); // mode 4, as Linux's one-shot clock event
        pit.out(0x40, 1, 50);
        pit.out(0x40, 1, 0);
        ticks(52);
        pit.poll();
        assertEquals(1, irqs);
    }

    @Test
    void channel2FollowsItsGateAndShowsItsOutputOnPort61() {
        SystemControlPortB portB = new SystemControlPortB(pit, () -> nanos);
        portB.out(0x61, 1, 0x00); // gate low
        pit.out(0x43, 1, 0xB0); // channel 2, mode 0
        pit.out(0x42, 1, 0xFF);
        pit.out(0x42, 1, 0xFF);
        portB.out(0x61, 1, 0x01); // gate high: counting
        ticks(1001);
        assertEquals(0xFFFF - 1000, readCount(2), "counting from the gate");
        assertEquals(0, portB.in(0x61, 1) & 0x20, "OUT2 low before the terminal count");
        assertEquals(0x01, portB.in(0x61, 1) & 0x03);
        ticks(0x10000);
        assertEquals(0x20, portB.in(0x61, 1) & 0x20, "OUT2 high after it");
    }

    @Test
    void readBackLatchesStatusAndCount() {
        pit.out(0x43, 1, 0x34);
        pit.out(0x40, 1, 0x00);
        pit.out(0x40, 1, 0x20);
        ticks(11);
        pit.out(0x43, 1, 0xC2); // read-back: count and status of channel 0
        int status = pit.in(0x40, 1);
        assertEquals(0x34, status & 0x3F, "access and mode as programmed");
        assertEquals(0x80, status & 0x80, "output high in mode 2 mid-period");
        int count = pit.in(0x40, 1) | pit.in(0x40, 1) << 8;
        assertEquals(0x2000 - 10, count);
    }

    @Test
    void theRefreshBitToggles() {
        SystemControlPortB portB = new SystemControlPortB(pit, () -> nanos);
        int a = portB.in(0x61, 1) & 0x10;
        nanos += 15_085;
        int b = portB.in(0x61, 1) & 0x10;
        assertTrue(a != b);
        assertFalse(a == 0x10 && b == 0x10);
    }
}
