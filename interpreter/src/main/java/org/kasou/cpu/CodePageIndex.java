package org.kasou.cpu;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which cached code lies in which physical page: per page (physical address {@code >>> 12}) the
 * entries translated from it and a mask of the 64-byte chunks they cover, so that a write to the
 * page can drop exactly the entries it overlaps and ignore data that merely shares the page with
 * code. The interpreter keeps its decoded blocks here; an execution engine can keep its compiled
 * units in one of its own.
 *
 * <p>Pages live in a two-level table (1024 lazily allocated leaves of 1024 pages), so that the
 * write path does no boxing or hashing.
 *
 * @param <T> the cached entries; each covers the bytes [{@link Range#physLo}, {@link Range#physEnd})
 *     within one page
 */
public final class CodePageIndex<T extends CodePageIndex.Range> {
    /** A cached entry's physical byte range, within one page. */
    public interface Range {
        /** First physical byte covered. */
        int physLo();

        /** One past the last physical byte covered (at most the end of the page). */
        int physEnd();
    }

    /** The entries of one page and the 64-byte chunks they cover. */
    private static final class Page<T> {
        final List<T> entries = new ArrayList<>();
        long chunks;
        /** Entries were removed since {@link #chunks} was computed: it may cover more than they do. */
        boolean stale;
    }

    @SuppressWarnings("unchecked")
    private final Page<T>[][] dir = new Page[1024][];
    /** Pages that hold entries, so that {@link #clear} need not scan the directory. */
    private final Set<Integer> used = new HashSet<>();

    private Page<T> page(int page) {
        Page<T>[] leaf = dir[(page >>> 10) & 0x3FF];
        return leaf == null ? null : leaf[page & 0x3FF];
    }

    /** Adds an entry to the page that holds its bytes. */
    @SuppressWarnings("unchecked")
    public void add(T e) {
        int page = e.physLo() >>> 12;
        Page<T>[] leaf = dir[(page >>> 10) & 0x3FF];
        if (leaf == null) leaf = dir[(page >>> 10) & 0x3FF] = new Page[1024];
        Page<T> p = leaf[page & 0x3FF];
        if (p == null) {
            p = leaf[page & 0x3FF] = new Page<>();
            used.add(page);
        }
        p.entries.add(e);
        p.chunks |= chunkMask(e.physLo(), e.physEnd() - e.physLo());
    }

    /** Removes an entry; returns whether its page holds no entry any more. */
    public boolean remove(T e) {
        int page = e.physLo() >>> 12;
        Page<T> p = page(page);
        if (p == null) return true;
        p.entries.remove(e);
        if (p.entries.isEmpty()) {
            drop(page);
            return true;
        }
        // The chunk mask may now cover more than the entries do: a write there only scans the
        // list (and recomputes it), and recomputing it here would cost every eviction a pass.
        p.stale = true;
        return false;
    }

    /** The entries of a physical page (read only; empty when there are none). */
    public List<T> entries(int page) {
        Page<T> p = page(page & 0xFFFFF);
        return p == null ? List.of() : Collections.unmodifiableList(p.entries);
    }

    /** Whether a physical page holds entries. */
    public boolean holds(int page) {
        return page(page & 0xFFFFF) != null;
    }

    /**
     * Bytes [physAddr, physAddr + size) of one page were written: removes every entry they overlap,
     * handing each to {@code dropped}. Returns whether the page still holds entries.
     */
    public boolean written(int physAddr, int size, Consumer<? super T> dropped) {
        int page = physAddr >>> 12;
        Page<T> p = page(page);
        if (p == null) return false;
        if ((p.chunks & chunkMask(physAddr, size)) == 0) return true; // data next to code
        List<T> list = p.entries;
        long lo = physAddr & 0xFFFFFFFFL;
        long hi = lo + size;
        boolean removed = false;
        for (int i = list.size() - 1; i >= 0; i--) {
            T e = list.get(i);
            if (lo < (e.physEnd() & 0xFFFFFFFFL) && hi > (e.physLo() & 0xFFFFFFFFL)) {
                list.remove(i);
                removed = true;
                dropped.accept(e);
            }
        }
        if (list.isEmpty()) {
            drop(page);
            return false;
        }
        if (removed || p.stale) {
            p.chunks = mask(list);
            p.stale = false;
        }
        return true;
    }

    /** Removes every entry, handing each to {@code dropped}; returns the pages that held entries. */
    public List<Integer> clear(Consumer<? super T> dropped) {
        List<Integer> pages = new ArrayList<>(used);
        for (int page : pages) {
            Page<T> p = page(page);
            for (T e : p.entries) dropped.accept(e);
            dir[(page >>> 10) & 0x3FF][page & 0x3FF] = null;
        }
        used.clear();
        return pages;
    }

    private void drop(int page) {
        dir[(page >>> 10) & 0x3FF][page & 0x3FF] = null;
        used.remove(page);
    }

    private long mask(List<T> list) {
        long m = 0;
        for (T x : list) m |= chunkMask(x.physLo(), x.physEnd() - x.physLo());
        return m;
    }

    /** Bits of the 64-byte chunks of a page that [addr, addr + size) touches (within one page). */
    public static long chunkMask(int addr, int size) {
        int first = (addr & 0xFFF) >>> 6;
        int last = Math.min(0xFFF, (addr & 0xFFF) + Math.max(size, 1) - 1) >>> 6;
        long hi = last == 63 ? -1L : (1L << (last + 1)) - 1;
        return hi & (-1L << first);
    }
}
