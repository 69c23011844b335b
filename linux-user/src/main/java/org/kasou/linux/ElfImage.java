package org.kasou.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A 32-bit little-endian x86 ELF executable as the loader needs it: type, entry point, program
 * headers and the interpreter it asks for (System V ABI, i386 supplement).
 */
final class ElfImage {
    static final int ET_EXEC = 2, ET_DYN = 3;
    static final int PT_LOAD = 1, PT_INTERP = 3, PT_PHDR = 6;
    static final int PF_X = 1, PF_W = 2, PF_R = 4;

    /** One program header. */
    record Segment(int type, int offset, int vaddr, int filesz, int memsz, int flags) {
    }

    final byte[] data;
    final int type;
    final int entry;
    final int phoff;
    final int phentsize;
    final List<Segment> segments = new ArrayList<>();
    /** The PT_INTERP path, or null for a static executable. */
    final String interpreter;

    /** Parses an image; {@link ElfFormatException} says in words what is wrong with it. */
    ElfImage(byte[] data) {
        this.data = data;
        if (data.length < 52 || data[0] != 0x7F || data[1] != 'E' || data[2] != 'L' || data[3] != 'F') {
            throw new ElfFormatException("not an ELF file");
        }
        if (data[4] != 1) throw new ElfFormatException("not a 32-bit ELF file (ELF class " + data[4] + ")");
        if (data[5] != 1) throw new ElfFormatException("not a little-endian ELF file");
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        type = b.getShort(16) & 0xFFFF;
        int machine = b.getShort(18) & 0xFFFF;
        if (machine != 3) throw new ElfFormatException("not an i386 executable (ELF machine " + machine + ")");
        if (type != ET_EXEC && type != ET_DYN) throw new ElfFormatException("not an executable (ELF type " + type + ")");
        entry = b.getInt(24);
        phoff = b.getInt(28);
        phentsize = b.getShort(42) & 0xFFFF;
        int phnum = b.getShort(44) & 0xFFFF;
        if (phentsize < 32 || phoff < 0 || (long) phoff + (long) phnum * phentsize > data.length) {
            throw new ElfFormatException("program headers lie outside the file");
        }
        String interp = null;
        for (int i = 0; i < phnum; i++) {
            int at = phoff + i * phentsize;
            Segment s = new Segment(b.getInt(at), b.getInt(at + 4), b.getInt(at + 8), b.getInt(at + 16), b.getInt(at + 20), b.getInt(at + 24));
            if (s.type == PT_LOAD || s.type == PT_INTERP) {
                if (s.offset < 0 || s.filesz < 0 || (long) s.offset + s.filesz > data.length
                        || Integer.compareUnsigned(s.filesz, s.memsz) > 0) {
                    throw new ElfFormatException("segment " + i + " lies outside the file");
                }
            }
            if (s.type == PT_INTERP) {
                int len = s.filesz;
                while (len > 0 && data[s.offset + len - 1] == 0) len--;
                interp = new String(data, s.offset, len, StandardCharsets.UTF_8);
            }
            segments.add(s);
        }
        interpreter = interp;
        if (segments.stream().noneMatch(s -> s.type == PT_LOAD)) throw new ElfFormatException("no loadable segment");
    }

    int phnum() {
        return segments.size();
    }

    /** Why a file cannot be run. */
    static final class ElfFormatException extends RuntimeException {
        ElfFormatException(String message) {
            super(message);
        }
    }
}
