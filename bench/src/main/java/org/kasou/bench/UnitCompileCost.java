package org.kasou.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;
import org.kasou.jit.JitEngine;
import org.kasou.jit.JitStats;
import org.kasou.mem.PhysicalMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What compiling costs: a guest that runs once through {@value #PAGES} pages of gcc-like code
 * (frame loads and stores, ALU, compares and branches, LEA, MOVZX, shifts), with every block
 * compiled at first sight (threshold 0), as code that a boot runs through once is. One operation
 * compiles every unit of that code again (the cache is flushed first): the time per operation
 * divided by the units it compiles is the cost of a unit, ASM and class definition included.
 * {@code java -cp bench/target/benchmarks.jar org.kasou.bench.UnitCompileCost} prints that cost
 * per unit and per guest instruction in this thread's CPU time, steadier than JMH's wall time
 * on a loaded machine.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class UnitCompileCost {
    static final int PAGES = 64;
    static final int CODE = 0x100000, STACK = 0x80000;

    private Cpu cpu;
    private JitEngine jit;

    /** One block of typical compiled C: 11 instructions, 35 bytes; {@code k} varies its constants. */
    private static byte[] block(int k) {
        return new byte[] {
                (byte) 0x8B, 0x45, 0x08,                     // mov eax, [ebp+8]
                (byte) 0x8B, 0x55, 0x0C,                     // mov edx, [ebp+12]
                0x01, (byte) 0xD0,                           // add eax, edx
                (byte) 0x89, 0x45, (byte) 0xFC,              // mov [ebp-4], eax
                (byte) 0x83, (byte) 0xF8, (byte) k,          // cmp eax, k
                0x7E, 0x02,                                  // jle +2
                0x31, (byte) 0xC0,                           // xor eax, eax
                (byte) 0x8D, 0x4C, 0x24, 0x10,               // lea ecx, [esp+16]
                0x0F, (byte) 0xB6, 0x11,                     // movzx edx, byte [ecx]
                (byte) 0xC1, (byte) 0xE2, (byte) (k & 7),    // shl edx, k & 7
                (byte) 0x81, (byte) 0xC3, (byte) k, 1, 0, 0, // add ebx, 0x100 + k
        };
    }

    /** A CPU in flat 32-bit protected mode with the code in place and the JIT at threshold 0. */
    static Cpu newCpu() {
        PhysicalMemory ram = new PhysicalMemory(CODE + (PAGES + 1) * 0x1000);
        int k = 0;
        for (int p = 0; p < PAGES; p++) {
            int at = CODE + p * 0x1000, end = at + 0x1000 - 5;
            while (true) {
                byte[] b = block(k++ & 0x7F);
                if (at + b.length > end) break;
                ram.load(at, b, 0, b.length);
                at += b.length;
            }
            int next = CODE + (p + 1) * 0x1000;
            ram.write8(at, 0xE9); // jmp next page
            ram.write32(at + 1, next - (at + 5));
        }
        ram.write8(CODE + PAGES * 0x1000, 0xF4); // hlt
        Cpu cpu = GuestLoops.flatCpu(ram);
        JitEngine.install(cpu, 0);
        return cpu;
    }

    @Setup
    public void setUp() {
        cpu = newCpu();
        jit = JitEngine.of(cpu);
    }

    /** Runs the code once from the start, compiling all of it; returns the units compiled. */
    static long sweep(Cpu cpu) {
        JitStats st = JitEngine.of(cpu).stats;
        long before = st.unitsCompiled;
        cpu.interpreter().flushCodeCache();
        CpuState s = cpu.state;
        s.halted = false;
        s.eip = CODE;
        s.gpr[CpuState.ESP] = STACK;
        s.gpr[CpuState.EBP] = STACK;
        StopReason r = cpu.run(10_000_000);
        if (r != StopReason.HALTED) throw new IllegalStateException("the sweep ended with " + r);
        return st.unitsCompiled - before;
    }

    @Benchmark
    public long compileAllUnits() {
        return sweep(cpu);
    }

    public static void main(String[] args) {
        Cpu cpu = newCpu();
        JitStats st = JitEngine.of(cpu).stats;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        for (int round = 0; round < rounds; round++) {
            long units0 = st.unitsCompiled, insns0 = st.instructionsCompiled;
            long cpu0 = threads.getCurrentThreadCpuTime(), wall0 = System.nanoTime();
            sweep(cpu);
            long cpuNs = threads.getCurrentThreadCpuTime() - cpu0, wallNs = System.nanoTime() - wall0;
            long units = st.unitsCompiled - units0, insns = st.instructionsCompiled - insns0;
            System.out.printf("round %2d: %d units (%d guest instructions): %.1f us a unit, %.2f us a guest instruction"
                    + " (thread CPU time; wall %.1f us a unit)%n", round, units, insns, cpuNs / 1e3 / units,
                    cpuNs / 1e3 / insns, wallNs / 1e3 / units);
        }
    }
}
