package org.kasou.pc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;
import org.kasou.mem.PhysicalMemory;

class MultibootLoaderTest {
    private static final int MIB = 1 << 20;

    private final Machine machine = new Machine(16 * MIB, new ByteArrayOutputStream());
    private final PhysicalMemory mem = machine.physical;
    private final CpuState s = machine.cpu.state;

    MultibootLoaderTest() {
        byte[] aa = new byte[mem.ramSize()];
        Arrays.fill(aa, (byte) 0xAA); // so that zeroing is visible
        mem.load(0, aa, 0, aa.length);
    }

    private byte[] ram(int at, int len) {
        return mem.copyOut(at, len);
    }

    private KernelLoadException failure(byte[] image) {
        return assertThrows(KernelLoadException.class, () -> MultibootLoader.load(machine, image, "k.bin", null));
    }

    // --- flat images with the address fields -----------------------------------------------

    /** 0x3000 bytes loaded at 1 MiB, header at file offset 0x40, bss up to 1 MiB + 0x5000. */
    private static ByteBuffer flat(int flagsExtra) {
        ByteBuffer b = TestImages.le(0x3000);
        TestImages.pattern(b);
        TestImages.putHeader(b, 0x40, MultibootHeader.FLAG_ADDRESS_FIELDS | flagsExtra,
                MIB + 0x40, MIB, MIB + 0x3000, MIB + 0x5000, MIB + 0x80);
        return b;
    }

    @Test
    void flatImageIsPlacedByItsAddressFields() throws Exception {
        byte[] image = flat(0).array();
        LoadedKernel k = MultibootLoader.load(machine, image, "k.bin", null);
        assertArrayEquals(image, ram(MIB, 0x3000));
        assertArrayEquals(new byte[0x2000], ram(MIB + 0x3000, 0x2000), "bss is zeroed");
        assertEquals((byte) 0xAA, (byte) mem.read8(MIB - 1), "nothing below load_addr is touched");
        assertTrue(k.infoAddress() >= k.end(), "the information follows the kernel");
        assertEquals(MIB + 0x80, k.entry());
        assertEquals(MIB, k.start());
        assertEquals(MIB + 0x5000, k.end());
        assertEquals(MIB + 0x80, s.eip);
    }

    @Test
    void loadAddressBelowTheHeaderSkipsTheFileBytesBeforeIt() throws Exception {
        // The header at file offset 0x1000 says it is loaded at 0x200010, and loading starts at
        // 0x200000: so the file is read from offset 0xFF0, and its first 0xFF0 bytes are not loaded.
        ByteBuffer b = TestImages.le(0x2000);
        TestImages.pattern(b);
        TestImages.putHeader(b, 0x1000, MultibootHeader.FLAG_ADDRESS_FIELDS, 0x200010, 0x200000, 0, 0, 0x200020);
        MultibootLoader.load(machine, b.array(), "k.bin", null);
        assertArrayEquals(Arrays.copyOfRange(b.array(), 0xFF0, 0x2000), ram(0x200000, 0x1010),
                "load_end_addr 0 means the rest of the file");
        assertEquals((byte) 0xAA, (byte) mem.read8(0x1FFFFF));
    }

    @Test
    void theKernelFindsTheX87AsFirmwareLeavesIt() throws Exception {
        s.fpu.reset(); // RESET's state: single precision, every exception unmasked
        MultibootLoader.load(machine, flat(MultibootHeader.FLAG_MEMORY_INFO).array(), "k.bin", null);
        assertEquals(0x37F, s.fpu.control, "FNINIT's control word: 64-bit precision, exceptions masked");
        assertEquals(0xFFFF, s.fpu.tags, "every register empty");
        assertEquals(0, s.fpu.statusWord());
    }

