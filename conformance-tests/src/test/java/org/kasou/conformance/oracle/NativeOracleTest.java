package org.kasou.conformance.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The native helper against facts from the Intel SDM, so that the oracle itself is trusted. */
class NativeOracleTest {
    private static NativeOracle oracle;

    @BeforeAll
    static void start() {
        Optional<NativeOracle> o = NativeOracle.start(Path.of("target", "oracle"), 20);
        assumeTrue(o.isPresent(), "gcc -m32 or 32-bit execution unavailable: host oracle skipped");
        oracle = o.get();
    }

    @AfterAll
    static void stop() {
        if (oracle != null) oracle.close();
    }

    private static TestCase tc(int id, String hex, int... regs) {
        TestCase c = new TestCase(id);
        c.code = HexFormat.of().parseHex(hex.replace(" ", ""));
        System.arraycopy(regs, 0, c.gpr, 0, regs.length);
        if (regs.length <= 4) c.gpr[4] = 0x6000;
        c.fillSeed = 42 + id;
        return c;
    }

    private static CaseResult one(TestCase c) throws IOException {
        return oracle.run(List.of(c)).get(0);
    }

    @Test
    void addSetsResultAndFlags() throws IOException {
        // ADD EAX, ECX: 0x7FFFFFFF + 1 = 0x80000000, OF=1 SF=1 AF=1 (SDM vol. 2, ADD)
        CaseResult r = one(tc(1, "01 c8", 0x7FFF_FFFF, 1));
        assertEquals(CaseResult.Status.COMPLETED, r.status);
        assertEquals(0x8000_0000, r.gpr[0]);
        assertEquals(0x800 | 0x80 | 0x10 | 0x4, r.eflags & 0x8D5);
        assertEquals(2, r.eipOffset);
    }

    @Test
    void divideByZeroIsDeAtTheInstruction() throws IOException {
        CaseResult r = one(tc(2, "90 f7 f1", 10, 0));
        assertEquals(CaseResult.Status.EXCEPTION, r.status);
        assertEquals(0, r.vector);
        assertEquals(1, r.eipOffset);
        assertEquals(10, r.gpr[0]);
    }

    @Test
    void segmentLimitViolationsAreGpAndSs() throws IOException {
        TestCase gp = tc(3, "89 03", 0, 0, 0, OracleLayout.DATA_SIZE - 2); // MOV [EBX], EAX crosses the limit
        TestCase ss = tc(4, "50", 0, 0, 0, 0, 2, 0, 0, 0);                // PUSH EAX with ESP=2 wraps
        TestCase fs = tc(5, "64 8b 03", 0, 0, 0, OracleLayout.segmentLimit(4) - 3); // last dword of FS
        List<CaseResult> r = oracle.run(List.of(gp, ss, fs));
        assertEquals(13, r.get(0).vector);
        assertEquals(0, r.get(0).errorCode);
        assertEquals(12, r.get(1).vector);
        assertEquals(CaseResult.Status.COMPLETED, r.get(2).status);
        byte[] d = fs.initialData();
        int at = OracleLayout.DATA_SIZE - 4;
        assertEquals((d[at] & 0xFF) | (d[at + 1] & 0xFF) << 8 | (d[at + 2] & 0xFF) << 16 | (d[at + 3] & 0xFF) << 24, r.get(2).gpr[0]);
    }

    @Test
    void trapsReportTheNextInstruction() throws IOException {
        List<CaseResult> r = oracle.run(List.of(tc(6, "cc"), tc(7, "ce"), tc(8, "0f 0b")));
        assertEquals(3, r.get(0).vector);
        assertEquals(1, r.get(0).eipOffset);
        assertEquals(CaseResult.Status.COMPLETED, r.get(1).status); // INTO with OF=0 does nothing
        assertEquals(6, r.get(2).vector);
        assertEquals(0, r.get(2).eipOffset);
        TestCase into = tc(9, "ce");
        into.eflags = 0x800;
        CaseResult o = one(into);
        assertEquals(4, o.vector);
        assertEquals(1, o.eipOffset);
    }

    @Test
    void boundOutOfRangeIsBr() throws IOException {
        TestCase c = tc(10, "62 03", 100, 0, 0, 0x40);
        c.patch32(0x40, 0);
        c.patch32(0x44, 99);
        CaseResult r = one(c);
        assertEquals(5, r.vector);
        assertEquals(0, r.eipOffset);
    }

