package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code kasou boot --bios}: a ROM at the reset vector, --port-log, --no-reboot and their errors. */
class BiosBootTest extends CommandLineHarness {
    @TempDir
    Path dir;

    /** A 64 KiB ROM of HLTs with {@code code} at its reset vector (F000:FFF0). */
    private Path rom(int... code) throws Exception {
        byte[] image = new byte[64 << 10];
        java.util.Arrays.fill(image, (byte) 0xF4);
        for (int i = 0; i < code.length; i++) image[0xFFF0 + i] = (byte) code[i];
        Path p = dir.resolve("rom.bin");
        Files.write(p, image);
        return p;
    }

    /**
     * At the reset vector: out 80h, al (AL = 0 after reset); mov al, dl (EDX = the CPU signature
     * 0x633, so 0x33); out 80h, al; mov al, 1; mov dx, 0F4h; out dx, al: exit status 3. CS base is
     * FFFF0000 until a far jump, so these bytes run from the copy below 4 GiB.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--no-jit", "--jit"})
    void startsAtTheResetVectorAndLogsPortWrites(String engine) throws Exception {
        Path p = rom(0xE6, 0x80, 0x88, 0xD0, 0xE6, 0x80, 0xB0, 0x01, 0xBA, 0xF4, 0x00, 0xEE);
        assertEquals(3, run("boot", "--bios", p.toString(), "--port-log", "0x80,0xF4", engine));
        assertEquals("port 0x80 <- 0x00\nport 0x80 <- 0x33\nport 0xf4 <- 0x01\n", err());
    }

    /** jmp far F000:E05B, where the copy below 1 MiB holds: out 92h, al with AL = 1 (reset request). */
    private Path resettingRom() throws Exception {
        Path p = rom(0xEA, 0x5B, 0xE0, 0x00, 0xF0);
        byte[] image = Files.readAllBytes(p);
        byte[] at = {(byte) 0xB0, 0x01, (byte) 0xE6, (byte) 0x92, (byte) 0xF4}; // mov al, 1; out 92h, al; hlt
        System.arraycopy(at, 0, image, 0xE05B, at.length);
        Files.write(p, image);
        return p;
    }

    @Test
    void noRebootEndsTheRunWhenTheGuestResets() throws Exception {
        assertEquals(ExitCodes.RESET, run("boot", "--bios", resettingRom().toString(), "--no-reboot", "--port-log", "0x92"));
        assertEquals("port 0x92 <- 0x01\nkasou: the guest asked for a reset; stopping\n", err());
    }

    @Test
    void withoutNoRebootTheMachineStartsAgainAtTheResetVector() throws Exception {
        assertEquals(ExitCodes.INSTRUCTION_LIMIT,
                run("boot", "--bios", resettingRom().toString(), "--port-log", "0x92", "--max-instructions", "30"));
        String e = err();
        // Three instructions a round (jmp far, mov, out): the reset comes back ten times.
        assertEquals(10, e.split("port 0x92 <- 0x01\n", -1).length - 1, e);
        assertTrue(e.endsWith("kasou: stopped after 30 instructions (--max-instructions) at EIP=0x0000fff0\n"), e);
    }

    @Test
    void aMissingRomIsABadFile() {
        assertEquals(ExitCodes.BAD_FILE, run("boot", "--bios", dir.resolve("none.bin").toString()));
        assertOneLineError("cannot read the BIOS ROM");
    }

    @Test
    void aRomOfTheWrongSizeIsABadFile() throws Exception {
        Path p = dir.resolve("small.bin");
        Files.write(p, new byte[1000]);
        assertEquals(ExitCodes.BAD_FILE, run("boot", "--bios", p.toString()));
        assertOneLineError("a ROM image is 64, 128, 192 or 256 KiB");
    }

    @Test
    void kernelAndBiosTogetherOrNeitherIsAUsageError() throws Exception {
        assertEquals(ExitCodes.USAGE, run("boot", "--bios", rom().toString(), "--kernel", rom().toString()));
        assertOneLineError("give either --kernel FILE or --bios FILE");
        err.reset();
        assertEquals(ExitCodes.USAGE, run("boot"));
        assertOneLineError("give either --kernel FILE or --bios FILE");
    }

    @Test
    void aBadPortNumberIsAUsageError() throws Exception {
        assertEquals(ExitCodes.USAGE, run("boot", "--bios", rom().toString(), "--port-log", "0x10000"));
        assertTrue(err().contains("beyond 0xFFFF"), err());
    }
}
