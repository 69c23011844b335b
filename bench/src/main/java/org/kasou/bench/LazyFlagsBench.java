package org.kasou.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.LazyFlags;
import org.kasou.cpu.exec.Alu;
import org.kasou.cpu.exec.Conditions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the lazy flags: a flag-setting helper followed by the read a guest would do
 * (a Jcc condition, or all flags as PUSHF needs), in ns per pair, over random 32-bit operands.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LazyFlagsBench {
    private static final int N = 1024;

    private final CpuState s = new CpuState();
    private final int[] a = new int[N];
    private final int[] b = new int[N];

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < N; i++) {
            a[i] = r.nextInt();
            b[i] = r.nextInt();
        }
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int cmpThenJl() {
        int taken = 0;
        for (int i = 0; i < N; i++) {
            Alu.cmp(s, 4, a[i], b[i]);
            if (Conditions.test(s, Conditions.L)) taken++;
        }
        return taken;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int subThenJbe() {
        int taken = 0;
        for (int i = 0; i < N; i++) {
            Alu.sub(s, 4, a[i], b[i]);
            if (Conditions.test(s, Conditions.BE)) taken++;
        }
        return taken;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int addThenJo() {
        int taken = 0;
        for (int i = 0; i < N; i++) {
            Alu.add(s, 4, a[i], b[i]);
            if (Conditions.test(s, Conditions.O)) taken++;
        }
        return taken;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int decThenJnz() {
        int taken = 0;
        for (int i = 0; i < N; i++) {
            Alu.dec(s, 4, a[i] & 3);
            if (Conditions.test(s, Conditions.NE)) taken++;
        }
        return taken;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int adcChain() {
        int sum = 0;
        for (int i = 0; i < N; i++) {
            sum = Alu.adc(s, 4, a[i], b[i]); // reads the carry of the previous one
        }
        return sum;
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public int addThenAllFlags() {
        int f = 0;
        for (int i = 0; i < N; i++) {
            Alu.add(s, 1, a[i], b[i]);
            f ^= LazyFlags.arith(s);
        }
        return f;
    }
}
