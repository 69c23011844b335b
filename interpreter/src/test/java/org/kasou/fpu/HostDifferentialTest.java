package org.kasou.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The core against the host CPU's x87, case by case: every operation, random and edge-case
 * operands, every rounding mode, precision and mask combination. -Dkasou.fpu.cases=N sets the
 * number of cases (default 300,000), -Dkasou.fpu.seed the seed.
 */
class HostDifferentialTest {
    private static final int SHOWN_PER_OP = 3;

    @Test
    void coreMatchesTheHost() throws Exception {
        String[] why = new String[1];
        Optional<HostX87> started = HostX87.start(why);
        assumeTrue(started.isPresent(), () -> why[0]);
        int total = Integer.getInteger("kasou.fpu.cases", 300_000);
        long seed = Long.getLong("kasou.fpu.seed", 0x87L);
        X87CaseGenerator generator = new X87CaseGenerator(seed);
        CoreModel core = new CoreModel();
        X87TestOp[] ops = X87TestOp.values();
        Map<X87TestOp, Integer> mismatches = new EnumMap<>(X87TestOp.class);
        Map<X87TestOp, Integer> seen = new EnumMap<>(X87TestOp.class);
        StringBuilder shown = new StringBuilder();
        try (HostX87 host = started.get()) {
            List<X87Case> batch = new ArrayList<>(HostX87.BATCH);
            for (int done = 0; done < total; done += batch.size()) {
                batch.clear();
                for (int i = 0; i < Math.min(HostX87.BATCH, total - done); i++) {
                    batch.add(generator.next(ops[(done + i) % ops.length]));
                }
                X87Outcome[] expected = host.run(batch);
                for (int i = 0; i < batch.size(); i++) {
                    X87Case c = batch.get(i);
                    X87Outcome want = comparable(c, expected[i]), got = comparable(c, core.run(c));
                    seen.merge(c.op(), want.status() & (FpuStatus.EXCEPTIONS | FpuStatus.ES), (x, y) -> x | y);
                    if (!want.sameAs(got)) {
                        int n = mismatches.merge(c.op(), 1, Integer::sum);
                        if (n <= SHOWN_PER_OP) {
                            shown.append('\n').append(c).append("\n  host ").append(want).append("\n  core ").append(got);
                        }
                    }
                }
            }
        }
        assertEquals(Map.of(), mismatches, () -> "mismatches of " + total + " cases (seed " + seed + "):" + shown);
        if (total >= 100_000) {
            for (X87TestOp op : ops) {
                int want = reachable(op);
                assertEquals(want, seen.getOrDefault(op, 0) & want, () -> op + ": the cases never raised some of "
                        + Integer.toHexString(want) + " on the host");
            }
        }
    }

    /** Exceptions (and ES, some unmasked) that enough random cases of each operation must reach. */
    private static int reachable(X87TestOp op) {
        int ie = FpuStatus.IE, de = FpuStatus.DE, ze = FpuStatus.ZE, oe = FpuStatus.OE, ue = FpuStatus.UE,
                pe = FpuStatus.PE, es = FpuStatus.ES;
        return switch (op) {
            case FADD, FSUB, FMUL, FSCALE -> ie | de | oe | ue | pe | es;
            case FDIV -> ie | de | ze | oe | ue | pe | es;
            case FSQRT, FRNDINT, FADD_M32, FMUL_M64, FDIVR_M32, FSUB_M64 -> ie | de | pe | es;
            case FIADD_M16, FIDIV_M32 -> ie | pe | es;
            case FCOM_M32 -> ie | de | es;
            case FXTRACT -> ie | de | ze | es;
            case FPREM, FPREM1, FCOM, FUCOM, FCOMI, FUCOMI, FTST, FLD_M32, FLD_M64 -> ie | de | es;
            case FSTP_M32, FSTP_M64 -> ie | oe | ue | pe | es;
            case FISTP_M16, FISTP_M32, FISTP_M64, FBSTP -> ie | pe | es;
            default -> 0;
        };
    }

    /** A store pops into a register whose stale contents the program does not control. */
    private static X87Outcome comparable(X87Case c, X87Outcome o) {
        if (!c.op().storesMemory()) return o;
        return new X87Outcome(o.st0Se(), o.st0Sig(), 0, 0, o.status(), o.eflags(), o.memory());
    }
}
