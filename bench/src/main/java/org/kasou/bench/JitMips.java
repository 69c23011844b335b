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
 * Interpreter and JIT side by side in guest MIPS (operations per microsecond, one operation per
 * guest instruction). Before measuring, each CPU runs {@link #WARMUP_LOOPS} different small loops
 * through the same dispatch path, so that compiled code is called from a site that has seen many
 * classes, as in a real guest.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class JitMips {
    static final int INSTRUCTIONS = 1_000_000;
    static final int WARMUP_LOOPS = 200;

    @Param({"ALU", "MEMORY", "CALL_RETURN", "STRING_COPY", "SWITCH", "CROSS_PAGE"})
    public JitLoops loop;

    @Param({"interpreter", "jit"})
    public String engine;

    private Cpu cpu;

    @Setup
    public void setUp() {
        cpu = loop.newCpu(engine.equals("jit"));
        JitLoops.warmUpManyBlocks(cpu, WARMUP_LOOPS);
        GuestLoops.run(cpu, 1000);
    }

    @Benchmark
    @OperationsPerInvocation(INSTRUCTIONS)
    public long run() {
        GuestLoops.run(cpu, INSTRUCTIONS);
        return cpu.state.gpr[0];
    }

    /** A quick look without JMH: {@code java -cp benchmarks.jar org.kasou.bench.JitMips [seconds [LOOP...]]}. */
    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 2;
        JitLoops[] loops = JitLoops.values();
        if (args.length > 1) {
            loops = new JitLoops[args.length - 1];
            for (int i = 1; i < args.length; i++) loops[i - 1] = JitLoops.valueOf(args[i]);
        }
        for (JitLoops l : loops) {
            double[] mips = new double[2];
            Cpu jitCpu = null;
            for (int e = 0; e < 2; e++) {
                Cpu c = l.newCpu(e == 1);
                if (e == 1) jitCpu = c;
                JitLoops.warmUpManyBlocks(c, Integer.getInteger("kasou.bench.warmups", WARMUP_LOOPS));
                measure(c, seconds / 3);
                mips[e] = measure(c, seconds);
            }
            System.out.printf("%-12s interpreter %8.1f MIPS   jit %8.1f MIPS   x%.1f%n", l, mips[0], mips[1], mips[1] / mips[0]);
            if (Boolean.getBoolean("kasou.bench.verbose")) {
                org.kasou.jit.JitStats st = org.kasou.jit.JitEngine.of(jitCpu).stats;
                System.out.printf("  units %d, entries %d, compiled share %.3f, instructions per entry %.1f%n", st.unitsCompiled,
                        st.entries, st.instructionsExecuted / (double) jitCpu.instructions, st.instructionsExecuted / (double) st.entries);
            }
        }
    }

    static double measure(Cpu c, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long n = 0;
        long now;
        do {
            GuestLoops.run(c, INSTRUCTIONS);
            n += INSTRUCTIONS;
            now = System.nanoTime();
        } while (now < deadline);
        return n / ((now - start) / 1e3);
    }
}
