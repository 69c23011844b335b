package org.kasou.conformance.oracle;

import java.util.List;

/**
 * Where the host CPU that serves as the oracle (an AMD EPYC here) departs from the Intel SDM, or
 * from the rule it follows in every related form, and kasou keeps to the SDM and that rule. A case whose only difference is one of these is counted apart, by name,
 * instead of as a failure; each is recognised by the instruction where the two part and by both
 * outcomes, so anything else still fails.
 */
public enum HostDeviation {
    /**
     * LOCK VERW: VERW is not among the instructions LOCK may prefix, so the SDM raises #UD; the
     * host ignores the prefix and runs VERW.
     */
    LOCK_VERW("LOCK VERW: #UD per the SDM (VERW cannot take LOCK), the host runs it"),
    /**
     * REPE CMPSB with both operands beyond their segments' limits: the host reports the source's
     * fault, while for CMPSB, CMPSW/D, REPNE CMPSB and REPE CMPSW/D it reports the ES:EDI
     * operand's (kasou does so for all of them; the SDM does not order the two checks). Seen
     * with an SS-overridden source, where the two faults differ (#SS against #GP).
     */
    REPE_CMPSB_SOURCE_FIRST("REPE CMPSB with both operands beyond their limits: the host reports the source's fault,"
            + " in every other CMPS form the ES:EDI operand's, as kasou does"),
    /**
     * FNSTENV/FNSAVE storing the x87 environment while no exception is pending: this AMD host keeps
     * the last instruction and data pointers (FIP, FCS, FOP, FDP, FDS) through the operating
     * system's FPU save and restore (FXSAVE/XSAVE) only while an exception is pending, so when the
     * oracle process is preempted between the x87 instruction and the store, the host's image holds
     * zeros where kasou (and an uninterrupted run of the same host) stores the pointers. Seen only
     * under load; a native program that sleeps between FDIVRP and FNSTENV reads FIP = 0 and
     * FCS/FOP = 0 on this host, and the values without the sleep.
     */
    X87_POINTERS_LOST_ON_PREEMPTION("FNSTENV/FNSAVE image: the host's instruction and data pointers are zero (lost when"
            + " the OS switched the FPU state without a pending exception), kasou stores them"),
    /**
     * FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1: kasou rounds the exact value of
     * the function (of the operand reduced by the hardware's 66-bit pi) once; the host rounds an
     * internal approximation that is off by up to about 0.1 ulp (FPTAN more), so near a rounding
     * boundary the two results differ by one in the last bit, or agree while C1 (rounded up)
     * differs. Recognised only when the case's last instruction is one of these and the x87 states
     * differ in nothing but C1 and register values one ulp apart.
     */
    X87_TRANSCENDENTAL_LAST_BIT("x87 transcendental: the host's result is not correctly rounded;"
            + " kasou's differs from it by one ulp or in C1 only");

    /** Why the outcomes differ. */
    public final String reason;

    HostDeviation(String reason) {
        this.reason = reason;
    }

    private static final int LOCK = 0xF0, REPE = 0xF3, CMPSB = 0xA6;

    /** The deviation that explains these differences of a case, or null. */
    public static HostDeviation explain(TestCase tc, CaseResult host, CaseResult kasou, List<String> differences) {
        if (x87PointersLost(tc, host, kasou, differences)) return X87_POINTERS_LOST_ON_PREEMPTION;
        if (transcendentalLastBit(tc, host, kasou, differences)) return X87_TRANSCENDENTAL_LAST_BIT;
        if (kasou.status != CaseResult.Status.EXCEPTION) return null;
        int at = kasou.eipOffset;
        if (at < 0 || at >= tc.code.length) return null;
        boolean lock = false, repe = false;
        int i = at;
        while (i < tc.code.length && isPrefix(tc.code[i] & 0xFF)) {
            lock |= (tc.code[i] & 0xFF) == LOCK;
            repe = (tc.code[i] & 0xFF) == REPE || (repe && (tc.code[i] & 0xFF) != 0xF2); // the last REP prefix counts
            i++;
        }
        if (i >= tc.code.length) return null;
        int opcode = tc.code[i] & 0xFF;
        if (kasou.vector == 6 && lock && opcode == 0x0F && i + 2 < tc.code.length && tc.code[i + 1] == 0x00
                && ((tc.code[i + 2] >> 3) & 7) == 5 && (host.status != CaseResult.Status.EXCEPTION || host.eipOffset > at)) {
            return LOCK_VERW;
        }
        if (opcode == CMPSB && repe && kasou.vector == 13 && host.status == CaseResult.Status.EXCEPTION
                && host.vector == 12 && host.eipOffset == at && host.errorCode == 0 && kasou.errorCode == 0
                && differences.size() == 1) {
            return REPE_CMPSB_SOURCE_FIRST;
        }
        return null;
    }

    /**
     * Only memory differs, every differing byte is zero on the host, at most the 12 bytes of the
     * pointer fields differ, and the case stores an x87 environment (D9 /6 or DD /6 with a memory
     * operand).
     */
    private static boolean x87PointersLost(TestCase tc, CaseResult host, CaseResult kasou, List<String> differences) {
        if (differences.size() != 1 || !differences.get(0).startsWith("memory:")) return false;
        if (host.data == null || kasou.data == null) return false;
        int differing = 0;
        for (int i = 0; i < host.data.length; i++) {
            if (host.data[i] == kasou.data[i]) continue;
            if (host.data[i] != 0) return false;
            differing++;
        }
        if (differing == 0 || differing > 12) return false;
        for (int i = 0; i + 1 < tc.code.length; i++) {
            int op = tc.code[i] & 0xFF, modrm = tc.code[i + 1] & 0xFF;
            if ((op == 0xD9 || op == 0xDD) && (modrm >> 6) != 3 && ((modrm >> 3) & 7) == 6) return true;
        }
        return false;
    }

    private static boolean transcendentalLastBit(TestCase tc, CaseResult host, CaseResult kasou, List<String> differences) {
        if (differences.size() != 1 || !differences.get(0).startsWith("x87:") || tc.insnOffsets.length == 0) return false;
        int last = tc.insnOffsets[tc.insnOffsets.length - 1];
        if (last + 1 >= tc.code.length || (tc.code[last] & 0xFF) != 0xD9
                || !X87CaseGenerator.isTranscendentalModrm(tc.code[last + 1] & 0xFF)) return false;
        return X87Ulps.lastBitOnly(host.fpu.withoutPointers(), kasou.fpu.withoutPointers());
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
}
