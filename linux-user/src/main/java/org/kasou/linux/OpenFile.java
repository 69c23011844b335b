package org.kasou.linux;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An open file description: what a guest file descriptor refers to. Descriptors made by dup share
 * one description (and its offset). Operations a kind of file does not support fail with the errno
 * Linux gives.
 */
abstract class OpenFile {
    /** O_APPEND, O_NONBLOCK and the access mode, as F_GETFL reports them. */
    int statusFlags;

    /** Whether O_NONBLOCK is set: a wait gives EAGAIN instead. */
    final boolean nonBlocking() {
        return (statusFlags & FileSyscalls.O_NONBLOCK) != 0;
    }
    private int references = 1;

    int read(byte[] buf, int off, int len) throws IOException {
        throw new LinuxError(Errno.EBADF);
    }

    int write(byte[] buf, int off, int len) throws IOException {
        throw new LinuxError(Errno.EBADF);
    }

    int pread(byte[] buf, int off, int len, long pos) throws IOException {
        throw new LinuxError(Errno.ESPIPE);
    }

    int pwrite(byte[] buf, int off, int len, long pos) throws IOException {
        throw new LinuxError(Errno.ESPIPE);
    }

    long seek(long offset, int whence) throws IOException {
        throw new LinuxError(Errno.ESPIPE);
    }

    /**
     * The file's bytes from {@code offset}, at most {@code len} of them, as a read-only view that
     * the host pages in as it is read (fewer at the end of the file, none past it); null where the
     * file cannot be mapped so (not a regular file, not open for reading), and mmap reads it at once.
     */
    java.nio.ByteBuffer mapForReading(long offset, long len) throws IOException {
        return null;
    }

    void truncate(long size) throws IOException {
        throw new LinuxError(Errno.EINVAL);
    }

    abstract FileStat stat() throws IOException;

    /** The host path behind the description (directories, files), or null. */
    Path path() {
        return null;
    }

    /** Bytes that can be read without blocking (FIONREAD); ENOTTY where Linux has no answer (directories, devices). */
    int available() throws IOException {
        throw new LinuxError(Errno.ENOTTY);
    }

    /** The terminal this description is, or null: the terminal ioctls fail with ENOTTY on anything else. */
    Terminal terminal() {
        return null;
    }

    /** Whether the file can wait for readiness (epoll accepts it); regular files and directories cannot. */
    boolean pollable() {
        return false;
    }

    static final int POLLIN = 1, POLLOUT = 4, POLLERR = 8, POLLHUP = 0x10, POLLNVAL = 0x20;

    /** Which of the poll {@code events} are ready now (plus POLLERR/POLLHUP); files always are. */
    int poll(int events) throws IOException {
        return events & (POLLIN | POLLOUT);
    }

    /**
     * A count that moves whenever the file may have become ready anew for {@code events}
     * (edge-triggered epoll reports an entry again then); files that are always ready keep 0.
     */
    long edges(int events) {
        return 0;
    }

    /** Directory entries (getdents64), or ENOTDIR. */
    DirectoryFile asDirectory() {
        throw new LinuxError(Errno.ENOTDIR);
    }

    /** One more descriptor refers to this description (dup, fork); processes share it across threads. */
    synchronized void retain() {
        references++;
    }

    /** Whether some descriptor still refers to this description (epoll forgets those no one holds). */
    synchronized boolean isOpen() {
        return references > 0;
    }

    /** Drops one descriptor's reference and closes the host side with the last one. */
    void release() throws IOException {
        boolean last;
        synchronized (this) {
            last = --references == 0;
        }
        if (last) {
            FileLocks.release(this);
            close();
        }
    }

    void close() throws IOException {
    }
}
