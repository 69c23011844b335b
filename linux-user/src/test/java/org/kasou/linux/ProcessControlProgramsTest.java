package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timers, waits for signals, CPU accounting, process groups and sessions, user ids, flock,
 * truncate and eventfd (src/test/c/timers.c, rusage.c, sessions.c, locks.c): under the
 * interpreter and the JIT, and natively where the host runs 32-bit programs. Times are only
 * checked for plausibility, so the output is known in advance.
 */
class ProcessControlProgramsTest {
    private static final List<String> ENV = GuestPrograms.env("PATH=/usr/bin:/bin", "LANG=C");

    @TempDir(factory = GuestTempDirs.class)
    Path dir;

    private void expect(String name, List<String> args, String stdout, int status) throws Exception {
        GuestPrograms.expect(new GuestPrograms.Run(GuestPrograms.compiled(name), args, ENV, new byte[0], dir), stdout, status);
    }

    @Test
    void intervalTimersPosixTimersAndTheWaitsASignalCutsShort() throws Exception {
        expect("timers", List.of(), """
                alarm, none before: 0
                alarm, replaced: 5
                alarm, none left: 0
                getitimer: interval 20000 us, value in (0, 300 ms]: 1
                old value returned: 1
                disarmed: 0 0
                usec of a million: -1 Invalid argument
                unknown timer: -1 Invalid argument
                getitimer, unknown timer: -1 Invalid argument
                pause: -1 Interrupted system call, handled 1
                nanosleep: -1 Interrupted system call, time left in (1, 2) s: 1, returned early: 1
                poll: -1 Interrupted system call
                select: -1 Interrupted system call
                pipe read: -1 Interrupted system call
                pipe read with SA_RESTART: 1 x, handled 1
                sigpending: SIGALRM 1, SIGUSR1 0
                handled when unblocked: 1, then read: 1 y
                sigsuspend: -1 Interrupted system call, handled 1, blocked again after: 1
                sigtimedwait: 14, si_signo 14, si_code 128, handler ran 0
                sigtimedwait, nothing comes: -1 Resource temporarily unavailable
                sigwaitinfo, pending already: 14, pid ours: 1
                timer_create: 0
                three expiries: si_code SI_TIMER 1, si_value 42
                timer_gettime: interval 10000000 ns, armed 1
                disarmed, old interval 10000000 ns
                timer_delete: 0
                timer_gettime after delete: -1 Invalid argument
                absolute: 0, signal 10, si_value 7, overrun 0
                SIGEV_NONE: time left in (0.5, 1] s: 1
                timer_settime, a billion ns: -1 Invalid argument
                timer_create, no such clock: -1 Invalid argument
                timer_create, no such signal: -1 Invalid argument
                clock_nanosleep, absolute: 0
                clock_nanosleep, thread CPU clock: Invalid argument
                clock_nanosleep, no such clock: Invalid argument
                """, 0);
    }

    @Test
    void timerSignalsInterruptGuestCodeThatMakesNoSystemCall() throws Exception {
        expect("timers", List.of("spin"), "spinning, handled 5\nITIMER_VIRTUAL 1, ITIMER_PROF 1\n", 0);
    }

    @Test
    void sigalrmWithItsDefaultActionEndsTheProcess() throws Exception {
        expect("timers", List.of("default"), "SIGALRM with its default action\n", 128 + 14);
    }

    @Test
    void cpuTimesOfTheProcessItsThreadsAndItsChildren() throws Exception {
        expect("rusage", List.of(), """
                children before any: 1
                self has both threads: 1, thread has its own: 1, thread <= self: 1, self <= elapsed: 1
                usec fields below a million: 1, maxrss > 0: 1
                process CPU clock: 1
                clock_getcpuclockid: 0, reads the same: 1
                pthread_getcpuclockid reads this thread: 1
                clock_getres, CPU clocks: 1 ns, 1 ns
                clock_getres, no such clock: -1 Invalid argument
                clock_gettime, no such clock: -1 Invalid argument
                getrusage, unknown who: -1 Invalid argument
                times: own ticks >= 25: 1, no children yet: 1
                wait4: the child 1, status 3, its CPU time in rusage: 1
                children after the wait: 1
                times: children's ticks >= 19: 1, clock went forward: 1
                """, 0);
    }

    @Test
    void processGroupsSessionsAndUserIds() throws Exception {
        GuestPrograms.Outcome o = GuestPrograms.agree(new GuestPrograms.Run(GuestPrograms.compiled("sessions"), List.of(), ENV,
                new byte[0], dir));
        String out = o.stdout();
        assertTrue(out.contains("setpgid, not a child: -1 No such process\n"), out);
        assertTrue(out.contains("child: setsid 1, leads its session 1 and group 1\nchild: setsid again: -1 Operation not permitted\n"
                + "child: setpgid as a session leader: -1 Operation not permitted\n"
                + "grandchild: into a group of another session: -1 Operation not permitted\n"), out);
        assertTrue(out.contains("grandchild: kill(0) reaches its own group: 0, handled 12\n"), out);
        assertTrue(out.contains("kill(-group, SIGTERM): 0, signaled 1 by 15\nkill(-group) after it is gone: -1 No such process\n"
                + "waitpid(0), same group: 1, status 4\n"), out);
        assertTrue(out.contains("ordinary: setuid to itself: 0, to another: -1 Operation not permitted\n"), out);
        assertTrue(out.contains("ordinary: setresuid(-1, u, -1): 0, another effective id: -1 Operation not permitted\n"), out);
        assertTrue(out.contains("16-bit getuid: 1, geteuid: 1\nordinary: setuid(-1): -1 Invalid argument\n"), out);
        assertEquals(0, o.status());
    }

    @Test
    void flockTruncateAndEventfd() throws Exception {
        expect("locks", List.of(), """
                exclusive: 0
                another open, exclusive: -1 Resource temporarily unavailable
                another open, shared: -1 Resource temporarily unavailable
                through a dup: 0
                downgraded to shared: 0, another open, shared: 0
                upgrade while another shares: -1 Resource temporarily unavailable
                unlock both: 0 0
                no operation: -1 Invalid argument
                bad descriptor: -1 Bad file descriptor
                child, own open: -1 Resource temporarily unavailable
                child, inherited descriptor shares the lock: 0
                child, waited for it: 0
                truncate to 4: 0, size 4
                truncate to 100: 0, size 100
                bytes 2-7: 23 0 0 0 0
                ftruncate to 5000: 0, size 5000
                truncate64 to 3: 0, size 3
                negative length: -1 Invalid argument
                no such file: -1 No such file or directory
                a directory: -1 Is a directory
                ftruncate, read-only descriptor: -1 Invalid argument
                eventfd read: 8, value 3
                after two writes: 7
                read of 4 bytes: -1 Invalid argument
                write of 2^64 - 1: -1 Invalid argument
                semaphore: 1, 1, then -1 Resource temporarily unavailable; cloexec 1
                poll, empty: 1 revents 4
                poll, full: 1 revents 1
                write past the maximum: -1 Resource temporarily unavailable
                eventfd2, unknown flag: -1 Invalid argument
                epoll_ctl: 0, nothing yet: 0
                epoll_wait for a child's write: 1, data 77
                edge-triggered, no new write: 0
                select: 1
                blocking read after the wait: 1
                read waited for 2
                fstat mode 600
                """, 0);
    }
}
