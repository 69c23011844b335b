package org.kasou.bench;

import java.util.concurrent.TimeUnit;
import org.kasou.embed.Engine;
import org.kasou.embed.Mode;
import org.kasou.embed.Perm;
import org.kasou.embed.Register;
import org.kasou.embed.Run;
import org.kasou.embed.RunResult;
import org.kasou.embed.StopCause;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The embedding API ({@code kasou-embed}) driven the way Unicorn users drive Unicorn, in
 * nanoseconds per operation: {@code aluLoop} per guest instruction with no hooks (1000 / it =
 * MIPS); {@code callFunction} per run call of a 43-instruction function, until its return
 * address; {@code codeHook} per hooked instruction (a hook on every instruction of the loop);
 * {@code memoryHook} per hooked memory write (a three-instruction loop around one store). Every
 * run ends at a jump to {@link #EXIT}, the until-address, in a page of its own.
 * {@code bench/embed-vs-unicorn.py} runs the same guest code in Unicorn.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EmbedBench {
    static final long CODE = 0x400000, LOOP = CODE, STORE = CODE + 0x20, FUNCTION = CODE + 0x40, EXIT = CODE + 0x1000;
    static final long DATA = 0x600000, STACK = 0x7FF00000L;
    static final int ALU_ITERATIONS = 1_000_000, HOOKED_ITERATIONS = 100_000;
    static final int FUNCTION_INSTRUCTIONS = 43;

    private Engine plain, codeHooked, memoryHooked;
    private long hookCalls;

    static byte[] bytes(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) r[i] = (byte) b[i];
        return r;
    }

    static byte[] le32(long v) {
        return bytes((int) v & 0xFF, (int) (v >>> 8) & 0xFF, (int) (v >>> 16) & 0xFF, (int) (v >>> 24) & 0xFF);
    }

    static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) o.writeBytes(p);
        return o.toByteArray();
    }

    /** mov ecx,n; L: add eax,ecx; xor edx,eax; dec ecx; jnz L; jmp EXIT -- 4n + 2 instructions. */
    static byte[] aluLoop(int n) {
        return concat(bytes(0xB9), le32(n), bytes(0x01, 0xC8, 0x31, 0xC2, 0x49, 0x75, 0xF9, 0xE9), le32(EXIT - (LOOP + 0x11)));
    }

    /** mov ecx,n; L: mov [edi],eax; inc eax; dec ecx; jnz L; jmp EXIT -- one store per iteration. */
    static byte[] storeLoop(int n) {
        return concat(bytes(0xB9), le32(n), bytes(0x89, 0x07, 0x40, 0x49, 0x75, 0xFA, 0xE9), le32(EXIT - (STORE + 0x10)));
    }

    /** mov ecx,13; xor eax,eax; nop; L: add eax,ecx; dec ecx; jnz L; ret -- 3 + 13 * 3 + 1 = 43 instructions. */
    static final byte[] FUNCTION_CODE = bytes(0xB9, 13, 0, 0, 0, 0x31, 0xC0, 0x90, 0x01, 0xC8, 0x49, 0x75, 0xFB, 0xC3);

    static Engine engine(int loopIterations) {
        Engine e = Engine.create(Mode.PROTECTED_32);
        e.map(CODE, 0x2000, Perm.READ | Perm.EXEC);
        e.map(DATA, 0x1000, Perm.READ | Perm.WRITE);
        e.map(STACK, 0x10000, Perm.READ | Perm.WRITE);
        e.write(LOOP, aluLoop(loopIterations));
        e.write(STORE, storeLoop(loopIterations));
        e.write(FUNCTION, FUNCTION_CODE);
        e.write(EXIT, bytes(0xF4));
        e.setReg(Register.EDI, DATA);
        return e;
    }

    @Setup
    public void setUp() {
        plain = engine(ALU_ITERATIONS);
        codeHooked = engine(HOOKED_ITERATIONS);
        codeHooked.hookCode(LOOP, LOOP + 0x10, (en, a, size) -> hookCalls++);
        memoryHooked = engine(HOOKED_ITERATIONS);
        memoryHooked.hookMemory(DATA, DATA + 0xFFF, (en, acc, a, size, v) -> hookCalls++);
    }

    static void check(RunResult r, long instructions) {
        if (r.cause() != StopCause.UNTIL_REACHED || r.instructions() != instructions) throw new AssertionError(r);
    }

    @Benchmark
    @OperationsPerInvocation(4 * ALU_ITERATIONS + 2)
    public long aluLoop() {
        check(plain.run(LOOP, EXIT), 4L * ALU_ITERATIONS + 2);
        return plain.reg(Register.EAX);
    }

    @Benchmark
    public long callFunction() {
        plain.setReg(Register.ESP, STACK + 0x8000);
        plain.writeU32(STACK + 0x8000, EXIT);
        check(plain.run(FUNCTION, EXIT), FUNCTION_INSTRUCTIONS);
        return plain.reg(Register.EAX);
    }

    @Benchmark
    @OperationsPerInvocation(4 * HOOKED_ITERATIONS + 2)
    public long codeHook() {
        check(codeHooked.run(LOOP, EXIT), 4L * HOOKED_ITERATIONS + 2);
        return hookCalls;
    }

    @Benchmark
    @OperationsPerInvocation(HOOKED_ITERATIONS)
    public long memoryHook() {
        check(memoryHooked.run(STORE, EXIT), 4L * HOOKED_ITERATIONS + 2);
        return hookCalls;
    }
}
