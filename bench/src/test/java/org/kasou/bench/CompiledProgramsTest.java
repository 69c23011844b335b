package org.kasou.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kasou.jit.JitEngine;
import org.kasou.pc.Machine;
import org.kasou.pc.MultibootLoader;
import org.kasou.pc.RunResult;

/**
 * The compiled C benchmarks (bench/c), built with gcc at test time and run at their smallest size
 * (n=1): kasou's interpreter, its JIT compiling every block at once and its JIT at the default
 * threshold all print exactly what the same object code prints as a native 32-bit Linux program,
 * and the guest exits with status 0.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompiledProgramsTest {
    private static final String SIZE = "n=1";
    private static final long LIMIT = 400_000_000L;
    private static final Path SOURCES = Path.of("c").toAbsolutePath();
    private static final Path OUT = Path.of("target", "c-programs").toAbsolutePath();

    @BeforeAll
    static void build() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(SOURCES.resolve("build.sh")), "bench/c/build.sh not found from " + Path.of("").toAbsolutePath());
        Assumptions.assumeTrue(works(List.of("nasm", "-v")), "nasm is not installed: the compiled C programs are skipped");
        Path probe = Files.createTempFile("kasou-m32", ".c");
        try {
            Files.writeString(probe, "int main(void) { return 0; }\n");
            Path exe = Path.of(probe + ".out");
            Assumptions.assumeTrue(works(List.of("gcc", "-m32", "-o", exe.toString(), probe.toString())),
                    "gcc -m32 (gcc-multilib) is not available: the compiled C programs are skipped");
            Files.deleteIfExists(exe);
        } finally {
            Files.deleteIfExists(probe);
        }
        Process.Result r = Process.run(List.of("bash", SOURCES.resolve("build.sh").toString(), OUT.toString()), 120);
        assertEquals(0, r.status(), () -> "bench/c/build.sh failed:\n" + r.stdout() + r.stderr());
    }

    private static boolean works(List<String> command) {
        try {
            return Process.run(command, 30).status() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private record Run(String console, RunResult result, long loadFailures) {
    }

    /** @param jitThreshold -1 for the interpreter alone */
    private static Run kasou(String name, int jitThreshold) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine m = new Machine(Machine.DEFAULT_RAM_BYTES, console);
        if (jitThreshold >= 0) {
            JitEngine.install(m.cpu, jitThreshold);
        }
        Path elf = OUT.resolve(name + ".elf");
        MultibootLoader.load(m, Files.readAllBytes(elf), elf.toString(), SIZE);
        RunResult r = m.run(LIMIT);
        JitEngine jit = JitEngine.of(m.cpu);
        return new Run(console.toString(StandardCharsets.ISO_8859_1), r, jit == null ? 0 : jit.stats.loadFailures);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sha256", "quicksort", "vm", "hashtable", "strings", "lz77", "json", "graph", "recursion", "nbody", "bignum", "mandel", "bitops", "records"})
    void printsWhatTheNativeProgramPrints(String name) throws Exception {
        java.util.Optional<List<String>> host = org.kasou.linux.HostExecution.prefix();
        Assumptions.assumeTrue(host.isPresent(), "this host runs no 32-bit programs (and qemu-i386 is not installed): no native output to compare with");
        List<String> command = new java.util.ArrayList<>(host.get());
        command.addAll(List.of(OUT.resolve(name + ".native").toString(), SIZE));
        Process.Result nat = Process.run(command, 60);
        assertEquals(0, nat.status(), () -> name + " natively: " + nat.stdout() + nat.stderr());
        String expected = nat.stdout();
        assertTrue(expected.lines().count() >= 2, () -> name + " natively printed too little: " + expected);
        assertFalse(expected.contains("FAIL"), expected);

        long instructions = -1;
        for (int threshold : new int[] {-1, 0, JitEngine.DEFAULT_THRESHOLD}) {
            String mode = threshold < 0 ? "interpreter" : "JIT, threshold " + threshold;
            Run run = kasou(name, threshold);
            String what = name + " (" + mode + ")";
            assertEquals(RunResult.Outcome.EXITED, run.result().outcome(), () -> what + " did not exit: " + run.console());
            assertEquals(1, run.result().exitStatus(), () -> what + ": exit status (1 is the guest's 0)");
            assertEquals(expected, run.console(), what + ": the output differs from the native program's");
            assertEquals(0, run.loadFailures(), what + ": compiled classes the JVM refused");
            if (instructions < 0) {
                instructions = run.result().instructions();
            } else {
                assertEquals(instructions, run.result().instructions(), what + ": instructions retired");
            }
        }
    }

    /** A host command with its output, bounded in time. */
    private static final class Process {
        record Result(int status, String stdout, String stderr) {
        }

        static Result run(List<String> command, int seconds) throws IOException, InterruptedException {
            Path out = Files.createTempFile("kasou-cprog", ".out");
            Path err = Files.createTempFile("kasou-cprog", ".err");
            try {
                java.lang.Process p = new ProcessBuilder(command)
                        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor();
                    return new Result(-1, "", String.join(" ", command) + ": timed out after " + seconds + " s");
                }
                return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                        Files.readString(err, StandardCharsets.ISO_8859_1));
            } finally {
                Files.deleteIfExists(out);
                Files.deleteIfExists(err);
            }
        }
    }
}
