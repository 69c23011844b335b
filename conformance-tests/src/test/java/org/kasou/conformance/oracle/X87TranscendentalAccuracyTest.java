package org.kasou.conformance.oracle;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X and FYL2XP1 on finite operands in and around
 * their ranges, each instruction alone, on the host CPU and on kasou (interpreter and JIT), with
 * random rounding and precision control. The host's results are not correctly rounded (its
 * internal approximation errs by up to about 0.1 ulp, FPTAN's more), kasou's are, so the two may
 * differ in the last bit or in C1 near a rounding boundary: every case must agree in everything
 * else and within one ulp, and most must be bit-identical. The measured shares go to
 * target/oracle/x87-transcendentals-*.txt. {@code -Dkasou.x87.transcendental.cases=N} per instruction.
 */
class X87TranscendentalAccuracyTest {
    private static final int CASES = Integer.getInteger("kasou.x87.transcendental.cases", 3000);
    /**
     * Bit-identical share (everything, C1 included) each instruction must reach, in percent.
     * Measured: 96-99.8% for all but FPTAN, whose C1 on tiny operands (where tan(x) rounds to x)
     * is set in about half the cases with no pattern in the operand's bits, and whose internal
     * value is the least accurate: about 76% with this distribution.
     */
    private static double minIdenticalPercent(Function fn) {
        return fn == Function.FPTAN ? 70 : 95;
    }

    private enum Function {
        FSIN(0xFE, false), FCOS(0xFF, false), FSINCOS(0xFB, false), FPTAN(0xF2, false),
        FPATAN(0xF3, true), F2XM1(0xF0, false), FYL2X(0xF1, true), FYL2XP1(0xF9, true);

        final int modrm;
        final boolean twoOperands;

        Function(int modrm, boolean twoOperands) {
            this.modrm = modrm;
            this.twoOperands = twoOperands;
        }
    }

    @Test
    @Timeout(1800)
    void interpreterWithinOneUlpOfTheHost() throws IOException {
        measure(false);
    }

    @Test
    @Timeout(1800)
    void jitWithinOneUlpOfTheHost() throws IOException {
        measure(true);
    }

