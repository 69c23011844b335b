package org.kasou.linux;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * fcntl's POSIX record locks: read and write locks on byte ranges of a file (its device and
 * inode), owned by processes. A process's own locks never conflict with each other: a new one
 * replaces what it held in its range (splitting its older locks), and closing any descriptor of
 * the file releases all of them. Kept in this JVM for every guest process of every run; host
 * processes do not see them.
 */
final class RecordLocks {
    /** To the end of the file (and beyond): l_len 0. */
    static final long TO_END = Long.MAX_VALUE;

    /** A lock of {@code owner} on bytes [start, end]. */
    record Range(int owner, boolean write, long start, long end) {
        boolean overlaps(long s, long e) {
            return start <= e && s <= end;
        }
    }

    private static final Map<Object, List<Range>> LOCKS = new HashMap<>();

    private RecordLocks() {}

    /** The first lock of another owner on {@code file} that a lock of this kind on [start, end] would conflict with, or null. */
    static synchronized Range conflict(Object file, int owner, boolean write, long start, long end) {
        for (Range r : LOCKS.getOrDefault(file, List.of())) {
            if (r.owner != owner && r.overlaps(start, end) && (write || r.write)) return r;
        }
        return null;
    }

    /**
     * Takes a lock for {@code owner} on [start, end] (or clears its locks there, {@code unlock}):
     * EAGAIN when another owner's lock conflicts, or, with {@code wait}, waits until none does.
     */
    static synchronized void set(Object file, int owner, boolean unlock, boolean write, long start, long end, boolean wait)
            throws InterruptedException {
        if (!unlock) {
            while (conflict(file, owner, write, start, end) != null) {
                if (!wait) throw new LinuxError(Errno.EAGAIN);
                RecordLocks.class.wait();
            }
        }
        List<Range> held = LOCKS.computeIfAbsent(file, k -> new ArrayList<>());
        List<Range> kept = new ArrayList<>();
        long s = start, e = end;
        for (Iterator<Range> it = held.iterator(); it.hasNext(); ) {
            Range r = it.next();
            if (r.owner != owner) continue;
            boolean adjacent = !unlock && r.write == write && (r.end == s - 1 || (e != TO_END && r.start == e + 1));
            if (!r.overlaps(s, e) && !adjacent) continue;
            it.remove();
            if (!unlock && r.write == write) { // the same kind: one lock over both
                s = Math.min(s, r.start);
                e = Math.max(e, r.end);
                continue;
            }
            if (r.start < start) kept.add(new Range(owner, r.write, r.start, start - 1));
            if (r.end > end) kept.add(new Range(owner, r.write, end + 1, r.end));
        }
        held.addAll(kept);
        if (!unlock) held.add(new Range(owner, write, s, e));
        if (held.isEmpty()) LOCKS.remove(file);
        RecordLocks.class.notifyAll();
    }

    /** Whether {@code owner} holds any lock (most processes never take one: their closes need not look up the file). */
    static synchronized boolean holdsAny(int owner) {
        for (List<Range> held : LOCKS.values()) {
            for (Range r : held) {
                if (r.owner == owner) return true;
            }
        }
        return false;
    }

    /** Releases every lock of {@code owner} on {@code file} (it closed a descriptor of the file, or ended). */
    static synchronized void releaseAll(Object file, int owner) {
        List<Range> held = LOCKS.get(file);
        if (held == null || !held.removeIf(r -> r.owner == owner)) return;
        if (held.isEmpty()) LOCKS.remove(file);
        RecordLocks.class.notifyAll();
    }
}
