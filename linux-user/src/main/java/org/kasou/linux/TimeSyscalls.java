package org.kasou.linux;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clocks, sleeps, timers and CPU accounting calls: clock_gettime and clock_getres (the CPU
 * time clocks included), gettimeofday, time, nanosleep and clock_nanosleep, times and
 * getrusage, alarm, setitimer and getitimer, and the POSIX timers. CPU times are those of the
 * Java threads that run the guest's threads; the timers are {@link IntervalTimers}.
 */
final class TimeSyscalls {
    private static final Logger LOG = LoggerFactory.getLogger(TimeSyscalls.class);
    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3,
            CLOCK_BOOTTIME = 7, CLOCK_TAI = 11;
    private static final int TIMER_ABSTIME = 1, RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
    private static final long NANOS = 1_000_000_000L, TICK = 10_000_000L; // USER_HZ 100
    /** The resolution of the coarse clocks: a jiffy of a kernel built with HZ=250. */
    private static final long COARSE_RESOLUTION = 4_000_000L;

    private final LinuxProcess proc;
    private final GuestThread self;
    private AddressSpace as;

    TimeSyscalls(LinuxProcess proc, GuestThread self) {
        this.proc = proc;
        this.self = self;
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
    }

    // ------------------------------------------------------------------------------------------
    // Clocks.

    /** A clock that is not a CPU time clock, in nanoseconds; EINVAL for any other. */
    static long elapsedClockNanos(int clock) {
        return switch (clock) {
            case 0, 5, 8, 11 -> { // REALTIME, REALTIME_COARSE, REALTIME_ALARM, TAI
                java.time.Instant now = java.time.Instant.now();
                yield now.getEpochSecond() * NANOS + now.getNano();
            }
            case 1, 4, 6, 7, 9 -> System.nanoTime(); // MONOTONIC (RAW, COARSE), BOOTTIME (ALARM)
            default -> throw new LinuxError(Errno.EINVAL);
        };
    }

    /** Any clock: the CPU time ones too, and the clock ids of clock_getcpuclockid and pthread_getcpuclockid. */
    long clockNanos(int clock) {
        if (clock == CLOCK_PROCESS_CPUTIME_ID) return sum(proc.cpuTimes());
        if (clock == CLOCK_THREAD_CPUTIME_ID) return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        if (clock < 0) return cpuClockNanos(clock);
        return elapsedClockNanos(clock);
    }

    /**
     * A CPU clock id as Linux encodes it: ~pid (or ~tid) shifted left by 3, bit 2 for a thread,
     * and the kind in the low bits (0: user and system, 1: user only, 2: all). Only this
     * process's and its threads' clocks can be read.
     */
    private long cpuClockNanos(int clock) {
        int kind = clock & 3, id = ~(clock >> 3);
        boolean thread = (clock & 4) != 0;
        if (kind == 3) throw new LinuxError(Errno.EINVAL);
        long[] t;
        if (thread) {
            t = proc.threadCpuTimes(id == 0 ? self.tid : id);
            if (t == null) throw new LinuxError(Errno.EINVAL);
        } else {
            if (id != 0 && id != proc.pid) throw new LinuxError(Errno.EINVAL);
            t = proc.cpuTimes();
        }
        return kind == 1 ? t[0] : sum(t);
    }

    private static long sum(long[] userSystem) {
        return userSystem[0] + userSystem[1];
    }

    int clockGettime(int clock, int tp, boolean time64) {
        Timespecs.write(as, tp, clockNanos(clock), time64);
        return 0;
    }

    int clockGetres(int clock, int tp, boolean time64) {
        clockNanos(clock); // EINVAL for a clock that is not one
        if (tp != 0) Timespecs.write(as, tp, clock == 5 || clock == 6 ? COARSE_RESOLUTION : 1, time64);
        return 0;
    }

    int gettimeofday(int tv, int tz) {
        long n = elapsedClockNanos(CLOCK_REALTIME);
        if (tv != 0) Timespecs.writeTimeval(as, tv, n);
        if (tz != 0) as.write64(tz, 0);
        return 0;
    }

    int time(int tloc) {
        int t = (int) (elapsedClockNanos(CLOCK_REALTIME) / NANOS);
        if (tloc != 0) as.write32(tloc, t);
        return t;
    }

    // ------------------------------------------------------------------------------------------
    // Sleeps.

    /** Sleeps until {@link System#nanoTime} reaches {@code deadline}; a signal ends it early with ERESTARTSYS. */
    static void sleepUntil(long deadline) {
        SignalWaits.awaitQuietly(() -> {
            long left;
            while ((left = deadline - System.nanoTime()) > 0) TimeUnit.NANOSECONDS.sleep(left);
            return null;
        });
    }

    /** nanosleep: the time left goes to {@code rem} when a signal cuts the sleep short. */
    int nanosleep(int req, int rem, boolean time64) {
        return sleep(Futexes.deadline(Timespecs.nanos(as, req, time64)), rem, time64);
    }