    private static void measure(boolean jit) throws IOException {
        Optional<NativeOracle> h = NativeOracle.startForX87(Path.of("target", "oracle"), 60);
        assumeTrue(h.isPresent(), "no host helper runs here (gcc, 32-bit execution or, for the 64-bit one, root): host oracle skipped");
        StringBuilder table = new StringBuilder(String.format("%-8s %7s %9s %8s %8s %7s %7s%n",
                "insn", "cases", "identical", "C1 only", "1 ulp", "worse", "max ulp"));
        List<String> failures = new ArrayList<>();
        try (NativeOracle host = h.get()) {
            KasouRunner kasou = new KasouRunner(jit);
            host.caseSelectors().ifPresent(kasou::useSelectors);
            Random rnd = new Random(0x7472616E73L);
            for (Function fn : Function.values()) {
                int identical = 0, c1Only = 0, oneUlp = 0, worse = 0;
                long maxUlp = 0;
                for (int start = 0; start < CASES; start += NativeOracle.MAX_BATCH) {
                    List<TestCase> batch = new ArrayList<>();
                    for (int i = start; i < Math.min(CASES, start + NativeOracle.MAX_BATCH); i++) batch.add(testCase(i, fn, rnd));
                    List<CaseResult> expected = host.run(batch);
                    for (int i = 0; i < batch.size(); i++) {
                        TestCase tc = batch.get(i);
                        CaseResult hr = expected.get(i), kr = kasou.run(tc);
                        if (hr.status == CaseResult.Status.TIMEOUT) continue;
                        List<String> diffs = Comparison.differences(tc, hr, kr);
                        X87State hs = hr.fpu == null ? null : hr.fpu.withoutPointers();
                        X87State ks = kr.fpu == null ? null : kr.fpu.withoutPointers();
                        if (diffs.isEmpty()) {
                            identical++;
                            continue;
                        }
                        boolean lastBit = diffs.size() == 1 && hs != null && ks != null && X87Ulps.lastBitOnly(hs, ks);
                        long ulps = lastBit ? registerUlps(hs, ks) : Long.MAX_VALUE;
                        if (lastBit && ulps == 0) {
                            c1Only++;
                        } else if (lastBit) {
                            oneUlp++;
                            maxUlp = Math.max(maxUlp, ulps);
                        } else {
                            worse++;
                            if (failures.size() < 10) failures.add(Comparison.report(tc, hr, kr, diffs));
                        }
                    }
                }
                int n = identical + c1Only + oneUlp + worse;
                double share = 100.0 * identical / Math.max(1, n);
                table.append(String.format("%-8s %7d %8.2f%% %8d %8d %7d %7d%n", fn, n, share, c1Only, oneUlp, worse, maxUlp));
                if (share < minIdenticalPercent(fn)) failures.add(fn + ": only " + share + "% bit-identical");
            }
        }
        Path out = Path.of("target", "oracle", "x87-transcendentals-" + (jit ? "jit" : "interpreter") + ".txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table);
        assertTrue(failures.isEmpty(), table + String.join("\n", failures));
    }

    /** The largest ulp distance between the two states' registers. */
    private static long registerUlps(X87State a, X87State b) {
        long max = 0;
        for (int i = 0; i < 8; i++) {
            byte[] x = a.st(i), y = b.st(i);
            max = Math.max(max, X87Ulps.distance(se(x), sig(x), se(y), sig(y)));
        }
        return max;
    }

    private static int se(byte[] r) {
        return (r[8] & 0xFF) | (r[9] & 0xFF) << 8;
    }

    private static long sig(byte[] r) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (r[i] & 0xFF);
        return v;
    }

    /** One instruction on ST(0) = x (and ST(1) = y), the other registers empty. */
    private static TestCase testCase(int id, Function fn, Random rnd) {
        TestCase tc = new TestCase(id);
        tc.gpr[4] = 0x7000;
        tc.code = new byte[] {(byte) 0xD9, (byte) fn.modrm};
        tc.insnOffsets = new int[] {0};
        tc.undefinedBefore = new int[1];
        tc.undefinedAfter = new int[1];
        tc.insnText = new String[] {fn.name().toLowerCase()};
        int x = switch (fn) {
            case FSIN, FCOS, FSINCOS, FPTAN -> rnd.nextInt(8) == 0 ? rnd.nextInt(63) : rnd.nextInt(72) - 70;
            case F2XM1, FYL2XP1 -> -2 - rnd.nextInt(70);
            case FYL2X -> rnd.nextInt(200) - 100;
            default -> rnd.nextInt(140) - 70;
        };
        int xSign = fn == Function.FYL2X || rnd.nextBoolean() ? 0 : 0x8000;
        int y = rnd.nextInt(40) - 20;
        byte[] b = new byte[OracleLayout.FSAVE_SIZE];
        int cw = 0x7F | rnd.nextInt(4) << 8 | rnd.nextInt(4) << 10;
        put(b, 0, cw | 0xFFFF0000L, 4);
        put(b, 4, 0xFFFF0000L, 4);
        put(b, 8, 0xFFF0 | 0xFFFF0000L, 4); // ST(0), ST(1) valid at TOP = 0
        put(b, 28, rnd.nextLong() | Long.MIN_VALUE, 8);
        put(b, 36, xSign | (0x3FFF + x), 2);
        put(b, 38, rnd.nextLong() | Long.MIN_VALUE, 8);
        put(b, 46, (rnd.nextBoolean() ? 0x8000 : 0) | (0x3FFF + y), 2);
        tc.fpu = b;
        return tc;
    }

    private static void put(byte[] b, int off, long v, int n) {
        for (int k = 0; k < n; k++) b[off + k] = (byte) (v >>> (8 * k));
    }
}
