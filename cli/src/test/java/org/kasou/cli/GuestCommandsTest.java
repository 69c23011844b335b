package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.kasou.pc.DemoGuest;

/** kasou demo and kasou boot, end to end: console output, --stats, exit statuses. */
@Timeout(300)
class GuestCommandsTest extends CommandLineHarness {
    @TempDir
    Path dir;

    private Path testGuest(String name) throws Exception {
        Path p = dir.resolve(name);
        try (InputStream in = org.kasou.pc.Machine.class.getResourceAsStream("guest/" + name)) {
            if (in == null) {
                // The test guests live in the devices module's test resources.
                Files.copy(Path.of("../devices/src/test/resources/org/kasou/pc/guest", name), p);
            } else {
                Files.copy(in, p);
            }
        }
        return p;
    }

    @Test
    void demoPrintsResultsAndStatsAndExitsZero() {
        assertEquals(0, run("demo", "--stats"));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.startsWith("kasou demo guest: protected mode"), o);
        assertTrue(o.contains("sieve: 78498 primes below 1000000, largest 999983, sum 37550402023"), o);
        assertTrue(o.endsWith("done\n"), o);
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.matches("kasou: [0-9,]+ guest instructions in [0-9.]+ s: [0-9.]+ MIPS \\(JIT, threshold [0-9]+\\)\n"
                + "kasou: JIT: [0-9,]+ units compiled \\([0-9,]+ guest instructions\\) in [0-9.]+ s; [0-9.]+% of instructions ran compiled;"
                + " [0-9,]+ units invalidated by code writes, [0-9,]+ evicted; [0-9,]+ entries into compiled code"
                + " \\([0-9,]+ from unit to unit, [0-9,]+ of them by a unit's own call\\); [0-9,]+ units with the x87 stack in locals, [0-9,]+ with"
                + " the flags left in the state until they set some;"
                + " [0-9,]+ exits off a memory access's fast path, [0-9,]+ units compiled again for them\n"
                + "kasou: devices: [0-9,]+ port accesses in [0-9.]+ s, timer and device polls [0-9.]+ s;"
                + " halted waiting for a timer [0-9.]+ s; guest time skipped at PAUSE [0-9.]+ s\n"
                + "kasou: CPU time: [0-9.]+ s on the guest's thread, [0-9.]+ s in the whole JVM\n"), e);
        // every byte of the output went through port 0xE9, and the exit through 0xF4
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("devices: ([0-9,]+) port accesses").matcher(e);
        assertTrue(m.find(), e);
        assertTrue(Long.parseLong(m.group(1).replace(",", "")) > o.length(), e);
    }

    @Test
    void demoRunsTheSameWithoutTheJit() {
        assertEquals(0, run("demo", "--stats", "--no-jit"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("sieve: 78498 primes below 1000000, largest 999983, sum 37550402023"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("MIPS (interpreter)\nkasou: devices: "), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void bootReturnsTheExitDeviceStatus() throws Exception {
        // The guest writes 0 to port 0xF4: status (0 << 1) | 1.
        assertEquals(1, run("boot", "--kernel", testGuest("cguest.elf").toString(), "--memory", "16M"));
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("done\n"));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void bootStopsAtTheInstructionLimit() throws Exception {
        Path demo = dir.resolve("demo.bin");
        Files.write(demo, DemoGuest.image());
        assertEquals(ExitCodes.INSTRUCTION_LIMIT, run("boot", "--kernel", demo.toString(), "--max-instructions", "100000"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("kasou: stopped after 100,000 instructions"), e);
    }

    @Test
    void jitOptionRunsTheGuestCompiled() throws Exception {
        assertEquals(1, run("boot", "--kernel", testGuest("strings.bin").toString(), "--jit-threshold", "0", "--stats"));
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("done\n"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("MIPS (JIT, threshold 0)"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void tripleFaultIsOneLineAndStatus4() throws Exception {
        assertEquals(ExitCodes.TRIPLE_FAULT, run("boot", "--kernel", testGuest("triple.bin").toString()));
        assertEquals("shutting down\n", out.toString(StandardCharsets.UTF_8));
        String e = err.toString(StandardCharsets.UTF_8);
        assertTrue(e.startsWith("kasou: the guest triple-faulted") && e.indexOf('\n') == e.length() - 1, e);
    }

    @Test
    void bootsAFlatKernelWithStats() throws Exception {
        assertEquals(1, run("boot", "--kernel", testGuest("strings.bin").toString(), "--stats"));
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("done\n"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains(" guest instructions in "));
    }
}
