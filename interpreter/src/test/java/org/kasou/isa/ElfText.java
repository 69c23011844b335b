package org.kasou.isa;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Code to compare: the .text section of a 32-bit little-endian ELF file, or a raw image, and its address. */
final class ElfText {
    final byte[] bytes;
    final long address;

    private ElfText(byte[] bytes, long address) {
        this.bytes = bytes;
        this.address = address;
    }

    /** A raw code image loaded at {@code address}. */
    static ElfText raw(byte[] bytes, long address) {
        return new ElfText(bytes, address);
    }

    /** Finds .text through the section headers (ELF32 layout, System V gABI). */
    static ElfText of(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != 0x464C457F || elf[4] != 1 || elf[5] != 1) {
            throw new IllegalArgumentException("not a 32-bit little-endian ELF file");
        }
        int shoff = b.getInt(0x20);
        int shentsize = b.getShort(0x2E) & 0xFFFF;
        int shnum = b.getShort(0x30) & 0xFFFF;
        int shstrndx = b.getShort(0x32) & 0xFFFF;
        int strOff = b.getInt(shoff + shstrndx * shentsize + 0x10);
        for (int i = 0; i < shnum; i++) {
            int sh = shoff + i * shentsize;
            int nameOff = strOff + b.getInt(sh);
            int end = nameOff;
            while (elf[end] != 0) end++;
            String name = new String(elf, nameOff, end - nameOff, StandardCharsets.US_ASCII);
            if (name.equals(".text")) {
                long addr = b.getInt(sh + 0x0C) & 0xFFFFFFFFL;
                int off = b.getInt(sh + 0x10);
                int size = b.getInt(sh + 0x14);
                byte[] text = new byte[size];
                System.arraycopy(elf, off, text, 0, size);
                return new ElfText(text, addr);
            }
        }
        throw new IllegalArgumentException("no .text section");
    }
}
