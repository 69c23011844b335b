package org.kasou.linux;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Descriptors passed with SCM_RIGHTS one way through a unix socket connection. Each sendmsg's
 * files are attached to the position of what they came with: the first byte of the send on a
 * stream, the message on a message socket. Positions count bytes (or messages) sent and taken, so
 * the receiver gets the files with the data they came with; a stream read stops short of the next
 * attached byte, as Linux's reads stop where descriptors come. The files hold a reference each
 * while in flight, which the receiver's new descriptor takes over; files nobody receives are
 * released when the receiving end closes.
 */
final class FdPassing {
    private static final class Attached {
        final long at;
        final OpenFile[] files;
        /** The bytes of the send they came with (a stream read that takes them ends there). */
        long length;

        Attached(long at, OpenFile[] files, long length) {
            this.at = at;
            this.files = files;
            this.length = length;
        }
    }

    private final ArrayDeque<Attached> queue = new ArrayDeque<>();
    /** Bytes (stream) or messages sent and taken. */
    private long sent, taken;
    private boolean closed;

    /** Attaches {@code files} to what the next send of {@code length} bytes brings; returns the slot to {@link #cancel} when that send fails. */
    synchronized Object attach(OpenFile[] files, long length) {
        if (closed) {
            close(files);
            throw new LinuxError(Errno.EPIPE);
        }
        Attached a = new Attached(sent, files, length);
        queue.addLast(a);
        return a;
    }

    /** A send moved {@code n} bytes (or one message); {@code slot} (or null) the files it brought, whose send that was. */
    synchronized void sent(long n, Object slot) {
        sent += n;
        if (slot != null) ((Attached) slot).length = n;
    }

    /** The send the files were attached to failed: they go back (their references released). */
    void cancel(Object slot) {
        synchronized (this) {
            if (!queue.remove(slot)) return;
        }
        close(((Attached) slot).files);
    }

    /**
     * How many of len bytes a stream read may take now: up to the next byte that brought files;
     * when files come with the first, to the end of the send they came with.
     */
    synchronized int limit(int len) {
        for (Attached a : queue) {
            if (a.at > taken) return (int) Math.min(len, a.at - taken);
            if (a.at + a.length > taken) return (int) Math.min(len, a.at + a.length - taken);
        }
        return len;
    }

    /** Whether files wait at {@code more} bytes past what was taken (MSG_WAITALL stops there). */
    synchronized boolean waitingAt(long more) {
        for (Attached a : queue) {
            if (a.at == taken + more) return true;
        }
        return false;
    }

    /** A read took {@code n} bytes (or one message): the files that came with them, null when none. */
    synchronized OpenFile[] take(long n) {
        if (n <= 0) return null;
        long end = taken + n;
        OpenFile[] out = null;
        for (Iterator<Attached> it = queue.iterator(); it.hasNext(); ) {
            Attached a = it.next();
            if (a.at >= end) break;
            it.remove();
            out = out == null ? a.files : concat(out, a.files);
        }
        taken = end;
        return out;
    }

    /** The receiving end closed: files still in flight are released, and later sends' are refused. */
    void discard() {
        ArrayDeque<Attached> left;
        synchronized (this) {
            closed = true;
            left = new ArrayDeque<>(queue);
            queue.clear();
        }
        for (Attached a : left) close(a.files);
    }

    private static OpenFile[] concat(OpenFile[] a, OpenFile[] b) {
        OpenFile[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** Releases the references that passed files hold (nothing for null). */
    static void close(OpenFile[] files) {
        if (files == null) return;
        for (OpenFile f : files) {
            try {
                f.release();
            } catch (IOException e) {
                // closing a passed file that no one received: nothing to report to
            }
        }
    }
}
