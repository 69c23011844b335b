package org.kasou.pc.chips;

import java.util.function.LongSupplier;
import org.kasou.io.PortDevice;

/**
 * The 8254 programmable interval timer at ports 0x40-0x43 (Intel 8254 data sheet): three 16-bit
 * down counters at 1.193182 MHz, modes 0-5, binary or BCD, LSB/MSB/both access, counter latch and
 * read-back commands. Counters are not stepped: their value and output follow from the clock's
 * time since they were loaded, so reading them costs the same whatever the rate. Channel 0's
 * output drives IRQ 0 (each rising edge since the last {@link #poll}); channel 2's gate and
 * output belong to port 0x61 ({@link SystemControlPortB}).
 */
public final class Pit8254 implements PortDevice {
    public static final int BASE = 0x40, PORT_COUNT = 4;
    public static final long HZ = 1_193_182;

    private final LongSupplier clock;
    final Channel[] channels = {new Channel(), new Channel(), new Channel()};
    /** Channel 0's elapsed ticks at the last poll (for its output's rising edges). */
    private long polledElapsed;

    public PitIrq irq = () -> { };

    /** Where channel 0's rising edges go (IRQ 0 on the PIC). */
    public interface PitIrq {
        void tick();
    }

    public Pit8254(LongSupplier clock) {
        this.clock = clock;
    }

    /** The clock in PIT ticks. */
    long now() {
        long ns = clock.getAsLong();
        return ns / 1_000_000_000L * HZ + ns % 1_000_000_000L * HZ / 1_000_000_000L;
    }

    /** Nanoseconds at which the clock reaches PIT tick {@code tick}. */
    static long nanosAt(long tick) {
        return tick / HZ * 1_000_000_000L + (tick % HZ * 1_000_000_000L + HZ - 1) / HZ;
    }

    /** Raises IRQ 0 when channel 0's output rose since the last poll. */
    public void poll() {
        Channel c = channels[0];
        if (!c.counting) return;
        long e = c.elapsed(now());
        if (c.risingEdges(polledElapsed, e) > 0) irq.tick();
        polledElapsed = e;
    }

    /** When channel 0's output rises next, in clock nanoseconds, or Long.MAX_VALUE if it never does. */
    public long nextTickNanos() {
        Channel c = channels[0];
        if (!c.counting || !c.gate) return Long.MAX_VALUE;
        long e = c.elapsed(now());
        long next = c.nextRisingEdge(e);
        return next < 0 ? Long.MAX_VALUE : nanosAt(c.start + next);
    }

    /** Channel 2's gate (port 0x61 bit 0). */
    void setGate2(boolean high) {
        channels[2].setGate(high, now());
    }

    /** Channel 2's output (port 0x61 bit 5). */
    boolean out2() {
        return channels[2].out(now());
    }

    @Override
    public int in(int port, int size) {
        int k = port - BASE;
        if (k == 3) return 0xFF; // the control word register is write-only
        return channels[k].read(now());
    }

    @Override
    public void out(int port, int size, int value) {
        int k = port - BASE;
        long t = now();
        if (k < 3) {
            channels[k].writeCount(value & 0xFF, t);
            if (k == 0) polledElapsed = 0;
            return;
        }
        int sel = (value >>> 6) & 3;
        if (sel == 3) { // read-back
            for (int c = 0; c < 3; c++) {
                if ((value & (2 << c)) == 0) continue;
                if ((value & 0x10) == 0) channels[c].latchStatus(t);
                if ((value & 0x20) == 0) channels[c].latchCount(t);
            }
            return;
        }
        int access = (value >>> 4) & 3;
        if (access == 0) channels[sel].latchCount(t);
        else channels[sel].program(access, (value >>> 1) & 7, (value & 1) != 0);
    }

    /** One counter. Time is in PIT ticks; "elapsed" counts ticks since counting started. */
    static final class Channel {
        int mode, access = 3;
        boolean bcd;
        /** The count loaded (1-65536 binary, 1-10000 BCD). */
        int reload;
        boolean counting, gate = true;
        /** Modes 1 and 5 count only after a rising edge of the gate. */
        boolean triggered;
        long start;
        /** Ticks counted before the gate went low (modes 0 and 4 resume from there). */
        long heldElapsed = -1;
        private boolean writeMsbNext, readMsbNext;
        private int partialLsb;
        private int latched = -1, latchedReads, status = -1;

        void program(int access, int mode, boolean bcd) {
            this.access = access;
            this.mode = mode > 5 ? mode - 4 : mode; // 6 and 7 are modes 2 and 3
            this.bcd = bcd;
            counting = false;
            writeMsbNext = readMsbNext = false;
            latched = -1;
            status = -1;
        }

