package org.kasou.pc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds small kernel images for loader tests. */
final class TestImages {
    private TestImages() {
    }

    /** A multiboot header with the given flags and a correct checksum, followed by address fields. */
    static void putHeader(ByteBuffer b, int at, int flags, int headerAddr, int loadAddr, int loadEnd, int bssEnd, int entry) {
        b.putInt(at, MultibootHeader.MAGIC);
        b.putInt(at + 4, flags);
        b.putInt(at + 8, -(MultibootHeader.MAGIC + flags));
        b.putInt(at + 12, headerAddr);
        b.putInt(at + 16, loadAddr);
        b.putInt(at + 20, loadEnd);
        b.putInt(at + 24, bssEnd);
        b.putInt(at + 28, entry);
    }

    static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Fills {@code b} with a recognisable pattern that has no multiboot magic in it. */
    static void pattern(ByteBuffer b) {
        for (int i = 0; i < b.capacity(); i++) {
            b.put(i, (byte) (i * 7 + 3));
        }
    }

    /** One program header of an ELF32 image. */
    record Segment(int type, int offset, int vaddr, int paddr, int filesz, int memsz) {
    }

    /**
     * An ELF32 i386 executable of {@code size} bytes: header, program headers at 52, a multiboot
     * header (no address fields) at 0x100, patterned contents elsewhere.
     */
    static byte[] elf(int size, int entry, Segment... segments) {
        ByteBuffer b = le(size);
        pattern(b);
        byte[] ident = {0x7F, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        b.put(0, ident);
        b.putShort(16, (short) 2);   // ET_EXEC
        b.putShort(18, (short) 3);   // EM_386
        b.putInt(20, 1);
        b.putInt(24, entry);
        b.putInt(28, 52);            // e_phoff
        b.putInt(32, 0);
        b.putInt(36, 0);
        b.putShort(40, (short) 52);
        b.putShort(42, (short) 32);
        b.putShort(44, (short) segments.length);
        b.putShort(46, (short) 40);
        b.putShort(48, (short) 0);
        b.putShort(50, (short) 0);
        for (int i = 0; i < segments.length; i++) {
            Segment s = segments[i];
            int p = 52 + 32 * i;
            b.putInt(p, s.type());
            b.putInt(p + 4, s.offset());
            b.putInt(p + 8, s.vaddr());
            b.putInt(p + 12, s.paddr());
            b.putInt(p + 16, s.filesz());
            b.putInt(p + 20, s.memsz());
            b.putInt(p + 24, 5);
            b.putInt(p + 28, 0x1000);
        }
        b.putInt(0x100, MultibootHeader.MAGIC);
        b.putInt(0x104, 0);
        b.putInt(0x108, -MultibootHeader.MAGIC);
        return b.array();
    }
}
