package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.ExecutionEngine;
import org.kasou.cpu.Interpreter;
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

    /** Declines every block and records the EIP of each one offered; wants what the predicate says. */
    private static final class Recorder implements ExecutionEngine {
        final List<Integer> offered = new ArrayList<>();
        final Predicate<Interpreter.Block> wanted;
        int asked;

        Recorder(Predicate<Interpreter.Block> wanted) {
            this.wanted = wanted;
        }

        @Override
        public boolean wants(Interpreter.Block b) {
            asked++;
            return wanted == null ? ExecutionEngine.super.wants(b) : wanted.test(b);
        }

        @Override
        public boolean execute(Interpreter.Block b, int budget) {
            offered.add(b.eip());
            return false;
        }

        @Override
        public void codeWritten(int physAddr, int size) {
        }

        @Override
        public boolean holdsCode(int physPage) {
            return false;
        }

        @Override
        public void flush() {
        }
    }

    private static Recorder runWith(Recorder engine) {
        GuestHarness h = BranchesInBlocksTest.harness();
        h.cpu.interpreter().setEngine(engine);
        assertEquals(StopReason.HALTED, h.runToHlt(LOOP));
        BranchesInBlocksTest.checkResult(h);
        assertEquals(BranchesInBlocksTest.RETIRED + 1, h.cpu.instructions, "instructions retired, the HLT too");
        return engine;
    }

    @Test
    void byDefaultEveryBlockIsOffered() {
        Recorder all = runWith(new Recorder(null));
        // Two blocks an odd turn and three an even one (a JMP does not end a block; a Jcc does).
        assertTrue(all.offered.size() >= 2400, all.offered.size() + " blocks offered");
        assertEquals(500, all.offered.stream().filter(e -> e == ODD).count(), "each odd turn's block");
    }

    @Test
    void blocksTheEngineDoesNotWantRunOnWithoutBeingOffered() {
        Recorder all = runWith(new Recorder(null));
        Recorder none = runWith(new Recorder(b -> false));
        // Only the first block of each chain of blocks comes from the run loop, which offers it.
        assertTrue(none.offered.size() * 10 < all.offered.size(), none.offered.size() + " offered against " + all.offered.size());
        assertEquals(all.offered.size(), none.asked + none.offered.size(), "every block run is either asked about or offered");
    }

    @Test
    void aWantedBlockIsOfferedEachTimeItComesUp() {
        Recorder odd = runWith(new Recorder(b -> b.eip() == ODD));
        assertEquals(500, odd.offered.stream().filter(e -> e == ODD).count(), "each odd turn's block");
        assertTrue(odd.offered.size() < 500 + 200, odd.offered.size() + " blocks offered");
    }
}
