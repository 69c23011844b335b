package org.kasou.pc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;

/** The x86 Linux boot protocol as the loader follows it, on a made-up bzImage. */
class LinuxLoaderTest {
    private final Machine machine = new Machine(64 << 20, new ByteArrayOutputStream());

    /** A bzImage of protocol {@code version}: 4 setup sectors and a body of {@code body} bytes counting up. */
    static byte[] bzImage(int version, int body, long initSize) {
        byte[] b = new byte[5 * 512 + body];
        b[0x1F1] = 4;
        b[0x201] = 0x66; // the setup header ends at 0x202 + 0x66 = 0x268
        put32(b, 0x202, 0x53726448);
        put16(b, 0x206, version);
        b[0x211] = 1; // LOADED_HIGH
        put32(b, 0x214, 0x100000);
        put32(b, 0x22C, 0x37FFFFFF);
        put32(b, 0x238, 255);
        put32(b, 0x260, (int) initSize);
        put32(b, 0x1F4, (body + 15) / 16); // syssize: the protected-mode kernel in 16-byte paragraphs
        for (int i = 0; i < body; i++) b[5 * 512 + i] = (byte) i;
        return b;
    }

    static void put16(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] b, int at, int v) {
        put16(b, at, v);
        put16(b, at + 2, v >>> 16);
    }

    private LoadedKernel load(byte[] image, byte[] initrd, String cmdline) throws KernelLoadException {
        return LinuxLoader.load(machine.physical, machine.cpu.state, image, "bz", initrd, "rd", cmdline);
    }

    @Test
    void placesKernelZeroPageCommandLineAndInitrdAndStartsAtThe32BitEntry() throws Exception {
        byte[] rd = new byte[10_000];
        rd[0] = 0x1F;
        load(bzImage(0x020F, 4096, 8 << 20), rd, "console=ttyS0");
        var mem = machine.physical;
        assertEquals(0x03020100, mem.read32(0x100000), "the protected-mode kernel at 1 MiB");
        int zp = LinuxLoader.ZERO_PAGE;
        assertEquals(0x53726448, mem.read32(zp + 0x202), "the setup header copied");
        assertEquals(0xFF, mem.read8(zp + 0x210), "type_of_loader");
        int cmd = mem.read32(zp + 0x228);
        assertEquals("console=ttyS0", new String(mem.copyOut(cmd, 13), StandardCharsets.US_ASCII));
        assertEquals(0, mem.read8(cmd + 13));
        int rdAt = mem.read32(zp + 0x218);
        assertEquals(10_000, mem.read32(zp + 0x21C));
        assertEquals(0, rdAt & 0xFFF, "page-aligned");
        assertTrue(rdAt + 10_000 <= 64 << 20 && rdAt >= (64 << 20) - 16384, "at the top of RAM");
        assertEquals(0x1F, mem.read8(rdAt));
        assertEquals(4, mem.read8(zp + 0x1E8), "four e820 entries");
        assertEquals(0x100000, mem.read32(zp + 0x2D0 + 60), "the last one starts at 1 MiB");
        assertEquals((64 << 20) - 0x100000, mem.read32(zp + 0x2D0 + 68));
        assertEquals(1, mem.read32(zp + 0x2D0 + 76), "RAM");
        CpuState s = machine.cpu.state;
        assertEquals(0x100000, s.eip);
        assertEquals(zp, s.gpr[CpuState.ESI]);
        assertEquals(0x10, s.seg[Segment.CS].selector);
        assertEquals(0x18, s.seg[Segment.DS].selector);
        assertTrue(s.protectedMode());
        assertEquals(0, s.eflags() & org.kasou.cpu.Flags.IF);
        long gdt = ((long) mem.read32(s.gdtrBase + 0x14) << 32) | (mem.read32(s.gdtrBase + 0x10) & 0xFFFFFFFFL);
        assertEquals(0x00CF9B000000FFFFL, gdt, "__BOOT_CS: flat 32-bit code");
    }

    @Test
    void badImagesAndTooLittleRoomAreOneLineErrors() {
        byte[] ok = bzImage(0x020F, 4096, 8 << 20);
        assertTrue(assertThrows(KernelLoadException.class, () -> load(new byte[4096], null, null))
                .getMessage().contains("not a Linux bzImage"));
        assertTrue(assertThrows(KernelLoadException.class, () -> load(java.util.Arrays.copyOf(ok, 5 * 512), null, null))
                .getMessage().contains("truncated"));
        // Cut inside the protected-mode kernel: shorter than its syssize says.
        assertEquals("bz: truncated (1,000 bytes of the protected-mode kernel's 4,096)",
                assertThrows(KernelLoadException.class, () -> load(java.util.Arrays.copyOf(ok, 5 * 512 + 1000), null, null)).getMessage());
        assertTrue(assertThrows(KernelLoadException.class, () -> load(bzImage(0x0204, 4096, 0), null, null))
                .getMessage().contains("too old"));
        assertTrue(assertThrows(KernelLoadException.class, () -> load(bzImage(0x020F, 4096, 100 << 20), null, null))
                .getMessage().contains("needs 101 MiB of RAM"));
        assertTrue(assertThrows(KernelLoadException.class, () -> load(ok, new byte[60 << 20], null))
                .getMessage().contains("does not fit in RAM"));
        assertTrue(assertThrows(KernelLoadException.class, () -> load(ok, null, "x".repeat(300)))
                .getMessage().contains("command line is longer"));
    }
}
