package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CacheControlMsrs;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;

/**
 * MTRRs, PAT and IA32_MISC_ENABLE through RDMSR/WRMSR instruction bytes (so on the JIT too when its
 * module runs these tests): the values stored, and #GP(0) for reserved bits, reserved memory types,
 * read-only and unknown MSRs (SDM vol. 3, 11.11 and 11.12).
 */
class CacheControlMsrTest {
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;
    static final int CODE = 0x5000, GP_HANDLER = 0x6000;

    @BeforeEach
    void protectedModeWithAGpHandlerThatHalts() {
        f.protectedFlat();
        f.put(SysFixture.IDT + 13 * 8, SysFixture.gate(SysFixture.CODE0, GP_HANDLER, Descriptors.INT_GATE32, 0));
        f.phys.write8(GP_HANDLER, 0xF4);
        f.phys.load(CODE, new byte[] {0x0F, 0x30, (byte) 0xF4, 0x0F, 0x32, (byte) 0xF4, 0x0F, (byte) 0xA2, (byte) 0xF4}, 0, 9);
    }

    /** Runs the instruction at CODE + at, then HLT; false when it raised #GP(0) at its own address. */
    private boolean run(int at) {
        s.eip = CODE + at;
        s.gpr[CpuState.ESP] = 0x8000;
        s.halted = false;
        assertEquals(StopReason.HALTED, f.cpu.run(10));
        if (s.eip == CODE + at + 3) return true;
        assertEquals(GP_HANDLER + 1, s.eip, "halted in the #GP handler");
        assertEquals(0, f.phys.read32(0x8000 - 16), "error code 0");
        assertEquals(CODE + at, f.phys.read32(0x8000 - 12), "a fault: the address of the instruction itself");
        return false;
    }

    private boolean wrmsr(int index, long value) {
        s.gpr[CpuState.ECX] = index;
        s.gpr[CpuState.EAX] = (int) value;
        s.gpr[CpuState.EDX] = (int) (value >>> 32);
        return run(0);
    }

    private long rdmsr(int index) {
        s.gpr[CpuState.ECX] = index;
        s.gpr[CpuState.EAX] = 0xDEAD;
        s.gpr[CpuState.EDX] = 0xBEEF;
        assertTrue(run(3), "RDMSR " + Integer.toHexString(index));
        return (s.gpr[CpuState.EAX] & 0xFFFFFFFFL) | ((long) s.gpr[CpuState.EDX] << 32);
    }

    private void assertGp(int index, long value) {
        long before = rdmsr(index);
        assertFalse(wrmsr(index, value), "WRMSR " + Integer.toHexString(index) + " <- " + Long.toHexString(value));
        assertEquals(before, rdmsr(index), "a refused write stores nothing");
    }

    private void assertStores(int index, long value) {
        assertTrue(wrmsr(index, value), "WRMSR " + Integer.toHexString(index) + " <- " + Long.toHexString(value));
        assertEquals(value, rdmsr(index));
    }

    @Test
    void cpuidAdvertisesMtrrAndPat() {
        s.gpr[CpuState.EAX] = 1;
        assertTrue(run(6));
        assertTrue((s.gpr[CpuState.EDX] & (1 << 12)) != 0, "MTRR");
        assertTrue((s.gpr[CpuState.EDX] & (1 << 16)) != 0, "PAT");
    }

    @Test
    void mtrrCapIsReadOnly() {
        assertEquals(0x508, rdmsr(0xFE), "8 variable ranges, fixed ranges, write combining");
        assertFalse(wrmsr(0xFE, 0x508));
    }

    @Test
    void variableRangesStoreBaseAndMaskWithinThirtySixBits() {
        for (int i = 0; i < 16; i++) {
            long v = (i & 1) == 0 ? (0x1000L * (i + 1)) | 6 : 0xF_FFFF_F800L - 0x1000L * i;
            assertTrue(wrmsr(0x200 + i, v));
        }
        for (int i = 0; i < 16; i++) {
            long v = (i & 1) == 0 ? (0x1000L * (i + 1)) | 6 : 0xF_FFFF_F800L - 0x1000L * i;
            assertEquals(v, rdmsr(0x200 + i), "MTRR " + Integer.toHexString(0x200 + i));
        }
        assertStores(0x20E, 0xF_FFFF_F001L); // WC
        assertGp(0x200, 0x1002); // type 2 is reserved
        assertGp(0x200, 0x1007); // UC- exists only in PAT
        assertGp(0x200, 0x1106); // bits 11:8 reserved
        assertGp(0x200, 0x10_0000_0006L); // above MAXPHYADDR
        assertGp(0x201, 0xF_FFFF_F801L); // bits 10:0 of the mask reserved
        assertGp(0x201, 0x1F_FFFF_F800L);
    }