        void writeCount(int b, long now) {
            int value;
            if (access == 1) value = b;
            else if (access == 2) value = b << 8;
            else if (!writeMsbNext) {
                partialLsb = b;
                writeMsbNext = true;
                if (mode == 0) counting = false; // mode 0 stops while the count is half written
                return;
            } else {
                value = partialLsb | b << 8;
                writeMsbNext = false;
            }
            int n = bcd ? fromBcd(value) : value;
            reload = n == 0 ? (bcd ? 10000 : 65536) : n;
            boolean wasCounting = counting;
            counting = true;
            heldElapsed = -1;
            // Modes 2 and 3 take a new count at the end of the current period; the rest start now.
            if (!(wasCounting && (mode == 2 || mode == 3))) start = now + 1;
            triggered = mode != 1 && mode != 5;
        }

        void setGate(boolean high, long now) {
            if (high == gate) return;
            gate = high;
            if (!counting) return;
            if (high) {
                if (mode == 1 || mode == 5 || mode == 2 || mode == 3) { // a rising gate (re)starts these
                    start = now + 1;
                    triggered = true;
                } else if (heldElapsed >= 0) {
                    start = now - heldElapsed;
                }
                heldElapsed = -1;
            } else if (mode == 0 || mode == 4) {
                heldElapsed = elapsed(now);
            }
        }

        long elapsed(long now) {
            if (heldElapsed >= 0) return heldElapsed;
            return Math.max(0, now - start);
        }

        int value(long now) {
            if (!counting || !triggered) return reload & 0xFFFF;
            long e = elapsed(now);
            long n = reload;
            long v;
            switch (mode) {
                case 2: v = n - e % n; break;
                case 3: v = (n - 2 * (e % Math.max(1, n / 2))) & ~1L; break;
                default: v = n - e; break; // 0, 1, 4, 5: on past zero, wrapping
            }
            int modulus = bcd ? 10000 : 65536;
            v = ((v % modulus) + modulus) % modulus;
            return bcd ? toBcd((int) v) : (int) v;
        }

        boolean out(long now) {
            if (!counting) return mode != 0;
            long e = elapsed(now), n = reload;
            switch (mode) {
                case 0: return e >= n;
                case 1: return !triggered || e >= n;
                case 2: return !gate || e % n != n - 1;
                case 3: return !gate || e % n < (n + 1) / 2;
                default: return !triggered || e != n; // 4, 5: low for one tick at the terminal count
            }
        }

        /** Rising edges of the output in elapsed ticks (a, b]. */
        long risingEdges(long a, long b) {
            if (b <= a || !triggered) return 0;
            long n = reload;
            switch (mode) {
                case 0: case 1: return a < n && n <= b ? 1 : 0;
                case 2: case 3: return b / n - a / n;
                default: return a < n + 1 && n + 1 <= b ? 1 : 0;
            }
        }

        /** The elapsed tick of the next rising edge after {@code e}, or -1. */
        long nextRisingEdge(long e) {
            if (!triggered) return -1;
            long n = reload;
            switch (mode) {
                case 0: case 1: return e < n ? n : -1;
                case 2: case 3: return (e / n + 1) * n;
                default: return e < n + 1 ? n + 1 : -1;
            }
        }

        void latchCount(long now) {
            if (latched >= 0) return; // a second latch before the first is read is ignored
            latched = value(now);
            latchedReads = access == 3 ? 2 : 1;
        }

        void latchStatus(long now) {
            if (status >= 0) return;
            status = (out(now) ? 0x80 : 0) | (counting ? 0 : 0x40) | access << 4 | mode << 1 | (bcd ? 1 : 0);
        }

        int read(long now) {
            if (status >= 0) {
                int s = status;
                status = -1;
                return s;
            }
            int v;
            if (latched >= 0) {
                v = latched;
                if (--latchedReads == 0) latched = -1;
            } else {
                v = value(now);
            }
            if (access == 1) return v & 0xFF;
            if (access == 2) return v >>> 8 & 0xFF;
            boolean msb = readMsbNext;
            readMsbNext = !readMsbNext;
            return msb ? v >>> 8 & 0xFF : v & 0xFF;
        }

        private static int fromBcd(int v) {
            return (v >>> 12 & 0xF) * 1000 + (v >>> 8 & 0xF) * 100 + (v >>> 4 & 0xF) * 10 + (v & 0xF);
        }

        private static int toBcd(int v) {
            return (v / 1000 % 10) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 | v % 10;
        }
    }
}
