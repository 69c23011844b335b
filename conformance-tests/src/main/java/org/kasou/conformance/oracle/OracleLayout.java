package org.kasou.conformance.oracle;

/**
 * The memory layout shared by the native helper (oracle.c) and kasou's test machine. Test code
 * runs in the flat code segment at {@link #CODE_BASE}; its data segments (DS, ES, SS, FS, GS)
 * are based inside the data region with limits that end at the region's end, so a stray data
 * access raises #GP or #SS on both sides instead of touching anything else.
 */
public final class OracleLayout {
    public static final int DATA_BASE = 0x0010_0000;
    public static final int DATA_SIZE = 0x8000;
    public static final int CODE_BASE = 0x0020_0000;
    public static final int CODE_SIZE = 0x2000;
    /** Longest code sequence: the helper appends a 5-byte jump back to the harness. */
    public static final int MAX_CODE = CODE_SIZE - 16;
    public static final int FSAVE_SIZE = 108;

    /** Selectors of the helper's LDT data segments (TI=1, RPL=3), used as-is by kasou's setup. */
    public static final int SEL_DATA = 0x07, SEL_FS = 0x0F, SEL_GS = 0x17;
    /** LDT selectors of the 16-bit code segment (base CODE_BASE) and the 16-bit stack segment (B=0). */
    public static final int SEL_CODE16 = 0x1F, SEL_STACK16 = 0x27;
    /** Case mode bits: run in the 16-bit code segment; use the 16-bit stack segment as SS. */
    public static final int MODE_CODE16 = 1, MODE_STACK16 = 2;
    /**
     * Case mode bits: ES is an expand-down segment over the data region, 32-bit with 4 KiB
     * granularity (valid offsets 0xFFFF8000..0xFFFFFFFF, selector 0x2F) or 16-bit (valid offsets
     * 0x8000..0xFFFF, selector 0x37).
     */
    public static final int MODE_ES_DOWN32 = 4, MODE_ES_DOWN16 = 8;
    public static final int SEL_DOWN32 = 0x2F, SEL_DOWN16 = 0x37;
    /** Offsets of the FS and GS segment bases inside the data region. */
    public static final int FS_OFFSET = 0x2000, GS_OFFSET = 0x4000;

    private OracleLayout() {}

    /** Base offset inside the data region of a data segment (Segment.ES..GS). */
    public static int segmentOffset(int seg) {
        return switch (seg) {
            case 4 -> FS_OFFSET;
            case 5 -> GS_OFFSET;
            default -> 0;
        };
    }

    /** Byte-granular limit of a data segment (Segment.ES..GS): the last valid offset. */
    public static int segmentLimit(int seg) {
        return DATA_SIZE - 1 - segmentOffset(seg);
    }

    /** Selector of a data segment (Segment.ES..GS). */
    public static int segmentSelector(int seg) {
        return switch (seg) {
            case 4 -> SEL_FS;
            case 5 -> SEL_GS;
            default -> SEL_DATA;
        };
    }

    /** The data region's initial contents before patches, exactly as fill() in oracle.c. */
    public static void fill(int seed, byte[] dst) {
        int x = seed;
        for (int i = 0; i < DATA_SIZE; i += 4) {
            x += 0x9E37_79B9;
            int z = x;
            z = (z ^ (z >>> 16)) * 0x85EB_CA6B;
            z = (z ^ (z >>> 13)) * 0xC2B2_AE35;
            z ^= z >>> 16;
            dst[i] = (byte) z;
            dst[i + 1] = (byte) (z >>> 8);
            dst[i + 2] = (byte) (z >>> 16);
            dst[i + 3] = (byte) (z >>> 24);
        }
    }
}
