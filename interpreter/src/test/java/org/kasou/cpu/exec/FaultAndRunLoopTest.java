package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kasou.cpu.CpuState.EAX;
import static org.kasou.cpu.CpuState.EBX;
import static org.kasou.cpu.CpuState.ECX;
import static org.kasou.cpu.CpuState.EDX;
import static org.kasou.cpu.CpuState.ESP;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.InterruptSource;
import org.kasou.cpu.LazyFlags;
import org.kasou.cpu.StopReason;
import org.kasou.io.PortDevice;

/** Precise faults at many positions, self-modifying code, and the run loop (budget, HLT, interrupts, shadow, TF, stop, shutdown). */
class FaultAndRunLoopTest {
    static final int CODE = GuestHarness.CODE;

    /** The EIP pushed by the fault (protected mode frame: [error code,] EIP, CS, EFLAGS). */
    static int pushedEip(GuestHarness h, boolean errorCode) {
        return h.read32(h.r[ESP] + (errorCode ? 4 : 0));
    }

    @Test
    void pageFaultInTheMiddleOfABlock() {
        GuestHarness h = GuestHarness.flat32().paging().pte(0x50000, 0);
        h.r[EBX] = 0x77;
        h.r[ECX] = 0x88;
        h.runToHlt("B8 01 00 00 00 8B 1D 00 00 05 00 B9 03 00 00 00" /* mov eax,1; mov ebx,[0x50000]; mov ecx,3 */);
        assertEquals(14, h.deliveredVector());
        assertEquals(CODE + 5, pushedEip(h, true));
        assertEquals(0, h.read32(h.r[ESP])); // not present, read, supervisor
        assertEquals(1, h.r[EAX]);
        assertEquals(0x77, h.r[EBX]);
        assertEquals(0x88, h.r[ECX]);
    }

    @Test
    void faultingReadModifyWriteKeepsFlagsAndMemory() {
        GuestHarness h = GuestHarness.flat32().paging().pte(0x50000, 5); // present, read-only, user
        h.s.cr0 |= CpuState.CR0_WP;
        h.phys.write32(0x50000, 0xFFFFFFFF);
        h.runToHlt("B8 01 00 00 00 F9 01 05 00 00 05 00" /* mov eax,1; stc; add [0x50000],eax */);
        assertEquals(14, h.deliveredVector());
        assertEquals(3, h.read32(h.r[ESP])); // present | write
        assertEquals(CODE + 6, pushedEip(h, true));
        assertEquals(0xFFFFFFFF, h.phys.read32(0x50000));
        // the frame's EFLAGS image still has the CF set by STC, not the ADD's result flags
        assertEquals(Flags.CF, h.read32(h.r[ESP] + 12) & (Flags.CF | Flags.ZF));
    }

    @Test
    void faultingGenericInstructionKeepsFlags() {
        GuestHarness h = GuestHarness.flat32().paging().pte(0x50000, 5);
        h.s.cr0 |= CpuState.CR0_WP;
        h.runToHlt("31 C0 FE 05 00 00 05 00" /* xor eax,eax; inc byte [0x50000] */);
        assertEquals(14, h.deliveredVector());
        assertEquals(Flags.ZF, h.read32(h.r[ESP] + 12) & Flags.ZF);
    }

    @Test
    void pushAndCallToAnUnmappedStackLeaveEspAlone() {
        GuestHarness h = GuestHarness.flat32().paging();
        h.r[ESP] = 0x60000;
        h.pte(0x5F000, 0);
        h.runToHlt("50" /* push eax */);
        // the fault itself cannot be delivered on that stack either: #PF, then #DF, then shutdown
        assertEquals(true, h.s.shutdown);
        assertEquals(0x60000, h.r[ESP]);
        assertEquals(CODE, h.s.eip);
    }

