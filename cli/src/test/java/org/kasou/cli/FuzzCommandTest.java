package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.kasou.conformance.oracle.NativeOracle;

class FuzzCommandTest extends CommandLineHarness {
    @Test
    void helpListsTheOptions() {
        assertEquals(0, run("conformance", "fuzz", "--help"));
        String help = out.toString(StandardCharsets.UTF_8);
        assertTrue(help.contains("--seed") && help.contains("--cases") && help.contains("--jit"), help);
    }

    @Test
    void endsWithThePassedFailedLine() {
        Path dir = Path.of("target", "oracle");
        assumeTrue(oracleRuns(dir), "gcc -m32 unavailable, or this host runs no 32-bit programs");
        int status = run("conformance", "fuzz", "--seed", "3", "--cases", "300", "--helper-dir", dir.toString());
        String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
        String last = lines[lines.length - 1];
        assertTrue(last.matches("\\d+ passed, \\d+ failed"), last);
        String[] n = last.split(" ");
        assertEquals(300, Integer.parseInt(n[0]) + Integer.parseInt(n[2]) + skipped(lines[lines.length - 2]));
        assertEquals(Integer.parseInt(n[2]) == 0 ? 0 : ConformanceCommand.UNEXPLAINED_FAILURES, status);
    }

    /** Whether the native oracle builds and runs here (a kernel without 32-bit support cannot run it). */
    private static boolean oracleRuns(Path dir) {
        java.util.Optional<NativeOracle> o = NativeOracle.start(dir, 20);
        o.ifPresent(NativeOracle::close);
        return o.isPresent();
    }

    private static int skipped(String summary) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) skipped").matcher(summary);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    @Test
    void runsWithTheJit() {
        Path dir = Path.of("target", "oracle");
        assumeTrue(oracleRuns(dir), "gcc -m32 unavailable, or this host runs no 32-bit programs");
        run("conformance", "fuzz", "--seed", "4", "--cases", "200", "--jit", "--helper-dir", dir.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("on the JIT"), text);
        assertTrue(text.trim().matches("(?s).*\\n\\d+ passed, \\d+ failed"), text);
    }

    @Test
    void fpuRunsX87CasesOnBothEngines() {
        Path dir = Path.of("target", "oracle");
        java.util.Optional<NativeOracle> o = NativeOracle.startForX87(dir, 20);
        o.ifPresent(NativeOracle::close);
        assumeTrue(o.isPresent(), "no x87 host helper runs here (gcc, and 32-bit execution or root)");
        for (String engine : new String[] {"--no-jit", "--jit"}) {
            out.reset();
            String[] args = engine.equals("--jit")
                    ? new String[] {"conformance", "fuzz", "--fpu", "--jit", "--seed", "6", "--cases", "400", "--helper-dir", dir.toString()}
                    : new String[] {"conformance", "fuzz", "--fpu", "--seed", "6", "--cases", "400", "--helper-dir", dir.toString()};
            assertEquals(0, run(args), out.toString(StandardCharsets.UTF_8));
            String[] lines = out.toString(StandardCharsets.UTF_8).trim().split("\n");
            String last = lines[lines.length - 1];
            String[] n = last.split(" ");
            // every case compared (none skipped), and the deviations listed apart from the 400
            int deviations = 0;
            for (String l : lines) if (l.startsWith("host deviation ")) deviations += Integer.parseInt(l.replaceAll(".*: (\\d+) .*", "$1"));
            assertEquals(400, Integer.parseInt(n[0]) + deviations, String.join("\n", lines));
            assertEquals("0", n[2], last);
        }
    }

    @Test
    void loopsCompareTheJitWithTheInterpreter() {
        assertEquals(0, run("conformance", "fuzz", "--loops", "--seed", "5", "--cases", "100"));
        assertTrue(out.toString(StandardCharsets.UTF_8).trim().endsWith("100 passed, 0 failed"));
    }

    @Test
    void negativeCountIsAUsageError() {
        assertEquals(ExitCodes.USAGE, run("conformance", "fuzz", "--cases", "-1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--cases"));
    }
}
