package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Test support: builds the C programs under src/test/c with gcc -m32 -static (skipping the test
 * with a clear message where that is impossible), finds Debian's busybox, and runs a program
 * natively (where the host runs i386 programs) and under kasou, with a time bound on both.
 */
final class GuestPrograms {
    static final Path SOURCES = Path.of("src/test/c");
    static final Path BUILD = Path.of("target/guest-programs");
    /** Where scripts/fetch-linux-user-sysroot.sh puts busybox (the repository's target/linux-user). */
    static final Path SYSROOT_DIR = Path.of("../target/linux-user");
    private static final long TIMEOUT_SECONDS = 120;

    /** What a run printed and how it ended. */
    /** What a run printed and its status; for kasou's runs, also its system calls that failed inside kasou. */
    record Outcome(String stdout, String stderr, int status, int internalErrors) {
        static Outcome of(byte[] out, byte[] err, int status) {
            return of(out, err, status, 0);
        }

        static Outcome of(byte[] out, byte[] err, int status, int internalErrors) {
            return new Outcome(new String(out, StandardCharsets.ISO_8859_1), new String(err, StandardCharsets.ISO_8859_1), status,
                    internalErrors);
        }
    }

    /** One run: program, arguments after argv[0], environment, standard input, working directory. */
    record Run(Path program, List<String> args, List<String> env, byte[] stdin, Path cwd, Path sysroot) {
        Run(Path program, List<String> args, List<String> env, byte[] stdin, Path cwd) {
            this(program, args, env, stdin, cwd, null);
        }

        List<String> argv() {
            List<String> a = new ArrayList<>();
            a.add(program.toString());
            a.addAll(args);
            return a;
        }
    }

    private GuestPrograms() {
    }

    /** The static executable built from src/test/c/NAME.c; the test is skipped when gcc -m32 -static fails. */
    static Path compiled(String name) throws IOException, InterruptedException {
        return compiled(name, true);
    }

    /** As {@link #compiled(String)}, linked statically or against the host's i386 glibc. */
    static synchronized Path compiled(String name, boolean linkStatic) throws IOException, InterruptedException {
        Files.createDirectories(BUILD);
        Path exe = BUILD.resolve(name + (linkStatic ? "" : "-dynamic")).toAbsolutePath();
        Path src = SOURCES.resolve(name + ".c");
        if (Files.exists(exe) && Files.getLastModifiedTime(exe).compareTo(Files.getLastModifiedTime(src)) >= 0) return exe;
        Process p;
        try {
            p = new ProcessBuilder("gcc", "-m32", linkStatic ? "-static" : "-no-pie", "-O2", "-pthread", "-o", exe.toString(), src.toString(),
                    "-lm")
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not installed: the 32-bit test programs cannot be built");
            throw e;
        }
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(120, TimeUnit.SECONDS);
        assumeTrue(done && p.exitValue() == 0, "gcc -m32 -static cannot build " + src + " (install gcc-multilib): " + log);
        return exe;
    }

