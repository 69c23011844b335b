package org.kasou.conformance.oracle;

import java.util.ArrayList;
import java.util.List;

/**
 * kasou's JIT against its interpreter on long random sequences with loops (backward branches),
 * which the host helper cannot run safely: both run each case under the same instruction budget
 * and must stop at the same instruction with the same state.
 */
public final class EngineDifferential {
    /** The outcome of a run: cases, failures, the first failure reports. */
    public record Summary(long seed, int cases, int failed, List<String> reports) {}

    private EngineDifferential() {}

    public static Summary run(long seed, int cases, int minSlots, int maxSlots, long budget, int maxReports) {
        CaseGenerator gen = new CaseGenerator(seed);
        KasouRunner interpreter = new KasouRunner(budget, false);
        KasouRunner jit = new KasouRunner(budget, true);
        int failed = 0;
        List<String> reports = new ArrayList<>();
        for (int i = 0; i < cases; i++) {
            TestCase tc = gen.loopSequence(i, minSlots + gen.nextInt(maxSlots - minSlots + 1));
            CaseResult a = interpreter.run(tc);
            CaseResult b = jit.run(tc);
            List<String> diffs = Comparison.differences(tc, a, b);
            if (!diffs.isEmpty()) {
                failed++;
                if (reports.size() < maxReports) {
                    reports.add(Comparison.report(tc, a, b, diffs).replace("  host:  ", "  interp:").replace("  kasou: ", "  jit:   "));
                }
                if (b.status == CaseResult.Status.CRASH || b.status == CaseResult.Status.SHUTDOWN) jit = new KasouRunner(budget, true);
                if (a.status == CaseResult.Status.CRASH || a.status == CaseResult.Status.SHUTDOWN) interpreter = new KasouRunner(budget, false);
            }
        }
        return new Summary(seed, cases, failed, reports);
    }
}
