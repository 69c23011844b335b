package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files that are not runnable i386 executables are refused with a message, never a stack trace. */
class ElfImageTest {
    @TempDir
    Path dir;

    /** A minimal ELF header with one PT_LOAD program header. */
    private static byte[] elf(int elfClass, int machine, int type) {
        ByteBuffer b = ByteBuffer.allocate(52 + 32 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', (byte) elfClass, 1, 1});
        b.putShort(16, (short) type).putShort(18, (short) machine).putInt(20, 1).putInt(24, 0x08048054)
                .putInt(28, 52).putShort(40, (short) 52).putShort(42, (short) 32).putShort(44, (short) 1);
        b.putInt(52, 1).putInt(56, 0).putInt(60, 0x08048000).putInt(68, 100).putInt(72, 100).putInt(76, 5);
        return b.array();
    }

    private String refusal(byte[] data) throws Exception {
        Path p = dir.resolve("prog");
        Files.write(p, data);
        LinuxProcess.StartException e = assertThrows(LinuxProcess.StartException.class,
                () -> new LinuxProcess(new LinuxProcess.Options(p, List.of("prog"), List.of(), null, null, null, -1)));
        return e.getMessage();
    }

    @Test
    void refusesWhatIsNotAnI386Executable() throws Exception {
        assertTrue(refusal("#!/bin/sh\necho hi\n".getBytes()).endsWith("not an ELF file"));
        assertTrue(refusal(elf(2, 62, 2)).contains("not a 32-bit ELF file"));
        assertTrue(refusal(elf(1, 62, 2)).contains("not an i386 executable (ELF machine 62)"));
        assertTrue(refusal(elf(1, 3, 1)).contains("not an executable (ELF type 1)"));
        byte[] truncated = elf(1, 3, 2);
        ByteBuffer.wrap(truncated).order(ByteOrder.LITTLE_ENDIAN).putInt(52 + 16, 1 << 20);
        assertTrue(refusal(truncated).contains("segment 0 lies outside the file"));
        byte[] high = elf(1, 3, 2);
        ByteBuffer.wrap(high).order(ByteOrder.LITTLE_ENDIAN).putInt(60, 0xFFC00000);
        assertTrue(refusal(high).contains("overlap each other, the stack or the top 4 MiB"));
        byte[] huge = elf(1, 3, 2);
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putInt(72, 0xF0000000);
        assertTrue(refusal(huge).contains("overlap"), refusal(huge));
    }

    @Test
    void parsesTheHeaderOfAValidImage() {
        ElfImage e = new ElfImage(elf(1, 3, 2));
        assertEquals(ElfImage.ET_EXEC, e.type);
        assertEquals(0x08048054, e.entry);
        assertEquals(1, e.phnum());
        assertEquals(null, e.interpreter);
    }

    @Test
    void theHostProbesTinyProgramRunsAndExits() throws Exception {
        // The program HostExecution runs to learn how this host runs 32-bit code: mov eax, 1; mov ebx, 42; int 0x80.
        Path p = dir.resolve("tiny");
        Files.write(p, HostExecution.exitProgram());
        for (int threshold : new int[] {-1, 0}) {
            LinuxProcess proc = new LinuxProcess(new LinuxProcess.Options(p, List.of("tiny"), List.of(), null, null, null, threshold));
            LinuxProcess.Result r = proc.run();
            assertEquals(42, r.status());
            assertEquals(0, r.signal());
            assertEquals(3, r.instructions());
        }
    }
}
