package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest RAM is allocated as the guest touches it: a machine with far more RAM than the Java heap
 * runs a guest that uses little of it, and a guest that uses more than the heap stops with a
 * one-line message. Each case runs kasou in a JVM of its own with a 64 MiB heap.
 */
@Timeout(120)
class GuestRamFootprintTest {
    @TempDir
    Path dir;

    /** mov al, 0; out 0xF4, al; hlt */
    static final byte[] EXIT_AT_ONCE = {(byte) 0xB0, 0x00, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4};

    /** Writes one dword in every 4 KiB page from 2 MiB to 256 MiB, then exits through port 0xF4. */
    static final byte[] TOUCH_256M = {
        (byte) 0xBF, 0x00, 0x00, 0x20, 0x00,                     // mov edi, 0x200000
        (byte) 0x89, 0x07,                                       // l: mov [edi], eax
        (byte) 0x81, (byte) 0xC7, 0x00, 0x10, 0x00, 0x00,        // add edi, 0x1000
        (byte) 0x81, (byte) 0xFF, 0x00, 0x00, 0x00, 0x10,        // cmp edi, 0x10000000
        0x72, (byte) 0xF0,                                       // jb l
        (byte) 0xB0, 0x00, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4 // mov al, 0; out 0xF4, al; hlt
    };

    private Path kernel(String name, byte[] code) throws IOException {
        return FlatKernels.write(dir.resolve(name), code);
    }

    private ForkedKasou.Outcome kasou(String... args) throws Exception {
        return ForkedKasou.run(dir, List.of("-Xmx64m"), 100, args);
    }

    @Test
    void aGuestWithMoreRamThanTheHeapRunsWhenItUsesLittle() throws Exception {
        ForkedKasou.Outcome o = kasou("boot", "--memory", "2047M", "--kernel", kernel("exit.bin", EXIT_AT_ONCE).toString());
        assertEquals(1, o.status(), o.err());
        assertEquals("", o.err());
    }

    @Test
    void aGuestThatTouchesMoreThanTheHeapStopsWithAClearMessage() throws Exception {
        ForkedKasou.Outcome o = kasou("boot", "--memory", "1G", "--kernel", kernel("touch.bin", TOUCH_256M).toString());
        assertEquals(ExitCodes.OUT_OF_MEMORY, o.status(), o.err());
        String e = o.err();
        assertTrue(e.startsWith("kasou: out of memory: the guest has touched ") && e.contains("-Xmx"), e);
        assertEquals(e.length() - 1, e.indexOf('\n'), "one line: " + e);
        assertFalse(e.contains("\tat ") || e.contains("OutOfMemoryError"), e);
    }
}
