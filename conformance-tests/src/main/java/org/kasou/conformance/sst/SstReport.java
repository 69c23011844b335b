package org.kasou.conformance.sst;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tallies of a conformance run: per test file (one opcode or group member), per expected
 * difference, and the first failures in full detail.
 */
public final class SstReport {
    /** Counts for one test file. */
    public static final class FileStats {
        public final String file;
        public int passed;
        /** Failed tests that one of the {@link ExpectedDifference}s explains. */
        public int expected;
        /** Failed tests that nothing explains: bugs. */
        public int unexpected;
        public int revoked;

        FileStats(String file) {
            this.file = file;
        }

        public int failed() {
            return expected + unexpected;
        }

        public int total() {
            return passed + failed();
        }
    }

    private final int detailLimit;
    private final Map<String, FileStats> files = new LinkedHashMap<>();
    private final Map<ExpectedDifference, Integer> expectedCounts = new EnumMap<>(ExpectedDifference.class);
    private final Map<ExpectedDifference, List<SstOutcome>> expectedExamples = new EnumMap<>(ExpectedDifference.class);
    private final List<SstOutcome> firstUnexpected = new ArrayList<>();
    private final List<String> unreadable = new ArrayList<>();

    /** {@code detailLimit}: how many unexpected failures to keep in full detail. */
    public SstReport(int detailLimit) {
        this.detailLimit = detailLimit;
    }

    public FileStats file(String name) {
        return files.computeIfAbsent(name, FileStats::new);
    }

    void record(FileStats stats, SstOutcome outcome) {
        if (outcome.passed()) {
            stats.passed++;
            return;
        }
        ExpectedDifference d = ExpectedDifference.explain(outcome.test, outcome);
        if (d != null) {
            stats.expected++;
            expectedCounts.merge(d, 1, Integer::sum);
            List<SstOutcome> ex = expectedExamples.computeIfAbsent(d, k -> new ArrayList<>());
            if (ex.size() < 2) {
                ex.add(outcome);
            }
        } else {
            stats.unexpected++;
            if (firstUnexpected.size() < detailLimit) {
                firstUnexpected.add(outcome);
            }
        }
    }

    void unreadable(String message) {
        unreadable.add(message);
    }

    public Map<String, FileStats> files() {
        return files;
    }

    public List<String> unreadableFiles() {
        return unreadable;
    }

    public Map<ExpectedDifference, Integer> expectedCounts() {
        return expectedCounts;
    }

    public List<SstOutcome> firstUnexpected() {
        return firstUnexpected;
    }

    public int passed() {
        return files.values().stream().mapToInt(f -> f.passed).sum();
    }

    public int expected() {
        return files.values().stream().mapToInt(f -> f.expected).sum();
    }

    public int unexpected() {
        return files.values().stream().mapToInt(f -> f.unexpected).sum();
    }

    public int failed() {
        return expected() + unexpected();
    }

    public int total() {
        return passed() + failed();
    }

    public double passRate() {
        return total() == 0 ? 0 : (double) passed() / total();
    }

    /** The whole report as text: summary, expected differences, per-file counts, failures. */
    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%d tests: %d passed, %d failed (%d expected 286-vs-IA-32 differences, %d unexplained);"
                + " pass rate %.3f%%%n", total(), passed(), failed(), expected(), unexpected(), 100 * passRate()));
        for (String u : unreadable) {
            sb.append("unreadable: ").append(u).append('\n');
        }
        sb.append("\nExpected differences:\n");
        for (ExpectedDifference d : ExpectedDifference.values()) {
            sb.append(String.format("  %-28s %6d  %s%n", d.name(), expectedCounts.getOrDefault(d, 0), d.reason));
        }
        sb.append("\nPer family: passed / expected differences / unexplained failures\n");
        Map<SstFamily, int[]> families = new EnumMap<>(SstFamily.class);
        for (FileStats f : files.values()) {
            int[] c = families.computeIfAbsent(SstFamily.of(f.file), k -> new int[3]);
            c[0] += f.passed;
            c[1] += f.expected;
            c[2] += f.unexpected;
        }
        for (Map.Entry<SstFamily, int[]> e : families.entrySet()) {
            int[] c = e.getValue();
            sb.append(String.format("  %-18s %6d / %5d / %5d  (%s)%n", e.getKey(), c[0], c[1], c[2], e.getKey().members));
        }
        sb.append("\nPer file (opcode[.reg]): passed / expected differences / unexplained failures\n");
        for (FileStats f : files.values()) {
            sb.append(String.format("  %-14s %4d / %4d / %4d%s%n", f.file, f.passed, f.expected, f.unexpected,
                    f.revoked > 0 ? "  (" + f.revoked + " revoked)" : ""));
        }
        sb.append("\nFirst unexplained failures:\n");
        if (firstUnexpected.isEmpty()) {
            sb.append("  none\n");
        }
        for (SstOutcome o : firstUnexpected) {
            describe(sb, o);
        }
        sb.append("\nExamples of expected differences:\n");
        for (Map.Entry<ExpectedDifference, List<SstOutcome>> e : expectedExamples.entrySet()) {
            for (SstOutcome o : e.getValue()) {
                sb.append("  [").append(e.getKey().name()).append("]\n");
                describe(sb, o);
            }
        }
        return sb.toString();
    }

    /** Full detail of one outcome: name, bytes, initial state, expected against actual. */
    public static void describe(StringBuilder sb, SstOutcome o) {
        SstTest t = o.test;
        sb.append(String.format("  %s #%d \"%s\" hash %s%n", o.file == null ? "?" : o.file, t.index, t.name, t.hash));
        sb.append("    bytes:");
        for (byte b : t.bytes) {
            sb.append(String.format(" %02X", b & 0xFF));
        }
        sb.append('\n');
        sb.append("    initial: ").append(regs(t.initialRegs)).append('\n');
        sb.append("    initial ram:");
        for (int i = 0; i < t.initialRam.length; i += 2) {
            sb.append(String.format(" %05X=%02X", t.initialRam[i], t.initialRam[i + 1]));
        }
        sb.append('\n');
        int[] expected = new int[SstTest.REG_COUNT];
        for (int i = 0; i < expected.length; i++) {
            expected[i] = t.expectedReg(i);
        }
        sb.append("    expected: ").append(regs(expected));
        if (t.exceptionVector != SstTest.NO_EXCEPTION) {
            sb.append(String.format("  (exception %d, FLAGS pushed at %05X)", t.exceptionVector, t.flagAddress));
        }
        sb.append('\n');
        sb.append("    actual:   ").append(regs(o.actualRegs));
        if (o.sentinelVector != SstOutcome.NO_VECTOR) {
            sb.append("  (took exception ").append(o.sentinelVector).append(" to a sentinel handler)");
        }
        sb.append('\n');
        sb.append("    expected ram:");
        for (int i = 0; i < t.finalRam.length; i += 2) {
            sb.append(String.format(" %05X=%02X", t.finalRam[i], t.finalRam[i + 1]));
        }
        sb.append('\n');
        sb.append(String.format("    stop: %s after %d instructions; flags mask %03X%n", o.stop, o.instructions, o.flagsMask));
        for (SstOutcome.Mismatch m : o.mismatches) {
            sb.append("    ").append(m).append('\n');
        }
    }

    private static String regs(int[] r) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < r.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(SstTest.REG_NAMES[i]).append('=').append(String.format(r[i] >>> 16 != 0 ? "%08X" : "%04X", r[i]));
        }
        return sb.toString();
    }
}
