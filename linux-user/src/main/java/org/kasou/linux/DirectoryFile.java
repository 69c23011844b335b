package org.kasou.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** An open directory: its entries, read in order by getdents64. */
final class DirectoryFile extends OpenFile {
    private final Path path;
    private List<String> names;
    private int next;
    /** Whether the entries are symbolic links the caller named (a /proc/self/fd of the guest's own) rather than the host directory's. */
    private final boolean links;

    DirectoryFile(Path path) {
        this.path = path;
        this.links = false;
    }

    /** A directory of symbolic links named {@code linkNames}, standing at {@code path} (whose stat it reports). */
    DirectoryFile(Path path, List<String> linkNames) {
        this.path = path;
        this.links = true;
        this.names = new ArrayList<>(List.of(".", ".."));
        this.names.addAll(linkNames);
    }

    @Override
    Path path() {
        return path;
    }

    @Override
    DirectoryFile asDirectory() {
        return this;
    }

    @Override
    int read(byte[] buf, int off, int len) {
        throw new LinuxError(Errno.EISDIR);
    }

    @Override
    long seek(long offset, int whence) {
        if (whence != 0 || offset < 0) throw new LinuxError(Errno.EINVAL);
        next = (int) Math.min(offset, Integer.MAX_VALUE);
        return next;
    }

    @Override
    FileStat stat() throws IOException {
        return FileStat.of(path, true);
    }

    /**
     * Fills {@code out} with struct linux_dirent64 records (u64 ino, s64 off, u16 reclen, u8 type,
     * name) up to {@code size} bytes; returns the byte count, 0 at the end, EINVAL when even one
     * record does not fit.
     */
    int entries(ByteBuffer out, int size) throws IOException {
        if (names == null) {
            names = new ArrayList<>(List.of(".", ".."));
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
                for (Path p : ds) names.add(p.getFileName().toString());
            }
        }
        out.order(ByteOrder.LITTLE_ENDIAN);
        int used = 0;
        while (next < names.size()) {
            String name = names.get(next);
            byte[] nb = name.getBytes(StandardCharsets.UTF_8);
            int reclen = (19 + nb.length + 1 + 7) & ~7;
            if (used + reclen > size) {
                if (used == 0) throw new LinuxError(Errno.EINVAL);
                break;
            }
            long ino = 0;
            int type = 0;
            if (links && next >= 2) {
                ino = next;
                type = FileStat.S_IFLNK >>> 12;
            } else {
                try {
                    FileStat st = FileStat.of(path.resolve(name), false);
                    ino = st.ino();
                    type = (st.mode() >>> 12) & 0xF; // DT_* equals the S_IFMT nibble
                } catch (IOException e) {
                    // vanished meanwhile: DT_UNKNOWN
                }
            }
            out.putLong(used, ino).putLong(used + 8, next + 1).putShort(used + 16, (short) reclen).put(used + 18, (byte) type);
            for (int i = 0; i < nb.length; i++) out.put(used + 19 + i, nb[i]);
            for (int i = 19 + nb.length; i < reclen; i++) out.put(used + i, (byte) 0);
            used += reclen;
            next++;
        }
        return used;
    }
}
