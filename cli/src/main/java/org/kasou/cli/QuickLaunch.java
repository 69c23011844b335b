package org.kasou.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * Starts {@code kasou boot}, {@code kasou demo}, {@code kasou run} and {@code kasou linux} without building the picocli command model,
 * which costs a few hundred milliseconds at start-up (picocli's class files predate class-data
 * sharing, so the JVM loads and verifies them afresh on every launch). Only plain, valid command
 * lines are taken: the options of the two commands, each at most once, as {@code --opt VALUE} or
 * {@code --opt=VALUE}, with values that need no conversion rules of picocli's. Anything else (help,
 * other commands, errors, unusual forms) returns null and goes through picocli, which then gives the
 * usual messages: this class never reports an error itself.
 */
final class QuickLaunch {
    private QuickLaunch() {
    }

    /** Options that take a value, per command; every other option of ours is a flag. */
    static final Set<String> BOOT_VALUED = Set.of("--kernel", "--initrd", "--bios", "--port-log", "--memory", "--cmdline", "--append",
            "--max-instructions", "--jit-threshold", "--timeline");
    static final Set<String> BOOT_FLAGS = Set.of("--stats", "--jit", "--no-jit", "--no-reboot", "--deterministic");
    static final Set<String> DEMO_FLAGS = Set.of("--stats", "--jit", "--no-jit");
    static final Set<String> DEMO_VALUED = Set.of("--jit-threshold");
    static final Set<String> RUN_FLAGS = Set.of("--stats", "--jit", "--no-jit");
    static final Set<String> RUN_VALUED = Set.of("-E", "-U", "-L", "-0", "--jit-threshold", "--timeline");
    static final Set<String> LINUX_FLAGS = Set.of("--stats", "--jit", "--no-jit", "--deterministic");
    static final Set<String> LINUX_VALUED = Set.of("--guest", "--append", "--memory", "--max-instructions", "--jit-threshold", "--timeline");

    /** Runs the command and returns its exit status, or null when picocli must handle the line. */
    static Integer run(String[] args, java.io.InputStream in, PrintStream out, PrintStream err) {
        if (args.length == 0) return null;
        if (args.length == 1 && args[0].equals(StartUpTraining.COMMAND)) return StartUpTraining.run(in, err);
        if (args[0].equals("run")) {
            RunCommand r = parseRun(args);
            if (r == null) return null;
            r.kasou = new Kasou(in, out, err);
            return call(r, err);
        }
        if (args[0].equals("linux")) {
            LinuxCommand l = parseLinux(args);
            if (l == null) return null;
            l.kasou = new Kasou(in, out, err);
            return call(l, err);
        }
        boolean boot = args[0].equals("boot");
        if (!boot && !args[0].equals("demo")) return null;
        Kasou kasou = new Kasou(in, out, err);
        BootCommand b = boot ? new BootCommand() : null;
        DemoCommand d = boot ? null : new DemoCommand();
        EngineOptions engine = boot ? b.engine : d.engine;
        int end = readOptions(args, boot ? BOOT_FLAGS : DEMO_FLAGS, boot ? BOOT_VALUED : DEMO_VALUED, Set.of(), false, (name, v) -> {
            switch (name) {
                case "--stats" -> {
                    if (boot) b.stats = true;
                    else d.stats = true;
                }
                case "--jit" -> engine.jit = true;
                case "--no-jit" -> engine.noJit = true;
                case "--no-reboot" -> b.noReboot = true;
                case "--deterministic" -> b.deterministic = true;
                case "--kernel" -> b.kernel = Path.of(v);
                case "--bios" -> b.bios = Path.of(v);
                case "--port-log" -> {
                    for (String port : v.split(",", -1)) b.portLog.add(new BootCommand.PortConverter().convert(port));
                }
                case "--memory" -> b.memory = (int) MemorySizeConverter.parse(v);
                case "--cmdline", "--append" -> {
                    if (b.cmdline != null) return false; // both given: picocli says so
                    b.cmdline = v;
                }
                case "--initrd" -> b.initrd = Path.of(v);
                case "--max-instructions" -> b.maxInstructions = decimal(v, Long.MAX_VALUE);
                case "--timeline" -> {
                    Double t = seconds(v);
                    if (t == null) return false; // picocli says what is wrong with it
                    b.timeline = t;
                }
                default -> engine.threshold = (int) decimal(v, Integer.MAX_VALUE);
            }
            return true;
        });
        if (end != args.length) return null;
        if (boot && (b.kernel == null) == (b.bios == null)) return null;
        Callable<Integer> command;
        if (boot) {
            b.kasou = kasou;
            command = b;
        } else {
            d.kasou = kasou;
            command = d;
        }
        return call(command, err);
    }

    /** Runs a filled-in command; an exception it lets out is reported as picocli's execution exception handler in Kasou.run does. */
    private static int call(Callable<Integer> command, PrintStream err) {
        try {
            return command.call();
        } catch (Exception e) {
            err.println("kasou: internal error: " + e);
            return ExitCodes.INTERNAL_ERROR;
        }
    }

