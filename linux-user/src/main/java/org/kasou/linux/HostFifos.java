package org.kasou.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Makes named pipes (FIFOs) on the host file system. Java has no call for mkfifo, so the host's
 * mkfifo command (coreutils) makes them; what it refuses comes back as the errno Linux would give.
 */
final class HostFifos {
    private HostFifos() {}

    /** Makes a FIFO at {@code path} with permission bits {@code perms} (umask already applied). */
    static void create(Path path, int perms) throws IOException {
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) throw new LinuxError(Errno.EEXIST);
        Path dir = path.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new LinuxError(Errno.ENOENT);
        Process p = new ProcessBuilder("mkfifo", "-m", Integer.toOctalString(perms), "--", path.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LinuxError(Errno.EIO);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new LinuxError(Errno.EINTR);
        }
        if (p.exitValue() != 0) {
            if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) throw new LinuxError(Errno.EEXIST);
            throw new LinuxError(Files.isWritable(dir) ? Errno.EIO : Errno.EACCES);
        }
    }
}
