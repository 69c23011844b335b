package org.kasou.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.kasou.cpu.Cpu;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
 * Interpreter speed in guest MIPS: one operation is one guest instruction and the score is in
 * operations per microsecond, i.e. millions of guest instructions per second of wall time.
 *
 * <p>The secondary result {@code run:cpuTimeMips} is the same figure per second of the benchmark
 * thread's CPU time. On an idle machine the two agree; on a loaded one (the shared two-core
 * machine often runs several JVMs) the wall-time score falls with the share of a core the
 * benchmark gets, while the CPU-time figure still describes the interpreter.
 *
 * <p>{@code -p engine=interpreter,jit} runs the same loops with the JIT installed too (compile
 * threshold 50 blocks), for the JIT-to-interpreter ratio measured in one run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InterpreterMips {
    static final int INSTRUCTIONS = 1_000_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    @Param({"ALU", "MEMORY", "CALL_RETURN"})
    public GuestLoops loop;

    /** "interpreter", or "jit" to install the execution engine found on the class path. */
    @Param({"interpreter"})
    public String engine;

    private Cpu cpu;

    /**
     * Guest instructions per microsecond of thread CPU time. JMH divides an OPERATIONS counter by
     * the iteration's wall time, so each invocation adds its instructions scaled by wall / CPU time.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class CpuTime {
        public double cpuTimeMips;

        @Setup(Level.Iteration)
        public void reset() {
            cpuTimeMips = 0;
        }
    }

    @Setup
    public void setUp() {
        if (!engine.equals("jit") && !engine.equals("interpreter")) {
            throw new IllegalArgumentException("engine must be interpreter or jit: " + engine);
        }
        cpu = loop.newCpu();
        if (engine.equals("jit")) org.kasou.jit.JitEngine.install(cpu, 50);
        GuestLoops.run(cpu, 1000); // fails fast if the interpreter cannot run the loop
    }

    @Benchmark
    @OperationsPerInvocation(INSTRUCTIONS)
    public long run(CpuTime counters) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        GuestLoops.run(cpu, INSTRUCTIONS);
        long wall = System.nanoTime() - wall0;
        long cpuNanos = Math.max(1, THREADS.getCurrentThreadCpuTime() - cpu0);
        counters.cpuTimeMips += (double) INSTRUCTIONS * wall / cpuNanos;
        return cpu.state.gpr[0];
    }
}
