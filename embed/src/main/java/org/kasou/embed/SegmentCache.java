package org.kasou.embed;

/**
 * A segment register: its selector and its hidden descriptor cache (base, limit in bytes with the
 * granularity applied, and the access rights as bits 8-23 of a descriptor's high dword: type, S,
 * DPL, P, AVL, L, D/B, G).
 */
public record SegmentCache(int selector, int base, int limit, int access) {
    @Override
    public String toString() {
        return String.format("%04x(base=%08x limit=%08x access=%04x)", selector, base, limit, access);
    }
}