    @Test
    void fixedRangesHoldEightValidTypes() {
        int[] fixed = {0x250, 0x258, 0x259, 0x268, 0x269, 0x26A, 0x26B, 0x26C, 0x26D, 0x26E, 0x26F};
        int[] types = {0, 1, 4, 5, 6};
        for (int i = 0; i < fixed.length; i++) assertTrue(wrmsr(fixed[i], 0x0605040100060500L | types[i % 5] | (long) types[i / 5] << 24));
        for (int i = 0; i < fixed.length; i++) assertEquals(0x0605040100060500L | types[i % 5] | (long) types[i / 5] << 24, rdmsr(fixed[i]));
        assertGp(0x250, 0x0006060606060606L | (3L << 56)); // a reserved type in the top byte
        assertGp(0x26F, 0x0707070707070707L);
        for (int unknown : new int[] {0x251, 0x257, 0x25A, 0x267, 0x270}) assertFalse(wrmsr(unknown, 0), Integer.toHexString(unknown));
    }

    @Test
    void defaultTypeHasTypeFixedEnableAndEnable() {
        assertEquals(0, rdmsr(0x2FF), "all memory UC after reset");
        assertStores(0x2FF, 0xC06);
        assertGp(0x2FF, 0xC03);
        assertGp(0x2FF, 0x100); // bits 9:8 reserved
        assertGp(0x2FF, 0x1000); // bits 63:12 reserved
        assertGp(0x2FF, 1L << 32);
    }

    @Test
    void patResetValueAndEntries() {
        assertEquals(0x0007040600070406L, rdmsr(0x277));
        assertStores(0x277, 0x0705040100060107L);
        assertGp(0x277, 0x0007040600070402L); // type 2 reserved
        assertGp(0x277, 0x0007040600030406L); // type 3 reserved
        assertGp(0x277, 0x0007040600070486L); // bits 7:3 of an entry reserved
        assertGp(0x277, 0x0807040600070406L);
        s.reset();
        assertEquals(CacheControlMsrs.PAT_RESET, s.cacheControl.read(0x277), "RESET restores PAT");
    }

    @Test
    void miscEnableKeepsItsReadOnlyBits() {
        assertEquals(0x1801, rdmsr(0x1A0), "fast strings; BTS and PEBS unavailable");
        assertTrue(wrmsr(0x1A0, 0x400008));
        assertEquals(0x401808, rdmsr(0x1A0), "the read-only bits ignore the write");
        assertGp(0x1A0, 0x1880); // bit 7: performance monitoring, not writable
        assertGp(0x1A0, 1L << 34);
    }

    @Test
    void unknownMsrsAndApicBaseWithoutAnApicRaiseGp() {
        for (int unknown : new int[] {0x1B, 0xFF, 0x1A1, 0x210, 0x276, 0x278, 0x2FE, 0x300}) {
            assertFalse(wrmsr(unknown, 0), Integer.toHexString(unknown));
            s.gpr[CpuState.ECX] = unknown;
            assertFalse(run(3), "RDMSR " + Integer.toHexString(unknown));
        }
    }

    @Test
    void onlyAtCplZero() {
        s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x61);
        s.seg[Segment.SS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
        s.cpl = 3;
        s.gpr[CpuState.ECX] = 0x277;
        s.eip = CODE + 3;
        s.gpr[CpuState.ESP] = 0x7000;
        assertEquals(StopReason.HALTED, f.cpu.run(10));
        assertEquals(GP_HANDLER + 1, s.eip);
        assertEquals(CODE + 3, f.phys.read32(0x9000 - 20), "RDMSR at CPL 3 faults");
    }
}
