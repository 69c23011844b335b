package org.kasou.bench;

import java.util.concurrent.TimeUnit;
import org.kasou.cpu.Cpu;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The x87 guest loops ({@link X87Loops}) on the interpreter and with the JIT, in guest MIPS
 * (operations per microsecond, one operation per guest instruction, loop control included).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class X87Mips {
    static final int INSTRUCTIONS = 1_000_000;

    @Param({"ADD", "MULTIPLY", "DIVIDE", "SQUARE_ROOT", "COMPARE", "STACK"})
    public X87Loops loop;

    @Param({"interpreter", "jit"})
    public String engine;

    private Cpu cpu;

    @Setup
    public void setUp() {
        cpu = loop.newCpu(engine.equals("jit"));
        JitLoops.warmUpManyBlocks(cpu, JitMips.WARMUP_LOOPS);
        GuestLoops.run(cpu, 1000);
    }

    @Benchmark
    @OperationsPerInvocation(INSTRUCTIONS)
    public long run() {
        GuestLoops.run(cpu, INSTRUCTIONS);
        return cpu.state.gpr[0];
    }

    /** A quick look without JMH: {@code java -cp benchmarks.jar org.kasou.bench.X87Mips [seconds]}. */
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        for (X87Loops l : X87Loops.values()) {
            double[] mips = new double[2];
            for (int e = 0; e < 2; e++) {
                Cpu c = l.newCpu(e == 1);
                JitLoops.warmUpManyBlocks(c, JitMips.WARMUP_LOOPS);
                JitMips.measure(c, seconds / 3);
                mips[e] = JitMips.measure(c, seconds);
            }
            System.out.printf("%-12s interpreter %7.1f MIPS   jit %7.1f MIPS%n", l, mips[0], mips[1]);
        }
    }
}
