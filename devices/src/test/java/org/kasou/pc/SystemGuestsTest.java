package org.kasou.pc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The system-level test guests (src/test/guest: call gates, task switches through 32- and 16-bit
 * TSSs, the I/O permission bitmap, virtual-8086 mode, segment protection and the alignment check)
 * print the text the SDM leads to (guest/NAME.expected) on the interpreter and with the JIT
 * compiling every block, and what QEMU prints when qemu-system-i386 is installed, but for the
 * lines they start with "kasou:", where QEMU departs from the SDM (each guest's header says how).
 */
@Timeout(120)
class SystemGuestsTest {
    private static final long LIMIT = 50_000_000L;

    @TempDir
    Path dir;

    private static String expected(String guest) {
        return new String(TestGuests.image(guest.replace(".bin", ".expected")), StandardCharsets.ISO_8859_1);
    }

    private static String withoutLines(String text, List<String> prefixes) {
        return text.lines().filter(l -> prefixes.stream().noneMatch(l::startsWith)).collect(Collectors.joining("\n", "", "\n"));
    }

    /** @param jitThreshold -1: the interpreter alone; 0: the JIT compiles every block at once */
    @ParameterizedTest(name = "{0}, jit threshold {1}")
    @CsvSource({"gates.bin, -1", "gates.bin, 0", "tasks.bin, -1", "tasks.bin, 0", "tasks16.bin, -1", "tasks16.bin, 0", "iomap.bin, -1", "iomap.bin, 0", "v86.bin, -1", "v86.bin, 0",
        "protect.bin, -1", "protect.bin, 0"})
    void printsTheExpectedText(String name, int jitThreshold) throws Exception {
        TestGuests.Run run = TestGuests.kasou(TestGuests.image(name), name, LIMIT, Machine.DEFAULT_RAM_BYTES, null, jitThreshold);
        assertEquals(expected(name), run.console(), name);
        assertEquals(RunResult.Outcome.EXITED, run.result().outcome(), run.console());
        assertEquals(1, run.result().exitStatus(), run.console());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gates.bin", "tasks.bin", "tasks16.bin", "iomap.bin", "v86.bin", "protect.bin"})
    void bothEnginesRetireTheSameInstructions(String name) throws Exception {
        byte[] image = TestGuests.image(name);
        TestGuests.Run interpreted = TestGuests.kasou(image, name, LIMIT, Machine.DEFAULT_RAM_BYTES, null, -1);
        TestGuests.Run compiled = TestGuests.kasou(image, name, LIMIT, Machine.DEFAULT_RAM_BYTES, null, 0);
        assertEquals(interpreted.console(), compiled.console(), name);
        assertEquals(interpreted.result().instructions(), compiled.result().instructions(), name + ": instructions retired");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gates.bin", "tasks.bin", "tasks16.bin", "iomap.bin", "v86.bin", "protect.bin"})
    void printsWhatQemuPrints(String name) throws Exception {
        assumeTrue(GuestTools.available("qemu-system-i386"), "qemu-system-i386 is not installed");
        byte[] image = TestGuests.image(name);
        GuestTools.Result qemu = GuestTools.qemu(image, dir);
        TestGuests.Run run = TestGuests.kasou(image, name, LIMIT);
        List<String> qemuDiffers = List.of("kasou:");
        assertEquals(withoutLines(qemu.stdout(), qemuDiffers), withoutLines(run.console(), qemuDiffers), name + ": QEMU's output differs");
        assertEquals(qemu.exitStatus(), run.result().exitStatus(), name + ": exit status");
    }
}