    @Test
    void memoryChangesComeBack() throws IOException {
        // PUSH EAX; MOV [EBX+4], CX; STD; STOSB (ES:EDI, decrementing)
        TestCase c = tc(11, "50 66 89 4b 04 fd aa", 0x1122_3344, 0xBEEF, 0, 0x300, 0x6000, 0, 0, 0x500);
        CaseResult r = one(c);
        assertEquals(CaseResult.Status.COMPLETED, r.status);
        byte[] expected = c.initialData();
        expected[0x5FFC] = 0x44; expected[0x5FFD] = 0x33; expected[0x5FFE] = 0x22; expected[0x5FFF] = 0x11;
        expected[0x304] = (byte) 0xEF; expected[0x305] = (byte) 0xBE;
        expected[0x500] = 0x44;
        assertArrayEquals(expected, r.data);
        assertEquals(0x4FF, r.gpr[7]);
        assertEquals(0x400, r.eflags & 0x400);
    }

    @Test
    void sixteenBitCodeAndStackSegments() throws IOException {
        // In a 16-bit code segment INC is INC AX and 66 selects EAX; faults report IP offsets.
        TestCase code16 = tc(17, "40 66 40 0f 0b", 0x1234_FFFF);
        code16.mode = OracleLayout.MODE_CODE16;
        // With a 16-bit stack segment PUSH uses SP and leaves ESP's upper half alone.
        TestCase stack16 = tc(18, "50", 0x1122_3344, 0, 0, 0, 0xABCD_6000);
        stack16.mode = OracleLayout.MODE_STACK16;
        List<CaseResult> r = oracle.run(List.of(code16, stack16));
        assertEquals(6, r.get(0).vector);
        assertEquals(3, r.get(0).eipOffset);
        assertEquals(0x1234_0001, r.get(0).gpr[0]); // AX wraps to 0 without a carry into bit 16
        assertEquals(CaseResult.Status.COMPLETED, r.get(1).status);
        assertEquals(0xABCD_5FFC, r.get(1).gpr[4]);
        assertEquals(0x44, r.get(1).data[0x5FFC]);
    }

    @Test
    void expandDownEsSegments() throws IOException {
        // Expand-down: offsets above the limit are valid (SDM vol. 3, 3.4.5.1). 26 8B 03 = MOV EAX, ES:[EBX]
        TestCase down32 = tc(19, "26 8b 03", 0, 0, 0, 0xFFFF_8010);
        down32.mode = OracleLayout.MODE_ES_DOWN32;
        TestCase below = tc(20, "26 8b 03", 0, 0, 0, 0x10);
        below.mode = OracleLayout.MODE_ES_DOWN32;
        TestCase down16 = tc(21, "26 8b 03", 0, 0, 0, 0x8010);
        down16.mode = OracleLayout.MODE_ES_DOWN16;
        TestCase past16 = tc(22, "26 8b 03", 0, 0, 0, 0xFFFE); // a dword past 0xFFFF in a B=0 segment
        past16.mode = OracleLayout.MODE_ES_DOWN16;
        List<CaseResult> r = oracle.run(List.of(down32, below, down16, past16));
        byte[] d = down32.initialData();
        int expected = (d[0x10] & 0xFF) | (d[0x11] & 0xFF) << 8 | (d[0x12] & 0xFF) << 16 | (d[0x13] & 0xFF) << 24;
        assertEquals(expected, r.get(0).gpr[0]);
        assertEquals(0x2F, r.get(0).sreg[0]);
        assertEquals(13, r.get(1).vector);
        byte[] d16 = down16.initialData();
        assertEquals((d16[0x10] & 0xFF) | (d16[0x11] & 0xFF) << 8 | (d16[0x12] & 0xFF) << 16 | (d16[0x13] & 0xFF) << 24, r.get(2).gpr[0]);
        assertEquals(13, r.get(3).vector);
    }

    @Test
    void x87StateIsDumped() throws IOException {
        CaseResult r = one(tc(12, "d9 e8 d9 eb")); // FLD1; FLDPI
        assertEquals(0x037F, r.fpu.controlWord());
        assertEquals(6 << 11, r.fpu.statusWord() & 0x3800);
        assertEquals(0x0FFF, r.fpu.tagWord());
        assertEquals("4000:c90fdaa22168c235", r.fpu.stHex(0));
        assertEquals("3fff:8000000000000000", r.fpu.stHex(1));
    }

    @Test
    void endlessLoopTimesOutWithoutEndingTheHelper() throws IOException {
        Optional<NativeOracle> o = NativeOracle.start(Path.of("target", "oracle"), 1);
        assumeTrue(o.isPresent());
        try (NativeOracle short1 = o.get()) {
            List<TestCase> cases = new ArrayList<>(List.of(tc(13, "40"), tc(14, "eb fe"), tc(15, "40")));
            List<CaseResult> r = short1.run(cases);
            assertEquals(CaseResult.Status.COMPLETED, r.get(0).status);
            assertEquals(CaseResult.Status.TIMEOUT, r.get(1).status);
            assertEquals(CaseResult.Status.TIMEOUT, r.get(2).status);
            CaseResult again = short1.run(List.of(tc(16, "40", 7))).get(0);
            assertEquals(8, again.gpr[0]);
        }
    }
}
