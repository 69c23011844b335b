package org.kasou.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes of the programs that execve loaded lately, kept while their files stay the same (same
 * file, size and modification time), so that a shell running the same program again and again
 * reads and allocates its image once: a busybox applet's exec read 2 MB each time. Images are
 * never written (the loader copies from them, lazy pages read them), so processes share them.
 */
final class ExecutableImages {
    private ExecutableImages() {
    }

    /** Bytes kept in all, at most. */
    private static final long KEEP_BYTES = 64 << 20;

    private record Version(Object fileKey, long size, long modified) {
    }

    private record Image(Version version, byte[] bytes) {
    }

    /** By real path, least recently used first. */
    private static final Map<Path, Image> IMAGES = new LinkedHashMap<>(16, 0.75f, true);
    private static long bytes;

    /** The contents of {@code p}, from the cache when the file has not changed since it was read. */
    static byte[] read(Path p) throws IOException {
        Path real = p.toRealPath();
        BasicFileAttributes a = Files.readAttributes(real, BasicFileAttributes.class);
        Version v = new Version(a.fileKey() != null ? a.fileKey() : real, a.size(), a.lastModifiedTime().toMillis());
        synchronized (IMAGES) {
            Image kept = IMAGES.get(real);
            if (kept != null && kept.version().equals(v)) return kept.bytes();
        }
        byte[] data = Files.readAllBytes(real);
        if (data.length != v.size() || data.length > KEEP_BYTES / 4) return data; // changed while read, or too big to keep
        synchronized (IMAGES) {
            Image old = IMAGES.put(real, new Image(v, data));
            bytes += data.length - (old != null ? old.bytes().length : 0);
            var it = IMAGES.values().iterator();
            while (bytes > KEEP_BYTES && it.hasNext()) {
                bytes -= it.next().bytes().length;
                it.remove();
            }
        }
        return data;
    }
}
