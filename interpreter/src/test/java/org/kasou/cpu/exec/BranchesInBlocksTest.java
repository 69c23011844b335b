package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kasou.cpu.CpuState.EAX;
import static org.kasou.cpu.CpuState.EBX;
import static org.kasou.cpu.CpuState.ECX;
import static org.kasou.cpu.CpuState.EDX;
import static org.kasou.cpu.CpuState.ESP;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.StopReason;
import org.kasou.cpu.TestCpus;

/**
 * Blocks that go on past conditional branches: a branch not taken continues in the block, a taken
 * one leaves it (also when its target lies further on in the block: a new block starts there);
 * whatever the budget cuts a block at, the instruction count and EIP are those of running one
 * instruction at a time; a fault after a branch not taken is precise.
 */
class BranchesInBlocksTest {
    static final int CODE = GuestHarness.CODE;

    /**
     * mov ecx,1000; loop: dec ecx; jz done; test cl,1; jnz odd; inc eax; cmp ecx,500; jb below;
     * jmp loop; below: add edx,2; jmp loop; odd: inc ebx; jmp loop; done: (hlt).
     */
    static final String LOOP = "B9 E8 03 00 00 49 74 18 F6 C1 01 75 10 40 81 F9 F4 01 00 00 72 02 EB ED"
            + " 83 C2 02 EB E8 43 EB E5";

    /** Instructions the loop retires before its HLT: the MOV, 500 odd turns of 6, 250 even turns of 8 above 500 and 249 of 9 below, the last DEC and JZ. */
    static final long RETIRED = 1 + 500 * 6 + 250 * 8 + 249 * 9 + 2;

    static void checkResult(GuestHarness h) {
        assertEquals(499, h.r[EAX], "even turns");
        assertEquals(500, h.r[EBX], "odd turns");
        assertEquals(498, h.r[EDX], "even turns below 500, two each");
        assertEquals(0, h.r[ECX]);
    }

    /**
     * Branches whose targets lie further on in the loop's block: mov ecx,1000; loop: test cl,1;
     * jz a; inc eax; a: test cl,2; jnz b; inc ebx; b: cmp ecx,500 (fused with the JB); jb c;
     * add edx,2; c: dec ecx; jnz loop; (hlt).
     */
    private static final String SKIPS = "B9 E8 03 00 00 F6 C1 01 74 01 40 F6 C1 02 75 01 43 81 F9 F4 01 00 00 72 03"
            + " 83 C2 02 49 75 E6";

    /** The MOV, 1,000 turns of 8 and the 500 + 500 + 501 instructions the branches did not skip. */
    private static final long SKIPS_RETIRED = 1 + 1000 * 8 + 500 + 500 + 501;

    private static void checkSkips(GuestHarness h) {
        assertEquals(500, h.r[EAX], "odd values of ECX");
        assertEquals(500, h.r[EBX], "values with bit 1 clear");
        assertEquals(1002, h.r[EDX], "values from 500 up, two each");
        assertEquals(0, h.r[ECX]);
    }

    static GuestHarness harness() {
        GuestHarness h = GuestHarness.flat32();
        h.r[EAX] = h.r[EBX] = h.r[EDX] = 0;
        return h;
    }

    /** Runs code to its HLT in one go: its results, and its instructions with the HLT counted. */
    private static GuestHarness runsToHlt(String code, long retired, java.util.function.Consumer<GuestHarness> check) {
        GuestHarness h = harness();
        assertEquals(StopReason.HALTED, h.runToHlt(code));
        check.accept(h);
        assertEquals(retired + 1, h.cpu.instructions, "instructions retired, the HLT too");
        return h;
    }

    @Test
    void branchesTakenAndNotTakenInsideBlocks() {
        GuestHarness h = runsToHlt(LOOP, RETIRED, BranchesInBlocksTest::checkResult);
        assertEquals(CODE + 33, h.s.eip, "after the HLT");
        if (!TestCpus.withEngine()) {
            // One block from the start through every branch of a turn, and one each for odd, below and done.
            assertTrue(h.cpu.interpreter().blocksBuilt() <= 4, "blocks decoded: " + h.cpu.interpreter().blocksBuilt());
        }
    }

    @Test
    void branchesToPlacesFurtherInTheBlock() {
        runsToHlt(SKIPS, SKIPS_RETIRED, BranchesInBlocksTest::checkSkips);
    }

    @Test
    void anyBudgetStopsWhereSingleStepsDo() {
        budgetsAgreeWithSingleSteps(LOOP, RETIRED, BranchesInBlocksTest::checkResult);
        budgetsAgreeWithSingleSteps(SKIPS, SKIPS_RETIRED, BranchesInBlocksTest::checkSkips);
    }

    private static void budgetsAgreeWithSingleSteps(String code, long retired, java.util.function.Consumer<GuestHarness> check) {
        GuestHarness one = harness();
        one.code(code + " F4");
        List<Integer> trail = new ArrayList<>();
        trail.add(one.s.eip);
        while (one.cpu.run(1) != StopReason.HALTED) trail.add(one.s.eip);
        check.accept(one);
        assertEquals(retired + 1, one.cpu.instructions);
        for (int budget : new int[] {2, 3, 7, 13, 64}) {
            GuestHarness h = harness();
            h.code(code + " F4");
            long done = 0;
            while (true) {
                StopReason why = h.cpu.run(budget);
                if (why == StopReason.HALTED) break;
                assertEquals(StopReason.BUDGET_EXHAUSTED, why);
                done += budget;
                assertEquals(done, h.cpu.instructions, "budget " + budget);
                assertEquals((int) trail.get((int) done), h.s.eip, "EIP after " + done + " instructions, budget " + budget);
            }
            check.accept(h);
            assertEquals(retired + 1, h.cpu.instructions, "budget " + budget);
        }
    }

    @Test
    void faultAfterABranchNotTakenIsPrecise() {
        GuestHarness h = GuestHarness.flat32();
        h.r[EBX] = 0x55;
        // mov ecx,1; cmp ecx,0; je +2; xor ecx,ecx; div ecx (#DE); mov ebx,7
        h.runToHlt("B9 01 00 00 00 83 F9 00 74 02 31 C9 F7 F1 BB 07 00 00 00");
        assertEquals(0, h.deliveredVector());
        assertEquals(CODE + 12, h.read32(h.r[ESP]), "pushed EIP: the DIV");
        assertEquals(0x55, h.r[EBX], "nothing after the DIV ran");
        assertEquals(0, h.r[ECX]);
    }
}
