package org.kasou.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A host file opened through a FileChannel (regular files and devices such as /dev/null). */
final class RegularFile extends OpenFile {
    private final FileChannel channel;
    private final Path path;
    private final boolean append;
    /** A regular file, not a device such as /dev/null: decided at open, the path may be unlinked later. */
    private final boolean regular;
    /** The file as it was at open: what fstat reports once its path names another file or none. */
    private final FileStat opened;
    /** The file's device and inode, under which shared mappings keep its pages (SharedFilePages). */
    private final SharedFilePages.FileKey key;

    RegularFile(FileChannel channel, Path path, int flags) throws IOException {
        this.channel = channel;
        this.path = path;
        this.append = (flags & FileSyscalls.O_APPEND) != 0;
        this.opened = FileStat.of(path, true);
        this.regular = (opened.mode() & 0170000) == FileStat.S_IFREG;
        this.key = SharedFilePages.FileKey.of(opened);
        this.statusFlags = flags & (FileSyscalls.O_ACCMODE | FileSyscalls.O_APPEND | FileSyscalls.O_NONBLOCK);
    }

    @Override
    int read(byte[] buf, int off, int len) throws IOException {
        if ((statusFlags & FileSyscalls.O_ACCMODE) == FileSyscalls.O_WRONLY) throw new LinuxError(Errno.EBADF);
        long pos = SharedFilePages.active() ? channel.position() : -1;
        int n = Math.max(channel.read(ByteBuffer.wrap(buf, off, len)), 0);
        if (pos >= 0) SharedFilePages.afterRead(key, pos, buf, off, n);
        return n;
    }

    @Override
    int write(byte[] buf, int off, int len) throws IOException {
        if ((statusFlags & FileSyscalls.O_ACCMODE) == FileSyscalls.O_RDONLY) throw new LinuxError(Errno.EBADF);
        if (append) channel.position(channel.size());
        long pos = SharedFilePages.active() ? channel.position() : -1;
        ByteBuffer b = ByteBuffer.wrap(buf, off, len);
        while (b.hasRemaining()) channel.write(b);
        if (pos >= 0) SharedFilePages.afterWrite(key, pos, buf, off, len);
        return len;
    }

    @Override
    int pread(byte[] buf, int off, int len, long pos) throws IOException {
        if ((statusFlags & FileSyscalls.O_ACCMODE) == FileSyscalls.O_WRONLY) throw new LinuxError(Errno.EBADF);
        int n = Math.max(channel.read(ByteBuffer.wrap(buf, off, len), pos), 0);
        SharedFilePages.afterRead(key, pos, buf, off, n);
        return n;
    }

    /**
     * A host mapping of the file (FileChannel.map): it stays valid after the channel is closed,
     * which the guest does right after mmap. Null where the host refuses one (its limit on
     * mappings, say), and the caller reads the file instead.
     */
    @Override
    java.nio.ByteBuffer mapForReading(long offset, long len) throws IOException {
        if (!regular || (statusFlags & FileSyscalls.O_ACCMODE) == FileSyscalls.O_WRONLY) return null;
        long n = Math.max(0, Math.min(len, channel.size() - offset));
        if (n > Integer.MAX_VALUE) return null;
        try {
            return channel.map(FileChannel.MapMode.READ_ONLY, offset, n);
        } catch (IOException e) {
            return null;
        }
    }

    /** Where a write would begin (the end with O_APPEND, else the file position), for RLIMIT_FSIZE. */
    long writePosition() throws IOException {
        return append ? channel.size() : channel.position();
    }

    /** The file's size now. */
    long size() throws IOException {
        return channel.size();
    }

    /** Whether this is a regular file (RLIMIT_FSIZE covers only those). */
    boolean regular() {
        return regular;
    }

    @Override
    int pwrite(byte[] buf, int off, int len, long pos) throws IOException {
        if ((statusFlags & FileSyscalls.O_ACCMODE) == FileSyscalls.O_RDONLY) throw new LinuxError(Errno.EBADF);
        int n = channel.write(ByteBuffer.wrap(buf, off, len), pos);
        SharedFilePages.afterWrite(key, pos, buf, off, n);
        return n;
    }

    /** The file's device and inode as at open: where shared mappings of it keep its pages. */
    SharedFilePages.FileKey key() {
        return key;
    }

    @Override
    long seek(long offset, int whence) throws IOException {
        long base = switch (whence) {
            case 0 -> 0;
            case 1 -> channel.position();
            case 2 -> channel.size();
            default -> throw new LinuxError(Errno.EINVAL);
        };
        long pos = base + offset;
        if (pos < 0) throw new LinuxError(Errno.EINVAL);
        channel.position(pos);
        return pos;
    }

    @Override
    void truncate(long size) throws IOException {
        if (!regular || (statusFlags & FileSyscalls.O_ACCMODE) == FileSyscalls.O_RDONLY) throw new LinuxError(Errno.EINVAL);
        setLength(channel, size);
    }

    /** Shortens or lengthens a file (FileChannel.truncate only shortens); the new part reads as zeros, a hole where the file system allows. */
    static void setLength(FileChannel channel, long size) throws IOException {
        long now = channel.size();
        if (size < now) channel.truncate(size);
        else if (size > now) channel.write(java.nio.ByteBuffer.wrap(new byte[1]), size - 1);
    }

    /** Size less offset, for regular files only: Linux answers FIONREAD on a device such as /dev/null with ENOTTY. */
    @Override
    int available() throws IOException {
        if (!regular) throw new LinuxError(Errno.ENOTTY);
        return (int) (channel.size() - channel.position());
    }

    @Override
    /**
     * The file's attributes through its path while the path still names it (the same device and
     * inode); once it was unlinked or replaced, the file as it was at open with its size now and
     * no links (Java reaches a file only through a path).
     */
    FileStat stat() throws IOException {
        try {
            FileStat now = FileStat.of(path, true);
            if (now.dev() == opened.dev() && now.ino() == opened.ino()) return now;
        } catch (java.nio.file.NoSuchFileException e) {
            // unlinked: below
        }
        return opened.unlinked(regular ? channel.size() : opened.size());
    }

    @Override
    Path path() {
        return path;
    }

    /** The host channel (a shared mapping writes its pages back through it). */
    FileChannel channel() {
        return channel;
    }

    @Override
    void close() throws IOException {
        channel.close();
    }
}
