package org.kasou.linux;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The timers of one process: the interval timers of setitimer and alarm (ITIMER_REAL on
 * elapsed time, ITIMER_VIRTUAL on user CPU time, ITIMER_PROF on all CPU time) and the POSIX
 * timers of timer_create. Timers on elapsed time fire from one daemon thread shared by every
 * process; timers on CPU time are checked every few milliseconds against the CPU time of the
 * Java threads that run the guest's threads. Times are nanoseconds: on {@link System#nanoTime}'s
 * scale for elapsed time, on the process's CPU time for the others.
 */
final class IntervalTimers {
    static final int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
    static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD_ID = 4;
    private static final int SIGALRM = 14, SIGVTALRM = 26, SIGPROF = 27;
    /** How often timers on CPU time are looked at. */
    private static final long CPU_TICK_NANOS = 4_000_000L;

    private static final ScheduledThreadPoolExecutor CLOCK = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "guest-timers");
        t.setDaemon(true);
        return t;
    });

    static {
        CLOCK.setRemoveOnCancelPolicy(true);
    }

    /** What a timer measures. */
    enum Measure { ELAPSED, USER_CPU, ALL_CPU }

    /** How a timer tells its expiry: which signal, to whom, with which siginfo. */
    record Notify(int how, int signo, int tid, SignalState.Info info) {
    }

    private final class Timer {
        final Measure measure;
        final Notify notify;
        /** The clock a POSIX timer was created on (absolute times are on it). */
        int clock;
        /** When it fires next, 0 while disarmed; and its interval (0: once). */
        long next, interval;
        /** Expiries beyond the first that one run of the clock found due (timer_getoverrun). */
        int overrun;
        ScheduledFuture<?> future;

        Timer(Measure measure, Notify notify) {
            this.measure = measure;
            this.notify = notify;
        }
    }

    private final LinuxProcess proc;
    private final Timer[] itimers;
    /** The POSIX timers by id. */
    private final Map<Integer, Timer> posix = new TreeMap<>();
    private ScheduledFuture<?> cpuTicks;
    private boolean ended;

    IntervalTimers(LinuxProcess proc) {
        this.proc = proc;
        itimers = new Timer[] {
            new Timer(Measure.ELAPSED, new Notify(SIGEV_SIGNAL, SIGALRM, 0, SignalState.Info.KERNEL)),
            new Timer(Measure.USER_CPU, new Notify(SIGEV_SIGNAL, SIGVTALRM, 0, SignalState.Info.KERNEL)),
            new Timer(Measure.ALL_CPU, new Notify(SIGEV_SIGNAL, SIGPROF, 0, SignalState.Info.KERNEL))};
    }

    /** Now on {@code m}'s scale. */
    private long now(Measure m) {
        if (m == Measure.ELAPSED) return System.nanoTime();
        long[] t = proc.cpuTimes();
        return m == Measure.USER_CPU ? t[0] : t[0] + t[1];
    }

    // ------------------------------------------------------------------------------------------
    // setitimer, getitimer

    /** An interval timer's {interval, time left}; time left 0 when it is disarmed. */
    synchronized long[] getItimer(int which) {
        return state(itimer(which));
    }

    /** Arms (value > 0) or disarms interval timer {@code which}; returns its previous {interval, time left}. */
    synchronized long[] setItimer(int which, long interval, long value) {
        Timer t = itimer(which);
        long[] old = state(t);
        arm(t, value == 0 ? 0 : now(t.measure) + value, interval);
        return old;
    }

    private Timer itimer(int which) {
        if (which < 0 || which >= itimers.length) throw new LinuxError(Errno.EINVAL);
        return itimers[which];
    }

    // ------------------------------------------------------------------------------------------
    // POSIX timers

    /**
     * timer_create: a disarmed timer telling its expiry by {@code how} with signal {@code signo}
     * (to thread {@code tid} for SIGEV_THREAD_ID) and si_value {@code value} (null: the id, as
     * for a timer created without a sigevent); returns its id.
     */
    synchronized int create(int clock, Measure m, int how, int signo, int tid, Integer value) {
        int id = 0;
        while (posix.containsKey(id)) id++;
        SignalState.Info info = new SignalState.Info(SignalState.Info.SI_TIMER, id, 0, value == null ? id : value);
        Timer t = new Timer(m, new Notify(how, signo, tid, info));
        t.clock = clock;
        posix.put(id, t);
        return id;
    }

    /** The clock of POSIX timer {@code id}. */
    synchronized int clock(int id) {
        return posix(id).clock;
    }

    synchronized void delete(int id) {
        Timer t = posix(id);
        arm(t, 0, 0);
        posix.remove(id);
    }

    /** timer_settime: arms for {@code value} from now (0: disarms); returns the old state. */
    synchronized long[] settime(int id, long interval, long value) {
        Timer t = posix(id);
        long[] old = state(t);
        long at = value == 0 ? 0 : now(t.measure) + value;
        arm(t, at == 0 && value != 0 ? 1 : at, interval);
        return old;
    }

    synchronized long[] gettime(int id) {
        return state(posix(id));
    }

    synchronized int overrun(int id) {
        return posix(id).overrun;
    }

    private Timer posix(int id) {
        Timer t = posix.get(id);
        if (t == null) throw new LinuxError(Errno.EINVAL);
        return t;
    }

    /** execve: the POSIX timers go, the interval timers stay. */
    synchronized void deletePosixTimers() {
        for (Timer t : posix.values()) arm(t, 0, 0);
        posix.clear();
    }

    /** The process ended: nothing fires any more. */
    synchronized void cancelAll() {
        ended = true;
        for (Timer t : itimers) arm(t, 0, 0);
        deletePosixTimers();
    }

    // ------------------------------------------------------------------------------------------

    /** {interval, time left}: an armed timer that is due reports a little time left, as Linux does. */
    private long[] state(Timer t) {
        if (t.next == 0) return new long[] {t.interval, 0};
        return new long[] {t.interval, Math.max(1000, t.next - now(t.measure))};
    }

    private void arm(Timer t, long at, long interval) {
        if (t.future != null) t.future.cancel(false);
        t.future = null;
        t.next = ended ? 0 : at;
        t.interval = interval;
        t.overrun = 0;
        if (t.next == 0) return;
        if (t.measure == Measure.ELAPSED) schedule(t);
        else if (cpuTicks == null) cpuTicks = CLOCK.scheduleAtFixedRate(this::cpuTick, CPU_TICK_NANOS, CPU_TICK_NANOS, TimeUnit.NANOSECONDS);
    }

    private void schedule(Timer t) {
        t.future = CLOCK.schedule(() -> elapsed(t), Math.max(0, t.next - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    private synchronized void elapsed(Timer t) {
        if (t.next == 0 || t.next - System.nanoTime() > 0) return; // disarmed or moved since
        expire(t, System.nanoTime());
        if (t.next != 0) schedule(t);
    }

    private synchronized void cpuTick() {
        boolean armed = false;
        long[] cpu = proc.cpuTimes();
        for (Timer t : allTimers()) {
            if (t.measure == Measure.ELAPSED || t.next == 0) continue;
            long now = t.measure == Measure.USER_CPU ? cpu[0] : cpu[0] + cpu[1];
            if (now >= t.next) expire(t, now);
            armed |= t.next != 0;
        }
        if (!armed && cpuTicks != null) {
            cpuTicks.cancel(false);
            cpuTicks = null;
        }
    }

    private Iterable<Timer> allTimers() {
        java.util.List<Timer> all = new java.util.ArrayList<>(java.util.List.of(itimers));
        all.addAll(posix.values());
        return all;
    }

    /** {@code t} is due at {@code now}: tells it, and sets it again for the next interval (counting the ones missed). */
    private void expire(Timer t, long now) {
        int missed = 0;
        if (t.interval == 0) {
            t.next = 0;
        } else {
            t.next += t.interval;
            if (t.next <= now) {
                long behind = (now - t.next) / t.interval + 1;
                missed = (int) Math.min(behind, Integer.MAX_VALUE);
                t.next += behind * t.interval;
            }
        }
        t.overrun = missed;
        Notify n = t.notify;
        SignalState.Info info = n.info();
        if (info.code() == SignalState.Info.SI_TIMER) info = new SignalState.Info(info.code(), info.w0(), missed, info.w2());
        try {
            if (n.how() == SIGEV_SIGNAL) proc.signal(n.signo(), info);
            else if (n.how() == SIGEV_THREAD_ID) proc.signalThread(n.signo(), n.tid(), info);
        } catch (LinuxError e) {
            // the thread it was for has ended: the expiry goes nowhere, as in Linux
        }
    }
}
