package org.kasou.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The run the launcher records its class-data archive from (see the {@code kasou} script): the
 * demo guest, a small multiboot kernel through {@code kasou boot}'s command line, then a small
 * static Linux program through {@code kasou run}, in one JVM, so that the classes of these paths
 * (the PC and its devices, the command line and the kernel loaders; the ELF loader, the system
 * calls; and what {@link org.kasou.cpu.ClassPreload} loads in longer runs) come from the archive at
 * every start instead of being loaded and verified afresh. Not a
 * command of picocli's: {@link QuickLaunch} takes {@link #COMMAND} alone.
 */
final class StartUpTraining {
    private StartUpTraining() {
    }

    static final String COMMAND = "__train-start-up-archive";

    /** Where the program's code starts (its one segment is loaded at 0x08048000). */
    static final int ENTRY = 0x08048054;
    /** The status the program exits with. */
    static final int PROGRAM_STATUS = 7;

    /** Runs both, their output discarded; 0 when both ran as they should. */
    static int run(InputStream in, PrintStream err) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        Kasou quiet = new Kasou(in, nowhere, nowhere);
        DemoCommand demo = new DemoCommand();
        demo.kasou = quiet;
        if (demo.call() != ExitCodes.OK) {
            err.println("kasou: the start-up training's demo failed");
            return 1;
        }
        Path program = null, kernel = null;
        try {
            kernel = Files.createTempFile("kasou-training", ".kernel");
            Files.write(kernel, kernel());
            Integer booted = QuickLaunch.run(new String[] {"boot", "--kernel", kernel.toString()}, InputStream.nullInputStream(), nowhere, nowhere);
            if (booted == null || booted != KERNEL_STATUS) {
                err.println("kasou: the start-up training's kernel exited with " + booted);
                return 1;
            }
            program = Files.createTempFile("kasou-training", ".elf");
            Files.write(program, program());
            RunCommand run = new RunCommand();
            run.kasou = quiet;
            run.program = program;
            int status = run.call();
            if (status != PROGRAM_STATUS) {
                err.println("kasou: the start-up training's program exited with " + status);
                return 1;
            }
            org.kasou.cpu.ClassPreload.once(); // what longer runs load comes from the archive too
            return 0;
        } catch (IOException e) {
            err.println("kasou: the start-up training could not write its program: " + e.getMessage());
            return 1;
        } finally {
            if (program != null) program.toFile().delete();
            if (kernel != null) kernel.toFile().delete();
        }
    }

    /** The status the kernel exits with through the exit device (3, written as 1). */
    static final int KERNEL_STATUS = 3;

    /**
     * A multiboot ELF kernel loaded at 1 MiB: the multiboot header (no address fields: the ELF's
     * program header places it), then a loop long enough for the JIT to compile it, a byte to the
     * debug console and exit(3) through port 0xF4.
     * <pre>
     *   mov ecx, 100000
     * l: dec ecx
     *   jnz l
     *   mov al, 'k'; out 0xE9, al
     *   mov al, 1; out 0xF4, al
     *   hlt
     * </pre>
     */
    static byte[] kernel() {
        int magic = 0x1BADB002, flags = 0, checksum = -(magic + flags);
        int[] header = new int[12];
        for (int i = 0; i < 4; i++) {
            header[i] = magic >>> (8 * i) & 0xFF;
            header[4 + i] = flags >>> (8 * i) & 0xFF;
            header[8 + i] = checksum >>> (8 * i) & 0xFF;
        }
        int[] code = {
            0xB9, 0xA0, 0x86, 0x01, 0x00,             // mov ecx, 100000
            0x49,                                     // l: dec ecx
            0x75, 0xFD,                               // jnz l
            0xB0, 'k', 0xE6, 0xE9,                    // mov al, 'k'; out 0xE9, al
            0xB0, 1, 0xE6, 0xF4,                      // mov al, 1; out 0xF4, al
            0xF4,                                     // hlt
        };
        int[] image = new int[header.length + code.length];
        System.arraycopy(header, 0, image, 0, header.length);
        System.arraycopy(code, 0, image, header.length, code.length);
        return elf(0x100000, 0x100000 + 84 + header.length, image);
    }

    /**
     * A static i386 ELF executable: a loop long enough for the JIT to compile it, a write of
     * three bytes to standard output, then exit(7).
     * <pre>
     *   mov ecx, 100000
     * l: dec ecx
     *   jnz l
     *   mov eax, 4; mov ebx, 1; mov ecx, msg; mov edx, 3; int 0x80
     *   mov eax, 1; mov ebx, 7; int 0x80
     * msg: "ok\n"
     * </pre>
     */
    static byte[] program() {
        int msg = ENTRY + 42;
        int[] code = {
            0xB9, 0xA0, 0x86, 0x01, 0x00,             // mov ecx, 100000
            0x49,                                     // l: dec ecx
            0x75, 0xFD,                               // jnz l
            0xB8, 4, 0, 0, 0,                         // mov eax, 4
            0xBB, 1, 0, 0, 0,                         // mov ebx, 1
            0xB9, msg & 0xFF, (msg >> 8) & 0xFF, (msg >> 16) & 0xFF, msg >>> 24, // mov ecx, msg
            0xBA, 3, 0, 0, 0,                         // mov edx, 3
            0xCD, 0x80,                               // int 0x80
            0xB8, 1, 0, 0, 0,                         // mov eax, 1
            0xBB, PROGRAM_STATUS, 0, 0, 0,            // mov ebx, 7
            0xCD, 0x80,                               // int 0x80
            'o', 'k', '\n',                           // msg
        };
        return staticElf(code);
    }

    /**
     * A static i386 ELF executable of one segment (read, write, execute) loaded at 0x08048000: the
     * 84 bytes of headers, then {@code code}, entered at its first byte ({@link #ENTRY}).
     */
    static byte[] staticElf(int... code) {
        return elf(0x08048000, ENTRY, code);
    }

    /** An i386 ELF executable of one segment (read, write, execute): the 84 bytes of headers, then {@code code}, all loaded at {@code base}. */
    private static byte[] elf(int base, int entry, int... code) {
        ByteBuffer b = ByteBuffer.allocate(84 + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1});
        // ET_EXEC, EM_386, version 1, entry, program headers at 52: one of 32 bytes
        b.putShort(16, (short) 2).putShort(18, (short) 3).putInt(20, 1).putInt(24, entry).putInt(28, 52)
                .putShort(40, (short) 52).putShort(42, (short) 32).putShort(44, (short) 1);
        // PT_LOAD of the whole file at base, read, write and execute
        b.putInt(52, 1).putInt(56, 0).putInt(60, base).putInt(64, base)
                .putInt(68, 84 + code.length).putInt(72, 84 + code.length).putInt(76, 7).putInt(80, 0x1000);
        for (int i = 0; i < code.length; i++) b.put(84 + i, (byte) code[i]);
        return b.array();
    }
}