    /** Debian's static busybox, or the test is skipped with the command that fetches it. */
    static Path busybox() {
        Path bb = SYSROOT_DIR.resolve("busybox").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(bb), "no " + bb + ": run scripts/fetch-linux-user-sysroot.sh");
        return bb;
    }

    /** The i386 glibc that the fetch script unpacks, or the test is skipped. */
    static Path sysroot() {
        Path root = SYSROOT_DIR.resolve("sysroot").toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(root.resolve("lib/ld-linux.so.2")), "no i386 glibc in " + root + ": run scripts/fetch-linux-user-sysroot.sh");
        return root;
    }

    /** The sysroot's own loader and libraries running the program (the host need not have them installed). */
    private static List<String> throughSysroot(Run r) {
        Path root = r.sysroot();
        List<String> cmd = new ArrayList<>(List.of(root.resolve("lib/ld-linux.so.2").toString(), "--library-path",
                root.resolve("lib/i386-linux-gnu") + ":" + root.resolve("usr/lib/i386-linux-gnu")));
        cmd.addAll(r.argv());
        return cmd;
    }

    /** Set for one comparison whose program starts 32-bit children (see {@link #needsNativeChildren}). */
    private static final ThreadLocal<Boolean> CHILDREN = ThreadLocal.withInitial(() -> false);

    /**
     * Says that the next comparison's program starts other 32-bit programs. Where the native side
     * is qemu-i386 (a kernel without 32-bit support, and no binfmt handler for QEMU), those
     * children cannot start and a shell falls back to the host's own commands: kasou's
     * interpreter and JIT are then compared with each other instead.
     */
    static void needsNativeChildren() {
        CHILDREN.set(true);
    }

    /**
     * The program run on the host: directly, or through qemu-i386 where the kernel runs no 32-bit
     * programs ({@link HostExecution}); null when neither can run it.
     */
    private static Outcome runNativeIfPossible(Run r, List<String> command) throws IOException, InterruptedException {
        boolean children = CHILDREN.get();
        CHILDREN.set(false);
        java.util.Optional<List<String>> prefix = HostExecution.prefix();
        if (prefix.isEmpty() || (children && !prefix.get().isEmpty())) return null;
        List<String> full = new ArrayList<>(prefix.get());
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full).directory(r.cwd().toFile());
        pb.environment().clear();
        for (String e : r.env()) {
            int eq = e.indexOf('=');
            pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return null; // no 32-bit support on the host (Exec format error)
        }
        Thread feeder = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                in.write(r.stdin());
            } catch (IOException e) {
                // the program did not read it all
            }
        });
        feeder.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = new Thread(() -> {
            try (InputStream e = p.getErrorStream()) {
                e.transferTo(err);
            } catch (IOException e) {
                // ended
            }
        });
        errReader.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("native run did not end in " + TIMEOUT_SECONDS + " s");
        }
        feeder.join();
        errReader.join();
        byte[] errBytes = err.toByteArray();
        if (!prefix.get().isEmpty()) {
            // qemu-i386's own report of the signal that ended the program: not the program's output.
            errBytes = new String(errBytes, StandardCharsets.ISO_8859_1).replaceAll("(?m)^qemu: uncaught target signal .*\\R", "")
                    .getBytes(StandardCharsets.ISO_8859_1);
        }
        return Outcome.of(out, errBytes, p.exitValue());
    }

    /** Runs under kasou with the JIT's threshold ({@code -1}: interpreter only), stopped after the time bound. */
    static Outcome runKasou(Run r, int jitThreshold) throws Exception {
        return runKasou(r, jitThreshold, null);
    }

    /** As {@link #runKasou(Run, int)}, with {@code terminal} standing behind the standard streams it names. */
    static Outcome runKasou(Run r, int jitThreshold, Terminal terminal) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        LinuxProcess p = new LinuxProcess(new LinuxProcess.Options(r.program(), r.argv(), r.env(), new ByteArrayInputStream(r.stdin()),
                out, err, jitThreshold, r.cwd(), r.sysroot()), terminal);
        LinuxProcess.Result[] result = new LinuxProcess.Result[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = p.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "guest", 64 << 20);
        t.start();
        t.join(TIMEOUT_SECONDS * 1000);
        if (t.isAlive()) {
            p.requestStop();
            t.join();
            throw new AssertionError("kasou run did not end in " + TIMEOUT_SECONDS + " s");
        }
        if (failure[0] != null) throw new AssertionError("kasou run failed", failure[0]);
        return Outcome.of(out.toByteArray(), err.toByteArray(), result[0].status(), p.internalErrors());
    }

    /** Runs natively, with the interpreter, and with every block compiled by the JIT; all three must agree. */
    static Outcome agree(Run r) throws Exception {
        return agree(r, runNativeIfPossible(r, r.argv()));
    }

    /** As {@link #agree(Run)}, against a native run that took its libraries from the sysroot. */
    static Outcome agreeThroughSysroot(Run r) throws Exception {
        return agree(r, runNativeIfPossible(r, throughSysroot(r)));
    }

    /**
     * kasou's runs against the native one {@code n}; where the host cannot run i386 programs (null),
     * the interpreter's and the JIT's against each other, and the interpreter's is returned for
     * the caller's own checks.
     */
    private static Outcome agree(Run r, Outcome n) throws Exception {
        if (n == null) {
            Outcome i = runKasou(r, -1), j = runKasou(r, 0);
            String why = " (no native run to compare with: interpreter against JIT)";
            assertEquals(i.stdout(), j.stdout(), "stdout under kasou" + why);
            assertEquals(i.stderr(), j.stderr(), "stderr under kasou" + why);
            assertEquals(i.status(), j.status(), "exit status under kasou" + why);
            return i;
        }
        for (int threshold : new int[] {-1, 0}) {
            Outcome k = runKasou(r, threshold);
            String engine = threshold < 0 ? "interpreter" : "JIT";
            assertEquals(n.stdout(), k.stdout(), "stdout under kasou (" + engine + ")");
            assertEquals(n.stderr(), k.stderr(), "stderr under kasou (" + engine + ")");
            assertEquals(n.status(), k.status(), "exit status under kasou (" + engine + ")");
        }
        return n;
    }

    /**
     * Runs under kasou with the interpreter and with every block compiled, and natively where the
     * host can run 32-bit programs: each must print {@code stdout} (stderr empty) and end with
     * {@code status}. For programs whose output is known, so that a host without 32-bit support
     * still checks kasou.
     */
    static void expect(Run r, String stdout, int status) throws Exception {
        Outcome n = runNativeIfPossible(r, r.argv());
        if (n != null) {
            assertEquals(stdout, n.stdout(), "stdout of the native run");
            assertEquals(status, n.status(), "exit status of the native run");
        }
        for (int threshold : new int[] {-1, 0}) {
            Outcome k = runKasou(r, threshold);
            String engine = threshold < 0 ? "interpreter" : "JIT";
            assertEquals(stdout, k.stdout(), "stdout under kasou (" + engine + ")");
            assertEquals("", k.stderr(), "stderr under kasou (" + engine + ")");
            assertEquals(status, k.status(), "exit status under kasou (" + engine + ")");
        }
    }

    static List<String> env(String... vars) {
        return List.of(vars);
    }
}
