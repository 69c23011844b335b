package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DisasmCommandTest extends CommandLineHarness {
    @TempDir
    Path tmp;

    private Path file(int... bytes) throws Exception {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) bytes[i];
        Path p = tmp.resolve("code.bin");
        Files.write(p, b);
        return p;
    }

    @Test
    void listsOneInstructionPerLine() throws Exception {
        // push ebp; mov ebp,esp; call to itself; an undefined 0F 04; ret
        Path f = file(0x55, 0x89, 0xE5, 0xE8, 0xFB, 0xFF, 0xFF, 0xFF, 0x0F, 0x04, 0xC3);
        assertEquals(0, run("disasm", "--org", "0x401000", f.toString()));
        assertEquals("00401000\t55\tpush   ebp\n"
                + "00401001\t89 e5\tmov    ebp,esp\n"
                + "00401003\te8 fb ff ff ff\tcall   0x401003\n"
                + "00401008\t0f 04\t(bad)\n"
                + "0040100a\tc3\tret\n", out().replace("\r\n", "\n"));
    }

    @Test
    void sixteenBitCodeWithStartAndLength() throws Exception {
        // a boot sector fragment: mov ax,0x7c0; mov ds,ax; int 0x10; jmp $
        Path f = file(0x90, 0xB8, 0xC0, 0x07, 0x8E, 0xD8, 0xCD, 0x10, 0xEB, 0xFE);
        assertEquals(0, run("disasm", "--bits", "16", "--org", "0x7c00", "--start", "1", "--length", "7", f.toString()));
        assertEquals("7c01\tb8 c0 07\tmov    ax,0x7c0\n"
                + "7c04\t8e d8\tmov    ds,ax\n"
                + "7c06\tcd 10\tint    0x10\n", out().replace("\r\n", "\n"));
    }

    @Test
    void truncatedInstructionIsBad() throws Exception {
        Path f = file(0xB8, 0x01);
        assertEquals(0, run("disasm", f.toString()));
        assertEquals("00000000\tb8\t(bad)\n00000001\t01\t(bad)\n", out().replace("\r\n", "\n"));
    }

    @Test
    void missingFile() {
        assertEquals(ExitCodes.BAD_FILE, run("disasm", tmp.resolve("nope.bin").toString()));
        assertOneLineError("no such file");
    }

    @Test
    void badBits() throws Exception {
        assertEquals(ExitCodes.USAGE, run("disasm", "--bits", "64", file(0x90).toString()));
        assertOneLineError("--bits must be 16 or 32");
    }

    @Test
    void startBeyondTheFile() throws Exception {
        assertEquals(ExitCodes.USAGE, run("disasm", "--start", "0x10", file(0x90, 0x90).toString()));
        assertOneLineError("beyond the end");
    }

    @Test
    void notANumber() throws Exception {
        assertEquals(ExitCodes.USAGE, run("disasm", "--org", "zz", file(0x90).toString()));
        assertOneLineError("not a number");
    }

    @Test
    void helpListsEveryOption() {
        assertEquals(0, run("disasm", "--help"));
        for (String option : new String[] {"--bits=16|32", "--org=ADDR", "--start=OFFSET", "--length=N", "FILE"}) {
            assertTrue(out().contains(option), option + " in " + out());
        }
    }
}
