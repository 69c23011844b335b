package org.kasou.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.kasou.cpu.Cpu;

/**
 * A quick MIPS figure without JMH, for a first look while working on the interpreter:
 * {@code java -cp bench/target/benchmarks.jar org.kasou.bench.QuickMips [seconds per loop [LOOP...]]}.
 *
 * <p>Prints two figures per loop: guest instructions per second of wall time (what JMH
 * reports) and per second of this thread's CPU time. On a shared, loaded machine the second is
 * the steadier measure of the interpreter itself; on an idle machine the two agree. Without loop
 * names each loop runs in its own JVM (as JMH forks do), so that the JIT's profile of one loop
 * does not shape the code another loop runs.
 */
public final class QuickMips {
    private QuickMips() {}

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 3;
        if (args.length <= 1) {
            String javaBin = ProcessHandle.current().info().command().orElse("java");
            for (GuestLoops loop : GuestLoops.values()) {
                java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of(javaBin));
                for (String name : System.getProperties().stringPropertyNames()) {
                    if (name.startsWith("kasou.")) {
                        command.add("-D" + name + "=" + System.getProperty(name)); // e.g. kasou.jit.threshold
                    }
                }
                command.addAll(java.util.List.of("-cp", System.getProperty("java.class.path"),
                        QuickMips.class.getName(), Double.toString(seconds), loop.name()));
                Process p = new ProcessBuilder(command).inheritIO().start();
                if (p.waitFor() != 0) {
                    System.exit(1);
                }
            }
            return;
        }
        GuestLoops[] loops = new GuestLoops[args.length - 1];
        for (int i = 1; i < args.length; i++) {
            loops[i - 1] = GuestLoops.valueOf(args[i]);
        }
        for (GuestLoops loop : loops) {
            Cpu cpu = loop.newCpu();
            String threshold = System.getProperty("kasou.jit.threshold"); // this tool's option: run with the JIT
            if (threshold != null) org.kasou.jit.JitEngine.install(cpu, Integer.parseInt(threshold.trim()));
            measure(cpu, seconds / 2); // warm-up
            double[] best = {0, 0};
            for (int round = 0; round < 3; round++) {
                double[] m = measure(cpu, seconds / 3);
                best[0] = Math.max(best[0], m[0]);
                best[1] = Math.max(best[1], m[1]);
            }
            System.out.printf("%-12s %8.1f MIPS (wall time) %8.1f MIPS (thread CPU time)%n", loop, best[0], best[1]);
        }
    }

    /** Runs for about {@code seconds} of wall time; returns {wall MIPS, CPU-time MIPS}. */
    private static double[] measure(Cpu cpu, double seconds) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long chunk = 1_000_000;
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long deadline = start + (long) (seconds * 1e9);
        long n = 0;
        long now;
        do {
            GuestLoops.run(cpu, chunk);
            n += chunk;
            now = System.nanoTime();
        } while (now < deadline);
        long cpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
        return new double[] {n / ((now - start) / 1e3), n / (cpuNanos / 1e3)};
    }
}
