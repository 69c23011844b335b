package org.kasou.pc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped guest binaries are exactly what their sources assemble to (src/test/guest/build.sh
 * rebuilds them all).
 */
class GuestBinariesTest {
    private static final String REBUILD = " is stale: run devices/src/test/guest/build.sh";

    @Test
    void shippedDemoMatchesItsSource(@TempDir Path dir) throws Exception {
        assumeTrue(GuestTools.available("nasm"), "nasm is not installed");
        byte[] assembled = GuestTools.nasm(Path.of("src/main/guest/demo.asm"), dir);
        assertArrayEquals(assembled, DemoGuest.image(), "demo.bin" + REBUILD);
    }

    @Test
    void shippedFlatTestGuestsMatchTheirSources(@TempDir Path dir) throws Exception {
        assumeTrue(GuestTools.available("nasm"), "nasm is not installed");
        for (String g : new String[] {"strings", "triple", "mbinfo", "realmode", "selfmod", "ring3", "serial", "sysregs", "gates", "tasks", "tasks16", "iomap", "v86", "protect"}) {
            byte[] assembled = GuestTools.nasm(Path.of("src/test/guest/" + g + ".asm"), dir);
            assertArrayEquals(assembled, TestGuests.image(g + ".bin"), g + ".bin" + REBUILD);
        }
    }

    @Test
    void shippedElfTestGuestMatchesItsSource(@TempDir Path dir) throws Exception {
        assumeTrue(GuestTools.available("nasm") && GuestTools.available("ld"), "nasm or ld is not installed");
        Path obj = dir.resolve("exceptions.o"), elf = dir.resolve("exceptions.elf");
        GuestTools.Result nasm = GuestTools.run(List.of("nasm", "-f", "elf32", "-i", Path.of("src/test/guest").toAbsolutePath() + "/",
                "-o", obj.toString(), Path.of("src/test/guest/exceptions.asm").toAbsolutePath().toString()), dir, 60);
        assumeTrue(nasm.exitStatus() == 0, nasm.stderr());
        GuestTools.Result ld = GuestTools.run(List.of("ld", "-m", "elf_i386", "-n", "-s", "-Ttext=0x100000", "-e", "entry",
                "--build-id=none", "--no-warn-rwx-segments", "-o", elf.toString(), obj.toString()), dir, 60);
        assumeTrue(ld.exitStatus() == 0, "this ld cannot build the guest: " + ld.stderr());
        assertArrayEquals(Files.readAllBytes(elf), TestGuests.image("exceptions.elf"), "exceptions.elf" + REBUILD);
    }
}
