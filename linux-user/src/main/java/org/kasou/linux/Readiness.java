package org.kasou.linux;

import java.io.IOException;

/**
 * The wait of poll, select and epoll_wait: scans the descriptors every few milliseconds until one
 * is ready or the timeout passes (the files have no wake-ups of their own to wait on).
 */
final class Readiness {
    /** One look at the descriptors: how many are ready (the caller keeps what it found). */
    interface Scan {
        /**
         * {@code assumeHostInput}: count the host's standard input as readable. A host stream
         * cannot say that it is at its end without blocking, so an unbounded wait on nothing but
         * host streams takes the input as ready: the read then blocks in the host, or sees the end.
         */
        int ready(boolean assumeHostInput) throws IOException;
    }

    private Readiness() {
    }

    /** Scans until something is ready or {@code timeoutMillis} passed (negative: no limit); returns the last count. */
    static int await(long timeoutMillis, boolean onlyHostStreams, Scan scan) throws IOException {
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE : Futexes.deadline(Math.min(timeoutMillis, 1L << 40) * 1_000_000L);
        while (true) {
            int n = scan.ready(false);
            if (n == 0 && onlyHostStreams && timeoutMillis < 0) n = scan.ready(true);
            long left = deadline - System.nanoTime();
            if (n > 0 || left <= 0) return n;
            try {
                Thread.sleep(Math.max(1, Math.min(10, left / 1_000_000L)));
            } catch (InterruptedException e) {
                throw new LinuxError(Errno.EINTR);
            }
        }
    }

    /** Whether a wait on {@code f} can only end with host input (see {@link Scan#ready}). */
    static boolean isHostStream(OpenFile f) {
        return f instanceof StreamFile;
    }
}
