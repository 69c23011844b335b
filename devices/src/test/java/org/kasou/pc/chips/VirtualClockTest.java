package org.kasou.pc.chips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The machine clock: exact in deterministic mode, steady per instruction and following the host otherwise. */
class VirtualClockTest {
    private long instructions;

    @Test
    void deterministicTimeIsTheInstructionCountPlusSkips() {
        VirtualClock c = new VirtualClock(() -> instructions, true);
        instructions = 12_345;
        assertEquals(12_345, c.getAsLong());
        c.skipTo(50_000);
        assertEquals(50_000, c.getAsLong());
        instructions += 10;
        assertEquals(50_010, c.getAsLong());
    }

    @Test
    void onTheHostClockEqualStepsOfInstructionsAreEqualStepsOfTime() throws Exception {
        VirtualClock c = new VirtualClock(() -> instructions, false);
        long last = c.getAsLong();
        long firstStep = -1;
        for (int i = 0; i < 100; i++) { // within one stretch: the same time for the same instructions
            instructions += 1000;
            long t = c.getAsLong();
            if (firstStep < 0) firstStep = t - last;
            assertEquals(firstStep, t - last, 1, "step " + i);
            last = t;
        }
        assertTrue(firstStep > 0);
    }

    @Test
    void onTheHostClockItFollowsTheHostOverManyStretches() throws Exception {
        VirtualClock c = new VirtualClock(() -> instructions, false);
        long hostStart = System.nanoTime();
        long last = 0;
        // A guest running 1 instruction a host nanosecond, as far as sleeping lets us pace it.
        for (int i = 0; i < 60; i++) {
            Thread.sleep(5);
            instructions = System.nanoTime() - hostStart;
            long t = c.getAsLong();
            assertTrue(t >= last, "monotonic");
            last = t;
        }
        long host = System.nanoTime() - hostStart;
        assertTrue(Math.abs(last - host) < host / 4, "clock " + last + " ns against the host's " + host + " ns");
        c.catchUpWithHost();
        assertTrue(c.getAsLong() >= System.nanoTime() - hostStart - 1_000_000, "caught up after a halt");
    }
}
