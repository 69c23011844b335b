package org.kasou.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * kasou's command line in a JVM of its own, started with the JVM options a test needs (a small
 * heap, one HotSpot compiler), from the test's class path; its output goes to files in a directory.
 */
final class ForkedKasou {
    record Outcome(int status, String out, String err) {}

    private ForkedKasou() {}

    /** Runs kasou with {@code args}; fails the test when it has not ended within {@code seconds}. */
    static Outcome run(Path dir, List<String> jvmOptions, long seconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Kasou.class.getName()));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("out"), err = dir.resolve("err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("kasou " + String.join(" ", jvmOptions) + " did not finish within " + seconds + " s");
        }
        return new Outcome(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
