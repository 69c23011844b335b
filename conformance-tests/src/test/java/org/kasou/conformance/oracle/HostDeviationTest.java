package org.kasou.conformance.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The named host deviations are recognised exactly: by the instruction and by both outcomes. */
class HostDeviationTest {
    private static TestCase code(int... bytes) {
        TestCase tc = new TestCase(1);
        tc.code = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) tc.code[i] = (byte) bytes[i];
        return tc;
    }

    private static CaseResult fault(int vector, int at) {
        CaseResult r = new CaseResult();
        r.status = CaseResult.Status.EXCEPTION;
        r.vector = vector;
        r.eipOffset = at;
        return r;
    }

    private static CaseResult completed(int at) {
        CaseResult r = new CaseResult();
        r.status = CaseResult.Status.COMPLETED;
        r.eipOffset = at;
        return r;
    }

    @Test
    void lockVerw() {
        TestCase tc = code(0xF0, 0x0F, 0x00, 0xE8, 0xF4); // lock verw ax
        assertEquals(HostDeviation.LOCK_VERW, HostDeviation.explain(tc, completed(5), fault(6, 0), List.of("outcome", "eflags")));
        assertNull(HostDeviation.explain(code(0xF0, 0x0F, 0x00, 0xE0, 0xF4), completed(5), fault(6, 0), List.of("outcome")),
                "LOCK VERR (/4) is not the deviation seen");
        assertNull(HostDeviation.explain(code(0x0F, 0x00, 0xE8, 0xF4), completed(4), fault(6, 0), List.of("outcome")),
                "no LOCK");
        assertNull(HostDeviation.explain(tc, fault(6, 0), fault(6, 0), List.of("eflags")), "the host also raised #UD");
    }

    @Test
    void repeCmpsbReportsItsSourceFirst() {
        List<String> one = List.of("outcome");
        assertEquals(HostDeviation.REPE_CMPSB_SOURCE_FIRST,
                HostDeviation.explain(code(0x90, 0x36, 0xF3, 0xA6, 0xF4), fault(12, 1), fault(13, 1), one));
        assertNull(HostDeviation.explain(code(0x90, 0x36, 0xA6, 0xF4), fault(12, 1), fault(13, 1), one), "no REPE");
        assertNull(HostDeviation.explain(code(0x90, 0x36, 0xF2, 0xA6, 0xF4), fault(12, 1), fault(13, 1), one), "REPNE");
        assertNull(HostDeviation.explain(code(0x90, 0x36, 0xF3, 0xA7, 0xF4), fault(12, 1), fault(13, 1), one), "CMPSD");
        assertNull(HostDeviation.explain(code(0x90, 0x36, 0xF3, 0xA6, 0xF4), fault(13, 1), fault(12, 1), one), "the other way round");
        assertNull(HostDeviation.explain(code(0x90, 0x36, 0xF3, 0xA6, 0xF4), fault(12, 1), fault(13, 1), List.of("outcome", "esi")),
                "other differences too");
    }

    private static CaseResult withData(CaseResult r, int... bytes) {
        r.data = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) r.data[i] = (byte) bytes[i];
        return r;
    }

    @Test
    void x87PointersLostOnPreemption() {
        TestCase fnstenv = code(0xDE, 0xF1, 0xD9, 0x30, 0xF4); // fdivrp; fnstenv [eax]
        List<String> mem = List.of("memory: 2 bytes differ");
        assertEquals(HostDeviation.X87_POINTERS_LOST_ON_PREEMPTION,
                HostDeviation.explain(fnstenv, withData(completed(5), 7, 0, 0, 9), withData(completed(5), 7, 0x23, 0x10, 9), mem));
        assertNull(HostDeviation.explain(fnstenv, withData(completed(5), 7, 1, 0, 9), withData(completed(5), 7, 0x23, 0x10, 9), mem),
                "a byte the host did not leave zero");
        assertNull(HostDeviation.explain(code(0xDE, 0xF1, 0xD9, 0x38, 0xF4), withData(completed(5), 7, 0, 0, 9),
                withData(completed(5), 7, 0x23, 0x10, 9), mem), "FNSTCW (D9 /7) stores no pointers");
        assertNull(HostDeviation.explain(fnstenv, withData(completed(5), 7, 0, 0, 9), withData(completed(5), 7, 0x23, 0x10, 9),
                List.of("memory: 2 bytes differ", "eax: host 0, kasou 1")), "other differences too");
        int[] host = new int[40], kasou = new int[40];
        for (int i = 0; i < 13; i++) kasou[i] = 1;
        assertNull(HostDeviation.explain(fnstenv, withData(completed(5), host), withData(completed(5), kasou), mem),
                "more bytes than the pointer fields hold");
    }
}