    /**
     * {@code kasou run}: options before the program, each in its plain form ({@code -L DIR},
     * {@code --jit-threshold N} or {@code --jit-threshold=N}, -E and -U repeatable, the others at
     * most once), then the program and its own arguments, none of them an argument file
     * ({@code @...}, which picocli would expand). Returns the command as picocli would have
     * filled it in, or null when picocli must handle the line.
     */
    static RunCommand parseRun(String[] args) {
        RunCommand r = new RunCommand();
        int i = readOptions(args, RUN_FLAGS, RUN_VALUED, Set.of("-E", "-U"), true, (name, v) -> {
            switch (name) {
                case "--stats" -> r.stats = true;
                case "--jit" -> r.engine.jit = true;
                case "--no-jit" -> r.engine.noJit = true;
                case "-E" -> r.set.add(v);
                case "-U" -> r.unset.add(v);
                case "-L" -> r.sysroot = Path.of(v);
                case "-0" -> r.argv0 = v;
                case "--timeline" -> {
                    Double t = seconds(v);
                    if (t == null) return false; // picocli says what is wrong with it
                    r.timeline = t;
                }
                default -> r.engine.threshold = (int) decimal(v, Integer.MAX_VALUE);
            }
            return true;
        });
        if (i < 0 || i == args.length) return null;
        for (int k = i; k < args.length; k++) {
            if (args[k].startsWith("@")) return null;
        }
        try {
            r.program = Path.of(args[i]);
        } catch (RuntimeException e) {
            return null; // a path picocli will reject with its own message
        }
        for (int k = i + 1; k < args.length; k++) r.args.add(args[k]);
        return r;
    }

    /** {@code kasou linux} with its options in their plain forms, as picocli would fill it in; null when picocli must handle the line. */
    static LinuxCommand parseLinux(String[] args) {
        LinuxCommand l = new LinuxCommand();
        int end = readOptions(args, LINUX_FLAGS, LINUX_VALUED, Set.of(), false, (name, v) -> {
            switch (name) {
                case "--stats" -> l.stats = true;
                case "--jit" -> l.engine.jit = true;
                case "--no-jit" -> l.engine.noJit = true;
                case "--deterministic" -> l.deterministic = true;
                case "--guest" -> l.guest = Path.of(v);
                case "--append" -> l.append = v;
                case "--memory" -> l.memory = (int) MemorySizeConverter.parse(v);
                case "--max-instructions" -> l.maxInstructions = decimal(v, Long.MAX_VALUE);
                case "--timeline" -> {
                    Double t = seconds(v);
                    if (t == null) return false; // picocli says what is wrong with it
                    l.timeline = t;
                }
                default -> l.engine.threshold = (int) decimal(v, Integer.MAX_VALUE);
            }
            return true;
        });
        return end == args.length ? l : null;
    }

    /** What one option does to the command being filled in (value null for a flag); false when picocli must handle the line. */
    private interface OptionSetter {
        boolean set(String name, String value);
    }

    /**
     * Reads the options of args[1..] in their plain forms: each flag and each valued option at most
     * once (but for {@code repeatable}), {@code --name=VALUE} or {@code NAME VALUE}, values neither
     * empty nor looking like an option or an argument file. With {@code stopAtOperand} it stops at
     * the first argument that is not an option. Returns the index after the options, or -1 when
     * picocli must handle the line (anything else, or a value the setter or a conversion refuses).
     */
    private static int readOptions(String[] args, Set<String> flags, Set<String> valued, Set<String> repeatable,
                                   boolean stopAtOperand, OptionSetter setter) {
        Set<String> seen = new HashSet<>();
        int i = 1;
        try {
            for (; i < args.length; i++) {
                String a = args[i];
                if (stopAtOperand && !a.startsWith("-")) break;
                int eq = a.startsWith("--") ? a.indexOf('=') : -1;
                String name = eq > 0 ? a.substring(0, eq) : a;
                if (!repeatable.contains(name) && !seen.add(name)) return -1;
                if (flags.contains(name)) {
                    if (eq > 0 || !setter.set(name, null)) return -1;
                    continue;
                }
                if (!valued.contains(name)) return -1;
                String v;
                if (eq > 0) {
                    v = a.substring(eq + 1);
                } else {
                    if (++i == args.length) return -1;
                    v = args[i];
                }
                if (v.isEmpty() || v.startsWith("-") || v.startsWith("@") || !setter.set(name, v)) return -1;
            }
        } catch (RuntimeException e) {
            return -1; // a value picocli will reject with its own message
        }
        return i;
    }

    /** A plain decimal number up to {@code max}; anything else throws. */
    private static long decimal(String v, long max) {
        if (v.length() > 18) throw new NumberFormatException(v);
        for (int k = 0; k < v.length(); k++) {
            if (v.charAt(k) < '0' || v.charAt(k) > '9') throw new NumberFormatException(v);
        }
        long n = Long.parseLong(v);
        if (n > max) throw new NumberFormatException(v);
        return n;
    }

    /** A number of seconds as picocli reads a double, or null when it is not one. */
    private static Double seconds(String v) {
        try {
            return Double.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
