package org.kasou.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Temporary directories for programs compared with their native runs. Where the native side goes
 * through qemu-i386 (a kernel without 32-bit support), the directory is on tmpfs when there is one:
 * qemu-i386 hands a 32-bit program the 64-bit directory offsets of a file system such as ext4
 * (a 32-bit process on the kernel itself gets 32-bit ones), and glibc's 32-bit readdir then fails
 * with EOVERFLOW, so every listing would differ; tmpfs offsets are small numbers.
 */
public final class GuestTempDirs implements TempDirFactory {
    private static final Path TMPFS = Path.of("/dev/shm");

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws IOException {
        boolean throughQemu = HostExecution.prefix().map(p -> p.equals(List.of("qemu-i386"))).orElse(false);
        if (throughQemu && Files.isDirectory(TMPFS) && Files.isWritable(TMPFS)) return Files.createTempDirectory(TMPFS, "kasou-test");
        return Files.createTempDirectory("kasou-test");
    }
}
