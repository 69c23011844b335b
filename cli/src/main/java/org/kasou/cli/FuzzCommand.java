package org.kasou.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.kasou.conformance.oracle.EngineDifferential;
import org.kasou.conformance.oracle.OracleFuzzer;
import org.kasou.conformance.oracle.X87CaseGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code kasou conformance fuzz}: kasou's CPU against the host CPU on random instruction cases. */
@Command(name = "fuzz", mixinStandardHelpOptions = true,
        description = {"Generates random cases from the instruction table (single instructions of every user-level",
            "form, and sequences of 2-20 instructions with forward branches), runs each on the host CPU",
            "through a native 32-bit helper (built with gcc -m32) and on kasou, and compares registers,",
            "flags (except those the instruction leaves undefined), memory and exceptions.",
            "Prints the first failures in full and, last, 'N passed, M failed'. Cases whose only difference is a",
            "known departure of the host CPU from the SDM (kasou follows the SDM) are listed by name, not failed.",
            "With --fpu: x87 instruction sequences (random states, operands at the edge classes, every rounding",
            "and precision control) instead; where the host runs no 32-bit code, the helper's 64-bit build runs them.",
            "With --loops: sequences with loops (which the host cannot run safely) on the JIT against the interpreter.",
            "Exit status: 0 when every case agrees, " + ConformanceCommand.UNEXPLAINED_FAILURES
                + " when some case differs, 1 when the host cannot run the helper."})
final class FuzzCommand implements Callable<Integer> {
    @ParentCommand
    ConformanceCommand parent;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--cases", paramLabel = "N", defaultValue = "10000", description = "number of cases (default: ${DEFAULT-VALUE})")
    int cases;

    @Option(names = "--jit", description = "run kasou with the JIT forced on (compile threshold zero)")
    boolean jit;

    @Option(names = "--loops", description = "compare the JIT with the interpreter on random sequences with loops instead")
    boolean loops;

    @Option(names = "--fpu", description = "x87 instruction sequences instead of the integer forms")
    boolean fpu;

    @Option(names = "--show", paramLabel = "K", defaultValue = "5", description = "failures printed in full (default: ${DEFAULT-VALUE})")
    int show;

    @Option(names = "--helper-dir", paramLabel = "DIR",
            description = "where the native helper is built (default: kasou-oracle in the temporary directory)")
    Path helperDir;

    @Override
    public Integer call() {
        var out = parent.kasou.out;
        var err = parent.kasou.err;
        if (cases < 0) {
            err.println("kasou conformance fuzz: --cases must not be negative");
            return ExitCodes.USAGE;
        }
        if (loops) {
            long t0 = System.nanoTime();
            EngineDifferential.Summary s = EngineDifferential.run(seed, cases, 20, 100, 50_000, Math.max(0, show));
            for (String r : s.reports()) out.println(r);
            out.printf("seed %d: %d loop cases, JIT against interpreter, in %.1f s%n", seed, cases, (System.nanoTime() - t0) / 1e9);
            out.printf("%d passed, %d failed%n", s.cases() - s.failed(), s.failed());
            return s.failed() == 0 ? ExitCodes.OK : ConformanceCommand.UNEXPLAINED_FAILURES;
        }
        Path dir = helperDir != null ? helperDir
                : Path.of(System.getProperty("java.io.tmpdir"), "kasou-oracle-" + System.getProperty("user.name", "user"));
        Optional<OracleFuzzer> started = fpu ? OracleFuzzer.startForX87(dir, jit) : OracleFuzzer.start(dir, jit);
        if (started.isEmpty()) {
            err.println("kasou conformance fuzz: the native helper cannot be built or run here (needs gcc -m32 and 32-bit execution"
                    + (fpu ? "; for x87 cases, or gcc and root for its 64-bit build)" : ")"));
            return ExitCodes.BAD_FILE;
        }
        try (OracleFuzzer fuzzer = started.get()) {
            long t0 = System.nanoTime();
            OracleFuzzer.Summary s = fpu
                    ? fuzzer.run(seed, new X87CaseGenerator(seed, fuzzer.host().runsSixteenBitCases())::next, cases, Math.max(0, show))
                    : fuzzer.run(seed, cases, Math.max(0, show));
            double secs = (System.nanoTime() - t0) / 1e9;
            for (String r : s.reports()) out.println(r);
            out.printf("seed %d: %d cases on the %s in %.1f s, %d skipped (the host did not finish them)%n", seed, cases,
                    jit ? "JIT (every block compiled)" : "interpreter", secs, s.skipped());
            s.deviations().forEach((d, n) -> out.printf("host deviation %s: %d (%s)%n", d.name(), n, d.reason));
            out.printf("%d passed, %d failed%n", s.passed(), s.failed());
            return s.failed() == 0 ? ExitCodes.OK : ConformanceCommand.UNEXPLAINED_FAILURES;
        } catch (IOException e) {
            err.println("kasou conformance fuzz: " + e.getMessage());
            return ExitCodes.INTERNAL_ERROR;
        }
    }
}
