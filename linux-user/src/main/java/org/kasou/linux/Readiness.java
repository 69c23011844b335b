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

    /**
     * Scans until something is ready or {@code timeoutMillis} passed (negative: no limit); returns
     * the last count. A signal ends the wait with ERESTARTNOHAND (EINTR once a handler ran), but
     * not a first scan that found something or had no time to wait, as in Linux.
     */
    static int await(long timeoutMillis, boolean onlyHostStreams, Scan scan) throws IOException {
        long deadline = timeoutMillis < 0 ? Long.MAX_VALUE : Futexes.deadline(Math.min(timeoutMillis, 1L << 40) * 1_000_000L);
        int first = scan(timeoutMillis, onlyHostStreams, scan);
        if (first > 0 || timeoutMillis == 0) return first;
        try {
            return SignalWaits.await(() -> {
                while (true) {
                    int n = scan(timeoutMillis, onlyHostStreams, scan);
                    long left = deadline - System.nanoTime();
                    if (n > 0 || left <= 0) return n;
                    Thread.sleep(Math.max(1, Math.min(10, left / 1_000_000L)));
                }
            });
        } catch (LinuxError e) {
            if (e.errno == Errno.ERESTARTSYS) throw new LinuxError(Errno.ERESTARTNOHAND);
            throw e;
        }
    }

    private static int scan(long timeoutMillis, boolean onlyHostStreams, Scan scan) throws IOException {
        int n = scan.ready(false);
        if (n == 0 && onlyHostStreams && timeoutMillis < 0) n = scan.ready(true);
        return n;
    }

    /** Whether a wait on {@code f} can only end with host input (see {@link Scan#ready}). */
    static boolean isHostStream(OpenFile f) {
        return f instanceof StreamFile;
    }
}
