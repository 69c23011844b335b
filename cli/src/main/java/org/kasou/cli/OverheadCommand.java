package org.kasou.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.kasou.jit.JitStats;
import org.kasou.linux.HostExecution;
import org.kasou.linux.LinuxProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "overhead", mixinStandardHelpOptions = true,
        description = {"Runs a 32-bit Linux program natively (with -L: through the sysroot's loader and libraries), under kasou (as 'kasou run') and, when installed, under qemu-i386,",
            "checks that their standard output and exit status agree, and prints what each took.",
            "Times are those of the whole run, wall clock and CPU (user + system; kasou's is its guest thread's);",
            "kasou's leave out the JVM's own start-up (about 0.3 s through ./kasou). The slowdown is against native wall time.",
            "Standard input is empty. Exit status 3 when the outputs differ."})
final class OverheadCommand implements Callable<Integer> {
    @ParentCommand
    Kasou kasou;

    @Option(names = "-L", paramLabel = "DIR", description = "the sysroot for dynamic programs (also given to qemu-i386)")
    Path sysroot;

    @Option(names = "--json", description = "print one JSON object instead of the table")
    boolean json;

    @Option(names = "--no-qemu", description = "leave qemu-i386 out")
    boolean noQemu;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "the program to run")
    Path program;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "its arguments")
    List<String> args = new ArrayList<>();

    /** One run's outcome. */
    private record Run(String name, boolean ran, String note, long wallNanos, long cpuNanos, byte[] stdout, int status,
            long instructions, double jitShare, double compileSeconds) {
    }

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(program)) {
            kasou.err.println("kasou overhead: " + program + (Files.exists(program) ? ": not a regular file" : ": no such file"));
            return ExitCodes.BAD_FILE;
        }
        if (sysroot != null && !Files.isDirectory(sysroot)) {
            kasou.err.println("kasou overhead: -L " + sysroot + ": no such directory");
            return ExitCodes.BAD_FILE;
        }
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(args);
        List<Run> runs = new ArrayList<>();
        List<String> nativeCommand = new ArrayList<>(argv);
        String interp = LinuxProcess.interpreterOf(program);
        if (sysroot != null && interp != null) {
            // Natively too, the loader and libraries come from the sysroot: the host need not have them.
            Path root = sysroot.toAbsolutePath();
            nativeCommand.addAll(0, List.of(root.resolve(interp.substring(1)).toString(), "--library-path",
                    root.resolve("lib/i386-linux-gnu") + File.pathSeparator + root.resolve("usr/lib/i386-linux-gnu")));
        }
        if (HostExecution.direct()) {
            runs.add(external("native", nativeCommand, Map.of()));
        } else {
            runs.add(new Run("native", false, "cannot run: this host's kernel runs no 32-bit programs", 0, -1, new byte[0], -1, -1, -1, -1));
        }
        Run k;
        try {
            k = kasouRun(argv);
        } catch (LinuxProcess.StartException e) {
            kasou.err.println("kasou overhead: " + e.getMessage());
            return ExitCodes.BAD_FILE;
        }
        runs.add(k);
        String qemu = noQemu ? null : onPath("qemu-i386");
        if (qemu != null) {
            List<String> q = new ArrayList<>(List.of(qemu));
            if (sysroot != null) q.addAll(List.of("-L", sysroot.toString()));
            q.addAll(argv);
            runs.add(external("qemu-i386", q, Map.of()));
        }
        Run reference = runs.get(0).ran() ? runs.get(0) : k;
        boolean agree = true;
        for (Run r : runs) {
            if (r.ran() && (!Arrays.equals(r.stdout(), reference.stdout()) || r.status() != reference.status())) agree = false;
        }
        if (json) {
            printJson(runs, reference, agree);
        } else {
            printTable(runs, reference, agree);
        }
        return agree ? ExitCodes.OK : 3;
    }

    private Run external(String name, List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        long cpu0 = reapedChildrenCpuNanos();
        try {
            Process p = pb.start();
            byte[] out;
            try (InputStream in = p.getInputStream()) {
                out = in.readAllBytes();
            }
            if (!p.waitFor(1, TimeUnit.HOURS)) {
                p.destroyForcibly();
                return new Run(name, false, "did not end in an hour", 0, -1, new byte[0], -1, -1, -1, -1);
            }
            long wall = System.nanoTime() - t0;
            long cpu = cpu0 < 0 ? -1 : reapedChildrenCpuNanos() - cpu0;
            return new Run(name, true, null, wall, cpu, out, p.exitValue(), -1, -1, -1);
        } catch (IOException e) {
            return new Run(name, false, "cannot run: " + e.getMessage(), 0, -1, new byte[0], -1, -1, -1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Run(name, false, "interrupted", 0, -1, new byte[0], -1, -1, -1, -1);
        }
    }

    private Run kasouRun(List<String> argv) throws LinuxProcess.StartException {
        List<String> env = new ArrayList<>();
        System.getenv().forEach((key, v) -> env.add(key + "=" + v));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        LinuxProcess p = new LinuxProcess(new LinuxProcess.Options(program, argv, env, InputStream.nullInputStream(), out,
                java.io.OutputStream.nullOutputStream(), engine.jitThreshold(), null, sysroot));
        LinuxProcess.Result r = p.run();
        long cpu = r.cpuNanos(); // every guest thread's
        long wall = System.nanoTime() - t0;
        JitStats j = p.jitStats();
        double share = j == null || r.instructions() == 0 ? 0 : (double) j.instructionsExecuted / r.instructions();
        return new Run("kasou", true, null, wall, cpu, out.toByteArray(), r.status(), r.instructions(), share,
                j == null ? 0 : j.compileNanos / 1e9);
    }

    /**
     * User and system CPU time of this JVM's children that have been waited for (cutime and cstime of
     * /proc/self/stat, in clock ticks of 10 ms), or -1 where there is no /proc.
     */
    private static long reapedChildrenCpuNanos() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10_000_000L; // fields 16 and 17
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    private static String onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private void printTable(List<Run> runs, Run reference, boolean agree) {
        kasou.out.printf(Locale.ROOT, "%-10s %10s %9s %10s %16s %10s %11s%n", "runner", "wall s", "slowdown", "CPU s",
                "guest instrs", "JIT share", "compile s");
        for (Run r : runs) {
            if (!r.ran()) {
                kasou.out.printf(Locale.ROOT, "%-10s %s%n", r.name(), r.note());
                continue;
            }
            kasou.out.printf(Locale.ROOT, "%-10s %10.3f %8.2fx %10s %16s %10s %11s%n", r.name(), r.wallNanos() / 1e9,
                    (double) r.wallNanos() / reference.wallNanos(),
                    r.cpuNanos() < 0 ? "-" : String.format(Locale.ROOT, "%.3f", r.cpuNanos() / 1e9),
                    r.instructions() < 0 ? "-" : String.format(Locale.ROOT, "%,d", r.instructions()),
                    r.jitShare() < 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.jitShare()),
                    r.compileSeconds() < 0 ? "-" : String.format(Locale.ROOT, "%.3f", r.compileSeconds()));
        }
        kasou.out.println(agree ? "outputs agree (stdout and exit status " + reference.status() + ")"
                : "OUTPUTS DIFFER: " + describe(runs));
    }

    private static String describe(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        for (Run r : runs) {
            if (r.ran()) sb.append(r.name()).append(": status ").append(r.status()).append(", ").append(r.stdout().length).append(" bytes; ");
        }
        return sb.toString();
    }

    private void printJson(List<Run> runs, Run reference, boolean agree) {
        StringBuilder sb = new StringBuilder("{\"program\":").append(quote(program.toString())).append(",\"agree\":").append(agree)
                .append(",\"runs\":[");
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            if (i > 0) sb.append(',');
            sb.append("{\"runner\":").append(quote(r.name())).append(",\"ran\":").append(r.ran());
            if (r.ran()) {
                sb.append(String.format(Locale.ROOT, ",\"wallSeconds\":%.6f,\"slowdown\":%.4f,\"status\":%d,\"stdoutBytes\":%d",
                        r.wallNanos() / 1e9, (double) r.wallNanos() / reference.wallNanos(), r.status(), r.stdout().length));
                if (r.cpuNanos() >= 0) sb.append(String.format(Locale.ROOT, ",\"cpuSeconds\":%.6f", r.cpuNanos() / 1e9));
                if (r.instructions() >= 0) {
                    sb.append(String.format(Locale.ROOT, ",\"instructions\":%d,\"jitShare\":%.4f,\"compileSeconds\":%.6f",
                            r.instructions(), r.jitShare(), r.compileSeconds()));
                }
            } else {
                sb.append(",\"note\":").append(quote(r.note()));
            }
            sb.append('}');
        }
        kasou.out.println(sb.append("]}"));
    }

    private static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') sb.append('\\').append(c);
            else if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            else sb.append(c);
        }
        return sb.append('"').toString();
    }
}
