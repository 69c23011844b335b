package org.kasou.conformance.oracle;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The differential test: generates cases from a seed, runs them on the host CPU (the helper) and
 * on kasou, and compares. Deterministic for a seed; bounded by the case count.
 */
public final class OracleFuzzer implements AutoCloseable {
    /**
     * The outcome of a run. {@code skipped} counts cases the host did not finish; {@code deviations}
     * the cases whose only difference is a named departure of the host from the SDM (not failures).
     */
    public record Summary(long seed, int cases, int passed, int failed, int skipped, List<String> reports,
                          List<TestCase> failing, java.util.Map<HostDeviation, Integer> deviations) {}

    private final NativeOracle host;
    private final Supplier<KasouRunner> runners;

    public OracleFuzzer(NativeOracle host, Supplier<KasouRunner> runners) {
        this.host = host;
        this.runners = runners;
    }

    /** Starts the host helper built into {@code buildDir}; empty when the host cannot run it. */
    public static Optional<OracleFuzzer> start(Path buildDir) {
        return start(buildDir, false);
    }

    /** As {@link #start(Path)}, running kasou with the JIT forced on when {@code jit}. */
    public static Optional<OracleFuzzer> start(Path buildDir, boolean jit) {
        return NativeOracle.start(buildDir, 30).map(h -> new OracleFuzzer(h, () -> new KasouRunner(jit)));
    }

    /**
     * As {@link #start(Path, boolean)} for x87 cases: on a host that runs no 32-bit code, the
     * 64-bit x87 helper (NativeOracle#startForX87), with kasou's cases given the selectors it runs
     * them with.
     */
    public static Optional<OracleFuzzer> startForX87(Path buildDir, boolean jit) {
        return NativeOracle.startForX87(buildDir, 30).map(h -> new OracleFuzzer(h, () -> {
            KasouRunner k = new KasouRunner(jit);
            h.caseSelectors().ifPresent(k::useSelectors);
            return k;
        }));
    }

    public NativeOracle host() {
        return host;
    }

    /** Runs {@code count} cases from {@code seed}, keeping the full reports of the first {@code maxReports} failures. */
    public Summary run(long seed, int count, int maxReports) throws IOException {
        return run(seed, new CaseGenerator(seed)::next, count, maxReports);
    }

    /** Generates the cases of a seed: {@code CaseGenerator}'s, {@code X87CaseGenerator}'s. */
    public interface CaseSource {
        TestCase next(int id);
    }

    /** As {@link #run(long, int, int)} with the cases of {@code gen} (made from {@code seed}). */
    public Summary run(long seed, CaseSource gen, int count, int maxReports) throws IOException {
        KasouRunner kasou = runners.get();
        int passed = 0, failed = 0, skipped = 0;
        java.util.Map<HostDeviation, Integer> deviations = new java.util.EnumMap<>(HostDeviation.class);
        List<String> reports = new ArrayList<>();
        List<TestCase> failing = new ArrayList<>();
        for (int start = 0; start < count; start += NativeOracle.MAX_BATCH) {
            int n = Math.min(NativeOracle.MAX_BATCH, count - start);
            List<TestCase> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) batch.add(gen.next(start + i));
            List<CaseResult> expected = host.run(batch);
            for (int i = 0; i < n; i++) {
                TestCase tc = batch.get(i);
                CaseResult h = expected.get(i);
                if (h.status == CaseResult.Status.TIMEOUT) {
                    skipped++;
                    continue;
                }
                CaseResult k = kasou.run(tc);
                List<String> diffs = Comparison.differences(tc, h, k);
                HostDeviation deviation = diffs.isEmpty() ? null : HostDeviation.explain(tc, h, k, diffs);
                if (diffs.isEmpty()) {
                    passed++;
                } else if (deviation != null) {
                    deviations.merge(deviation, 1, Integer::sum);
                } else {
                    failed++;
                    if (reports.size() < maxReports) {
                        reports.add(Comparison.report(tc, h, k, diffs));
                        failing.add(tc);
                    }
                    if (k.status == CaseResult.Status.CRASH || k.status == CaseResult.Status.SHUTDOWN) {
                        kasou = runners.get(); // a fresh machine after a broken one
                    }
                }
            }
        }
        return new Summary(seed, count, passed, failed, skipped, reports, failing, deviations);
    }

    @Override
    public void close() {
        host.close();
    }
}
