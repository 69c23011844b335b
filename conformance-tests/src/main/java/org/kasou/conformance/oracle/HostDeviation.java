package org.kasou.conformance.oracle;

import java.util.List;

/**
 * Where the host CPU that serves as the oracle (an AMD EPYC here) departs from the Intel SDM and
 * kasou follows the SDM. A case whose only difference is one of these is counted apart, by name,
 * instead of as a failure; each is recognised by the instruction where the two part and by both
 * outcomes, so anything else still fails.
 */
public enum HostDeviation {
    /**
     * A string instruction whose source is addressed through an SS override and lies beyond the
     * SS limit: the SDM (vol. 2, MOVS/CMPS/LODS/OUTS, protected-mode exceptions) raises #SS(0) for
     * an illegal address in the SS segment; the host raises #GP(0).
     */
    STRING_SOURCE_BEYOND_SS_LIMIT("a string instruction's SS-overridden source beyond the SS limit: #SS(0) per the SDM, the host raises #GP(0)"),
    /**
     * LOCK VERW: VERW is not among the instructions LOCK may prefix, so the SDM raises #UD; the
     * host ignores the prefix and runs VERW.
     */
    LOCK_VERW("LOCK VERW: #UD per the SDM (VERW cannot take LOCK), the host runs it");

    /** Why the outcomes differ. */
    public final String reason;

    HostDeviation(String reason) {
        this.reason = reason;
    }

    private static final int SS_OVERRIDE = 0x36, LOCK = 0xF0;

    /** The deviation that explains these differences of a case, or null. */
    public static HostDeviation explain(TestCase tc, CaseResult host, CaseResult kasou, List<String> differences) {
        if (kasou.status != CaseResult.Status.EXCEPTION) return null;
        int at = kasou.eipOffset;
        if (at < 0 || at >= tc.code.length) return null;
        boolean ss = false, lock = false;
        int i = at;
        while (i < tc.code.length && isPrefix(tc.code[i] & 0xFF)) {
            ss |= (tc.code[i] & 0xFF) == SS_OVERRIDE;
            lock |= (tc.code[i] & 0xFF) == LOCK;
            i++;
        }
        if (i >= tc.code.length) return null;
        int opcode = tc.code[i] & 0xFF;
        if (kasou.vector == 12 && host.status == CaseResult.Status.EXCEPTION && host.vector == 13
                && host.eipOffset == at && host.errorCode == 0 && kasou.errorCode == 0 && differences.size() == 1
                && ss && isStringWithSource(opcode)) {
            return STRING_SOURCE_BEYOND_SS_LIMIT;
        }
        if (kasou.vector == 6 && lock && opcode == 0x0F && i + 2 < tc.code.length && tc.code[i + 1] == 0x00
                && ((tc.code[i + 2] >> 3) & 7) == 5 && (host.status != CaseResult.Status.EXCEPTION || host.eipOffset > at)) {
            return LOCK_VERW;
        }
        return null;
    }

    private static boolean isPrefix(int b) {
        switch (b) {
            case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65: case 0x66: case 0x67:
            case 0xF0: case 0xF2: case 0xF3:
                return true;
            default:
                return false;
        }
    }

    /** MOVS, CMPS, LODS, OUTS: the string instructions that read DS:[E]SI, which an override can change. */
    private static boolean isStringWithSource(int opcode) {
        return opcode == 0xA4 || opcode == 0xA5 || opcode == 0xA6 || opcode == 0xA7 || opcode == 0xAC || opcode == 0xAD
                || opcode == 0x6E || opcode == 0x6F;
    }
}
