package org.kasou.mem;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Per-page tables of a million entries (a TLB's entries and pages, an address space's frames: 4
 * MiB an int or reference table) kept for the next CPU or address space once the one that held
 * them is gone. A new table costs the first touch of its memory, which the host's kernel zeroes
 * page by page: a CPU's TLB tables are 20 to 24 MiB, and a shell loop that forks and execs made
 * two CPUs a turn and spent more than half of its time zeroing fresh pages. A table given back is
 * cleared here and kept, a few of each kind; taking one gives a cleared table either way.
 */
public final class SpareTables {
    private SpareTables() {
    }

    /** Entries of every table here: one per 4 KiB page of a 32-bit address space. */
    public static final int ENTRIES = 1 << 20;
    /** Tables kept of each kind: enough for a few processes that end while others start. */
    static final int KEEP = 8;

    private static final ArrayDeque<int[]> INTS = new ArrayDeque<>();
    private static final ArrayDeque<byte[][]> PAGES = new ArrayDeque<>();
    private static final ArrayDeque<byte[]> BYTES = new ArrayDeque<>();

    /** A cleared int table. */
    public static int[] ints() {
        int[] t;
        synchronized (INTS) {
            t = INTS.poll();
        }
        return t != null ? t : new int[ENTRIES];
    }

    /** A cleared table of page references. */
    public static byte[][] pages() {
        byte[][] t;
        synchronized (PAGES) {
            t = PAGES.poll();
        }
        return t != null ? t : new byte[ENTRIES][];
    }

    /** A cleared byte table. */
    public static byte[] bytes() {
        byte[] t;
        synchronized (BYTES) {
            t = BYTES.poll();
        }
        return t != null ? t : new byte[ENTRIES];
    }

    /** Gives back a table nothing uses any more (null: nothing); it is cleared before anyone takes it. */
    public static void give(int[] t) {
        if (t == null || t.length != ENTRIES) return;
        Arrays.fill(t, 0);
        synchronized (INTS) {
            if (INTS.size() < KEEP) INTS.push(t);
        }
    }

    /** As {@link #give(int[])}. */
    public static void give(byte[][] t) {
        if (t == null || t.length != ENTRIES) return;
        Arrays.fill(t, null);
        synchronized (PAGES) {
            if (PAGES.size() < KEEP) PAGES.push(t);
        }
    }

    /** As {@link #give(int[])}. */
    public static void give(byte[] t) {
        if (t == null || t.length != ENTRIES) return;
        Arrays.fill(t, (byte) 0);
        synchronized (BYTES) {
            if (BYTES.size() < KEEP) BYTES.push(t);
        }
    }

    /** Tables kept now, of every kind (for tests and diagnostics). */
    public static int kept() {
        synchronized (INTS) {
            synchronized (PAGES) {
                synchronized (BYTES) {
                    return INTS.size() + PAGES.size() + BYTES.size();
                }
            }
        }
    }
}
