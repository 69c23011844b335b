package org.kasou.cpu;

/**
 * A segment register: the visible selector and the hidden descriptor cache (SDM vol. 3, 3.4.3).
 * In real and virtual-8086 mode the cache holds base = selector * 16 and a 64 KiB limit.
 */
public final class Segment {
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
    /** Pseudo-segments for the system registers that also carry a descriptor cache. */
    public static final int LDTR = 6, TR = 7;

    public int selector;
    public int base;
    /** Effective limit in bytes (granularity already applied), compared as unsigned. */
    public int limit;
    /**
     * Descriptor access rights as in bits 8..23 of the descriptor's high dword:
     * type (bits 0-3), S (4), DPL (5-6), P (7), AVL (12), L (13), D/B (14), G (15).
     */
    public int access;
    /** False for a null selector loaded into a data segment register in protected mode. */
    public boolean valid = true;

    public static final int ACC_S = 1 << 4;
    public static final int ACC_P = 1 << 7;
    public static final int ACC_DB = 1 << 14;
    public static final int ACC_G = 1 << 15;

    public boolean big() { return (access & ACC_DB) != 0; }
    public int dpl() { return (access >>> 5) & 3; }
    public int type() { return access & 0xF; }
    public boolean present() { return (access & ACC_P) != 0; }

    /** Loads the cache the way real mode (and virtual-8086 mode) does. */
    public void loadReal(int sel) {
        selector = sel & 0xFFFF;
        base = selector << 4;
        valid = true;
    }

    public void set(int sel, int base, int limit, int access) {
        this.selector = sel & 0xFFFF;
        this.base = base;
        this.limit = limit;
        this.access = access;
        this.valid = true;
    }

    public void copyFrom(Segment o) {
        selector = o.selector; base = o.base; limit = o.limit; access = o.access; valid = o.valid;
    }

    @Override
    public String toString() {
        return String.format("%04x(base=%08x limit=%08x acc=%04x%s)", selector, base, limit, access, valid ? "" : " invalid");
    }
}
