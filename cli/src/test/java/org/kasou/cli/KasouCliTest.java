package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KasouCliTest extends CommandLineHarness {
    @Test
    void helpListsEveryCommand() {
        assertEquals(0, run("--help"));
        for (String command : new String[] {"boot", "demo", "help"}) {
            assertTrue(out().contains("\n  " + command + " "), command + " in " + out());
        }
        assertTrue(out().contains("Exit status"));
    }

    @Test
    void bootHelpListsEveryOption() {
        assertEquals(0, run("boot", "--help"));
        for (String option : new String[] {"--kernel=FILE", "--memory=SIZE", "--cmdline=TEXT", "--max-instructions=N", "--stats", "--timeline=SECONDS", "--jit", "--jit-threshold=N"}) {
            assertTrue(out().contains(option), option + " in " + out());
        }
        assertTrue(out().contains("default: 128M"));
    }

    @Test
    void demoHelpListsStats() {
        assertEquals(0, run("help", "demo"));
        assertTrue(out().contains("--stats"));
    }

    @Test
    void missingKernelFileIsOneLineAndStatus1(@TempDir Path dir) {
        assertEquals(1, run("boot", "--kernel", dir.resolve("missing.elf").toString()));
        assertOneLineError("missing.elf: no such file");
    }

    @Test
    void fileThatIsNotAKernelIsOneLineAndStatus1(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("readme.txt");
        Files.writeString(f, "not a kernel");
        assertEquals(1, run("boot", "--kernel", f.toString()));
        assertOneLineError("not a multiboot kernel");
    }

    @Test
    void usageErrorsAreOneLineAndStatus2() {
        assertEquals(2, run("boot"));
        assertOneLineError("--kernel");
        err.reset();
        assertEquals(2, run("boot", "--kernel", "k", "--memory", "lots"));
        assertOneLineError("'lots' is not a size");
        err.reset();
        assertEquals(2, run("boot", "--kernel", "k", "--memory", "1M"));
        assertOneLineError("too small");
        err.reset();
        assertEquals(2, run("boot", "--kernel", "k", "--memory", "4G"));
        assertOneLineError("more than the 2047M");
        err.reset();
        assertEquals(2, run("boot", "--kernel", "k", "--max-instructions", "-5"));
        assertOneLineError("must be positive");
        err.reset();
        assertEquals(2, run("boot", "--kernel", "k", "--jit-threshold", "-1"));
        assertOneLineError("'-1' must be 0 or more");
        err.reset();
        assertEquals(2, run("frobnicate"));
        assertOneLineError("frobnicate");
        err.reset();
        assertEquals(2, run());
        assertOneLineError("a command is required");
    }

    @Test
    void memorySizes() {
        assertEquals(128L << 20, MemorySizeConverter.parse("128M"));
        assertEquals(1L << 30, MemorySizeConverter.parse("1G"));
        assertEquals(1L << 30, MemorySizeConverter.parse("1gib"));
        assertEquals(65536L << 10, MemorySizeConverter.parse("65536K"));
        assertEquals(4L << 20, MemorySizeConverter.parse("4194304"));
        assertEquals(2047L << 20, MemorySizeConverter.parse("2047M"));
    }
}
