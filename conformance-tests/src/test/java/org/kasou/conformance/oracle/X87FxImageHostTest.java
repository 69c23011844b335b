package org.kasou.conformance.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * FXSAVE and FXRSTOR on the host CPU against kasou (interpreter and JIT): generated x87 cases
 * followed by an FXSAVE, and FXRSTOR of random images followed by an FXSAVE. The host has SSE and
 * kasou has not, so the image's MXCSR fields (bytes 24-31) and its XMM and reserved area (bytes
 * 160-511) are left out of the comparison; everything else must be identical. (FXSAVE without
 * REX.W stores the same image in 64-bit mode, so the 64-bit x87 helper serves as well.)
 */
class X87FxImageHostTest {
    private static final int CASES = Integer.getInteger("kasou.fxsave.cases", 20_000);
    private static final int SAVE_AT = 0x1400, RESTORE_FROM = 0x1600; // data offsets, 16-byte aligned
    private static final int EBX = 0x1000;

    @Test
    @Timeout(1200)
    void interpreterAgreesWithTheHost() throws IOException {
        agrees(false);
    }

    @Test
    @Timeout(1200)
    void jitAgreesWithTheHost() throws IOException {
        agrees(true);
    }

    private static void agrees(boolean jit) throws IOException {
        Optional<NativeOracle> h = NativeOracle.startForX87(Path.of("target", "oracle"), 60);
        assumeTrue(h.isPresent(), "no host helper runs here (gcc, 32-bit execution or, for the 64-bit one, root): host oracle skipped");
        X87CaseGenerator gen = new X87CaseGenerator(0x66787376L, h.get().runsSixteenBitCases());
        Random rnd = new Random(0x66787376L);
        List<String> failures = new ArrayList<>();
        int compared = 0, failed = 0;
        try (NativeOracle host = h.get()) {
            KasouRunner kasou = new KasouRunner(jit);
            host.caseSelectors().ifPresent(kasou::useSelectors);
            for (int start = 0; start < CASES; start += NativeOracle.MAX_BATCH) {
                List<TestCase> batch = new ArrayList<>();
                for (int i = start; i < Math.min(CASES, start + NativeOracle.MAX_BATCH); i++) {
                    batch.add(rnd.nextBoolean() ? afterX87Code(gen, i) : restoreThenSave(gen, rnd, i));
                }
                List<CaseResult> expected = host.run(batch);
                for (int i = 0; i < batch.size(); i++) {
                    TestCase tc = batch.get(i);
                    CaseResult hr = expected.get(i), kr = kasou.run(tc);
                    if (hr.status == CaseResult.Status.TIMEOUT) continue;
                    compared++;
                    if (hr.data != null && kr.data != null) {
                        for (int at : new int[] {SAVE_AT}) {
                            System.arraycopy(kr.data, at + 24, hr.data, at + 24, 8); // MXCSR, MXCSR_MASK
                            System.arraycopy(kr.data, at + 160, hr.data, at + 160, 512 - 160); // XMM, reserved
                        }
                    }
                    List<String> diffs = Comparison.differences(tc, hr, kr);
                    if (!diffs.isEmpty() && HostDeviation.explain(tc, hr, kr, diffs) == null) {
                        failed++;
                        if (failures.size() < 10) failures.add(Comparison.report(tc, hr, kr, diffs));
                    }
                }
            }
        }
        assertTrue(compared > CASES * 9 / 10, "too few cases compared: " + compared);
        assertEquals(0, failed, failed + " of " + compared + " FXSAVE/FXRSTOR cases differ" + (jit ? " with the JIT" : "")
                + ":\n" + String.join("\n", failures));
    }

    /** A generated x87 case, then FXSAVE [EBX + 0x400] ([BX + 0x400] in 16-bit code). */
    private static TestCase afterX87Code(X87CaseGenerator gen, int id) {
        TestCase tc = gen.next(id);
        while (endsWithTranscendental(tc)) tc = gen.next(id); // its last bit may differ (X87HostOracleTest)
        tc.gpr[3] = EBX;
        boolean code16 = (tc.mode & OracleLayout.MODE_CODE16) != 0;
        append(tc, code16 ? new byte[] {0x0F, (byte) 0xAE, (byte) 0x87, 0x00, 0x04} // [bx + 0x400]
                : new byte[] {0x0F, (byte) 0xAE, (byte) 0x83, 0x00, 0x04, 0x00, 0x00}, "fxsave");
        return tc;
    }

    /** FXRSTOR [EBX + 0x600] of a random image, then FXSAVE [EBX + 0x400]. */
    private static TestCase restoreThenSave(X87CaseGenerator gen, Random rnd, int id) {
        TestCase tc = new TestCase(id);
        for (int i = 0; i < 8; i++) tc.gpr[i] = rnd.nextInt();
        tc.gpr[3] = EBX;
        tc.gpr[4] = 0x7000;
        tc.fillSeed = rnd.nextInt();
        byte[] fsave = gen.randomFsaveState();
        byte[] fx = new byte[512];
        System.arraycopy(fsave, 0, fx, 0, 2); // FCW
        System.arraycopy(fsave, 4, fx, 2, 2); // FSW
        fx[4] = (byte) rnd.nextInt(256); // abridged tags
        for (int k = 6; k < 24; k++) fx[k] = (byte) rnd.nextInt(256); // FOP, FIP, FCS, FDP, FDS
        fx[7] &= 7;
        fx[14] = fx[15] = fx[22] = fx[23] = 0;
        fx[24] = (byte) 0x80; // MXCSR = 1F80, the host's default (reserved bits would be #GP there)
        fx[25] = 0x1F;
        for (int i = 0; i < 8; i++) System.arraycopy(fsave, 28 + 10 * i, fx, 32 + 16 * i, 10);
        tc.patch(RESTORE_FROM, fx);
        tc.code = new byte[0];
        append(tc, new byte[] {0x0F, (byte) 0xAE, (byte) 0x8B, 0x00, 0x06, 0x00, 0x00}, "fxrstor");
        append(tc, new byte[] {0x0F, (byte) 0xAE, (byte) 0x83, 0x00, 0x04, 0x00, 0x00}, "fxsave");
        return tc;
    }

    private static boolean endsWithTranscendental(TestCase tc) {
        int last = tc.insnOffsets[tc.insnOffsets.length - 1];
        return last + 1 < tc.code.length && (tc.code[last] & 0xFF) == 0xD9
                && X87CaseGenerator.isTranscendentalModrm(tc.code[last + 1] & 0xFF);
    }

    private static void append(TestCase tc, byte[] insn, String text) {
        int n = tc.insnOffsets.length;
        tc.insnOffsets = java.util.Arrays.copyOf(tc.insnOffsets, n + 1);
        tc.insnOffsets[n] = tc.code.length;
        tc.undefinedBefore = java.util.Arrays.copyOf(tc.undefinedBefore, n + 1);
        tc.undefinedAfter = java.util.Arrays.copyOf(tc.undefinedAfter, n + 1);
        tc.insnText = java.util.Arrays.copyOf(tc.insnText, n + 1);
        tc.insnText[n] = text;
        byte[] code = java.util.Arrays.copyOf(tc.code, tc.code.length + insn.length);
        System.arraycopy(insn, 0, code, tc.code.length, insn.length);
        tc.code = code;
    }
}