    private int sleep(long deadline, int rem, boolean time64) {
        try {
            sleepUntil(deadline);
        } catch (LinuxError e) {
            if (e.errno != Errno.ERESTARTSYS) throw e;
            if (rem != 0) Timespecs.write(as, rem, Math.max(0, deadline - System.nanoTime()), time64);
            throw new LinuxError(Errno.ERESTART_RESTARTBLOCK);
        }
        return 0;
    }

    /**
     * clock_nanosleep: on an elapsed time clock or the process's CPU time, for a time or until
     * one (TIMER_ABSTIME, which leaves {@code rem} alone). The thread's CPU time clock is EINVAL,
     * the coarse and raw clocks EOPNOTSUPP, as in Linux.
     */
    int clockNanosleep(int clock, int flags, int req, int rem, boolean time64) {
        if (clock == 4 || clock == 5 || clock == 6) throw new LinuxError(Errno.EOPNOTSUPP);
        boolean cpu = clock == CLOCK_PROCESS_CPUTIME_ID || (clock < 0 && (clock & 4) == 0);
        if (clock == CLOCK_THREAD_CPUTIME_ID || (clock < 0 && !cpu)) throw new LinuxError(Errno.EINVAL);
        long start = clockNanos(clock); // EINVAL for a clock that is not one
        long n = Timespecs.nanos(as, req, time64);
        boolean absolute = (flags & TIMER_ABSTIME) != 0;
        if (cpu) return cpuSleep(clock, absolute ? n : start + n);
        long delay = absolute ? n - start : n;
        return sleep(Futexes.deadline(delay), absolute ? 0 : rem, time64);
    }

    /** Sleeps until a CPU time clock reaches {@code target}, looking at it every few milliseconds. */
    private int cpuSleep(int clock, long target) {
        try {
            SignalWaits.awaitQuietly(() -> {
                while (clockNanos(clock) < target) Thread.sleep(4);
                return null;
            });
        } catch (LinuxError e) {
            if (e.errno == Errno.ERESTARTSYS) throw new LinuxError(Errno.ERESTARTNOHAND);
            throw e;
        }
        return 0;
    }

    // ------------------------------------------------------------------------------------------
    // CPU accounting.

    /**
     * times: the process's and its reaped children's user and system CPU times in clock ticks
     * of 10 ms; returns the elapsed ticks since an arbitrary point.
     */
    int times(int buf) {
        if (buf != 0) {
            long[] self = proc.cpuTimes(), children = proc.childrenCpuTimes();
            ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(0, (int) (self[0] / TICK)).putInt(4, (int) (self[1] / TICK)).putInt(8, (int) (children[0] / TICK))
                    .putInt(12, (int) (children[1] / TICK));
            as.write(buf, b.array());
        }
        return (int) (System.nanoTime() / TICK);
    }

    /** getrusage: RUSAGE_SELF, RUSAGE_CHILDREN (those reaped) or RUSAGE_THREAD; the other fields are 0 but ru_maxrss. */
    int getrusage(int who, int buf) {
        long[] t;
        long maxRssKb = 0;
        switch (who) {
            case RUSAGE_SELF -> {
                t = proc.cpuTimes();
                maxRssKb = as.framesUsed() * (long) (AddressSpace.PAGE / 1024);
            }
            case RUSAGE_CHILDREN -> t = proc.childrenCpuTimes();
            case RUSAGE_THREAD -> {
                var mx = ManagementFactory.getThreadMXBean();
                long all = mx.getCurrentThreadCpuTime(), user = mx.getCurrentThreadUserTime();
                t = new long[] {user, Math.max(0, all - user)};
                maxRssKb = as.framesUsed() * (long) (AddressSpace.PAGE / 1024);
            }
            default -> throw new LinuxError(Errno.EINVAL);
        }
        as.write(buf, rusage(t, maxRssKb));
        return 0;
    }

