package org.kasou.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kasou.conformance.sst.ExpectedDifference;
import org.kasou.conformance.sst.SstReport;
import org.kasou.conformance.sst.SstSuite;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kasou conformance}: runs conformance test vectors against kasou's CPU. */
@Command(name = "conformance", mixinStandardHelpOptions = true,
        description = "Runs conformance test vectors against kasou's CPU.",
        subcommands = {ConformanceCommand.Sst.class, FuzzCommand.class})
final class ConformanceCommand implements Runnable {
    /** Exit status when some test failed in a way no expected difference explains. */
    static final int UNEXPLAINED_FAILURES = 10;

    @ParentCommand
    Kasou kasou;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a test format is required (sst, fuzz)");
    }

    @Command(name = "sst", mixinStandardHelpOptions = true,
            description = {"Runs every *.json.gz SingleStepTests 80286 real-mode file in DIR.",
                "Prints passed and failed counts per file and, last, 'N passed, M failed'.",
                "Failures that are known 286-versus-IA-32 differences are counted as failed and listed by name.",
                "Exit status: 0 when every failure is a known difference, 1 for a missing directory or an",
                "unreadable file, " + UNEXPLAINED_FAILURES + " when some failure is unexplained."})
    static final class Sst implements Callable<Integer> {
        @ParentCommand
        ConformanceCommand parent;

        @Parameters(index = "0", paramLabel = "DIR", description = "directory of XX.json.gz test files (and metadata.json)")
        Path dir;

        @Option(names = "--report", paramLabel = "FILE",
                description = "write the full report (per-file counts, failures in detail) to FILE")
        Path report;

        @Option(names = "--details", paramLabel = "N", defaultValue = "10",
                description = "unexplained failures shown in full in the report (default: ${DEFAULT-VALUE})")
        int details;

        @Override
        public Integer call() {
            var out = parent.kasou.out;
            var err = parent.kasou.err;
            List<Path> files;
            SstSuite suite;
            try {
                files = SstSuite.testFiles(dir);
                suite = SstSuite.forDirectory(dir, Math.max(0, details));
            } catch (IOException e) {
                err.println("kasou conformance sst: " + describe(e));
                return ExitCodes.BAD_FILE;
            }
            if (files.isEmpty()) {
                err.println("kasou conformance sst: no *.json.gz test files in " + dir);
                return ExitCodes.BAD_FILE;
            }
            boolean unreadable = false;
            for (Path f : files) {
                try {
                    SstReport.FileStats s = suite.runFile(f);
                    out.printf("%s: %d passed, %d failed%s%n", s.file, s.passed, s.failed(),
                            s.expected > 0 ? " (" + s.expected + " expected differences)" : "");
                } catch (IOException e) {
                    err.println("kasou conformance sst: " + describe(e));
                    unreadable = true;
                }
            }
            SstReport r = suite.report();
            for (Map.Entry<ExpectedDifference, Integer> e : r.expectedCounts().entrySet()) {
                out.printf("expected difference %s: %d (%s)%n", e.getKey().name(), e.getValue(), e.getKey().reason);
            }
            if (r.unexpected() > 0) {
                out.printf("%d failures are not explained by a known 286-versus-IA-32 difference%n", r.unexpected());
            }
            if (report != null) {
                try {
                    Files.writeString(report, r.render(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    err.println("kasou conformance sst: cannot write the report: " + describe(e));
                    unreadable = true;
                }
            }
            out.printf("%d passed, %d failed%n", r.passed(), r.failed());
            if (unreadable) {
                return ExitCodes.BAD_FILE;
            }
            return r.unexpected() > 0 ? UNEXPLAINED_FAILURES : ExitCodes.OK;
        }

        private static String describe(IOException e) {
            if (e instanceof java.nio.file.NoSuchFileException n) {
                return "no such file or directory: " + n.getFile();
            }
            if (e instanceof java.nio.file.NotDirectoryException n) {
                return "not a directory: " + n.getFile();
            }
            if (e instanceof java.nio.file.AccessDeniedException a) {
                return "permission denied: " + a.getFile();
            }
            return e.getMessage() != null ? e.getMessage() : e.toString();
        }
    }
}
