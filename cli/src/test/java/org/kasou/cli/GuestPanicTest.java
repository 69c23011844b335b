package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A guest that prints the end of a Linux kernel panic on COM1 and then spins: kasou ends the run. */
@Timeout(60)
class GuestPanicTest extends CommandLineHarness {
    @TempDir
    Path dir;

    /** A flat multiboot image at 1 MiB: mov esi, msg; mov dx, 0x3F8; mov ecx, len; rep outsb; jmp $; msg. */
    private Path panickingKernel(String message) throws Exception {
        byte[] msg = message.getBytes(StandardCharsets.US_ASCII);
        int at = 0x100000, code = at + 0x20, codeLen = 18;
        ByteBuffer b = ByteBuffer.allocate(0x20 + codeLen + msg.length).order(ByteOrder.LITTLE_ENDIAN);
        int magic = 0x1BADB002, flags = 0x10000;
        b.putInt(magic).putInt(flags).putInt(-(magic + flags)).putInt(at).putInt(at).putInt(0).putInt(0).putInt(code);
        b.put((byte) 0xBE).putInt(code + codeLen);               // mov esi, msg
        b.put((byte) 0x66).put((byte) 0xBA).putShort((short) 0x3F8); // mov dx, 0x3F8
        b.put((byte) 0xB9).putInt(msg.length);                   // mov ecx, len
        b.put((byte) 0xF3).put((byte) 0x6E);                     // rep outsb
        b.put((byte) 0xEB).put((byte) 0xFE);                     // jmp $
        b.put(msg);
        Path p = dir.resolve("panic.bin");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void aKernelPanicEndsTheRun() throws Exception {
        String panic = "Kernel panic - not syncing: test\n---[ end Kernel panic - not syncing: test ]---\n";
        assertEquals(ExitCodes.GUEST_PANIC, run("boot", "--kernel", panickingKernel(panic).toString(), "--memory", "16M"));
        assertTrue(out().endsWith(panic), out());
        assertEquals("kasou: the guest kernel panicked\n", err());
    }

    @Test
    void thePanicMarkAloneIsNotEnoughWithoutItsLineEnd() throws Exception {
        String partial = "---[ end Kernel panic";
        assertEquals(ExitCodes.INSTRUCTION_LIMIT,
                run("boot", "--kernel", panickingKernel(partial).toString(), "--memory", "16M", "--max-instructions", "100000"));
        assertTrue(err().startsWith("kasou: stopped after"), err());
    }
}
