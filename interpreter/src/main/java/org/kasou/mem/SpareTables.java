package org.kasou.mem;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Large per-page tables (a TLB's entries and pages, an address space's frames, a block cache's
 * sets: up to 4 MiB each) kept for the next CPU or address space once the one that held them is
 * gone. A new table costs the first touch of its memory, which the host's kernel zeroes page by
 * page: a CPU's tables come to about 30 MiB, and a shell loop that forks and execs made two CPUs
 * a turn and spent more than half of its time zeroing fresh pages. A table given back is cleared
 * here and kept, a few of each kind and size; taking one gives a cleared table either way.
 */
public final class SpareTables {
    private SpareTables() {
    }

    /** Entries of a page table: one per 4 KiB page of a 32-bit address space. */
    public static final int ENTRIES = 1 << 20;
    /**
     * Tables kept of each kind and size: 48 MiB of each kind, 2 to 16 tables, enough for a few
     * processes that end while others start (a process holds three int tables and three or four
     * page tables).
     */
    static int limit(Object table) {
        long bytes = (long) java.lang.reflect.Array.getLength(table) * (table instanceof long[] ? 8 : table instanceof byte[] ? 1 : 4);
        return (int) Math.max(2, Math.min(16, (48L << 20) / Math.max(1, bytes)));
    }

    /** Kept tables by their class and length. */
    private static final Map<List<Object>, ArrayDeque<Object>> KEPT = new HashMap<>();

    /** A cleared array of class {@code type} (int[].class, Block[].class, ...) and {@code length}. */
    public static <A> A take(Class<A> type, int length) {
        Object t;
        synchronized (KEPT) {
            ArrayDeque<Object> q = KEPT.get(List.of(type, length));
            t = q == null ? null : q.poll();
        }
        return type.cast(t != null ? t : java.lang.reflect.Array.newInstance(type.getComponentType(), length));
    }

    /** A cleared int table of {@link #ENTRIES}. */
    public static int[] ints() {
        return take(int[].class, ENTRIES);
    }

    /** A cleared table of {@link #ENTRIES} page references. */
    public static byte[][] pages() {
        return take(byte[][].class, ENTRIES);
    }

    /** A cleared byte table of {@link #ENTRIES}. */
    public static byte[] bytes() {
        return take(byte[].class, ENTRIES);
    }

    /**
     * Gives back an array that {@link #take} made or could have made and that nothing uses any more
     * (null: nothing); it is cleared before anyone takes it.
     */
    public static void give(Object table) {
        if (table == null) return;
        if (table instanceof Object[] a) Arrays.fill(a, null);
        else if (table instanceof int[] a) Arrays.fill(a, 0);
        else if (table instanceof long[] a) Arrays.fill(a, 0L);
        else if (table instanceof byte[] a) Arrays.fill(a, (byte) 0);
        else throw new IllegalArgumentException("not a table kept here: " + table.getClass());
        keep(table);
    }

    /**
     * Gives back a table that its owner has cleared itself, entry by entry, because it knows which
     * entries it used (a TLB's flush): clearing all of a 4 MiB table costs more than the few
     * thousand entries a process used. Null: nothing.
     */
    public static void giveCleared(Object table) {
        if (table != null) keep(table);
    }

    private static void keep(Object table) {
        List<Object> key = List.of(table.getClass(), java.lang.reflect.Array.getLength(table));
        synchronized (KEPT) {
            ArrayDeque<Object> q = KEPT.computeIfAbsent(key, k -> new ArrayDeque<>());
            if (q.size() < limit(table)) q.push(table);
        }
    }

    /** Tables kept now, of every kind (for tests and diagnostics). */
    public static int kept() {
        synchronized (KEPT) {
            return KEPT.values().stream().mapToInt(ArrayDeque::size).sum();
        }
    }
}
