package org.kasou.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.kasou.cpu.Cpu;
import org.kasou.jit.JitEngine;
import org.kasou.jit.JitStats;
import org.kasou.linux.LinuxProcess;

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

    /** What the commands' {@code --timeline} option says of itself. */
    static final String OPTION_DESCRIPTION = "every SECONDS of wall time, print on stderr the instructions run, their rate,"
            + " the blocks decoded, the units compiled and the guest's EIP";

    /**
     * Whether {@code seconds} may be a timeline's period: 0 (none), or from 0.01 s (a shorter one
     * floods the terminal) to an hour; NaN is not.
     */
    static boolean validPeriod(double seconds) {
        return seconds == 0 || (seconds >= 0.01 && seconds <= 3600);
    }

    /** The one-line usage error of {@code command} for a period that is not {@link #validPeriod}. */
    static String periodError(String command) {
        return "kasou " + command + ": --timeline takes seconds between 0.01 and 3600 (see 'kasou " + command + " --help')";
    }

    /** Where the figures come from: a machine's CPU, or a Linux program's threads. */
    record Source(LongSupplier instructions, LongSupplier blocks, Supplier<JitStats> jit, IntSupplier eip) {
        static Source of(Cpu cpu, JitEngine engine) {
            return new Source(() -> cpu.instructions, () -> cpu.interpreter().blocksBuilt(),
                    () -> engine != null ? engine.stats : null, () -> cpu.state.eip);
        }

        static Source of(LinuxProcess process) {
            return new Source(process::instructionsSoFar, process::blocksDecodedSoFar, process::jitStats, process::mainEip);
        }
    }

    private Timeline(Source source, double seconds, PrintStream err) {
        long periodNanos = (long) (seconds * 1e9);
        thread = new Thread(() -> report(source, periodNanos, err), "kasou-timeline");
        thread.setDaemon(true);
    }

    /** Starts printing every {@code seconds} of wall time until {@link #close}. */
    static Timeline start(Source source, double seconds, PrintStream err) {
        Timeline t = new Timeline(source, seconds, err);
        t.thread.start();
        return t;
    }

    private static void report(Source source, long periodNanos, PrintStream err) {
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
            long instructions = source.instructions().getAsLong();
            long blocks = source.blocks().getAsLong();
            JitStats j = source.jit().get();
            long units = j != null ? j.unitsCompiled : 0, compiled = j != null ? j.instructionsExecuted : 0;
            long ran = instructions - lastInstructions;
            err.printf(Locale.ROOT, "kasou: at %.2f s: %,d instructions, %.1f MIPS in the last %.2f s; blocks decoded %,d (+%,d)%s; EIP %08x%n",
                    (now - start) / 1e9, instructions, ran / 1e6 / ((now - lastTime) / 1e9), (now - lastTime) / 1e9,
                    blocks, blocks - lastBlocks,
                    j == null ? "" : String.format(Locale.ROOT, "; units compiled %,d (+%,d), %.1f%% ran compiled",
                            units, units - lastUnits, ran <= 0 ? 0.0 : Math.min(100.0, 100.0 * (compiled - lastCompiled) / ran)),
                    source.eip().getAsInt());
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
