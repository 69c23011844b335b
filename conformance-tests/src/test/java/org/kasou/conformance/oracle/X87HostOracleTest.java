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
 * x87 instruction sequences on the host CPU against kasou's interpreter and kasou with the JIT
 * compiling every block: registers bit for bit, tags, control and status words, EFLAGS, memory
 * and faults (#MF included). {@code -Dkasou.x87.cases=N} sets the case count; the counts, host
 * deviations included, go to target/oracle/x87-oracle-*.txt.
 */
class X87HostOracleTest {
    static final long SEED = 0x7838376B61L;
    static final int CASES = Integer.getInteger("kasou.x87.cases", 50_000);

    @Test
    @Timeout(3600) // -Dkasou.x87.cases=1000000 takes minutes per engine
    void interpreterAgreesWithTheHost() throws IOException {
        agreesWithTheHost(false);
    }

    @Test
    @Timeout(3600) // -Dkasou.x87.cases=1000000 takes minutes per engine
    void jitAgreesWithTheHost() throws IOException {
        agreesWithTheHost(true);
    }

    private static void agreesWithTheHost(boolean jit) throws IOException {
        Optional<OracleFuzzer> f = OracleFuzzer.startForX87(Path.of("target", "oracle"), jit);
        assumeTrue(f.isPresent(), "no host helper runs here (gcc, 32-bit execution or, for the 64-bit one, root): host oracle skipped");
        try (OracleFuzzer fuzzer = f.get()) {
            X87CaseGenerator gen = new X87CaseGenerator(SEED, fuzzer.host().runsSixteenBitCases());
            OracleFuzzer.Summary s = fuzzer.run(SEED, gen::next, CASES, Integer.getInteger("kasou.x87.reports", 10));
            java.nio.file.Files.writeString(Path.of("target", "oracle", "x87-oracle-" + (jit ? "jit" : "interpreter") + ".txt"),
                    String.format("cases %d passed %d failed %d skipped %d host deviations %s%n",
                            s.cases(), s.passed(), s.failed(), s.skipped(), s.deviations()));
            assertTrue(s.passed() > CASES * 9 / 10, "too few cases compared: " + s);
            assertEquals(0, s.failed(), s.failed() + " of " + s.cases() + " x87 cases differ from the host"
                    + (jit ? " with the JIT" : "") + "; first ones:\n" + String.join("\n", s.reports()));
        }
    }
}
