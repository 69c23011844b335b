package org.kasou.conformance.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The helper that x87 cases run on (NativeOracle#startForX87) against facts of the SDM, so that
 * its answers can be trusted on either kind of host: an operand at [EBX + disp32] is the data
 * region's offset, FNSTENV stores the instruction and data pointers as a 32-bit process would
 * (FIP the code's address, FDP the operand's offset, FCS and FDS the selectors the case runs
 * with), an unmasked exception raises #MF at the next waiting instruction, and kasou agrees.
 */
class X87OracleHelperTest {
    private static final int OPERAND = 0x1000, ENV = 0x1080;

    private static TestCase tc(int id, String hex) {
        TestCase c = new TestCase(id);
        c.code = HexFormat.of().parseHex(hex.replace(" ", ""));
        c.gpr[3] = OPERAND; // EBX
        c.gpr[4] = 0x7000;
        c.fillSeed = 7 + id;
        return c;
    }

    @Test
    void pointersAndOperandsAsInA32BitProcess() throws IOException {
        try (NativeOracle host = host()) {
            // FLD QWORD [EBX+0]; FSQRT; FSTP DWORD [EBX+0x40]; FNSTENV [EBX+0x80]
            TestCase c = tc(1, "dd 83 00000000  d9 fa  d9 9b 40000000  d9 b3 80000000");
            c.patch(OPERAND, le(8).putLong(Double.doubleToRawLongBits(2.25)).array());
            CaseResult r = host.run(List.of(c)).get(0);
            assertEquals(CaseResult.Status.COMPLETED, r.status, r.outcome());
            assertEquals(1.5f, Float.intBitsToFloat(word(r.data, OPERAND + 0x40)));
            int[] sel = host.caseSelectors().orElse(new int[] {OracleLayout.SEL_DATA, 0x23, OracleLayout.SEL_DATA,
                OracleLayout.SEL_DATA, OracleLayout.SEL_FS, OracleLayout.SEL_GS});
            assertEquals(sel[1], r.sreg[1], "CS");
            // The environment (SDM vol. 1, 8.1.10): FIP of FSTP (its opcode at +8), FCS | FOP << 16,
            // FDP its operand's offset, FDS the data selector. FOP: D9 /3 with mod 10 rm 011 = 0x19B.
            assertEquals(OracleLayout.CODE_BASE + 8, word(r.data, ENV + 12), "FIP");
            assertEquals(sel[1] | 0x19B << 16, word(r.data, ENV + 16), "FCS and FOP");
            assertEquals(OPERAND + 0x40, word(r.data, ENV + 20), "FDP");
            assertEquals(sel[3], word(r.data, ENV + 24) & 0xFFFF, "FDS");

            CaseResult k = kasou(host, false).run(c);
            assertEquals(List.of(), Comparison.differences(c, r, k));
            assertArrayEquals(r.data, k.data);
        }
    }

    @Test
    void unmaskedExceptionFaultsAtTheNextWaitingInstruction() throws IOException {
        try (NativeOracle host = host()) {
            // FLDCW [EBX] (all exceptions unmasked); FLDZ; FLD1; FDIVRP (1/0: ZE pending); FWAIT (#MF here)
            TestCase c = tc(2, "d9 ab 00000000  d9 ee  d9 e8  de f1  9b  90");
            c.patch(OPERAND, new byte[] {0x40, 0x03}); // 0x0340: RC nearest, PC 64 bits, no mask
            CaseResult r = host.run(List.of(c)).get(0);
            assertEquals(CaseResult.Status.EXCEPTION, r.status, r.outcome());
            assertEquals(16, r.vector);
            assertEquals(12, r.eipOffset);
            assertEquals(List.of(), Comparison.differences(c, r, kasou(host, true).run(c)));
        }
    }

    @Test
    void the64BitHelperLeavesSixteenBitCasesUnrun() throws IOException {
        try (NativeOracle host = host()) {
            assumeTrue(!host.runsSixteenBitCases(), "only where the 64-bit x87 helper serves");
            TestCase c = tc(3, "d9 e8");
            c.mode = OracleLayout.MODE_CODE16;
            assertEquals(CaseResult.Status.TIMEOUT, host.run(List.of(c)).get(0).status);
            assertEquals(0x33, host.caseSelectors().orElseThrow()[1], "a 64-bit process's code selector");
        }
    }

    private static NativeOracle host() {
        Optional<NativeOracle> h = NativeOracle.startForX87(Path.of("target", "oracle"), 20);
        assumeTrue(h.isPresent(), "no host helper runs here (gcc, 32-bit execution or, for the 64-bit one, root)");
        return h.get();
    }

    /** kasou with the selectors the host's cases run with. */
    private static KasouRunner kasou(NativeOracle host, boolean jit) {
        KasouRunner k = new KasouRunner(jit);
        host.caseSelectors().ifPresent(k::useSelectors);
        return k;
    }

    private static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static int word(byte[] b, int at) {
        return ByteBuffer.wrap(b, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }
}
