package org.kasou.conformance.sst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.kasou.jit.JitEngine;
import org.kasou.jit.JitStats;

/**
 * Runs the SingleStepTests 80286 real-mode vectors on kasou's CPU: the shipped subset always,
 * the full 162,500 tests when they are present beside the checkout. Every failure must be one
 * of the named {@link ExpectedDifference}s, and the pass rate must reach {@link #MIN_PASS_RATE}.
 * The full report goes to target/ for reading.
 */
class SstConformanceTest {
    /**
     * The pass rate the vectors reach: 97.67% of the full set, 97.74% of the subset. What fails
     * is the expected differences, 1.83% of it LOCK on instructions that IA-32 rejects with #UD
     * and 0.31% x87 escapes; see the report in target/.
     */
    static final double MIN_PASS_RATE = 0.975;

    /**
     * How many tests each expected difference explains at most, full set and subset. POP to a
     * faulting memory operand and AAM 0 occur only in the larger public suite, not in these sets.
     */
    private static final Map<ExpectedDifference, Integer> FULL_CAPS = Map.of(
            ExpectedDifference.FPU_ESCAPE_WITHOUT_FPU, 500,
            ExpectedDifference.LOCK_ON_NON_LOCKABLE, 2978,
            ExpectedDifference.STACK_OVERRUN_VECTOR, 57,
            ExpectedDifference.STRING_FAULT_ADVANCES_INDEX, 209,
            ExpectedDifference.INSTRUCTION_LONGER_THAN_10, 25,
            ExpectedDifference.MOV_SREG_FS_GS, 22,
            ExpectedDifference.POP_MEMORY_FAULT_ADVANCES_SP, 0,
            ExpectedDifference.AAM_ZERO_DIVISOR_FLAGS, 0);
    private static final Map<ExpectedDifference, Integer> SUBSET_CAPS = Map.of(
            ExpectedDifference.FPU_ESCAPE_WITHOUT_FPU, 25,
            ExpectedDifference.LOCK_ON_NON_LOCKABLE, 142,
            ExpectedDifference.STACK_OVERRUN_VECTOR, 3,
            ExpectedDifference.STRING_FAULT_ADVANCES_INDEX, 4,
            ExpectedDifference.INSTRUCTION_LONGER_THAN_10, 8,
            ExpectedDifference.MOV_SREG_FS_GS, 2,
            ExpectedDifference.POP_MEMORY_FAULT_ADVANCES_SP, 0,
            ExpectedDifference.AAM_ZERO_DIVISOR_FLAGS, 0);

    private static SstReport runAll(Path dir, String reportName) throws IOException {
        return runAll(dir, reportName, null);
    }

    /** Runs a directory; with {@code jit} the JIT compiles every block at first sight and its stats go there. */
    private static SstReport runAll(Path dir, String reportName, JitStats[] jit) throws IOException {
        SstSuite suite = SstSuite.forDirectory(dir, 30);
        if (jit != null) jit[0] = JitEngine.install(suite.runner().cpu(), 0).stats;
        for (Path f : SstSuite.testFiles(dir)) {
            suite.runFile(f);
        }
        SstReport r = suite.report();
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve(reportName), r.render(), StandardCharsets.UTF_8);
        }
        return r;
    }

    private static void assertConforms(SstReport r, Map<ExpectedDifference, Integer> caps) {
        String summary = r.render();
        summary = summary.substring(0, Math.min(summary.length(), 20_000));
        assertTrue(r.unreadableFiles().isEmpty(), r.unreadableFiles().toString());
        assertEquals(0, r.unexpected(), "failures no expected difference explains:\n" + summary);
        for (Map.Entry<ExpectedDifference, Integer> e : r.expectedCounts().entrySet()) {
            assertTrue(e.getValue() <= caps.get(e.getKey()),
                    e.getKey() + " explains " + e.getValue() + " failures, more than the " + caps.get(e.getKey())
                            + " the 286 differences account for:\n" + summary);
        }
        assertTrue(r.passRate() >= MIN_PASS_RATE, "pass rate " + r.passRate() + "\n" + summary);
    }

    @Test
    @Timeout(120)
    void shippedSubset() throws Exception {
        SstReport r = runAll(SstDecodeLengthTest.subsetDir(), "sst-subset-report.txt");
        assertEquals(325 * 25, r.total());
        assertConforms(r, SUBSET_CAPS);
    }

    /**
     * The same subset with the JIT forced on (threshold 0): real-mode 16-bit code compiled, the
     * instructions it does not emit itself run through the interpreter's semantics inside the
     * units. The outcomes must be the interpreter's: the same passes and expected differences.
     */
    @Test
    @Timeout(120)
    void shippedSubsetWithTheJit() throws Exception {
        SstReport interpreted = runAll(SstDecodeLengthTest.subsetDir(), "sst-subset-report.txt");
        JitStats[] stats = new JitStats[1];
        SstReport r = runAll(SstDecodeLengthTest.subsetDir(), "sst-subset-jit-report.txt", stats);
        assertEquals(325 * 25, r.total());
        assertConforms(r, SUBSET_CAPS);
        assertEquals(interpreted.passed(), r.passed(), "passes with the JIT");
        assertEquals(interpreted.expectedCounts(), r.expectedCounts(), "expected differences with the JIT");
        assertTrue(stats[0].unitsCompiled > 5_000, "units compiled: " + stats[0].unitsCompiled);
        assertTrue(stats[0].instructionsExecuted > 5_000, "instructions run compiled: " + stats[0].instructionsExecuted);
    }

    /** The full vectors, when present, with the JIT forced on: the interpreter's outcomes (about 20 s). */
    @Test
    @Timeout(300)
    void fullVectorsWithTheJit() throws Exception {
        Path dir = SstVectors.locate().orElse(null);
        Assumptions.assumeTrue(dir != null, "full vectors not present");
        SstReport interpreted = runAll(dir, "sst-report.txt");
        JitStats[] stats = new JitStats[1];
        SstReport r = runAll(dir, "sst-jit-report.txt", stats);
        assertEquals(162_500, r.total());
        assertConforms(r, FULL_CAPS);
        assertEquals(interpreted.passed(), r.passed(), "passes with the JIT");
        assertEquals(interpreted.expectedCounts(), r.expectedCounts(), "expected differences with the JIT");
        assertTrue(stats[0].unitsCompiled > 100_000, "units compiled: " + stats[0].unitsCompiled);
    }

    @Test
    @Timeout(120)
    void fullVectors() throws Exception {
        Path dir = SstVectors.locate().orElse(null);
        Assumptions.assumeTrue(dir != null, "full vectors not present");
        SstReport r = runAll(dir, "sst-report.txt");
        assertEquals(162_500, r.total());
        assertConforms(r, FULL_CAPS);
    }
}
