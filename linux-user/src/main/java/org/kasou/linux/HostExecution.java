package org.kasou.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How this host runs a 32-bit x86 Linux program natively, for comparisons with kasou: directly,
 * or, on a 64-bit kernel built without 32-bit support, through qemu-i386 (QEMU's user mode) when it
 * is installed. Found once, by running a 96-byte static program that exits with 42.
 */
public final class HostExecution {
    private static final Logger LOG = LoggerFactory.getLogger(HostExecution.class);
    private static final int EXPECTED_STATUS = 42;
    private static Optional<List<String>> prefix;

    private HostExecution() {}

    /**
     * The words to put before a 32-bit program's command line to run it on this host: none when
     * the kernel runs it, {@code qemu-i386} when only QEMU can; empty when neither works.
     */
    public static synchronized Optional<List<String>> prefix() {
        if (prefix == null) prefix = probe();
        return prefix;
    }

    /** Whether the kernel itself runs 32-bit programs (times measured natively are the host CPU's). */
    public static boolean direct() {
        return prefix().map(List::isEmpty).orElse(false);
    }

    private static Optional<List<String>> probe() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kasou-host32");
            Path exe = dir.resolve("exit42");
            Files.write(exe, exitProgram());
            exe.toFile().setExecutable(true);
            if (status(List.of(exe.toString())) == EXPECTED_STATUS) return Optional.of(List.of());
            if (status(List.of("qemu-i386", exe.toString())) == EXPECTED_STATUS) {
                LOG.info("this kernel runs no 32-bit programs: native runs go through qemu-i386");
                return Optional.of(List.of("qemu-i386"));
            }
            LOG.info("this host runs no 32-bit programs, and qemu-i386 is not installed");
            return Optional.empty();
        } catch (IOException e) {
            LOG.info("cannot probe 32-bit execution: {}", e.getMessage());
            return Optional.empty();
        } finally {
            if (dir != null) {
                try {
                    Files.deleteIfExists(dir.resolve("exit42"));
                    Files.deleteIfExists(dir);
                } catch (IOException e) {
                    // a temporary file left behind
                }
            }
        }
    }

    private static int status(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** A static ELF32 executable: one loadable segment holding mov eax, 1; mov ebx, 42; int 0x80. */
    static byte[] exitProgram() {
        int base = 0x08048000, headers = 52 + 32;
        byte[] code = {(byte) 0xB8, 1, 0, 0, 0, (byte) 0xBB, EXPECTED_STATUS, 0, 0, 0, (byte) 0xCD, (byte) 0x80};
        ByteBuffer b = ByteBuffer.allocate(headers + code.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        b.putShort((short) 2).putShort((short) 3).putInt(1); // ET_EXEC, EM_386, EV_CURRENT
        b.putInt(base + headers).putInt(52).putInt(0).putInt(0); // entry, program headers, no sections, flags
        b.putShort((short) 52).putShort((short) 32).putShort((short) 1).putShort((short) 0).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(0).putInt(base).putInt(base); // PT_LOAD from offset 0
        b.putInt(headers + code.length).putInt(headers + code.length).putInt(5).putInt(0x1000); // sizes, R+X, alignment
        b.put(code);
        return b.array();
    }
}
