package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.cpu.TestCpus;
import org.junit.jupiter.api.Test;

/**
 * Two CPUs over one physical memory, each run by a Java thread of its own (the threads of a guest
 * process): LOCK'd instructions and XCHG stay atomic between them, also against plain stores, and
 * code one CPU writes is not run stale by the other.
 */
class SharedMemoryCpusTest {
    private static final int ITERATIONS = 20000;
    private static final int COUNTER = 0x20000, LOCK = 0x20010, GUARDED = 0x20020;

    /** A second CPU over the harness's memory, in the same flat 32-bit state. */
    private static Cpu second(GuestHarness h) {
        Cpu c = TestCpus.create(h.phys, h.io);
        CpuState s = c.state, o = h.s;
        s.gdtrBase = o.gdtrBase;
        s.gdtrLimit = o.gdtrLimit;
        s.idtrBase = o.idtrBase;
        s.idtrLimit = o.idtrLimit;
        s.cr0 = o.cr0;
        for (int r = Segment.ES; r <= Segment.GS; r++) s.seg[r].copyFrom(o.seg[r]);
        c.memory.flushTlb();
        return c;
    }

    /** Runs {@code cpu} from {@code eip} with {@code esp} on a new thread until it halts. */
    private static Thread start(Cpu cpu, int eip, int esp, StopReason[] outcome, int slot) {
        cpu.state.eip = eip;
        cpu.state.gpr[CpuState.ESP] = esp;
        cpu.state.gpr[CpuState.EAX] = 0;
        cpu.state.halted = false; // the HLT that ended the last run
        Thread t = new Thread(() -> outcome[slot] = cpu.run(1L << 26));
        t.start();
        return t;
    }

    @Test
    void lockedAddAndAnXchgSpinLockCountEveryIteration() throws Exception {
        GuestHarness h = GuestHarness.flat32();
        // loop: lock xadd [COUNTER], 1; spin: xchg [LOCK], 1 until 0; inc [GUARDED]; mov [LOCK], 0 (a plain store)
        h.code("B9 20 4E 00 00 B8 01 00 00 00 F0 0F C1 05 00 00 02 00 B8 01 00 00 00 87 05 10 00 02 00 85 C0 75 F1"
                + " FF 05 20 00 02 00 C7 05 10 00 02 00 00 00 00 00 49 75 D1 F4");
        Cpu other = second(h);
        StopReason[] outcome = new StopReason[2];
        Thread a = start(h.cpu, GuestHarness.CODE, GuestHarness.STACK_TOP, outcome, 0);
        Thread b = start(other, GuestHarness.CODE, GuestHarness.STACK_TOP - 0x1000, outcome, 1);
        a.join(60_000);
        b.join(60_000);
        assertFalse(a.isAlive() || b.isAlive(), "a CPU never halted: an update was lost");
        assertEquals(StopReason.HALTED, outcome[0]);
        assertEquals(StopReason.HALTED, outcome[1]);
        assertEquals(2 * ITERATIONS, h.phys.read32(COUNTER));
        assertEquals(2 * ITERATIONS, h.phys.read32(GUARDED));
        assertEquals(0, h.phys.read32(LOCK));
        assertTrue(h.phys.sharedByCpus());
    }

    @Test
    void codeWrittenByOneCpuIsNotRunStaleByTheOther() throws Exception {
        GuestHarness h = GuestHarness.flat32();
        int f = 0x30000, writer = 0x40000;
        h.phys.load(f, GuestHarness.hex("B8 01 00 00 00 C3"), 0, 6);                   // f: mov eax, 1; ret
        h.phys.load(GuestHarness.CODE, GuestHarness.hex("E8 FB FF 01 00 F4"), 0, 6);  // call f; hlt
        h.phys.load(writer, GuestHarness.hex("C6 05 01 00 03 00 02 F4"), 0, 8);       // mov byte [f + 1], 2; hlt
        Cpu other = second(h);
        StopReason[] outcome = new StopReason[2];
        for (int i = 0; i < 20; i++) { // often enough for an engine to compile f
            start(h.cpu, GuestHarness.CODE, GuestHarness.STACK_TOP, outcome, 0).join();
            assertEquals(StopReason.HALTED, outcome[0]);
            assertEquals(1, h.r[CpuState.EAX]);
        }
        start(other, writer, GuestHarness.STACK_TOP - 0x1000, outcome, 1).join();
        assertEquals(StopReason.HALTED, outcome[1]);
        start(h.cpu, GuestHarness.CODE, GuestHarness.STACK_TOP, outcome, 0).join();
        assertEquals(StopReason.HALTED, outcome[0]);
        assertEquals(2, h.r[CpuState.EAX], "the other CPU's write reached this CPU's decoded code");
    }
}
