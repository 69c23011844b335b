package org.kasou.bench;

import org.kasou.cpu.Cpu;

/**
 * A quick MIPS figure without JMH, for a first look while working on the interpreter:
 * {@code java -cp bench/target/benchmarks.jar org.kasou.bench.QuickMips [seconds per loop [LOOP...]]}.
 * Use the JMH benchmark (InterpreterMips) for numbers worth reporting.
 */
public final class QuickMips {
    private QuickMips() {}

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        GuestLoops[] loops = GuestLoops.values();
        if (args.length > 1) {
            loops = new GuestLoops[args.length - 1];
            for (int i = 1; i < args.length; i++) {
                loops[i - 1] = GuestLoops.valueOf(args[i]);
            }
        }
        for (GuestLoops loop : loops) {
            Cpu cpu = loop.newCpu();
            long chunk = 1_000_000;
            // Warm up for a third of the time, then measure.
            measure(cpu, chunk, seconds / 3);
            double mips = measure(cpu, chunk, seconds);
            System.out.printf("%-12s %8.1f MIPS%n", loop, mips);
        }
    }

    private static double measure(Cpu cpu, long chunk, double seconds) {
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long n = 0;
        long now;
        do {
            GuestLoops.run(cpu, chunk);
            n += chunk;
            now = System.nanoTime();
        } while (now < deadline);
        return n / ((now - start) / 1e3);
    }
}
