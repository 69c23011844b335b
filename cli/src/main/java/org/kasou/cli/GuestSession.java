package org.kasou.cli;

import java.io.BufferedOutputStream;
import java.io.PrintStream;
import java.util.Locale;
import org.kasou.cpu.CpuState;
import org.kasou.jit.JitEngine;
import org.kasou.jit.JitStats;
import org.kasou.mem.GuestMemoryExhaustedException;
import org.kasou.pc.KernelLoadException;
import org.kasou.pc.Machine;
import org.kasou.pc.MultibootLoader;
import org.kasou.pc.RunResult;

/** Loads a multiboot kernel into a fresh machine, runs it and turns the outcome into an exit status. */
final class GuestSession {
    private final Kasou kasou;
    private final int ramBytes;
    private final long maxInstructions;
    private final boolean stats;
    private final int jitThreshold;
    private RunResult result;
    /** Whether standard input goes to the guest's COM1 (boot does this; the demo guest reads nothing). */
    private boolean serialInput;
    private boolean deterministic;
    /** Seconds between two lines of the timeline, 0 for none (see Timeline). */
    private double timelineSeconds;

    /** @param jitThreshold the JIT's compile threshold, or -1 to interpret only */
    GuestSession(Kasou kasou, int ramBytes, long maxInstructions, boolean stats, int jitThreshold) {
        this.kasou = kasou;
        this.ramBytes = ramBytes;
        this.maxInstructions = maxInstructions;
        this.stats = stats;
        this.jitThreshold = jitThreshold;
    }

    /** Sends standard input to the guest's serial port during the run. */
    GuestSession withSerialInput() {
        this.serialInput = true;
        return this;
    }

    /** Runs the machine on a clock that counts instructions (see Machine). */
    GuestSession deterministic(boolean on) {
        this.deterministic = on;
        return this;
    }

    /** Prints a line on stderr every {@code seconds} of the run (0: none; see Timeline). */
    GuestSession timeline(double seconds) {
        this.timelineSeconds = seconds;
        return this;
    }

    /** The kernel loader, given the machine to load into. */
    interface Loader {
        void load(Machine machine) throws KernelLoadException;
    }

    /** How the guest run ended; null when it never started. */
    RunResult result() {
        return result;
    }

    int run(Loader loader) {
        try {
            return runMachine(loader);
        } catch (GuestMemoryExhaustedException e) {
            // The machine (and its RAM) became garbage with runMachine's frame: there is heap again.
            kasou.out.flush();
            kasou.err.println("kasou: out of memory: " + e.getMessage()
                    + " (raise the heap: java -Xmx4g -jar kasou.jar, or KASOU_JAVA_OPTS=-Xmx4g ./kasou)");
            return ExitCodes.OUT_OF_MEMORY;
        } catch (OutOfMemoryError e) {
            // The heap filled up elsewhere (the guest's RAM had taken most of it).
            kasou.out.flush();
            kasou.err.println("kasou: out of memory: the Java heap (at most " + (Runtime.getRuntime().maxMemory() >> 20)
                    + " MiB) is full (raise it: java -Xmx4g -jar kasou.jar, or KASOU_JAVA_OPTS=-Xmx4g ./kasou)");
            return ExitCodes.OUT_OF_MEMORY;
        }
    }