    @Test
    void cpuStateIsTheMultibootHandOff() throws Exception {
        LoadedKernel k = MultibootLoader.load(machine, flat(MultibootHeader.FLAG_MEMORY_INFO).array(), "k.bin", null);
        assertEquals(0x2BADB002, s.gpr[CpuState.EAX]);
        assertEquals(k.infoAddress(), s.gpr[CpuState.EBX]);
        assertTrue(s.protectedMode());
        assertFalse(s.paging());
        assertEquals(0, s.eflags() & (Flags.IF | Flags.DF | Flags.VM));
        assertEquals(0, s.cpl);
        Segment cs = s.seg[Segment.CS];
        assertEquals(0, cs.base);
        assertEquals(0xFFFFFFFF, cs.limit);
        assertTrue(cs.big(), "32-bit code");
        assertEquals(0xB, cs.type() & 0xB, "execute/read code");
        assertTrue(cs.present());
        for (int r : new int[] {Segment.DS, Segment.ES, Segment.FS, Segment.GS, Segment.SS}) {
            Segment d = s.seg[r];
            assertEquals(0, d.base);
            assertEquals(0xFFFFFFFF, d.limit);
            assertEquals(0x2, d.type() & 0xA, "read/write data");
            assertTrue(d.big() && d.present() && d.valid);
        }
        // The GDT left behind describes the same segments, so reloading a selector changes nothing.
        assertEquals(23, s.gdtrLimit);
        assertEquals(0x0000FFFF, mem.read32(s.gdtrBase + s.seg[Segment.CS].selector));
        assertEquals(0x00CF9B00, mem.read32(s.gdtrBase + s.seg[Segment.CS].selector + 4));
        assertEquals(0x00CF9300, mem.read32(s.gdtrBase + s.seg[Segment.DS].selector + 4));
        assertTrue(machine.a20());
    }

    @Test
    void informationStructureHasMemorySizesAndAMap() throws Exception {
        MultibootLoader.load(machine, flat(0).array(), "k.bin", null);
        int mbi = s.gpr[CpuState.EBX];
        assertTrue(mbi >= MIB + 0x5000, "the information follows the kernel");
        int flags = mem.read32(mbi);
        assertEquals(1, flags & 1, "mem_lower/mem_upper valid");
        assertEquals(1 << 6, flags & (1 << 6), "mmap valid");
        assertEquals(1 << 2, flags & (1 << 2), "a command line, always");
        assertEquals("k.bin ", cString(mem.read32(mbi + 16)), "the image's name, as QEMU passes it");
        assertEquals(639, mem.read32(mbi + 4));
        assertEquals(15 * 1024, mem.read32(mbi + 8));
        int length = mem.read32(mbi + 44), map = mem.read32(mbi + 48);
        assertEquals(3 * 24, length);
        long[][] expected = {{0, 0x9FC00, 1}, {0x9FC00, 0x60400, 2}, {0x100000, 15L * MIB, 1}};
        for (int i = 0; i < 3; i++) {
            int e = map + 24 * i;
            assertEquals(20, mem.read32(e), "size of the rest of the entry");
            long base = Integer.toUnsignedLong(mem.read32(e + 4)) | (long) mem.read32(e + 8) << 32;
            long len = Integer.toUnsignedLong(mem.read32(e + 12)) | (long) mem.read32(e + 16) << 32;
            assertEquals(expected[i][0], base, "entry " + i + " base");
            assertEquals(expected[i][1], len, "entry " + i + " length");
            assertEquals(expected[i][2], mem.read32(e + 20), "entry " + i + " type");
        }
        assertEquals("kasou", cString(mem.read32(mbi + 64)));
    }

    @Test
    void commandLineIsTheNameThenTheArguments() throws Exception {
        MultibootLoader.load(machine, flat(0).array(), "k.bin", "console=e9 quiet");
        int mbi = s.gpr[CpuState.EBX];
        assertEquals(1 << 2, mem.read32(mbi) & (1 << 2));
        assertEquals("k.bin console=e9 quiet", cString(mem.read32(mbi + 16)));
    }

