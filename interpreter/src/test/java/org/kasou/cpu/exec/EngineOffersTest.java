package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.ExecutionEngine;
import org.kasou.cpu.RecordingEngine;
import org.kasou.cpu.StopReason;

/**
 * Which blocks the interpreter offers an installed engine: with the default answer every block it
 * runs, and otherwise, as it runs on from block to block, only those the engine says it wants
 * ({@link ExecutionEngine#wants}); the blocks in between run without going back to the run loop,
 * and the guest's results and instruction count do not depend on which were offered.
 */
class EngineOffersTest {
    static final int CODE = GuestHarness.CODE;

    /** BranchesInBlocksTest's loop; with an engine installed its blocks end at the conditional branches. */
    private static final String LOOP = BranchesInBlocksTest.LOOP;
    /** The block of `odd: inc ebx; jmp loop`. */
    private static final int ODD = CODE + 29;

    private static RecordingEngine runWith(RecordingEngine engine) {
        GuestHarness h = BranchesInBlocksTest.harness();
        h.cpu.interpreter().setEngine(engine);
        assertEquals(StopReason.HALTED, h.runToHlt(LOOP));
        BranchesInBlocksTest.checkResult(h);
        assertEquals(BranchesInBlocksTest.RETIRED + 1, h.cpu.instructions, "instructions retired, the HLT too");
        return engine;
    }

    @Test
    void byDefaultEveryBlockIsOffered() {
        RecordingEngine all = runWith(new RecordingEngine(null));
        // Two blocks an odd turn and three an even one (a JMP does not end a block; a Jcc does).
        assertTrue(all.offered.size() >= 2400, all.offered.size() + " blocks offered");
        assertEquals(500, all.offered.stream().filter(e -> e == ODD).count(), "each odd turn's block");
    }

    @Test
    void blocksTheEngineDoesNotWantRunOnWithoutBeingOffered() {
        RecordingEngine all = runWith(new RecordingEngine(null));
        RecordingEngine none = runWith(new RecordingEngine(b -> false));
        // Only the first block of each chain of blocks comes from the run loop, which offers it.
        assertTrue(none.offered.size() * 10 < all.offered.size(), none.offered.size() + " offered against " + all.offered.size());
        assertEquals(all.offered.size(), none.asked + none.offered.size(), "every block run is either asked about or offered");
    }

    @Test
    void aWantedBlockIsOfferedEachTimeItComesUp() {
        RecordingEngine odd = runWith(new RecordingEngine(b -> b.eip() == ODD));
        assertEquals(500, odd.offered.stream().filter(e -> e == ODD).count(), "each odd turn's block");
        assertTrue(odd.offered.size() < 500 + 200, odd.offered.size() + " blocks offered");
    }
}
