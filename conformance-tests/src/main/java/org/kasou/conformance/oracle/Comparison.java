package org.kasou.conformance.oracle;

import java.util.ArrayList;
import java.util.List;
import org.kasou.cpu.Flags;

/**
 * Compares kasou's outcome of a case with the host's: the exception (vector, error code, EIP),
 * the eight registers, the arithmetic flags and DF except those that may be undefined where the
 * code stopped, the data region, and the x87 state when both sides report one.
 */
public final class Comparison {
    private static final String[] REG = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] SREG = {"es", "cs", "ss", "ds", "fs", "gs"};
    private static final int COMPARED_FLAGS = Flags.ARITH | Flags.DF;

    private Comparison() {}

    /** The arithmetic flags that may be undefined when execution stopped at {@code eipOffset}. */
    static int undefinedAt(TestCase tc, int eipOffset) {
        if (eipOffset == tc.code.length && tc.undefinedBefore.length > tc.insnOffsets.length) {
            return tc.undefinedBefore[tc.insnOffsets.length];
        }
        int i = tc.insnAt(eipOffset);
        if (i >= 0 && i < tc.undefinedBefore.length) return tc.undefinedBefore[i];
        int all = 0; // somewhere unexpected: every flag any path may leave undefined
        for (int u : tc.undefinedBefore) all |= u;
        return all;
    }

    /** The differences, empty when kasou agrees with the host. */
    public static List<String> differences(TestCase tc, CaseResult host, CaseResult kasou) {
        List<String> d = new ArrayList<>();
        if (host.status != kasou.status || (host.status == CaseResult.Status.EXCEPTION
                && (host.vector != kasou.vector || host.eipOffset != kasou.eipOffset
                    || (CaseResult.hasErrorCode(host.vector) && errorCode(host) != errorCode(kasou))))) {
            d.add("outcome: host " + host.outcome() + ", kasou " + kasou.outcome());
        }
        if (host.instructions >= 0 && kasou.instructions >= 0
                && (host.instructions != kasou.instructions || host.eipOffset != kasou.eipOffset)) {
            // two kasou engines: they stop at the same instruction, also on an exhausted budget
            d.add(String.format("stopped after %d instructions at +%x, and after %d at +%x",
                    host.instructions, host.eipOffset, kasou.instructions, kasou.eipOffset));
        }
        if (kasou.status == CaseResult.Status.CRASH || kasou.status == CaseResult.Status.SHUTDOWN) return d;
        for (int r = 0; r < 8; r++) {
            if (host.gpr[r] != kasou.gpr[r]) {
                d.add(String.format("%s: host %08x, kasou %08x", REG[r], host.gpr[r], kasou.gpr[r]));
            }
        }
        for (int i = 0; i < 6; i++) {
            if (host.sreg[i] != kasou.sreg[i]) {
                d.add(String.format("%s: host %04x, kasou %04x", SREG[i], host.sreg[i], kasou.sreg[i]));
            }
        }
        int mask = COMPARED_FLAGS & ~undefinedAt(tc, host.eipOffset);
        if (((host.eflags ^ kasou.eflags) & mask) != 0) {
            d.add(String.format("eflags (compared %s): host %s, kasou %s", flagNames(mask),
                    flagNames(host.eflags & mask), flagNames(kasou.eflags & mask)));
        }
        int shown = 0, differing = 0;
        StringBuilder mem = new StringBuilder();
        for (int i = 0; i < host.data.length; i++) {
            if (host.data[i] != kasou.data[i]) {
                differing++;
                if (shown++ < 8) {
                    mem.append(String.format(" [%04x] host %02x kasou %02x;", i, host.data[i] & 0xFF, kasou.data[i] & 0xFF));
                }
            }
        }
        if (differing > 0) d.add("memory: " + differing + " bytes differ (region offsets):" + mem);
        if (host.fpu != null && kasou.fpu != null && !host.fpu.withoutPointers().equals(kasou.fpu.withoutPointers())) {
            d.add("x87: host " + host.fpu + ", kasou " + kasou.fpu);
        }
        return d;
    }

    /** The host reports #PF error codes of a user-mode access (U=1); kasou's handlers agree on the rest. */
    private static int errorCode(CaseResult r) {
        return r.vector == 14 ? r.errorCode & ~4 : r.errorCode;
    }

    static String flagNames(int f) {
        StringBuilder b = new StringBuilder();
        String[] names = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "", "", "DF", "OF"};
        for (int i = 0; i < names.length; i++) {
            if (!names[i].isEmpty() && (f & (1 << i)) != 0) b.append(b.length() > 0 ? "|" : "").append(names[i]);
        }
        return b.length() == 0 ? "-" : b.toString();
    }

    /** A full report of one failing case: instructions, bytes, initial state, both outcomes, differences. */
    public static String report(TestCase tc, CaseResult host, CaseResult kasou, List<String> diffs) {
        StringBuilder b = new StringBuilder();
        b.append("case ").append(tc.id).append(":\n");
        for (int i = 0; i < tc.insnOffsets.length; i++) {
            b.append(String.format("  +%03x  %s%n", tc.insnOffsets[i], i < tc.insnText.length ? tc.insnText[i] : ""));
        }
        b.append("  initial:");
        for (int r = 0; r < 8; r++) b.append(String.format(" %s=%08x", REG[r], tc.gpr[r]));
        b.append(String.format(" flags=%s fill=%08x patches=%d%n", flagNames(tc.eflags & COMPARED_FLAGS), tc.fillSeed, tc.patches.size()));
        if (tc.fpu != null) b.append("  x87 in: ").append(new X87State(tc.fpu)).append('\n');
        for (TestCase.Patch p : tc.patches) {
            if (p.bytes().length <= 16) {
                b.append(String.format("    data[%04x] = %s%n", p.offset(), java.util.HexFormat.ofDelimiter(" ").formatHex(p.bytes())));
            }
        }
        b.append("  host:  ").append(state(host)).append('\n');
        b.append("  kasou: ").append(state(kasou)).append('\n');
        for (String d : diffs) b.append("  DIFF ").append(d).append('\n');
        return b.toString();
    }

    private static String state(CaseResult r) {
        StringBuilder b = new StringBuilder(r.outcome());
        for (int i = 0; i < 8; i++) b.append(String.format(" %s=%08x", REG[i], r.gpr[i]));
        b.append(" flags=").append(flagNames(r.eflags & COMPARED_FLAGS));
        return b.toString();
    }
}
