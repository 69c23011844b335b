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
 * Interpreter speed in guest MIPS: one operation is one guest instruction and the score is in
 * operations per microsecond, i.e. millions of guest instructions per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class InterpreterMips {
    static final int INSTRUCTIONS = 1_000_000;

    @Param({"ALU", "MEMORY", "CALL_RETURN"})
    public GuestLoops loop;

    private Cpu cpu;

    @Setup
    public void setUp() {
        cpu = loop.newCpu();
        GuestLoops.run(cpu, 1000); // fails fast if the interpreter cannot run the loop
    }

    @Benchmark
    @OperationsPerInvocation(INSTRUCTIONS)
    public long run() {
        GuestLoops.run(cpu, INSTRUCTIONS);
        return cpu.state.gpr[0];
    }
}
