package org.kasou.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.kasou.jit.JitStats;
import org.kasou.linux.LinuxProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Runs a 32-bit x86 Linux program (static, or dynamic with -L) without a guest kernel, as qemu-i386 does:",
            "its system calls are carried out on the host, which it reaches only through the files its own calls name.",
            "Options go before PROGRAM; everything after it is the program's own arguments.",
            "The exit status is the program's, or 128 + the signal that killed it."})
final class RunCommand implements Callable<Integer> {
    @ParentCommand
    Kasou kasou;

    @Option(names = "-E", paramLabel = "VAR=VALUE", description = "set an environment variable of the program (repeatable)")
    List<String> set = new ArrayList<>();

    @Option(names = "-U", paramLabel = "VAR", description = "remove an environment variable of the program (repeatable)")
    List<String> unset = new ArrayList<>();

    @Option(names = "-L", paramLabel = "DIR",
            description = "the sysroot: files under DIR stand in for the host's of the same absolute path (the dynamic loader, libraries)")
    Path sysroot;

    @Option(names = "-0", paramLabel = "ARGV0", description = "the program's argv[0] (default: PROGRAM as given)")
    String argv0;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--stats", description = "print guest instructions, wall time, MIPS, the guest threads' CPU time and the JIT's share on stderr at exit")
    boolean stats;

    @Option(names = "--timeline", paramLabel = "SECONDS", description = Timeline.OPTION_DESCRIPTION)
    double timeline;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "the program to run")
    Path program;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "its arguments")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        if (!Timeline.validPeriod(timeline)) {
            kasou.err.println(Timeline.periodError("run"));
            return ExitCodes.USAGE;
        }
        if (!Files.isRegularFile(program)) {
            kasou.err.println("kasou run: " + program + (Files.exists(program) ? ": not a regular file" : ": no such file"));
            return ExitCodes.BAD_FILE;
        }
        if (sysroot != null && !Files.isDirectory(sysroot)) {
            kasou.err.println("kasou run: -L " + sysroot + ": no such directory");
            return ExitCodes.BAD_FILE;
        }
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        for (String e : set) {
            int eq = e.indexOf('=');
            if (eq <= 0) {
                kasou.err.println("kasou run: -E needs VAR=VALUE, not '" + e + "' (see 'kasou run --help')");
                return ExitCodes.USAGE;
            }
            env.put(e.substring(0, eq), e.substring(eq + 1));
        }
        unset.forEach(env::remove);
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        List<String> argv = new ArrayList<>();
        argv.add(argv0 != null ? argv0 : program.toString());
        argv.addAll(args);
        LinuxProcess process;
        try {
            process = new LinuxProcess(new LinuxProcess.Options(program, argv, envList, kasou.in, kasou.rawOut(), kasou.err,
                    engine.jitThreshold(), null, sysroot));
        } catch (LinuxProcess.StartException e) {
            kasou.err.println("kasou run: " + e.getMessage());
            return ExitCodes.BAD_FILE;
        }
        long t0 = System.nanoTime();
        LinuxProcess.Result r;
        try (Timeline t = timeline > 0 ? Timeline.start(Timeline.Source.of(process), timeline, kasou.err) : null) {
            r = process.run();
        }
        long nanos = System.nanoTime() - t0;
        kasou.out.flush();
        if (r.signal() != 0) {
            kasou.err.printf(Locale.ROOT, "kasou: uncaught target signal %d (%s) - core dumped%n", r.signal(), r.signalName());
        }
        if (stats) {
            kasou.err.printf(Locale.ROOT, "kasou: %,d guest instructions in %.3f s: %.1f MIPS (%s); guest threads' CPU time %.3f s%n",
                    r.instructions(), nanos / 1e9, r.instructions() / (nanos / 1e3),
                    engine.jitThreshold() >= 0 ? "JIT, threshold " + engine.jitThreshold() : "interpreter", r.cpuNanos() / 1e9);
            JitStats j = process.jitStats();
            if (j != null) {
                kasou.err.println(JitStatsLine.of(j, r.instructions()));
            }
        }
        return r.status();
    }
}
