package org.kasou.cpu;

import java.util.Arrays;

/**
 * The memory-type MSRs of a P6 (MTRRs, PAT) and IA32_MISC_ENABLE, kept as storage: memory types
 * change only caching, which an emulator does not have, so nothing else reads them. Writes are
 * checked as the SDM (vol. 3, 11.11 and 11.12) describes; {@link #write} answers false where the
 * CPU raises #GP(0).
 */
public final class CacheControlMsrs {
    public static final int MTRR_CAP = 0xFE, MISC_ENABLE = 0x1A0, PHYS_BASE0 = 0x200, PHYS_MASK7 = 0x20F;
    public static final int FIX64K_00000 = 0x250, FIX16K_80000 = 0x258, FIX16K_A0000 = 0x259;
    public static final int FIX4K_C0000 = 0x268, FIX4K_F8000 = 0x26F, PAT = 0x277, DEF_TYPE = 0x2FF;

    /** Eight variable ranges, fixed-range MTRRs supported (FIX), write combining supported (WC). */
    public static final long MTRR_CAP_VALUE = 8 | (1 << 8) | (1 << 10);
    /** IA32_PAT after reset: WB, WT, UC-, UC, twice (SDM 11.12.4). */
    public static final long PAT_RESET = 0x0007040600070406L;
    /** Fast strings enabled; branch trace storage and PEBS unavailable (read-only, bits 11 and 12). */
    public static final long MISC_ENABLE_RESET = 1 | (1 << 11) | (1 << 12);
    private static final long MISC_ENABLE_READ_ONLY = (1 << 11) | (1 << 12);
    /** Fast strings, automatic thermal control, limit CPUID maxval: writable, and change nothing here. */
    private static final long MISC_ENABLE_WRITABLE = 1 | (1 << 3) | (1 << 22);

    /** Physical addresses are 36 bits wide (PAE without CPUID leaf 0x80000008). */
    private static final long PHYS_ADDR_BITS = 0xF_FFFF_F000L;
    private static final long PHYS_BASE_VALID = PHYS_ADDR_BITS | 0xFF;
    private static final long PHYS_MASK_VALID = PHYS_ADDR_BITS | (1 << 11);
    /** MTRRdefType: default type (bits 7:0), FE (bit 10), E (bit 11). */
    private static final long DEF_TYPE_VALID = 0xFF | (1 << 10) | (1 << 11);

    private final long[] variable = new long[16];
    private final long[] fixed = new long[11];
    private long defType, pat, miscEnable;

    public CacheControlMsrs() {
        reset();
    }

    /** RESET clears MTRRdefType (all memory UC) and restores PAT and MISC_ENABLE; the ranges are undefined, here 0. */
    public void reset() {
        Arrays.fill(variable, 0);
        Arrays.fill(fixed, 0);
        defType = 0;
        pat = PAT_RESET;
        miscEnable = MISC_ENABLE_RESET;
    }

    /** True when this class holds MSR index. */
    public static boolean handles(int index) {
        return index == MTRR_CAP || index == MISC_ENABLE || index == PAT || index == DEF_TYPE
                || (index >= PHYS_BASE0 && index <= PHYS_MASK7) || fixedSlot(index) >= 0;
    }

    /** The MSR's value; only for an index that {@link #handles} accepts. */
    public long read(int index) {
        if (index == MTRR_CAP) return MTRR_CAP_VALUE;
        if (index == MISC_ENABLE) return miscEnable;
        if (index == PAT) return pat;
        if (index == DEF_TYPE) return defType;
        if (index >= PHYS_BASE0 && index <= PHYS_MASK7) return variable[index - PHYS_BASE0];
        return fixed[fixedSlot(index)];
    }

    /** Stores value; false (and nothing stored) where the CPU raises #GP(0). */
    public boolean write(int index, long value) {
        switch (index) {
            case MTRR_CAP:
                return false; // read-only
            case MISC_ENABLE:
                if ((value & ~(MISC_ENABLE_WRITABLE | MISC_ENABLE_READ_ONLY)) != 0) return false;
                miscEnable = (value & MISC_ENABLE_WRITABLE) | MISC_ENABLE_READ_ONLY;
                return true;
            case PAT:
                if (!allBytes(value, CacheControlMsrs::validPatType)) return false;
                pat = value;
                return true;
            case DEF_TYPE:
                if ((value & ~DEF_TYPE_VALID) != 0 || !validMtrrType((int) value & 0xFF)) return false;
                defType = value;
                return true;
            default:
                break;
        }
        if (index >= PHYS_BASE0 && index <= PHYS_MASK7) {
            boolean base = (index & 1) == 0;
            if ((value & ~(base ? PHYS_BASE_VALID : PHYS_MASK_VALID)) != 0) return false;
            if (base && !validMtrrType((int) value & 0xFF)) return false;
            variable[index - PHYS_BASE0] = value;
            return true;
        }
        if (!allBytes(value, CacheControlMsrs::validMtrrType)) return false;
        fixed[fixedSlot(index)] = value;
        return true;
    }

    /** Index into fixed[] of a fixed-range MTRR, or -1. */
    private static int fixedSlot(int index) {
        if (index == FIX64K_00000) return 0;
        if (index == FIX16K_80000) return 1;
        if (index == FIX16K_A0000) return 2;
        if (index >= FIX4K_C0000 && index <= FIX4K_F8000) return 3 + index - FIX4K_C0000;
        return -1;
    }

    /** UC, WC, WT, WP, WB (SDM table 11-8); 2, 3 and 7 and above are reserved in MTRRs. */
    static boolean validMtrrType(int type) {
        return type == 0 || type == 1 || type == 4 || type == 5 || type == 6;
    }

    /** The MTRR types plus UC- (7); bits 7:3 of each PAT entry are reserved (SDM 11.12.2). */
    static boolean validPatType(int type) {
        return validMtrrType(type) || type == 7;
    }

    private static boolean allBytes(long value, java.util.function.IntPredicate valid) {
        for (int i = 0; i < 8; i++) {
            if (!valid.test((int) (value >>> (8 * i)) & 0xFF)) return false;
        }
        return true;
    }
}
