package org.kasou.conformance.sst;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** What happened when one test ran: how the run stopped and every difference from the capture. */
public final class SstOutcome {
    /** One observed value that differs from the expected one. */
    public record Mismatch(String what, int expected, int actual, int width) {
        @Override
        public String toString() {
            String fmt = "%0" + width + "X";
            return what + ": expected " + String.format(fmt, expected) + ", got " + String.format(fmt, actual);
        }
    }

    /** No exception vector could be identified from the final state. */
    public static final int NO_VECTOR = -1;

    public final SstTest test;
    /** The test file it came from, set by the suite for reports. */
    public String file;
    /** How the run ended: HALTED, BUDGET_EXHAUSTED, SHUTDOWN, STOP_REQUESTED or "exception: ...". */
    public final String stop;
    public final long instructions;
    /**
     * The exception vector the CPU delivered when it ran into one of the runner's sentinel
     * handlers (installed for every vector whose IVT entry the test does not supply), else
     * {@link #NO_VECTOR}.
     */
    public final int sentinelVector;
    /** Registers after the run, in {@link SstTest#REG_NAMES} order (full 32-bit GPR values). */
    public final int[] actualRegs;
    public final List<Mismatch> mismatches;
    public final int flagsMask;

    SstOutcome(SstTest test, String stop, long instructions, int sentinelVector, int[] actualRegs,
               List<Mismatch> mismatches, int flagsMask) {
        this.test = test;
        this.stop = stop;
        this.instructions = instructions;
        this.sentinelVector = sentinelVector;
        this.actualRegs = actualRegs;
        this.mismatches = mismatches == null ? Collections.emptyList() : mismatches;
        this.flagsMask = flagsMask;
    }

    /** This outcome with one more mismatch. */
    SstOutcome with(Mismatch extra) {
        List<Mismatch> all = new ArrayList<>(mismatches);
        all.add(extra);
        SstOutcome o = new SstOutcome(test, stop, instructions, sentinelVector, actualRegs, all, flagsMask);
        o.file = file;
        return o;
    }

    public boolean passed() {
        return mismatches.isEmpty() && "HALTED".equals(stop);
    }

    /** Names of the mismatched items ("ax", "flags", "ram[0A1B2]", ...). */
    public List<String> mismatchedNames() {
        List<String> names = new ArrayList<>(mismatches.size());
        for (Mismatch m : mismatches) {
            names.add(m.what());
        }
        return names;
    }

    /** Whether every mismatch is one of the given register names (and the run halted normally). */
    public boolean onlyRegistersDiffer(String... regs) {
        if (!"HALTED".equals(stop) || mismatches.isEmpty()) {
            return false;
        }
        outer:
        for (Mismatch m : mismatches) {
            for (String r : regs) {
                if (m.what().equals(r)) {
                    continue outer;
                }
            }
            return false;
        }
        return true;
    }
}
