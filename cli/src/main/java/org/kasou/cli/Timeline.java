package org.kasou.cli;

import java.io.PrintStream;
import java.util.Locale;
import org.kasou.cpu.Cpu;
import org.kasou.jit.JitEngine;
import org.kasou.jit.JitStats;

/**
 * {@code --timeline}: every period of wall time, one line on stderr with what the guest did in it:
 * instructions and their rate, blocks the interpreter decoded, units the JIT compiled and the share
 * of instructions that ran compiled. A whole-run figure hides phases (a boot's decompressor runs
 * at hundreds of millions of instructions a second, the kernel's initialisation after it at tens);
 * this shows them, and the guest's EIP at each line says where a phase is.
 *
 * <p>The figures are the guest thread's plain counters read from another thread: each is a value
 * the guest had at most a pass or two earlier, which is all a timeline needs.
 */
final class Timeline implements AutoCloseable {
    private final Thread thread;

    private Timeline(Cpu cpu, JitEngine engine, double seconds, PrintStream err) {
        long periodNanos = (long) (seconds * 1e9);
        thread = new Thread(() -> report(cpu, engine, periodNanos, err), "kasou-timeline");
        thread.setDaemon(true);
    }

    /** Starts printing every {@code seconds} of wall time until {@link #close}. */
    static Timeline start(Cpu cpu, JitEngine engine, double seconds, PrintStream err) {
        Timeline t = new Timeline(cpu, engine, seconds, err);
        t.thread.start();
        return t;
    }

    private static void report(Cpu cpu, JitEngine engine, long periodNanos, PrintStream err) {
        long start = System.nanoTime();
        long lastTime = start, lastInstructions = 0, lastBlocks = 0, lastUnits = 0, lastCompiled = 0;
        while (true) {
            long due = lastTime + periodNanos;
            try {
                long wait = due - System.nanoTime();
                if (wait > 0) Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            long instructions = cpu.instructions;
            long blocks = cpu.interpreter().blocksBuilt();
            JitStats j = engine != null ? engine.stats : null;
            long units = j != null ? j.unitsCompiled : 0, compiled = j != null ? j.instructionsExecuted : 0;
            long ran = instructions - lastInstructions;
            err.printf(Locale.ROOT, "kasou: at %.2f s: %,d instructions, %.1f MIPS in the last %.2f s; blocks decoded %,d (+%,d)%s; EIP %08x%n",
                    (now - start) / 1e9, instructions, ran / 1e6 / ((now - lastTime) / 1e9), (now - lastTime) / 1e9,
                    blocks, blocks - lastBlocks,
                    j == null ? "" : String.format(Locale.ROOT, "; units compiled %,d (+%,d), %.1f%% ran compiled",
                            units, units - lastUnits, ran <= 0 ? 0.0 : Math.min(100.0, 100.0 * (compiled - lastCompiled) / ran)),
                    cpu.state.eip);
            lastTime = now;
            lastInstructions = instructions;
            lastBlocks = blocks;
            lastUnits = units;
            lastCompiled = compiled;
        }
    }

    @Override
    public void close() {
        thread.interrupt();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
