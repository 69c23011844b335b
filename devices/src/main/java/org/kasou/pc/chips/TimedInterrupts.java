package org.kasou.pc.chips;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.InterruptSource;

/**
 * The CPU's interrupt source in a PC: the PIC pair, after the timers have raised what their time
 * asks for. The CPU polls it between instructions while IF is set; the clock is read every
 * {@link #POLL_INSTRUCTIONS} instructions rather than on every poll. A CPU halted with IF set
 * waits here for the next timer event: asleep on the host clock, skipped to it on the
 * deterministic one; with no event to wait for it could never wake, and {@link #haltedForever}
 * says so (the machine then ends the run).
 */
public final class TimedInterrupts implements InterruptSource {
    /** Instructions between two looks at the clock while the CPU runs. */
    static final long POLL_INSTRUCTIONS = 2048;
    /** Longest host sleep in one wait, so that a stop request or a device is not kept waiting. */
    static final long MAX_SLEEP_NANOS = 1_000_000;

    private final PicPair pic;
    private final Pit8254 pit;
    private final VirtualClock clock;
    private final CpuState state;
    private final LongSupplier instructions;
    private final Runnable stop;
    private long nextPoll;
    private boolean haltedForever;
    /** Host time spent polling the timers and devices, and waiting halted for a timer event. */
    private long pollNanos, haltedNanos;
    /** Devices to poll with the clock (host input), and what to do before the CPU waits (flush output). */
    private Runnable devices = () -> { }, idle = () -> { };

    public TimedInterrupts(PicPair pic, Pit8254 pit, VirtualClock clock, CpuState state, LongSupplier instructions, Runnable stop) {
        this.pic = pic;
        this.pit = pit;
        this.clock = clock;
        this.state = state;
        this.instructions = instructions;
        this.stop = stop;
    }

    @Override
    public boolean pending() {
        long n = instructions.getAsLong();
        if (n >= nextPoll || state.halted) {
            nextPoll = n + POLL_INSTRUCTIONS;
            long t0 = System.nanoTime();
            pit.poll();
            devices.run();
            long t1 = System.nanoTime();
            pollNanos += t1 - t0;
            if (state.halted && !pic.pending()) {
                waitForEvent();
                haltedNanos += System.nanoTime() - t1;
            }
        }
        return pic.pending();
    }

    /** Sets what is polled along with the timers, and what runs before the CPU waits for an event. */
    public void setDevices(Runnable poll, Runnable beforeWaiting) {
        this.devices = poll;
        this.idle = beforeWaiting;
    }

    private void waitForEvent() {
        idle.run();
        long next = pit.nextTickNanos();
        if (next == Long.MAX_VALUE) {
            haltedForever = true;
            stop.run();
            return;
        }
        if (clock.deterministic()) {
            clock.skipTo(next);
        } else {
            long wait = next - clock.getAsLong();
            if (wait > 0) LockSupport.parkNanos(Math.min(wait, MAX_SLEEP_NANOS));
            clock.catchUpWithHost();
        }
        pit.poll();
    }

    @Override
    public int acknowledge() {
        return pic.acknowledge();
    }

    /** Host nanoseconds spent polling the timers and the devices that go with them (host input). */
    public long pollNanos() {
        return pollNanos;
    }

    /** Host nanoseconds the CPU spent halted, waiting for a timer event (flushing output included). */
    public long haltedNanos() {
        return haltedNanos;
    }

    /** Whether the CPU halted with interrupts enabled and nothing left that could wake it. */
    public boolean haltedForever() {
        return haltedForever;
    }

    /** Clears {@link #haltedForever} (the machine continues, e.g. after a reset). */
    public void clearHaltedForever() {
        haltedForever = false;
    }
}
