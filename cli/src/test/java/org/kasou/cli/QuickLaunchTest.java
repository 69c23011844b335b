package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The start-up path for boot, demo, run and linux takes exactly the options picocli declares for them. */
class QuickLaunchTest {
    private static void assertSameOptions(String command, Set<String> valued, Set<String> flags) {
        CommandLine sub = new CommandLine(new Kasou(System.out, System.err)).getSubcommands().get(command);
        Set<String> v = new HashSet<>(), f = new HashSet<>();
        for (OptionSpec o : sub.getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) continue;
            for (String n : o.names()) (o.arity().max() == 0 ? f : v).add(n);
        }
        assertEquals(v, valued, command + " options with a value");
        assertEquals(f, flags, command + " flags");
    }

    @Test
    void knowsEveryOptionOfBootAndDemo() {
        assertSameOptions("boot", QuickLaunch.BOOT_VALUED, QuickLaunch.BOOT_FLAGS);
        assertSameOptions("demo", QuickLaunch.DEMO_VALUED, QuickLaunch.DEMO_FLAGS);
        assertSameOptions("run", QuickLaunch.RUN_VALUED, QuickLaunch.RUN_FLAGS);
        assertSameOptions("linux", QuickLaunch.LINUX_VALUED, QuickLaunch.LINUX_FLAGS);
    }

    @Test
    void leavesEverythingUnusualToPicocli() {
        PrintStream p = new PrintStream(new ByteArrayOutputStream());
        for (String[] args : new String[][] {
            {}, {"--help"}, {"boot"}, {"boot", "--help"}, {"demo", "-h"}, {"help", "boot"}, {"disasm", "x"},
            {"boot", "--kernel"}, {"boot", "--kernel", "k", "--kernel", "k"}, {"boot", "--kernel", "k", "--memory", "lots"},
            {"boot", "--kernel", "k", "--max-instructions", "-5"}, {"boot", "--kernel", "k", "--jit-threshold", "0x10"},
            {"boot", "--kernel", "k", "--stats=true"}, {"boot", "--kernel", "k", "extra"}, {"boot", "--kernel", "k", "--"},
            {"demo", "--memory", "16M"}, {"demo", "--kernel", "k"}, {"boot", "@args.txt"},
            {"run"}, {"run", "--help"}, {"run", "-h", "p"}, {"run", "-L"}, {"run", "-L", "d"}, {"run", "-L", "d", "-L", "d", "p"},
            {"run", "-Ld", "p"}, {"run", "-L=d", "p"}, {"run", "--stats", "--stats", "p"}, {"run", "--stats=true", "p"},
            {"run", "--jit-threshold", "-1", "p"}, {"run", "--jit-threshold", "x", "p"}, {"run", "-x", "p"}, {"run", "--", "p"},
            {"run", "@args.txt"}, {"run", "p", "@args.txt"}, {"run", "-E", "@e", "p"}, {"run", "-", "p"},
            {"linux", "--help"}, {"linux", "-V"}, {"linux", "extra"}, {"linux", "--memory", "lots"}, {"linux", "--append"},
            {"linux", "--append", "a", "--append", "b"}, {"linux", "--append", "-x"}, {"linux", "--stats=true"}, {"linux", "--kernel", "k"},
        }) {
            assertNull(QuickLaunch.run(args, java.io.InputStream.nullInputStream(), p, p), String.join(" ", args));
        }
    }

    /** What picocli makes of a line for {@code linux}, as the fields QuickLaunch fills in. */
    private static String fields(LinuxCommand l) {
        return l.guest + " " + l.append + " " + l.memory + " " + l.deterministic + " " + l.maxInstructions + " " + l.stats + " "
                + l.timeline + " " + l.engine.jit + " " + l.engine.noJit + " " + l.engine.threshold;
    }

    @Test
    void readsPlainLinuxLinesAsPicocliDoes() {
        for (String[] args : new String[][] {
            {"linux"}, {"linux", "--append", "quiet kasou.poweroff", "--stats"}, {"linux", "--memory=64M", "--guest", "/g"},
            {"linux", "--no-jit", "--deterministic", "--max-instructions", "1000", "--timeline", "0.5"},
            {"linux", "--jit", "--jit-threshold=2000"},
        }) {
            LinuxCommand quick = QuickLaunch.parseLinux(args);
            org.junit.jupiter.api.Assertions.assertNotNull(quick, String.join(" ", args));
            CommandLine cl = new CommandLine(new Kasou(System.out, System.err));
            LinuxCommand picked = (LinuxCommand) cl.parseArgs(args).subcommand().commandSpec().userObject();
            assertEquals(fields(picked), fields(quick), String.join(" ", args));
        }
    }

    /** What picocli makes of a line for {@code run}, as the fields QuickLaunch fills in. */
    private static String fields(RunCommand r) {
        return r.set + " " + r.unset + " " + r.sysroot + " " + r.argv0 + " " + r.engine.jit + " " + r.engine.noJit + " "
                + r.engine.threshold + " " + r.stats + " " + r.program + " " + r.args;
    }

    @Test
    void readsPlainRunLinesAsPicocliDoes() {
        for (String[] args : new String[][] {
            {"run", "p"}, {"run", "p", "--stats", "-L", "x", "--", "-E"}, {"run", "--stats", "-L", "/s", "p", "a", "b"},
            {"run", "-E", "A=1", "-E", "B=2", "-U", "C", "-U", "D", "-0", "name", "p"},
            {"run", "--no-jit", "p"}, {"run", "--jit", "--jit-threshold", "0", "p"}, {"run", "--jit-threshold=70", "--stats", "p", "-x"},
        }) {
            RunCommand quick = QuickLaunch.parseRun(args);
            org.junit.jupiter.api.Assertions.assertNotNull(quick, String.join(" ", args));
            CommandLine cl = new CommandLine(new Kasou(System.out, System.err));
            cl.getSubcommands().get("run").setStopAtPositional(true);
            RunCommand picked = (RunCommand) cl.parseArgs(args).subcommand().commandSpec().userObject();
            assertEquals(fields(picked), fields(quick), String.join(" ", args));
        }
    }
}