    /** struct rusage of i386 (72 bytes): ru_utime, ru_stime, then 14 longs from ru_maxrss. */
    static byte[] rusage(long[] userSystem, long maxRssKb) {
        ByteBuffer b = ByteBuffer.allocate(72).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, (int) (userSystem[0] / NANOS)).putInt(4, (int) (userSystem[0] % NANOS / 1000));
        b.putInt(8, (int) (userSystem[1] / NANOS)).putInt(12, (int) (userSystem[1] % NANOS / 1000));
        b.putInt(16, (int) Math.min(maxRssKb, Integer.MAX_VALUE));
        return b.array();
    }

    // ------------------------------------------------------------------------------------------
    // Interval timers.

    /** alarm: SIGALRM in {@code seconds} (0: none); returns the seconds the previous alarm had left, rounded as Linux does. */
    int alarm(int seconds) {
        long[] old = proc.timers.setItimer(IntervalTimers.ITIMER_REAL, 0, Integer.toUnsignedLong(seconds) * NANOS);
        long sec = old[1] / NANOS, usec = old[1] % NANOS / 1000;
        if (usec >= 500_000 || (sec == 0 && usec != 0)) sec++; // never 0 while an alarm is pending
        return (int) sec;
    }

    /** setitimer: struct itimerval {it_interval, it_value} of timevals; a null one disarms. */
    int setitimer(int which, int value, int old) {
        long interval = 0, first = 0;
        if (value != 0) {
            interval = timevalNanos(value);
            first = timevalNanos(value + 8);
        }
        long[] was = proc.timers.setItimer(which, interval, first);
        if (old != 0) writeItimerval(old, was);
        return 0;
    }

    int getitimer(int which, int value) {
        writeItimerval(value, proc.timers.getItimer(which));
        return 0;
    }

    private long timevalNanos(int addr) {
        long sec = as.read32(addr), usec = as.read32(addr + 4);
        if (sec < 0 || usec < 0 || usec >= 1_000_000) throw new LinuxError(Errno.EINVAL);
        return sec * NANOS + usec * 1000;
    }

    private void writeItimerval(int addr, long[] intervalValue) {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 2; i++) {
            long n = intervalValue[i];
            if (i == 1 && n > 0 && n < 1000) n = 1000; // a pending timer never reads as 0
            b.putInt(i * 8, (int) (n / NANOS)).putInt(i * 8 + 4, (int) (n % NANOS / 1000));
        }
        as.write(addr, b.array());
    }

    // ------------------------------------------------------------------------------------------
    // POSIX timers.

    /**
     * timer_create: on the elapsed time clocks and the process's CPU time, telling its expiry by
     * a signal to the process (SIGEV_SIGNAL), to one of its threads (SIGEV_THREAD_ID) or not at
     * all (SIGEV_NONE); struct sigevent is sigev_value, sigev_signo, sigev_notify, then the tid.
     */
    int timerCreate(int clock, int sevp, int idAddr) {
        IntervalTimers.Measure m = switch (clock) {
            case 0, 1, 7, 11 -> IntervalTimers.Measure.ELAPSED;
            case CLOCK_PROCESS_CPUTIME_ID -> IntervalTimers.Measure.ALL_CPU;
            case 4, 5, 6 -> throw new LinuxError(Errno.EOPNOTSUPP);
            case CLOCK_THREAD_CPUTIME_ID -> {
                if (proc.table.firstReport(-259)) LOG.info("timers on a thread's CPU time are not implemented: EINVAL");
                throw new LinuxError(Errno.EINVAL);
            }
            default -> throw new LinuxError(Errno.EINVAL);
        };
        int how = IntervalTimers.SIGEV_SIGNAL, signo = 14, tid = 0;
        Integer value = null;
        if (sevp != 0) {
            value = as.read32(sevp);
            signo = as.read32(sevp + 4);
            how = as.read32(sevp + 8);
            tid = as.read32(sevp + 12);
            switch (how) {
                case IntervalTimers.SIGEV_NONE -> { }
                case IntervalTimers.SIGEV_THREAD_ID, IntervalTimers.SIGEV_SIGNAL -> {
                    if (how == IntervalTimers.SIGEV_THREAD_ID && !proc.hasThread(tid)) throw new LinuxError(Errno.EINVAL);
                    if (signo < 1 || signo > 64) throw new LinuxError(Errno.EINVAL);
                }
                default -> throw new LinuxError(Errno.EINVAL);
            }
        }
        int id = proc.timers.create(clock, m, how, signo, tid, value);
        try {
            as.write32(idAddr, id);
        } catch (LinuxError e) {
            proc.timers.delete(id);
            throw e;
        }
        return 0;
    }

    /** timer_settime: struct itimerspec {it_interval, it_value} of timespecs (time32 or time64). */
    int timerSettime(int id, int flags, int value, int old, boolean time64) {
        if (value == 0) throw new LinuxError(Errno.EINVAL);
        long interval = Timespecs.nanos(as, value, time64), first = Timespecs.nanos(as, value + (time64 ? 16 : 8), time64);
        if ((flags & TIMER_ABSTIME) != 0 && first != 0) first = Math.max(1, first - clockNanos(proc.timers.clock(id))); // a time on the timer's clock
        long[] was = proc.timers.settime(id, interval, first);
        if (old != 0) writeItimerspec(old, was, time64);
        return 0;
    }

    int timerGettime(int id, int value, boolean time64) {
        writeItimerspec(value, proc.timers.gettime(id), time64);
        return 0;
    }

    private void writeItimerspec(int addr, long[] intervalValue, boolean time64) {
        Timespecs.write(as, addr, intervalValue[0], time64);
        Timespecs.write(as, addr + (time64 ? 16 : 8), intervalValue[1], time64);
    }
}
