package org.kasou.conformance.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * kasou's interpreter, and kasou with the JIT compiling every block, against the host CPU on a
 * fixed-seed batch of generated cases: single instructions of every user-level form and
 * sequences with forward branches.
 */
class HostOracleConformanceTest {
    static final long SEED = 0x6B61736F75L;
    static final int CASES = 20_000;

    @Test
    @Timeout(120)
    void interpreterAgreesWithTheHost() throws IOException {
        agreesWithTheHost(false);
    }

    @Test
    @Timeout(120)
    void jitAgreesWithTheHost() throws IOException {
        agreesWithTheHost(true);
    }

    /** The JIT runner really runs generated code compiled, not in the interpreter. */
    @Test
    void theJitRunnerCompilesTheCases() {
        KasouRunner runner = new KasouRunner(true);
        CaseGenerator g = new CaseGenerator(SEED);
        for (int i = 0; i < 200; i++) runner.run(g.next(i));
        org.kasou.jit.JitStats stats = org.kasou.jit.JitEngine.of(runner.cpu()).stats;
        assertTrue(stats.unitsCompiled > 0 && stats.instructionsExecuted > 0,
                "compiled " + stats.unitsCompiled + " units, executed " + stats.instructionsExecuted);
    }

    private static void agreesWithTheHost(boolean jit) throws IOException {
        Optional<OracleFuzzer> f = OracleFuzzer.start(Path.of("target", "oracle"), jit);
        assumeTrue(f.isPresent(), "gcc -m32 or 32-bit execution unavailable: host oracle skipped");
        try (OracleFuzzer fuzzer = f.get()) {
            OracleFuzzer.Summary s = fuzzer.run(SEED, CASES, 10);
            String reports = String.join("\n", s.reports());
            assertEquals(0, s.failed(), s.failed() + " of " + s.cases() + " cases differ from the host"
                    + (jit ? " with the JIT" : "") + "; first ones:\n" + reports);
        }
    }
}
