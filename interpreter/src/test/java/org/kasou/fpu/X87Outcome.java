package org.kasou.fpu;

import java.util.Arrays;

/** What one x87 operation leaves visible: ST(0), ST(1), the status word, EFLAGS and memory. */
record X87Outcome(int st0Se, long st0Sig, int st1Se, long st1Sig, int status, int eflags, byte[] memory) {
    /** ZF, PF and CF: what FCOMI writes. */
    static final int COMPARE_EFLAGS = 0x45;

    boolean sameAs(X87Outcome o) {
        return st0Se == o.st0Se && st0Sig == o.st0Sig && st1Se == o.st1Se && st1Sig == o.st1Sig
                && status == o.status && (eflags & COMPARE_EFLAGS) == (o.eflags & COMPARE_EFLAGS)
                && Arrays.equals(memory, o.memory);
    }

    @Override
    public String toString() {
        StringBuilder m = new StringBuilder();
        for (int i = 9; i >= 0; i--) m.append(String.format("%02x", memory[i] & 0xFF));
        return String.format("st0=%s st1=%s sw=%04x fl=%02x mem=%s", Ext80.toString(st0Se, st0Sig),
                Ext80.toString(st1Se, st1Sig), status, eflags & COMPARE_EFLAGS, m);
    }
}
