package org.kasou.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Where the pages of one shared, writable file mapping (MAP_SHARED) go back to: the file, from
 * the mapping's offset, through the mapped description's own channel, which this holds open as
 * long as some process maps a page of it (a mapping outlives its descriptor and holds its file, as
 * on Linux: the file written is the one mapped even when no path names it any more, as after
 * memfd_create, O_TMPFILE or an unlink). Pages are written back at msync, when they are unmapped
 * or replaced, and when their process ends or execs; only the part of a page within the file's
 * size is written (a mapping never makes a file longer).
 */
final class FileWriteBack {
    private final RegularFile file;
    private final FileChannel channel;
    private final long offset;
    private int users;

    /** A write-back for {@code file} mapped from {@code offset}; it holds a reference to the description until its last page goes. */
    FileWriteBack(RegularFile file, long offset) {
        file.retain();
        this.file = file;
        this.channel = file.channel();
        this.offset = offset;
    }

    /** One more mapped page refers to this (a mapping's page, or a fork's copy of it). */
    synchronized void retain() {
        users++;
    }

    /** A page no longer refers to this: the last one gives the reference to the description back. */
    synchronized void release() {
        if (--users == 0) {
            try {
                file.release();
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
