package org.kasou.pc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped guest binaries are exactly what their sources assemble to. */
class GuestBinariesTest {
    @Test
    void shippedDemoMatchesItsSource(@TempDir Path dir) throws Exception {
        assumeTrue(GuestTools.available("nasm"), "nasm is not installed");
        byte[] assembled = GuestTools.nasm(Path.of("src/main/guest/demo.asm"), dir);
        assertArrayEquals(assembled, DemoGuest.image(),
                "demo.bin is stale: nasm -f bin -o src/main/resources/org/kasou/pc/guest/demo.bin src/main/guest/demo.asm");
    }
}
