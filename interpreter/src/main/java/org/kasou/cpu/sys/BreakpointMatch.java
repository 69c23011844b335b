package org.kasou.cpu.sys;

/**
 * Matches the breakpoints of DR0-DR3 as DR7 enables and describes them (SDM vol. 3, 17.2.4 and
 * 17.2.5). Results are DR6-style masks: bit n set when breakpoint n matched. I/O breakpoints
 * (RW = 10 with CR4.DE) are not matched.
 */
public final class BreakpointMatch {
    private BreakpointMatch() {}

    private static final int RW_EXECUTE = 0, RW_WRITE = 1, RW_READ_WRITE = 3;
    /** Bytes watched for each LEN encoding; 10 (undefined on a P6) is taken as 8, as later CPUs do. */
    private static final int[] LENGTHS = {1, 2, 8, 4};

    /** Whether DR7 enables any breakpoint (L0-L3, G0-G3). */
    public static boolean armed(int dr7) {
        return (dr7 & 0xFF) != 0;
    }

    private static boolean enabled(int dr7, int n) {
        return ((dr7 >>> (2 * n)) & 3) != 0;
    }

    private static int rw(int dr7, int n) {
        return (dr7 >>> (16 + 4 * n)) & 3;
    }

    private static int length(int dr7, int n) {
        return LENGTHS[(dr7 >>> (18 + 4 * n)) & 3];
    }

    private static boolean watchesData(int dr7, int n) {
        int rw = rw(dr7, n);
        return enabled(dr7, n) && (rw == RW_WRITE || rw == RW_READ_WRITE);
    }

    /** The instruction breakpoints at linear address lin. */
    public static int instruction(int[] dr, int lin) {
        int dr7 = dr[7], hits = 0;
        for (int n = 0; n < 4; n++) {
            if (enabled(dr7, n) && rw(dr7, n) == RW_EXECUTE && dr[n] == lin) hits |= 1 << n;
        }
        return hits;
    }

    /** The data breakpoints that an access of size bytes at lin hits (a read hits only RW = 11). */
    public static int data(int[] dr, int lin, int size, boolean write) {
        int dr7 = dr[7], hits = 0;
        long first = lin & 0xFFFFFFFFL;
        for (int n = 0; n < 4; n++) {
            if (!watchesData(dr7, n) || (!write && rw(dr7, n) != RW_READ_WRITE)) continue;
            int len = length(dr7, n);
            long start = dr[n] & ~(len - 1) & 0xFFFFFFFFL; // the CPU ignores the low address bits
            if (first < start + len && start < first + size) hits |= 1 << n;
        }
        return hits;
    }

    /** Whether any enabled breakpoint watches data accesses. */
    public static boolean watchesData(int dr7) {
        for (int n = 0; n < 4; n++) {
            if (watchesData(dr7, n)) return true;
        }
        return false;
    }

    /** Whether an enabled data breakpoint watches a byte of linear page vp. */
    public static boolean watchesPage(int[] dr, int vp) {
        int dr7 = dr[7];
        for (int n = 0; n < 4; n++) {
            if (!watchesData(dr7, n)) continue;
            int len = length(dr7, n);
            int start = dr[n] & ~(len - 1);
            if (start >>> 12 == vp || (start + len - 1) >>> 12 == vp) return true;
        }
        return false;
    }
}
