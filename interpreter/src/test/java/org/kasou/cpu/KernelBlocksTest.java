package org.kasou.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.sys.SysFixture;

/**
 * With an engine installed, blocks end at conditional branches so that the engine sees every place
 * a branch leads to as a block start, except in a paged kernel's code (CPL 0, paging on), which
 * the engine mostly leaves to the interpreter: there a branch not taken goes on in its block.
 */
class KernelBlocksTest {
    static final int CODE = 0x20000;
    /** mov ecx, 1000; loop: test cl, 1; jz skip; inc ebx; skip: dec ecx; jnz loop; hlt. */
    static final byte[] LOOP = {
        (byte) 0xB9, (byte) 0xE8, 0x03, 0x00, 0x00, (byte) 0xF6, (byte) 0xC1, 0x01, 0x74, 0x01, 0x43, 0x49, 0x75, (byte) 0xF7, (byte) 0xF4
    };
    /** The INC after the JZ: a block start only where blocks end at branches. */
    static final int AFTER_JZ = CODE + 10;

    /** Instructions before the HLT: the MOV, 500 odd turns of 5 and 500 even turns of 4. */
    static final int RETIRED = 1 + 500 * 5 + 500 * 4;

    private static RecordingEngine run(SysFixture f) {
        RecordingEngine engine = new RecordingEngine(null);
        f.cpu.interpreter().setEngine(engine);
        f.phys.load(CODE, LOOP, 0, LOOP.length);
        f.s.eip = CODE;
        // Up to the HLT (which would fault at CPL 3).
        assertEquals(StopReason.BUDGET_EXHAUSTED, f.cpu.run(RETIRED));
        assertEquals(CODE + LOOP.length - 1, f.s.eip, "at the HLT");
        assertEquals(500, f.s.gpr[CpuState.EBX], "odd turns");
        assertEquals(0, f.s.gpr[CpuState.ECX]);
        return engine;
    }

    @Test
    void aPagedKernelsBlockGoesOnPastABranchNotTaken() {
        RecordingEngine r = run(BlockLinksTest.paged(0));
        assertFalse(r.offered.contains(AFTER_JZ), "the INC after the JZ began a block of its own");
        assertTrue(r.offered.contains(CODE + 11), "the JZ's target is a block start: " + r.offered.size());
    }

    @Test
    void withoutPagingBlocksEndAtEachBranch() {
        SysFixture f = new SysFixture();
        f.protectedFlat();
        f.s.gpr[CpuState.ESP] = 0x9000;
        RecordingEngine r = run(f);
        assertEquals(500, r.offered.stream().filter(e -> e == AFTER_JZ).count(), "the INC's block each odd turn");
    }

    @Test
    void userCodeBlocksEndAtEachBranchUnderPaging() {
        SysFixture f = BlockLinksTest.paged(BlockLinksTest.US);
        f.s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x60 | 1);
        for (int r : new int[] {Segment.DS, Segment.ES, Segment.SS}) {
            f.s.seg[r].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x60 | 1);
        }
        f.s.cpl = 3;
        f.cpu.memory.flushTlb();
        RecordingEngine r = run(f);
        assertEquals(500, r.offered.stream().filter(e -> e == AFTER_JZ).count(), "the INC's block each odd turn");
    }
}
