package org.kasou.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where the pages of one shared, writable file mapping (MAP_SHARED) go back to: the file, from
 * the mapping's offset, through a channel of its own that lives as long as some process maps a
 * page of it (a mapping outlives its descriptor, as on Linux). Pages are written back at msync,
 * when they are unmapped or replaced, and when their process ends or execs; only the part of a
 * page within the file's size is written (a mapping never makes a file longer).
 */
final class FileWriteBack {
    private final FileChannel channel;
    private final long offset;
    /** The description whose channel this writes through (held while pages refer to this), or null for a channel of its own. */
    private final OpenFile owner;
    private int users;

    private FileWriteBack(FileChannel channel, long offset, OpenFile owner) {
        this.channel = channel;
        this.offset = offset;
        this.owner = owner;
    }

    /**
     * A write-back through the mapped description's own channel, which it holds open while pages
     * refer to it (as Linux's mapping holds its file): the file it writes is the one mapped even
     * when no path names it any more (memfd_create, O_TMPFILE, an unlinked or replaced file).
     */
    static FileWriteBack through(RegularFile file, long offset) {
        file.retain();
        return new FileWriteBack(file.channel(), offset, file);
    }

    /** A write-back for the file at {@code path} mapped from {@code offset}; null when it cannot be opened for writing. */
    static FileWriteBack open(Path path, long offset) {
        try {
            return new FileWriteBack(FileChannel.open(path, StandardOpenOption.WRITE), offset, null);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** One more mapped page refers to this (a mapping's page, or a fork's copy of it). */
    synchronized void retain() {
        users++;
    }

    /** A page no longer refers to this: the channel closes with the last one. */
    synchronized void release() {
        if (--users == 0) {
            try {
                if (owner != null) owner.release();
                else channel.close();
            } catch (IOException e) {
                // nothing left to write through it
            }
        }
    }

    /** Writes page {@code index} of the mapping ({@code bytes}, a whole page) back, the part within the file. */
    synchronized void write(int index, byte[] bytes) throws IOException {
        long pos = offset + (long) index * AddressSpace.PAGE;
        long size = channel.size();
        if (pos >= size) return;
        ByteBuffer b = ByteBuffer.wrap(bytes, 0, (int) Math.min(AddressSpace.PAGE, size - pos));
        while (b.hasRemaining()) {
            if (channel.write(b, pos + b.position()) <= 0) break;
        }
    }

    /** Page {@code index} of a mapping written back through {@code to}. */
    record Page(FileWriteBack to, int index) {
    }
}
