package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest threads (src/test/c/threads.c), linked statically and against glibc's shared libraries
 * (the sysroot's under kasou): each mode prints only what does not depend on scheduling, the
 * same natively (where the host runs 32-bit programs), under the interpreter and under the JIT.
 */
class ThreadProgramsTest {
    private static final List<String> ENV = GuestPrograms.env("PATH=/usr/bin:/bin", "LANG=C");

    @TempDir(factory = GuestTempDirs.class)
    Path dir;

    private void expect(boolean linkStatic, String mode, String stdout, int status) throws Exception {
        Path exe = GuestPrograms.compiled("threads", linkStatic);
        Path sysroot = linkStatic ? null : GuestPrograms.sysroot();
        GuestPrograms.expect(new GuestPrograms.Run(exe, List.of(mode), ENV, new byte[0], dir, sysroot), stdout, status);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void threadsAddUnderAMutexAndJoin(boolean linkStatic) throws Exception {
        expect(linkStatic, "mutex", "counter=200000 results=600 distinct tids=1 same pid=1\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void producersAndConsumersThroughConditionVariables(boolean linkStatic) throws Exception {
        expect(linkStatic, "condvar", "consumed 309003000 in all, 0 left\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void atomicInstructionsFromFourThreads(boolean linkStatic) throws Exception {
        expect(linkStatic, "atomics", "added=300000 swapped=100000 wide=186a0000186a0 bytes=160 spinlocked=100000\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void threadLocalVariables(boolean linkStatic) throws Exception {
        expect(linkStatic, "tls", "main: 7; 7 1007 2007 3007\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void codeRewrittenByOneThreadRunsNewInAnother(boolean linkStatic) throws Exception {
        expect(linkStatic, "smc", "answers: 1000 1011 1022 1033\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void segvHandlersOnAlternateStacks(boolean linkStatic) throws Exception {
        expect(linkStatic, "altstack", "main: before=2 set=0 handler on alternate stack=1 flags inside=1 after=0 size ok=1\n"
                + "thread: before=2 set=0 handler on alternate stack=1 flags inside=1 after=0 size ok=1\n"
                + "too small: -1\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void aSignalForOneThreadReachesThatThread(boolean linkStatic) throws Exception {
        expect(linkStatic, "signal", "handled by the target thread: 1, not by the first: 1\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void futexTimeoutsAndValues(boolean linkStatic) throws Exception {
        expect(linkStatic, "futex", "wait, relative timeout: -1 ETIMEDOUT\nwait, other value: -1 EAGAIN\nwake, nobody waits: 0\n"
                + "cond_timedwait, realtime: ETIMEDOUT\ncond_timedwait, monotonic: ETIMEDOUT\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void futexRequeueAndWakeOpBetweenSleepingThreads(boolean linkStatic) throws Exception {
        expect(linkStatic, "futexops", "cmp_requeue moved 4 from fa to fb\ncmp_requeue, word differs: -1 EAGAIN\n"
                + "cmp_requeue, negative count: -1 EINVAL\nwake with a count of 0: 1, woken 1\n"
                + "requeue, wake 1 and move 1 to fc: 2, woken 2\nwake_op, add 3, old == 0, one on each: 2, word 3, woken 4\n"
                + "wake_op set 7, old < 0x11: 0, word 7\nwake_op or 0x30, old != 7: 0, word 55\n"
                + "wake_op andn 3, old <= 0x37: 0, word 52\nwake_op xor 0xff, old > 0: 0, word 203\n"
                + "wake_op add -0x800, old >= -1: 0, word -1845\nwake_op set 1 << 5: 0, word 32\n"
                + "wake_op, unknown op: -1 Function not implemented, word 32\n"
                + "wake_op set 9, unknown comparison: -1 Function not implemented, word 9\n"
                + "wake_op, misaligned: -1 Invalid argument, word 9\nwake_op, bad address: -1 Bad address, word 9\n"
                + "broadcast woke 4 of 4\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void exitFromAnyThreadEndsTheProcessWhileOthersWaitOrSpin(boolean linkStatic) throws Exception {
        expect(linkStatic, "exit", "thread calls exit\n", 5);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void theProcessOutlivesItsFirstThread(boolean linkStatic) throws Exception {
        expect(linkStatic, "mainexits", "last thread done\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void aThreadForksAndReapsItsChild(boolean linkStatic) throws Exception {
        expect(linkStatic, "fork", "child of a thread, tls 7\nreaped by the thread: 4\n", 0);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void execveEndsTheOtherThreads(boolean linkStatic) throws Exception {
        GuestPrograms.needsNativeChildren();
        expect(linkStatic, "exec", "the new program runs\n", 6);
    }

    @ParameterizedTest(name = "static={0}")
    @ValueSource(booleans = {true, false})
    void aFaultInAThreadEndsTheProcess(boolean linkStatic) throws Exception {
        expect(linkStatic, "crash", "waiting for the crash\n", 128 + 11);
    }

    @ParameterizedTest(name = "jit threshold {0}")
    @ValueSource(ints = {-1, 0})
    void threadsWaitingAndSpinningForeverCanBeStopped(int threshold) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        LinuxProcess p = new LinuxProcess(new LinuxProcess.Options(GuestPrograms.compiled("threads"), List.of("threads", "forever"), ENV,
                InputStream.nullInputStream(), out, OutputStream.nullOutputStream(), threshold, dir, null));
        LinuxProcess.Result[] result = new LinuxProcess.Result[1];
        Thread t = new Thread(() -> result[0] = p.run());
        t.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (out.size() == 0 && System.nanoTime() < deadline) Thread.sleep(10);
        Thread.sleep(50);
        p.requestStop();
        t.join(10_000);
        assertFalse(t.isAlive(), "still running");
        assertEquals("waiting\n", out.toString());
        assertEquals(128 + 9, result[0].status());
        assertEquals(9, result[0].signal());
    }
}
