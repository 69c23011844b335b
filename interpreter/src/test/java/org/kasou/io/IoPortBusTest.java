package org.kasou.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IoPortBusTest {
    /** A device that takes a little host time per access, so that the time counted must grow. */
    private static final class SlowDevice implements PortDevice {
        int last;

        @Override
        public int in(int port, int size) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            return last;
        }

        @Override
        public void out(int port, int size, int value) {
            last = value;
        }
    }

    @Test
    void countsAccessesAndTheirTimeOnlyWhileAsked() {
        IoPortBus bus = new IoPortBus();
        bus.register(0x60, 1, new SlowDevice());
        bus.out(0x60, 1, 7);
        assertEquals(7, bus.in(0x60, 1));
        assertEquals(0, bus.accesses(), "not counting yet");
        bus.countTime(true);
        bus.out(0x60, 1, 9);
        assertEquals(9, bus.in(0x60, 1));
        assertEquals(0xFF, bus.in(0x61, 1), "an unclaimed port reads as all ones, and counts too");
        assertEquals(3, bus.accesses());
        assertTrue(bus.nanos() >= 100_000, "the read that took 0.1 ms: " + bus.nanos());
        bus.countTime(false);
        bus.in(0x60, 1);
        assertEquals(3, bus.accesses());
    }
}
