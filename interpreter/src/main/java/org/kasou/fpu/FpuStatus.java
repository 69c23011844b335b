package org.kasou.fpu;

/** Bits of the x87 status word (SDM vol. 1, 8.1.3) that operations produce. */
public final class FpuStatus {
    public static final int IE = 0x01, DE = 0x02, ZE = 0x04, OE = 0x08, UE = 0x10, PE = 0x20;
    public static final int SF = 0x40, ES = 0x80;
    public static final int C0 = 0x0100, C1 = 0x0200, C2 = 0x0400, C3 = 0x4000;
    public static final int CONDITION_CODES = C0 | C1 | C2 | C3;
    public static final int EXCEPTIONS = IE | DE | ZE | OE | UE | PE;

    private FpuStatus() {}
}
