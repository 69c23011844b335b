package org.kasou.conformance.sst;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Runs every {@code *.json.gz} test file of a SingleStepTests directory through one
 * {@link SstRunner} and collects an {@link SstReport}.
 */
public final class SstSuite {
    private static final String SUFFIX = ".json.gz";

    private final SstRunner runner = new SstRunner();
    private final SstMetadata metadata;
    private final Set<String> revoked;
    private final SstReport report;

    public SstSuite(SstMetadata metadata, Set<String> revoked, int detailLimit) {
        this.metadata = metadata;
        this.revoked = revoked;
        this.report = new SstReport(detailLimit);
    }

    /** A suite for a directory: its metadata.json (or the bundled one) and revocation list. */
    public static SstSuite forDirectory(Path dir, int detailLimit) throws IOException {
        return new SstSuite(SstMetadata.forDirectory(dir), revocations(dir), detailLimit);
    }

    public SstReport report() {
        return report;
    }

    /** The runner the tests go through (its CPU can be given an execution engine). */
    public SstRunner runner() {
        return runner;
    }

    /** The test files of a directory in name order; fails clearly when it is not a directory. */
    public static List<Path> testFiles(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            throw new NoSuchFileException(dir.toString(), null, "no such directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new NotDirectoryException(dir.toString());
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(SUFFIX) && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        }
    }

    /** Hashes listed in revocation_list.txt in the directory or its parent ('#' starts a comment). */
    public static Set<String> revocations(Path dir) throws IOException {
        Set<String> hashes = new HashSet<>();
        List<Path> candidates = new ArrayList<>();
        candidates.add(dir.resolve("revocation_list.txt"));
        if (dir.toAbsolutePath().getParent() != null) {
            candidates.add(dir.toAbsolutePath().getParent().resolve("revocation_list.txt"));
        }
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                    String h = line.strip();
                    if (!h.isEmpty() && !h.startsWith("#")) {
                        hashes.add(h.toLowerCase());
                    }
                }
            }
        }
        return hashes;
    }

    /** The metadata key of a test file: {@code 80.3.json.gz} gives {@code 80.3}. */
    public static String fileKey(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(SUFFIX) ? n.substring(0, n.length() - SUFFIX.length()) : n;
    }

    /** Reads and runs one file; a corrupt file is recorded as unreadable and rethrown. */
    public SstReport.FileStats runFile(Path file) throws IOException {
        List<SstTest> tests;
        try {
            tests = SstTestReader.read(file);
        } catch (IOException e) {
            report.unreadable(e.getMessage());
            throw e;
        }
        return run(fileKey(file), file.getFileName().toString(), tests);
    }

    private List<SstOutcome> runAll(List<SstTest> tests, int mask, boolean strict, SstReport.FileStats stats) {
        List<SstOutcome> outcomes = new ArrayList<>(tests.size());
        for (SstTest t : tests) {
            if (revoked.contains(t.hash.toLowerCase())) {
                if (stats != null) {
                    stats.revoked++;
                }
                continue;
            }
            outcomes.add(runner.run(t, mask, strict));
        }
        return outcomes;
    }

    /** Runs already-parsed tests under a file key (the key selects the flags mask). */
    public SstReport.FileStats run(String key, String fileName, List<SstTest> tests) {
        SstReport.FileStats stats = report.file(fileName);
        int mask = metadata.flagsMask(key);
        runner.resetMemory();
        List<SstOutcome> outcomes = runAll(tests, mask, false, stats);
        if (runner.memoryDirty()) {
            // Some test wrote where the 286 did not: run the file again checking all of RAM after
            // every test, so that the culprits fail with the address they wrote.
            runner.resetMemory();
            outcomes = runAll(tests, mask, true, null);
        }
        for (SstOutcome o : outcomes) {
            o.file = fileName;
            report.record(stats, o);
        }
        runner.resetMemory();
        return stats;
    }
}