    private String cString(int at) {
        StringBuilder sb = new StringBuilder();
        for (int c; (c = mem.read8(at)) != 0; at++) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    @Test
    void shippedDemoGuestLoadsAtOneMebibyte() throws Exception {
        byte[] demo = DemoGuest.image();
        MultibootHeader h = MultibootHeader.find(demo, "demo");
        assertTrue(h.hasAddressFields());
        assertEquals(MIB, h.loadAddr());
        LoadedKernel k = MultibootLoader.load(machine, demo, "demo", null);
        assertArrayEquals(demo, ram(MIB, demo.length));
        assertEquals(h.entryAddr(), k.entry());
        assertEquals(Integer.toUnsignedLong(h.bssEndAddr()), k.end());
    }

    // --- ELF -----------------------------------------------------------------------------

    @Test
    void elfSegmentsGoToTheirPhysicalAddresses() throws Exception {
        byte[] image = TestImages.elf(0x3000, 0x200010,
                new TestImages.Segment(1, 0x1000, 0xC0200000, 0x200000, 0x1000, 0x1000),
                new TestImages.Segment(4, 0x0, 0, 0, 0x100, 0x100), // PT_NOTE: not loaded
                new TestImages.Segment(1, 0x2000, 0xC0300000, 0x300000, 0x800, 0x3000));
        LoadedKernel k = MultibootLoader.load(machine, image, "k.elf", null);
        assertArrayEquals(Arrays.copyOfRange(image, 0x1000, 0x2000), ram(0x200000, 0x1000));
        assertArrayEquals(Arrays.copyOfRange(image, 0x2000, 0x2800), ram(0x300000, 0x800));
        assertArrayEquals(new byte[0x2800], ram(0x300800, 0x2800), "bss of the second segment");
        assertEquals((byte) 0xAA, (byte) mem.read8(0), "the PT_NOTE segment is not loaded");
        assertEquals(0x200010, k.entry());
        assertEquals(0x200010, s.eip);
        assertEquals(0x200000, k.start());
        assertEquals(0x303000, k.end());
    }

    @Test
    void higherHalfElfEntryIsTranslatedToItsPhysicalAddress() throws Exception {
        // Linked at 0xC0100000, loaded at 1 MiB: the CPU starts with paging off, so it must jump
        // to 0x10000C, not to e_entry 0xC010000C (qemu-system-i386 -kernel does the same).
        byte[] image = TestImages.elf(0x2000, 0xC010000C,
                new TestImages.Segment(1, 0x1000, 0xC0100000, 0x100000, 0x800, 0x1000));
        LoadedKernel k = MultibootLoader.load(machine, image, "hh.elf", null);
        assertEquals(0x10000C, k.entry());
        assertEquals(0x10000C, s.eip);
    }

    @Test
    void elfErrorsAreSpecific() {
        TestImages.Segment text = new TestImages.Segment(1, 0x1000, 0x200000, 0x200000, 0x1000, 0x1000);
        byte[] elf64 = TestImages.elf(0x2000, 0x200000, text);
        elf64[4] = 2;
        assertTrue(failure(elf64).getMessage().contains("64-bit ELF"));

        byte[] truncated = Arrays.copyOf(TestImages.elf(0x2000, 0x200000, text), 0x1800);
        assertTrue(failure(truncated).getMessage().contains("truncated ELF"), failure(truncated).getMessage());

        byte[] tooHigh = TestImages.elf(0x2000, 0x200000,
                new TestImages.Segment(1, 0x1000, 0xFF0000, 0xFF0000, 0x1000, 0x20000));
        assertTrue(failure(tooHigh).getMessage().contains("does not fit in RAM (16 MiB)"), failure(tooHigh).getMessage());

        byte[] noLoad = TestImages.elf(0x2000, 0x200000, new TestImages.Segment(4, 0, 0, 0, 0x10, 0x10));
        assertTrue(failure(noLoad).getMessage().contains("no loadable segment"));

        byte[] arm = TestImages.elf(0x2000, 0x200000, text);
        arm[18] = 40;
        assertTrue(failure(arm).getMessage().contains("not i386"));

        byte[] shortPhdrs = TestImages.elf(0x2000, 0x200000, text);
        ByteBuffer.wrap(shortPhdrs).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(28, 0x1FF0); // e_phoff
        assertTrue(failure(shortPhdrs).getMessage().contains("program headers run past the end"));
    }

    // --- headers and bad input -------------------------------------------------------------

    @Test
    void headerMustBeInTheFirst8KibAndAligned() throws Exception {
        ByteBuffer b = TestImages.le(0x3000);
        TestImages.pattern(b);
        TestImages.putHeader(b, 0x2000, MultibootHeader.FLAG_ADDRESS_FIELDS, MIB, MIB, 0, 0, MIB);
        assertTrue(failure(b.array()).getMessage().contains("no multiboot header in the first 8 KiB"));

        ByteBuffer unaligned = TestImages.le(0x1000);
        TestImages.pattern(unaligned);
        TestImages.putHeader(unaligned, 0x42, MultibootHeader.FLAG_ADDRESS_FIELDS, MIB, MIB, 0, 0, MIB);
        assertTrue(failure(unaligned.array()).getMessage().contains("not a multiboot kernel"));

        ByteBuffer last = TestImages.le(0x2100);
        TestImages.pattern(last);
        TestImages.putHeader(last, 0x2000 - 32, MultibootHeader.FLAG_ADDRESS_FIELDS, MIB, MIB, 0, 0, MIB + 4);
        assertEquals(0x2000 - 32, MultibootHeader.find(last.array(), "k").offset());
    }

    @Test
    void badChecksumIsReportedAsSuch() {
        ByteBuffer b = flat(0);
        b.putInt(0x48, b.getInt(0x48) + 1);
        assertEquals("k.bin: the multiboot header at offset 0x40 has a bad checksum", failure(b.array()).getMessage());
    }

    @Test
    void unknownRequiredFlagIsRefused() {
        assertTrue(failure(flat(1 << 5).array()).getMessage().contains("requires features kasou does not know"));
    }

    @Test
    void flatImageErrors() {
        ByteBuffer cut = flat(0);
        cut.putInt(0x40 + 20, MIB + 0x4000); // load_end past the end of the 0x3000-byte file
        cut.putInt(0x40 + 24, MIB + 0x5000);
        assertTrue(failure(cut.array()).getMessage().contains("truncated"), failure(cut.array()).getMessage());

        ByteBuffer big = flat(0);
        big.putInt(0x40 + 24, 17 * MIB); // bss past the end of the 16 MiB of RAM
        assertTrue(failure(big.array()).getMessage().contains("does not fit in RAM"));

        ByteBuffer inconsistent = flat(0);
        inconsistent.putInt(0x40 + 16, MIB + 0x1000); // load_addr above header_addr
        assertTrue(failure(inconsistent.array()).getMessage().contains("inconsistent"));

        ByteBuffer noFields = TestImages.le(0x100);
        TestImages.pattern(noFields);
        TestImages.putHeader(noFields, 0, 0, 0, 0, 0, 0, 0);
        assertTrue(failure(noFields.array()).getMessage().contains("not an ELF file"));

        assertTrue(failure(new byte[0]).getMessage().contains("not a multiboot kernel"));

        ByteBuffer bzImage = TestImages.le(0x1000);
        bzImage.put(0x202, "HdrS".getBytes(StandardCharsets.US_ASCII));
        assertTrue(failure(bzImage.array()).getMessage().contains("a Linux kernel (bzImage)"));
    }

    @Test
    void fileErrorsAreOneLine(@TempDir Path dir) throws Exception {
        KernelLoadException missing = assertThrows(KernelLoadException.class,
                () -> MultibootLoader.load(machine, dir.resolve("nope.elf"), null));
        assertEquals(dir.resolve("nope.elf") + ": no such file", missing.getMessage());
        KernelLoadException directory = assertThrows(KernelLoadException.class,
                () -> MultibootLoader.load(machine, dir, null));
        assertTrue(directory.getMessage().endsWith("is a directory, not a kernel file"));

        if (Files.exists(Path.of("/dev/zero"))) {
            KernelLoadException device = assertThrows(KernelLoadException.class,
                    () -> MultibootLoader.load(machine, Path.of("/dev/zero"), null));
            assertEquals("/dev/zero: not a regular file", device.getMessage());
        }

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "hello\n".repeat(100), StandardCharsets.US_ASCII);
        KernelLoadException notKernel = assertThrows(KernelLoadException.class,
                () -> MultibootLoader.load(machine, text, null));
        assertEquals(text + ": not a multiboot kernel (no multiboot header in the first 8 KiB)", notKernel.getMessage());
        for (KernelLoadException e : new KernelLoadException[] {missing, directory, notKernel}) {
            assertFalse(e.getMessage().contains("\n"));
        }
    }
}
