package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dynamically linked gcc -m32 programs: natively they use the host's i386 glibc; under kasou the
 * dynamic loader and libraries come from Debian's libc6:i386 in the sysroot (-L). Both must agree.
 */
class DynamicProgramsTest {
    private static final List<String> ENV = GuestPrograms.env("PATH=/usr/bin:/bin", "KASOU_TEST=dynamic", "LANG=C");

    @TempDir(factory = GuestTempDirs.class)
    Path dir;

    private GuestPrograms.Outcome agree(String name, String... args) throws Exception {
        Path exe = GuestPrograms.compiled(name, false);
        return GuestPrograms.agree(new GuestPrograms.Run(exe, List.of(args), ENV, new byte[0], dir, GuestPrograms.sysroot()));
    }

    @Test
    void hello() throws Exception {
        assertEquals(7, agree("hello").status());
    }

    @Test
    void argumentsAndEnvironment() throws Exception {
        assertTrue(agree("argsenv", "x").stdout().contains("KASOU_TEST=dynamic"));
    }

    @Test
    void files() throws Exception {
        assertTrue(agree("fileio").stdout().contains("rmdir: 0"));
    }

    @Test
    void floatingPoint() throws Exception {
        assertTrue(agree("float").stdout().contains("sqrt2="));
    }

    @Test
    void malloc() throws Exception {
        assertTrue(agree("malloc").stdout().contains("checksum:"));
    }

    @Test
    void aMissingDynamicLoaderIsReportedInWords() throws Exception {
        byte[] image = java.nio.file.Files.readAllBytes(GuestPrograms.compiled("hello", false));
        String text = new String(image, java.nio.charset.StandardCharsets.ISO_8859_1);
        int at = text.indexOf("/lib/ld-linux.so.2");
        assertTrue(at > 0, "the program names its loader");
        byte[] other = "/xyz".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        System.arraycopy(other, 0, image, at, other.length);
        Path exe = dir.resolve("elsewhere");
        java.nio.file.Files.write(exe, image);
        LinuxProcess.StartException e = org.junit.jupiter.api.Assertions.assertThrows(LinuxProcess.StartException.class,
                () -> new LinuxProcess(new LinuxProcess.Options(exe, List.of("x"), ENV, null, null, null, -1)));
        assertTrue(e.getMessage().contains("its dynamic loader /xyz/ld-linux.so.2 cannot be read"), e.getMessage());
    }
}
