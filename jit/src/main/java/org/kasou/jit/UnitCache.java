package org.kasou.jit;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Compiled units by (physical address, EIP): an open-addressing table with linear probing, and the
 * order of insertion for evicting the oldest unit when it is full.
 *
 * <p>Keys are mixed before they pick a slot: code that runs at its physical address (flat,
 * identity-mapped) has phys == EIP, which a plain combination such as {@code phys ^ eip} would
 * send to one slot.
 */
final class UnitCache {
    private JitEngine.Unit[] slots = new JitEngine.Unit[1024];
    private int size;
    /** Units put so far, plus one (never 0, a block's stamp before the engine sets one). */
    private int additions = 1;
    /** Units in insertion order; entries no longer in the table are skipped when they come up. */
    private final ArrayDeque<JitEngine.Unit> order = new ArrayDeque<>();

    int size() {
        return size;
    }

    private static int hash(int phys, int eip) {
        long k = ((long) phys << 32) ^ (eip & 0xFFFFFFFFL);
        k ^= k >>> 33;
        k *= 0xFF51AFD7ED558CCDL;
        k ^= k >>> 33;
        return (int) k;
    }

    /** Changes whenever a unit is put: a key found missing stays missing until it changes. */
    int additions() {
        return additions;
    }

    JitEngine.Unit get(int phys, int eip) {
        JitEngine.Unit[] t = slots;
        int mask = t.length - 1;
        for (int i = hash(phys, eip) & mask; ; i = (i + 1) & mask) {
            JitEngine.Unit u = t[i];
            if (u == null) return null;
            if (u.phys == phys && u.eip == eip) return u;
        }
    }

    /** Adds u, replacing and returning the unit with the same key, if any. */
    JitEngine.Unit put(JitEngine.Unit u) {
        if (++additions == 0) additions = 1;
        if ((size + 1) * 2 > slots.length) resize(slots.length * 2);
        JitEngine.Unit[] t = slots;
        int mask = t.length - 1;
        int i = hash(u.phys, u.eip) & mask;
        for (; t[i] != null; i = (i + 1) & mask) {
            JitEngine.Unit old = t[i];
            if (old.phys == u.phys && old.eip == u.eip) {
                t[i] = u;
                order.add(u);
                return old;
            }
        }
        t[i] = u;
        size++;
        order.add(u);
        if (order.size() > 4 * Math.max(size, 64)) compactOrder();
        return null;
    }

    /** Removes u if it is in the table. */
    boolean remove(JitEngine.Unit u) {
        JitEngine.Unit[] t = slots;
        int mask = t.length - 1;
        int i = hash(u.phys, u.eip) & mask;
        for (; t[i] != null; i = (i + 1) & mask) {
            if (t[i] == u) {
                deleteAt(i);
                return true;
            }
        }
        return false;
    }

    /** Removes and returns the oldest unit still in the table, or null when it is empty. */
    JitEngine.Unit removeOldest() {
        while (!order.isEmpty()) {
            JitEngine.Unit u = order.poll();
            if (remove(u)) return u;
        }
        return null;
    }

    void forEach(Consumer<JitEngine.Unit> action) {
        for (JitEngine.Unit u : slots) if (u != null) action.accept(u);
    }

    void clear() {
        java.util.Arrays.fill(slots, null);
        size = 0;
        order.clear();
    }

    /** Deletes slot i, moving later entries of its probe run back so that lookups still find them. */
    private void deleteAt(int i) {
        JitEngine.Unit[] t = slots;
        int mask = t.length - 1;
        t[i] = null;
        size--;
        int gap = i;
        for (int j = (i + 1) & mask; t[j] != null; j = (j + 1) & mask) {
            int home = hash(t[j].phys, t[j].eip) & mask;
            // Move t[j] into the gap when its home slot is not in (gap, j] (cyclically).
            boolean between = gap <= j ? gap < home && home <= j : gap < home || home <= j;
            if (!between) {
                t[gap] = t[j];
                t[j] = null;
                gap = j;
            }
        }
    }

    private void resize(int capacity) {
        JitEngine.Unit[] old = slots;
        slots = new JitEngine.Unit[capacity];
        int mask = capacity - 1;
        for (JitEngine.Unit u : old) {
            if (u == null) continue;
            int i = hash(u.phys, u.eip) & mask;
            while (slots[i] != null) i = (i + 1) & mask;
            slots[i] = u;
        }
    }

    private void compactOrder() {
        int n = order.size();
        for (int k = 0; k < n; k++) {
            JitEngine.Unit u = order.poll();
            if (get(u.phys, u.eip) == u) order.add(u);
        }
    }
}
