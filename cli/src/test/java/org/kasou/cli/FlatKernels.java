package org.kasou.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small guests for the command-line tests: flat multiboot images of a few instructions. */
final class FlatKernels {
    private FlatKernels() {}

    /** Writes a flat multiboot image to {@code file}, loaded at 1 MiB with {@code code} right after the header. */
    static Path write(Path file, byte[] code) throws IOException {
        int magic = 0x1BADB002, flags = 0x10000, at = 0x100000;
        ByteBuffer b = ByteBuffer.allocate(0x20 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(magic).putInt(flags).putInt(-(magic + flags)).putInt(at).putInt(at).putInt(0).putInt(0).putInt(at + 0x20);
        b.position(0x20);
        b.put(code);
        Files.write(file, b.array());
        return file;
    }
}
