package org.kasou.cli;

import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code kasou} command: each subcommand is one class, listed once below. */
@Command(name = "kasou",
        mixinStandardHelpOptions = true,
        versionProvider = Kasou.Version.class,
        description = "kasou: an x86 PC emulator for the JVM.",
        subcommands = {
            LinuxCommand.class,
            BootCommand.class,
            RunCommand.class,
            OverheadCommand.class,
            DemoCommand.class,
            ConformanceCommand.class,
            DisasmCommand.class,
            CommandLine.HelpCommand.class,
        },
        footerHeading = "%nExit status:%n",
        footer = {
            "  the guest's exit device status ((v << 1) | 1) when it wrote v to port 0xF4,",
            "  0 when the guest halted, 1 for a bad kernel or ROM file, 2 for bad usage,",
            "  4 when the guest triple-faulted, 6 when --max-instructions ran out,",
            "  8 when the guest asked for a reset (with boot --bios, 4 and 8 only with --no-reboot: a PC restarts then),",
            "  10 when the guest used more RAM than the Java heap holds, 12 when a Linux guest's kernel panicked,",
            "  70 for an internal emulator error."})
public final class Kasou implements Runnable {
    final PrintStream out;
    final PrintStream err;
    /** What the guest's serial port receives (standard input when run as a program). */
    final InputStream in;

    @Spec
    CommandSpec spec;

    public Kasou(PrintStream out, PrintStream err) {
        this(InputStream.nullInputStream(), out, err);
    }

    public Kasou(InputStream in, PrintStream out, PrintStream err) {
        this.in = in;
        this.out = out;
        this.err = err;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs kasou with the given arguments and streams, with no input for the guest; returns the process exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        return run(args, InputStream.nullInputStream(), out, err);
    }

    /** Runs kasou with the given arguments and streams ({@code in}: what the guest's serial port receives). */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        Integer quick = QuickLaunch.run(args, in, out, err);
        if (quick != null) {
            return quick;
        }
        CommandLine cl = new CommandLine(new Kasou(in, out, err));
        // Everything after the program of 'run' belongs to the program, options included.
        cl.getSubcommands().get("run").setStopAtPositional(true);
        cl.getSubcommands().get("overhead").setStopAtPositional(true);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println(c.getCommandSpec().qualifiedName() + ": " + ex.getMessage().replace('\n', ' ').strip()
                    + " (see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parseResult) -> {
            c.getErr().println("kasou: internal error: " + ex);
            return ExitCodes.INTERNAL_ERROR;
        });
        return cl.execute(args);
    }

    /** Standard output as a raw stream, for the guest's console bytes. */
    OutputStream rawOut() {
        return out;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Kasou.class.getPackage().getImplementationVersion();
            return new String[] {"kasou " + (v == null ? "(development build)" : v)};
        }
    }
}
