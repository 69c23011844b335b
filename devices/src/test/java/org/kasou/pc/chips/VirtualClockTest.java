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

    private long hostNow;

    @Test
    void onTheHostClockAChangeOfPaceIsFollowedWithoutSwinging() {
        VirtualClock c = new VirtualClock(() -> instructions, false, () -> hostNow);
        long step = VirtualClock.RESYNC_INSTRUCTIONS / 16;
        long last = 0;
        // The guest's pace in host nanoseconds an instruction, changing as it would between the
        // interpreter and compiled code: 200 stretches at each.
        double[] paces = {1.5, 0.3, 8, 2.5, 0.8, 9.5, 1};
        for (double pace : paces) {
            long maxDrift = 0;
            for (int i = 0; i < 200 * 16; i++) {
                instructions += step;
                hostNow += (long) (step * pace);
                long t = c.getAsLong();
                assertTrue(t >= last, "monotonic");
                last = t;
                if (i >= 100 * 16) maxDrift = Math.max(maxDrift, Math.abs(t - hostNow));
            }
            // Once settled (a clock ahead can only slow down to MIN_RATE), within two stretches of the host's time at that pace.
            long stretch = (long) (VirtualClock.RESYNC_INSTRUCTIONS * pace);
            assertTrue(maxDrift <= 2 * stretch, "pace " + pace + ": drift " + maxDrift + " ns, a stretch is " + stretch + " ns");
        }
    }

    @Test
    void onTheHostClockAStretchNobodyReadIsTheHostsTime() {
        VirtualClock c = new VirtualClock(() -> instructions, false, () -> hostNow);
        // A guest computing for a billion instructions at 2 host nanoseconds each, reading no timer.
        instructions += 1_000_000_000;
        hostNow += 2_000_000_000;
        long t = c.getAsLong();
        assertEquals(2_000_000_000, t, 1_000_000);
        instructions += 1000;
        hostNow += 2000;
        assertTrue(c.getAsLong() > t, "moves on from there");
    }

    @Test
    void onTheHostClockTimeNobodyReadForAStretchIsTheHostsEvenAfterARead() {
        VirtualClock c = new VirtualClock(() -> instructions, false, () -> hostNow);
        // A read just after the start (a device looks at its timers), then two billion instructions
        // at 1.5 host nanoseconds each with no read: not two billion times the starting rate.
        instructions += 10;
        hostNow += 100;
        c.getAsLong();
        instructions += 2_000_000_000;
        hostNow += 3_000_000_000L;
        long t = c.getAsLong();
        assertEquals(3_000_000_000L, t, 1_000_000);
        // From there it follows the host: a million instructions later it is within a stretch's
        // share of the host's time.
        for (int i = 0; i < 100; i++) {
            instructions += 10_000;
            hostNow += 15_000;
            assertTrue(c.getAsLong() >= t);
        }
        assertEquals(hostNow, c.getAsLong(), 50_000_000);
    }

    @Test
    void aSpinWaitHintMovesTheClockOnInBothModes() {
        VirtualClock det = new VirtualClock(() -> instructions, true);
        long before = det.getAsLong();
        det.spin();
        assertEquals(before + VirtualClock.SPIN_NANOS, det.getAsLong());

        VirtualClock host = new VirtualClock(() -> instructions, false, () -> hostNow);
        long t = host.getAsLong();
        for (int i = 0; i < 1000; i++) host.spin();
        assertEquals(t + 1000 * VirtualClock.SPIN_NANOS, host.getAsLong());
        // Over many stretches at one host nanosecond an instruction, the clock stays ahead of the
        // host by what was skipped (it does not slow down to give it back).
        for (int i = 0; i < 200; i++) {
            instructions += VirtualClock.RESYNC_INSTRUCTIONS;
            hostNow += VirtualClock.RESYNC_INSTRUCTIONS;
            host.getAsLong();
        }
        long skipped = 1000 * VirtualClock.SPIN_NANOS;
        assertEquals(skipped, host.spunNanos());
        assertEquals(hostNow + skipped, host.getAsLong(), VirtualClock.RESYNC_INSTRUCTIONS / 10);
    }

    @Test
    void onTheHostClockTimeNeverRunsFasterThanAtTheMaximumRate() {
        VirtualClock c = new VirtualClock(() -> instructions, false, () -> hostNow);
        long last = c.getAsLong();
        // A host far slower than the bound, with a pause of a second in one stretch: each step of
        // instructions still takes at most MAX_RATE nanoseconds an instruction (the TSC
        // calibration's loop needs its turns in a millisecond of guest time).
        for (int i = 0; i < 5000; i++) {
            instructions += 10_000;
            hostNow += i == 2000 ? 1_000_000_000 : 500_000;
            long t = c.getAsLong();
            assertTrue(t - last <= 10_000 * VirtualClock.MAX_RATE + 1, "step " + i + ": " + (t - last) + " ns");
            assertTrue(t >= last);
            last = t;
        }
    }
}
