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

/** The start-up path for boot and demo takes exactly the options picocli declares for them. */
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
        }) {
            assertNull(QuickLaunch.run(args, java.io.InputStream.nullInputStream(), p, p), String.join(" ", args));
        }
    }
}
