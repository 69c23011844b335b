package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;
import static org.kasou.embed.Guests.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EngineRunTest {
    /** mov eax,[esp+4]; add eax,[esp+8]; ret */
    static final byte[] ADD = bytes(0x8B, 0x44, 0x24, 0x04, 0x03, 0x44, 0x24, 0x08, 0xC3);
    /** L: inc eax; jmp L */
    static final byte[] LOOP = bytes(0x40, 0xEB, 0xFD);

    static long call(Engine e, long a, long b) {
        long sp = STACK - 0x100;
        e.writeU32(sp, RETURN);
        e.writeU32(sp + 4, a);
        e.writeU32(sp + 8, b);
        e.setReg(Register.ESP, sp);
        RunResult r = e.run(CODE, RETURN);
        assertEquals(StopCause.UNTIL_REACHED, r.cause(), r.toString());
        assertEquals(RETURN, r.address());
        assertEquals(3, r.instructions());
        return e.reg(Register.EAX);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void callsAFunctionUntilItsReturnAddress(boolean jit) {
        Engine e = engine(jit, ADD);
        for (int i = 0; i < 20; i++) assertEquals(40L + i, call(e, 30, 10 + i));
        if (jit) assertTrue(org.kasou.jit.JitEngine.of(e.cpu()).stats.instructionsExecuted > 0, "ran compiled code");
        assertEquals(0xFFFFFFFFL, call(e, 0xFFFFFFF0L, 0xF));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void countsInstructionsExactly(boolean jit) {
        Engine e = engine(jit, LOOP);
        RunResult r = e.run(Run.from(CODE).count(1001));
        assertEquals(StopCause.COUNT_EXHAUSTED, r.cause());
        assertEquals(1001, r.instructions());
        assertEquals(501, e.reg(Register.EAX));
        assertEquals(CODE + 1, r.address());
        r = e.run(Run.from(r.address()).count(1));
        assertEquals(CODE, r.address());
        assertEquals(501, e.reg(Register.EAX));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void untilAddressInsideALoopStopsThere(boolean jit) {
        // mov ecx,100; L: inc eax; dec ecx; jnz L; hlt -- until the hlt
        Engine e = engine(jit, bytes(0xB9, 100, 0, 0, 0, 0x40, 0x49, 0x75, 0xFC, 0xF4));
        RunResult r = e.run(CODE, CODE + 9);
        assertEquals(StopCause.UNTIL_REACHED, r.cause());
        assertEquals(1 + 300, r.instructions());
        assertEquals(100, e.reg(Register.EAX));
        r = e.run(Run.from(CODE + 9));
        assertEquals(StopCause.HALTED, r.cause());
        assertEquals(CODE + 10, r.address());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void deterministicRunsGiveIdenticalCountsAndStates(boolean jit) {
        // a little hash: mov ecx,5000; L: imul eax,eax,31; add eax,ecx; xor edx,eax; dec ecx; jnz L; hlt
        byte[] code = bytes(0xB9, 0x88, 0x13, 0, 0, 0x6B, 0xC0, 0x1F, 0x01, 0xC8, 0x31, 0xC2, 0x49, 0x75, 0xF6, 0xF4);
        long[] first = null;
        for (int i = 0; i < 3; i++) {
            Engine e = engine(jit, code);
            e.setReg(Register.EAX, 7);
            RunResult r = e.run(Run.from(CODE));
            assertEquals(StopCause.HALTED, r.cause());
            long[] now = {r.instructions(), e.reg(Register.EAX), e.reg(Register.EDX), e.reg(Register.EFLAGS), e.reg(Register.EIP)};
            org.kasou.jit.JitEngine j = org.kasou.jit.JitEngine.of(e.cpu());
            assertEquals(jit, j != null && j.stats.instructionsExecuted > 20000, "ran compiled code");
            if (first == null) first = now;
            assertArrayEquals(first, now);
        }
        assertEquals(1 + 5000 * 5 + 1, first[0]);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unmappedReadsAndReadOnlyWritesStopPrecisely(boolean jit) {
        // mov eax,1; mov eax,[0x9000]
        Engine e = engine(jit, bytes(0xB8, 1, 0, 0, 0, 0xA1, 0x00, 0x90, 0, 0));
        RunResult r = e.run(Run.from(CODE));
        assertEquals(StopCause.INVALID_MEMORY, r.cause());
        assertEquals(Hooks.InvalidAccess.READ_UNMAPPED, r.access());
        assertEquals(0x9000, r.faultAddress());
        assertEquals(CODE + 5, r.address());
        assertEquals(1, r.instructions());

        // mov [0x9000],eax with 0x9000 read-only
        e.map(0x9000, 0x1000, Perm.READ);
        e.write(CODE, bytes(0xA3, 0x00, 0x90, 0, 0));
        r = e.run(Run.from(CODE));
        assertEquals(StopCause.INVALID_MEMORY, r.cause());
        assertEquals(Hooks.InvalidAccess.WRITE_PROTECTED, r.access());
        assertEquals(CODE, r.address());
        assertEquals(0, r.instructions());
        assertEquals(0, e.readU32(0x9000));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void fetchesFromUnmappedAndNonExecutableMemoryStop(boolean jit) {
        Engine e = engine(jit, bytes(0xE9, 0xFB, 0x6F, 0, 0)); // jmp 0x8000
        RunResult r = e.run(Run.from(CODE));
        assertEquals(StopCause.INVALID_MEMORY, r.cause(), r.toString());
        assertEquals(Hooks.InvalidAccess.FETCH_UNMAPPED, r.access());
        assertEquals(0x8000, r.faultAddress());
        assertEquals(0x8000, r.address());
        assertEquals(1, r.instructions());

        e.write(DATA, bytes(0x90, 0xF4));
        r = e.run(Run.from(DATA));
        assertEquals(StopCause.INVALID_MEMORY, r.cause());
        assertEquals(Hooks.InvalidAccess.FETCH_PROTECTED, r.access());
        assertEquals(DATA, r.address());
        assertEquals(0, r.instructions());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void unhandledExceptionsStopWithVectorAndErrorCode(boolean jit) {
        // xor edx,edx; xor ecx,ecx; div ecx
        Engine e = engine(jit, bytes(0x31, 0xD2, 0x31, 0xC9, 0xF7, 0xF1));
        RunResult r = e.run(Run.from(CODE));
        assertEquals(StopCause.EXCEPTION, r.cause());
        assertEquals(0, r.vector());
        assertEquals(-1, r.errorCode());
        assertEquals(CODE + 4, r.address());
        assertEquals(2, r.instructions());

        e.write(CODE, bytes(0x0F, 0x0B)); // ud2
        r = e.run(Run.from(CODE));
        assertEquals(6, r.vector());

        e.write(CODE, bytes(0x8E, 0xD8)); // mov ds,ax with ax = 0x2b: no GDT, #GP(0x28)
        e.setReg(Register.EAX, 0x2B);
        r = e.run(Run.from(CODE));
        assertEquals(13, r.vector());
        assertEquals(0x28, r.errorCode());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void timesOutAnEndlessLoop(boolean jit) {
        Engine e = engine(jit, bytes(0xEB, 0xFE));
        long t0 = System.nanoTime();
        RunResult r = e.run(Run.from(CODE).timeout(Duration.ofMillis(100)));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(StopCause.TIMEOUT, r.cause());
        assertTrue(ms >= 100 && ms < 5000, ms + " ms");
        assertTrue(r.instructions() > 0);
        // a timeout that does not expire leaves the result to the other limits
        r = e.run(Run.from(CODE).timeout(Duration.ofSeconds(30)).count(10));
        assertEquals(StopCause.COUNT_EXHAUSTED, r.cause());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void stopFromAnotherThreadAndEntryFromTwoThreads(boolean jit) throws Exception {
        Engine e = engine(jit, bytes(0xEB, 0xFE));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<RunResult> f = pool.submit(() -> e.run(Run.from(CODE)));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (e.cpu().instructions == 0 && System.nanoTime() < deadline) Thread.sleep(1);
            IllegalStateException x = assertThrows(IllegalStateException.class, () -> e.run(Run.from(CODE)));
            assertTrue(x.getMessage().contains("in use by thread"), x.getMessage());
            assertThrows(IllegalStateException.class, () -> e.reg(Register.EAX));
            e.stop();
            RunResult r = f.get(10, TimeUnit.SECONDS);
            assertEquals(StopCause.STOPPED, r.cause());
            assertEquals(CODE, r.address());
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void runInsideAHookIsRefused(boolean jit) {
        Engine e = engine(jit, bytes(0x90, 0xF4));
        List<String> errors = new ArrayList<>();
        e.hookCode(CODE, CODE, (en, a, s) -> {
            try {
                en.run(Run.from(CODE));
            } catch (IllegalStateException x) {
                errors.add(x.getMessage());
            }
        });
        assertEquals(StopCause.HALTED, e.run(Run.from(CODE)).cause());
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("from a hook"), errors.get(0));
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void eightEnginesRunAtOnceInEightThreads(boolean jit) throws Exception {
        byte[] code = bytes(0xB9, 0x40, 0x42, 0x0F, 0, 0x6B, 0xC0, 0x1F, 0x01, 0xC8, 0x31, 0xC2, 0x49, 0x75, 0xF6, 0xF4);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<long[]>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int seed = i;
                results.add(pool.submit(() -> {
                    Engine e = engine(jit, code);
                    e.setReg(Register.EAX, seed);
                    start.await();
                    RunResult r = e.run(Run.from(CODE));
                    return new long[] {r.cause().ordinal(), r.instructions(), e.reg(Register.EAX), e.reg(Register.EDX)};
                }));
            }
            start.countDown();
            for (int i = 0; i < 8; i++) {
                long[] got = results.get(i).get(60, TimeUnit.SECONDS);
                Engine alone = engine(false, code);
                alone.setReg(Register.EAX, i);
                RunResult r = alone.run(Run.from(CODE));
                assertArrayEquals(new long[] {r.cause().ordinal(), r.instructions(), alone.reg(Register.EAX), alone.reg(Register.EDX)}, got);
                assertEquals(StopCause.HALTED.ordinal(), got[0]);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sixteenBitModesRun(boolean jit) {
        // add ax,bx; hlt
        for (Mode m : new Mode[] {Mode.REAL_16, Mode.PROTECTED_16}) {
            Engine e = Engine.create(m, EngineOptions.defaults().withJit(jit).withJitThreshold(0));
            e.map(0x7000, 0x1000, Perm.ALL);
            e.write(0x7000, bytes(0x01, 0xD8, 0xF4));
            e.setReg(Register.EAX, 0x1FFFF);
            e.setReg(Register.EBX, 2);
            RunResult r = e.run(Run.from(0x7000));
            assertEquals(StopCause.HALTED, r.cause(), m + " " + r);
            assertEquals(0x10001, e.reg(Register.EAX), m.toString());
            assertEquals(2, r.instructions());
            assertThrows(IllegalArgumentException.class, () -> e.run(Run.from(0x17000)));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void realModeCatchesFetchesFromUnmappedMemory(boolean jit) {
        Engine e = Engine.create(Mode.REAL_16, EngineOptions.defaults().withJit(jit).withJitThreshold(0));
        e.map(0x7000, 0x1000, Perm.ALL);
        e.write(0x7000, bytes(0xE9, 0xFD, 0x0F)); // jmp 0x8000
        RunResult r = e.run(Run.from(0x7000));
        assertEquals(StopCause.INVALID_MEMORY, r.cause());
        assertEquals(Hooks.InvalidAccess.FETCH_UNMAPPED, r.access());
        assertEquals(0x8000, r.address());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void untilAddressInsideCodeCompiledEarlierStopsThere(boolean jit) {
        // mov ecx,1000; L: inc eax; inc ebx; dec ecx; jnz L; hlt
        Engine e = engine(jit, bytes(0xB9, 0xE8, 0x03, 0, 0, 0x40, 0x43, 0x49, 0x75, 0xFB, 0xF4));
        assertEquals(StopCause.HALTED, e.run(Run.from(CODE)).cause()); // compiled now, when the JIT is on
        assertEquals(1000, e.reg(Register.EBX));
        e.setReg(Register.EBX, 0);
        RunResult r = e.run(CODE, CODE + 6); // the inc ebx inside the loop
        assertEquals(StopCause.UNTIL_REACHED, r.cause());
        assertEquals(2, r.instructions());
        assertEquals(0, e.reg(Register.EBX));
        r = e.run(Run.from(CODE + 6).until(CODE + 10).count(1_000_000));
        assertEquals(StopCause.UNTIL_REACHED, r.cause());
        assertEquals(1000, e.reg(Register.EBX));
        assertEquals(1000 * 4 - 1, r.instructions());
        // until the same address again, with the code compiled in between
        r = e.run(Run.from(CODE).until(CODE + 6));
        assertEquals(2, r.instructions());
        if (jit) assertTrue(org.kasou.jit.JitEngine.of(e.cpu()).stats.instructionsExecuted > 0);
    }
}
