package org.kasou.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Assertions on an operation's register result and status bits, printed in the SDM's hex. */
final class FpuAssert {
    private FpuAssert() {}

    static FpuResult control(int cw) {
        FpuResult r = new FpuResult();
        r.control = cw;
        return r;
    }

    static void assertValue(FpuResult r, int se, long sig, int status) {
        assertEquals(Ext80.toString(se, sig) + " " + Integer.toHexString(status),
                Ext80.toString(r.se, r.sig) + " " + Integer.toHexString(r.status & (r.codes | FpuStatus.EXCEPTIONS)));
    }
}