    private int runMachine(Loader loader) {
        PrintStream err = kasou.err;
        BufferedOutputStream console = new BufferedOutputStream(kasou.rawOut(), 1 << 14);
        // Guest RAM is allocated as the guest touches it, so any size fits at first; a guest that
        // touches more than the Java heap holds stops with GuestMemoryExhaustedException.
        PanicWatch serialOut = new PanicWatch(console);
        Machine machine = new Machine(ramBytes, console, serialOut, deterministic);
        serialOut.onPanic(machine.cpu::requestStop);
        JitEngine engine = jitThreshold >= 0 ? JitEngine.install(machine.cpu, jitThreshold) : null;
        // What runs compiled must not depend on another thread's timing in a run that repeats exactly.
        if (engine != null && deterministic) engine.compileInBackground(false);
        try {
            loader.load(machine);
        } catch (KernelLoadException e) {
            err.println("kasou: " + e.getMessage());
            return ExitCodes.BAD_FILE;
        }
        if (stats) machine.io.countTime(true);
        // Only --stats reports it: the management classes' start-up costs every run about 10 ms.
        long threadCpu0 = stats ? threadCpuNanos() : 0;
        SerialConsole serial = serialInput ? SerialConsole.attach(machine, kasou.in) : null;
        RunResult r;
        Timeline timeline = timelineSeconds > 0 ? Timeline.start(Timeline.Source.of(machine.cpu, engine), timelineSeconds, err) : null;
        try {
            r = machine.run(maxInstructions);
        } finally {
            if (timeline != null) timeline.close();
            if (serial != null) serial.close();
        }
        long threadCpu = stats ? threadCpuNanos() - threadCpu0 : 0;
        result = r;
        kasou.out.flush();
        if (stats) {
            err.printf(Locale.ROOT, "kasou: %,d guest instructions in %.3f s: %.1f MIPS (%s)%n",
                    r.instructions(), r.nanos() / 1e9, r.mips(),
                    jitThreshold >= 0 ? "JIT, threshold " + jitThreshold : "interpreter");
            if (engine != null) {
                JitStats j = engine.stats;
                err.println(JitStatsLine.of(j, r.instructions()));
                if (j.loadFailures > 0) {
                    err.printf(Locale.ROOT, "kasou: JIT: %,d compiled units refused by the JVM (their code ran in the interpreter)%n",
                            j.loadFailures);
                }
            }
            org.kasou.pc.chips.TimedInterrupts timers = machine.interrupts;
            err.printf(Locale.ROOT, "kasou: devices: %,d port accesses in %.3f s, timer and device polls %.3f s; halted"
                    + " waiting for a timer %.3f s; guest time skipped at PAUSE %.3f s%n", machine.io.accesses(),
                    machine.io.nanos() / 1e9, timers.pollNanos() / 1e9, timers.haltedNanos() / 1e9,
                    machine.clock.spunNanos() / 1e9);
            // On a loaded machine wall time says little; the guest thread's CPU time says what the run
            // itself cost, and the process's what HotSpot's compilers and the collector added to it.
            java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            long processCpu = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
            err.printf(Locale.ROOT, "kasou: CPU time: %.3f s on the guest's thread, %s in the whole JVM%n", threadCpu / 1e9,
                    processCpu < 0 ? "unknown" : String.format(Locale.ROOT, "%.3f s", processCpu / 1e9));
        }
        CpuState s = machine.cpu.state;
        return switch (r.outcome()) {
            case EXITED -> r.exitStatus();
            case HALTED -> {
                if ((s.eflagsRest & org.kasou.cpu.Flags.IF) != 0) {
                    err.printf("kasou: the guest halted with no interrupt left to wake it (no timer running) at EIP=0x%08x%n", s.eip);
                } else {
                    err.printf("kasou: the guest halted with interrupts disabled at EIP=0x%08x%n", s.eip);
                }
                yield ExitCodes.OK;
            }
            case SHUTDOWN -> {
                err.printf("kasou: the guest triple-faulted (CPU shutdown) at EIP=0x%08x%n", s.eip);
                yield ExitCodes.TRIPLE_FAULT;
            }
            case INSTRUCTION_LIMIT -> {
                err.printf("kasou: stopped after %,d instructions (--max-instructions) at EIP=0x%08x%n",
                        r.instructions(), s.eip);
                yield ExitCodes.INSTRUCTION_LIMIT;
            }
            case RESET -> {
                err.println("kasou: the guest asked for a reset; stopping");
                yield ExitCodes.RESET;
            }
            case STOPPED -> {
                if (serialOut.panicked()) {
                    err.println("kasou: the guest kernel panicked");
                    yield ExitCodes.GUEST_PANIC;
                }
                if (serial != null && serial.quitRequested()) {
                    err.println("\r\nkasou: quit (Ctrl-A x)");
                    yield ExitCodes.OK;
                }
                yield ExitCodes.INTERRUPTED;
            }
        };
    }

    /** The CPU time of the calling thread (the guest's), in nanoseconds. */
    private static long threadCpuNanos() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
    }
}