    @Test
    void callFaultIsPrecise() {
        GuestHarness h = GuestHarness.flat32();
        h.s.seg[org.kasou.cpu.Segment.CS].limit = 0x10FFF; // the target is beyond CS: #GP(0) before the push
        h.runToHlt("BB 02 00 00 00 E8 F6 FF 01 00" /* mov ebx,2; call 0x20000 */);
        assertEquals(13, h.deliveredVector());
        assertEquals(CODE + 5, pushedEip(h, true));
        assertEquals(GuestHarness.STACK_TOP - 16, h.r[ESP]); // only the exception frame
        assertEquals(2, h.r[EBX]);
    }

    @Test
    void divideErrorAndBound() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("B8 0A 00 00 00 31 D2 31 C9 F7 F1" /* mov eax,10; xor edx,edx; xor ecx,ecx; div ecx */);
        assertEquals(0, h.deliveredVector());
        assertEquals(CODE + 9, pushedEip(h, false));
        assertEquals(10, h.r[EAX]);
        GuestHarness b = GuestHarness.flat32();
        b.phys.write32(0x2000, 0);
        b.phys.write32(0x2004, 9);
        b.runToHlt("B8 09 00 00 00 62 05 00 20 00 00 B8 0A 00 00 00 62 05 00 20 00 00" /* mov eax,9; bound eax,[0x2000]; mov eax,10; bound eax,[0x2000] */);
        assertEquals(5, b.deliveredVector());
        assertEquals(CODE + 11 + 5, pushedEip(b, false));
    }

    @Test
    void undefinedEncodings() {
        int[][] cases = {{0xF0, 0x01, 0xC3}, {0xDB, 0xE5} /* FRSTPM: 287 only */, {0x0F, 0xFF}, {0x8D, 0xC0}, {0xFE, 0xF8}};
        for (int[] c : cases) {
            GuestHarness h = GuestHarness.flat32();
            StringBuilder sb = new StringBuilder("B8 01 00 00 00");
            for (int b : c) sb.append(String.format(" %02X", b));
            h.runToHlt(sb.toString());
            assertEquals(6, h.deliveredVector(), sb.toString());
            assertEquals(CODE + 5, pushedEip(h, false), sb.toString());
        }
    }

    @Test
    void tooLongInstruction() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90");
        assertEquals(13, h.deliveredVector());
        assertEquals(CODE, pushedEip(h, true));
    }

    @Test
    void selfModifyingCodeInTheSameBlock() {
        GuestHarness h = GuestHarness.flat32();
        // mov byte [next+1],0x42 ; next: mov al,0 ; hlt
        h.runToHlt("C6 05 08 00 01 00 42 B0 00" /* mov byte [0x10000+next+1],0x42; next: mov al,0 */);
        assertEquals(0x42, h.r[EAX] & 0xFF);
    }

    @Test
    void cachedBlockIsDroppedWhenItsCodeChanges() {
        GuestHarness h = GuestHarness.flat32();
        h.code("B8 01 00 00 00 F4" /* mov eax,1; hlt */);
        h.cpu.run(10);
        assertEquals(1, h.r[EAX]);
        h.phys.write8(CODE + 1, 2); // the loader or DMA rewrites the immediate
        h.s.eip = CODE;
        h.s.halted = false;
        h.cpu.run(10);
        assertEquals(2, h.r[EAX]);
        h.cpu.interpreter().flushCodeCache();
        h.s.eip = CODE;
        h.s.halted = false;
        assertEquals(StopReason.HALTED, h.cpu.run(10));
    }

    @Test
    void instructionStraddlingAPage() {
        GuestHarness h = GuestHarness.flat32();
        h.s.eip = 0x10FFE;
        h.code("B8 78 56 34 12 89 C3" /* mov eax,0x12345678; mov ebx,eax */);
        h.cpu.run(2);
        assertEquals(0x12345678, h.r[EBX]);
        assertEquals(0x11005, h.s.eip);
    }

    @Test
    void instructionStraddlingAPageIsDecodedOnceInALoop() {
        GuestHarness h = GuestHarness.flat32();
        h.s.eip = 0x10FFB;
        h.r[ECX] = 1000;
        // a: add ebx,ecx; mov eax,0x12345678 (crosses into 0x11000); loop a
        h.code("01 CB B8 78 56 34 12 E2 F7");
        h.cpu.run(3000);
        assertEquals(0x12345678, h.r[EAX]);
        assertEquals(500500, h.r[EBX]);
        // The loop takes few blocks, not one decode per pass for the straddling instruction.
        assertTrue(h.cpu.interpreter().blocksBuilt() < 20, "blocks built: " + h.cpu.interpreter().blocksBuilt());
    }

    @Test
    void instructionStraddlingAPageSeesWritesToEitherPage() {
        GuestHarness h = GuestHarness.flat32();
        h.s.eip = 0x10FFE;
        h.code("B8 78 56 34 12 F4" /* mov eax,0x12345678 (crosses into 0x11000); hlt */);
        for (int pass = 0; pass < 3; pass++) {
            h.s.eip = 0x10FFE;
            h.s.halted = false;
            h.cpu.run(10);
            assertEquals(0x12345678, h.r[EAX]);
        }
        h.phys.write8(0x11002, 0x99); // the immediate's top byte, in the second page
        h.s.eip = 0x10FFE;
        h.s.halted = false;
        h.cpu.run(10);
        assertEquals(0x99345678, h.r[EAX]);
        h.phys.write8(0x10FFF, 0x11); // its low byte, in the first page
        h.s.eip = 0x10FFE;
        h.s.halted = false;
        h.cpu.run(10);
        assertEquals(0x99345611, h.r[EAX]);
    }

    @Test
    void instructionStraddlingAPageFollowsTheSecondPagesMapping() {
        GuestHarness h = GuestHarness.flat32().paging();
        h.s.eip = 0x10FFE;
        h.code("B8 78 56 34 12 F4" /* mov eax,0x12345678 (crosses into 0x11000); hlt */);
        h.phys.load(0x21000, GuestHarness.hex("AB 90 12 F4"), 0, 4); // another page with other bytes
        for (int pass = 0; pass < 3; pass++) {
            h.s.eip = 0x10FFE;
            h.s.halted = false;
            h.cpu.run(10);
            assertEquals(0x12345678, h.r[EAX]);
        }
        // Linear 0x11000 now maps to physical 0x21000: the same first page, another second one.
        h.phys.write32(GuestHarness.PAGE_TABLE + 4 * 0x11, 0x21000 | 7);
        h.cpu.memory.flushTlb();
        h.s.eip = 0x10FFE;
        h.s.halted = false;
        h.cpu.run(10);
        assertEquals(0x1290AB78, h.r[EAX]);
    }

    @Test
    void budgetIsExact() {
        GuestHarness h = GuestHarness.flat32();
        h.code("40 43 EB FC" /* a: inc eax; inc ebx; jmp a */);
        assertEquals(StopReason.BUDGET_EXHAUSTED, h.cpu.run(1000));
        assertEquals(1000, h.cpu.instructions);
        assertEquals(334, h.r[EAX]);
        assertEquals(333, h.r[EBX] - 0);
    }

    @Test
    void budgetIsExactInASelfLoop() {
        GuestHarness h = GuestHarness.flat32();
        h.r[EBX] = 1_000_000;
        h.code("40 4B 75 FC" /* a: inc eax; dec ebx; jnz a */);
        assertEquals(StopReason.BUDGET_EXHAUSTED, h.cpu.run(1000));
        assertEquals(1000, h.cpu.instructions);
        assertEquals(334, h.r[EAX]);
        assertEquals(1_000_000 - 333, h.r[EBX]);
        assertEquals(CODE + 1, h.s.eip); // the 1000th instruction was an INC
        assertEquals(StopReason.BUDGET_EXHAUSTED, h.cpu.run(2)); // dec, jnz
        assertEquals(334, h.r[EAX]);
        assertEquals(1_000_000 - 334, h.r[EBX]);
        assertEquals(CODE, h.s.eip);
    }

    static final class OneInterrupt implements InterruptSource {
        int vector;
        boolean raised;

        @Override
        public boolean pending() {
            return raised;
        }

        @Override
        public int acknowledge() {
            raised = false;
            return vector;
        }
    }

    @Test
    void hltWaitsForAnInterrupt() {
        GuestHarness h = GuestHarness.flat32();
        OneInterrupt pic = new OneInterrupt();
        pic.vector = 0x20;
        h.cpu.interrupts = pic;
        h.code("FB F4 B8 05 00 00 00" /* sti; hlt; mov eax,5 */);
        assertEquals(StopReason.BUDGET_EXHAUSTED, h.cpu.run(100));
        assertTrue(h.s.halted);
        pic.raised = true;
        h.cpu.run(100);
        assertEquals(0x20, h.deliveredVector());
        assertEquals(CODE + 2, pushedEip(h, false)); // returns after the HLT
    }

    @Test
    void stiShadowDelaysTheInterruptByOneInstruction() {
        GuestHarness h = GuestHarness.flat32();
        OneInterrupt pic = new OneInterrupt();
        pic.vector = 0x21;
        pic.raised = true;
        h.cpu.interrupts = pic;
        h.code("BB 01 00 00 00 FB B8 07 00 00 00 B9 08 00 00 00" /* mov ebx,1; sti; mov eax,7; mov ecx,8 */);
        h.cpu.run(20);
        assertEquals(0x21, h.deliveredVector());
        assertEquals(7, h.r[EAX]);
        assertEquals(CODE + 5 + 1 + 5, pushedEip(h, false));
        assertEquals(0, h.r[ECX] & 0xFFFF0000);
    }

    @Test
    void singleStepTrap() {
        GuestHarness h = GuestHarness.flat32();
        // set TF with POPFD, then two instructions: the trap comes after the first one
        h.runToHlt("9C 81 0C 24 00 01 00 00 9D B8 01 00 00 00 BB 02 00 00 00" /* pushfd; or dword [esp],0x100; popfd; mov eax,1; mov ebx,2 */);
        assertEquals(1, h.deliveredVector());
        assertEquals(1, h.r[EAX]);
        assertEquals(CODE + 9 + 5, pushedEip(h, false));
    }

    @Test
    void popfThatClearsTfStillTraps() {
        GuestHarness h = GuestHarness.flat32();
        // TF on; then a POPF that clears it: the trap comes after that POPF, and not again
        h.runToHlt("9C 9C 81 0C 24 00 01 00 00 9D 9D B8 01 00 00 00" /* pushfd; pushfd; or dword [esp],0x100; popfd; popfd; mov eax,1 */);
        assertEquals(1, h.deliveredVector());
        assertEquals(CODE + 11, pushedEip(h, false));
        assertEquals(0, h.read32(h.r[ESP] + 8) & Flags.TF);
    }

    @Test
    void movSsDelaysTheSingleStepTrap() {
        GuestHarness h = GuestHarness.flat32();
        h.r[ECX] = 0;
        h.runToHlt("66 8C D0 9C 81 0C 24 00 01 00 00 9D 8E D0 BB 02 00 00 00 B9 03 00 00 00" /* mov ax,ss; pushfd; or dword [esp],0x100; popfd; mov ss,ax; mov ebx,2; mov ecx,3 */);
        assertEquals(1, h.deliveredVector());
        assertEquals(2, h.r[EBX]);
        assertEquals(0, h.r[ECX]);
        assertEquals(CODE + 3 + 9 + 2 + 5, pushedEip(h, false)); // after the instruction following MOV SS
    }

    @Test
    void stopRequestFromADevice() {
        GuestHarness h = GuestHarness.flat32();
        h.io.register(0xF4, 1, new PortDevice() {
            @Override
            public int in(int port, int size) {
                return 0;
            }

            @Override
            public void out(int port, int size, int value) {
                h.cpu.requestStop();
            }
        });
        h.code("B8 01 00 00 00 E6 F4 B8 02 00 00 00 EB FE" /* mov eax,1; out 0xF4,al; mov eax,2; a: jmp a */);
        assertEquals(StopReason.STOP_REQUESTED, h.cpu.run(1_000_000));
        assertEquals(1, h.r[EAX]);
    }

    @Test
    void tripleFaultShutsDown() {
        GuestHarness h = GuestHarness.flat32();
        h.s.idtrLimit = 0;
        assertEquals(StopReason.SHUTDOWN, h.cpu.run(10 + 0 * h.runToHlt("0F 0B").ordinal()));
    }

    @Test
    void lazyFlagsSurviveBlockBoundaries() {
        GuestHarness h = GuestHarness.flat32();
        h.runToHlt("B8 FF FF FF FF 83 C0 01 EB 00 83 D3 00" /* mov eax,0xFFFFFFFF; add eax,1; jmp n; n: adc ebx,0 */);
        assertEquals(1, h.r[EBX]);
        assertTrue(LazyFlags.zf(h.s) == false);
    }

    @Test
    void blocksFollowDirectJumpsAndCalls() {
        GuestHarness h = GuestHarness.flat32();
        h.code("B8 01 00 00 00 EB 05 B8 63 00 00 00 E8 04 00 00 00 83 C0 0A F4 83 C0 05 C3" /* mov eax,1; jmp a; mov eax,99; a: call f; add eax,10; hlt; f: add eax,5; ret */);
        assertEquals(StopReason.HALTED, h.cpu.run(100));
        assertEquals(16, h.r[EAX]);
        assertEquals(GuestHarness.STACK_TOP, h.r[ESP]);
        assertEquals(7, h.cpu.instructions); // mov, jmp, call, add, ret, add, hlt
    }

    @Test
    void budgetCutRightAfterAFollowedJump() {
        GuestHarness h = GuestHarness.flat32();
        h.code("B8 01 00 00 00 EB 02 90 90 BB 02 00 00 00 E8 01 00 00 00 F4 C3" /* mov eax,1; jmp a; nop; nop; a: mov ebx,2; call f; hlt; f: ret */);
        h.cpu.run(2);
        assertEquals(CODE + 9, h.s.eip); // at a:, not after the jmp
        h.cpu.run(2);
        assertEquals(CODE + 9 + 5 + 5 + 1, h.s.eip); // inside f after the call
        assertEquals(CODE + 19, h.read32(h.r[ESP]));
    }

    @Test
    void faultInAFollowedCallTargetIsPrecise() {
        GuestHarness h = GuestHarness.flat32();
        h.code("E8 01 00 00 00 F4 BB 07 00 00 00 0F 0B" /* call f; hlt; f: mov ebx,7; ud2 */);
        h.cpu.run(100);
        assertEquals(6, h.deliveredVector());
        assertEquals(CODE + 6 + 5, pushedEip(h, false));
        assertEquals(7, h.r[EBX]);
    }

    @Test
    void writingIntoAFollowedTargetDropsTheBlock() {
        GuestHarness h = GuestHarness.flat32();
        // the block holds "mov ecx,..; jmp t" and the target; the loop rewrites t's immediate
        h.code("B9 03 00 00 00 EB 0B C6 05 13 00 01 00 44 49 75 F4 F4 B0 11 EB F1" /* mov ecx,3; top: jmp t; back: mov byte [0x10000+t+1],0x44; dec ecx; jnz top; hlt; t: mov al,0x11; jmp back */);
        h.cpu.run(1000);
        assertEquals(0x44, h.r[EAX] & 0xFF);
        assertEquals(0, h.r[ECX]);
    }
}
