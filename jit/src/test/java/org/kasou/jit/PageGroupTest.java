package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;

/**
 * Accesses at displacements from one base register that share one page lookup ({@link PageGroup}):
 * a function's locals through EBP and ESP (SS, flat in these guests). The units must give the
 * interpreter's results where the accesses fall in one page, where they span two (each access
 * then takes its own path), where the base register changes between them, and where the page
 * holds code (writes must reach it as writes to code do).
 */
class PageGroupTest {
    private static final int THRESHOLD = 20;
    /** Turns of each loop: a block that loops onto itself is offered to the JIT once every 32 turns. */
    private static final int TURNS = 3000;
    private static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, EBP = 5;

    /** A loop of TURNS turns over locals at EBP-0x40 to EBP+0x3c, read, written and added to. */
    private static byte[] locals(int ebp) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(ebp);                         // mov ebp, ebp0
        a.b(0xB9).d(TURNS);                       // mov ecx, TURNS
        int top = a.here();
        a.b(0x8B, 0x45 | EAX << 3, 0xC0);         // mov eax, [ebp-0x40]
        a.b(0x03, 0x45 | EAX << 3, 0x3C);         // add eax, [ebp+0x3c]
        a.b(0x89, 0x45 | EAX << 3, 0x08);         // mov [ebp+8], eax
        a.b(0x01, 0x45 | ECX << 3, 0xC0);         // add [ebp-0x40], ecx
        a.b(0x0F, 0xB6, 0x45 | EDX << 3, 0x09);   // movzx edx, byte [ebp+9]
        a.b(0x88, 0x45 | EDX << 3, 0xF1);         // mov [ebp-0xf], dl
        a.b(0x66, 0x8B, 0x45 | EBX << 3, 0xF0);   // mov bx, [ebp-0x10]
        a.b(0x01, 0xDA);                          // add edx, ebx
        a.b(0x89, 0x45 | EDX << 3, 0x3C);         // mov [ebp+0x3c], edx
        a.b(0xC7, 0x45, 0x20).d(0x12345678);      // mov dword [ebp+0x20], 0x12345678
        a.b(0x83, 0x7D, 0x20, 0x05);              // cmp dword [ebp+0x20], 5
        a.b(0x49);                                // dec ecx
        a.b(0x0F, 0x85).d(top - (a.here() + 4));  // jnz top
        a.b(0xF4);                                // hlt
        return a.bytes();
    }

    @Test
    void localsInOnePageShareALookupAndGiveTheInterpretersResults() {
        Guest jit = haltAlike(locals(Guest.STACK_TOP - 0x800), Guest.STACK_TOP - 0x1000);
        assertTrue(jit.stats().pageGroups > 0, "the loop's accesses form a group");
        assertTrue(jit.stats().instructionsExecuted > 20_000, "the loop ran compiled: " + jit.stats().instructionsExecuted);
    }

    @Test
    void localsAcrossTwoPagesTakeTheirOwnPaths() {
        // EBP 0x20 bytes into the stack's page: EBP-0x40 to EBP-0x21 lie in the page below.
        Guest jit = haltAlike(locals(Guest.STACK_TOP - 0x1000 + 0x20), Guest.STACK_TOP - 0x2000);
        assertTrue(jit.stats().instructionsExecuted > 20_000, "the loop ran compiled: " + jit.stats().instructionsExecuted);
        // The group's lookup failed once; the loop was compiled again at once without the group.
        assertEquals(1, jit.stats().slowExits, "exits off the fast path");
        assertEquals(1, jit.stats().slowRecompiles, "compiled again without the group");
    }

    @Test
    void aBaseRegisterChangedBetweenAccessesEndsTheGroup() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(Guest.STACK_TOP - 0x1800);    // mov ebp, a page below the stack's
        a.b(0xB9).d(TURNS);                       // mov ecx, TURNS
        int top = a.here();
        a.b(0x8B, 0x45 | EAX << 3, 0x04);         // mov eax, [ebp+4]
        a.b(0x01, 0x45 | ECX << 3, 0x08);         // add [ebp+8], ecx
        a.b(0x81, 0xC5).d(0x1000);                // add ebp, 0x1000
        a.b(0x01, 0x45 | EAX << 3, 0x04);         // add [ebp+4], eax  (the page above now)
        a.b(0x8B, 0x45 | EDX << 3, 0x08);         // mov edx, [ebp+8]
        a.b(0x8B, 0x6D, 0x0C);                    // mov ebp, [ebp+0xc]  (a member that loads its own base)
        a.b(0x89, 0x45 | EDX << 3, 0x10);         // mov [ebp+0x10], edx (through the loaded base)
        a.b(0x81, 0xED).d(0x1000);                // sub ebp, 0x1000
        a.b(0x49);                                // dec ecx
        a.b(0x0F, 0x85).d(top - (a.here() + 4));  // jnz top
        a.b(0xF4);                                // hlt
        byte[] code = a.bytes();
        // [ebp+0xc] in the upper page holds the upper page's own address: EBP comes back the same.
        Guest interp = new Guest(code, -1), jit = new Guest(code, THRESHOLD);
        for (Guest g : new Guest[] {interp, jit}) g.cpu.physical.write32(Guest.STACK_TOP - 0x800 + 0xC, Guest.STACK_TOP - 0x800);
        runAlike(interp, jit, Guest.STACK_TOP - 0x2000);
        assertTrue(jit.stats().instructionsExecuted > 20_000, "the loop ran compiled: " + jit.stats().instructionsExecuted);
    }

    @Test
    void writesToAPageHoldingCodeStillReachTheCode() {
        // EBP points into the code: each turn writes ECX into the immediate of the MOV EBX that follows.
        Guest.Asm a = new Guest.Asm();
        a.b(0x31, 0xD2);                          // xor edx, edx
        a.b(0xBD).d(Guest.CODE);                  // mov ebp, CODE
        a.b(0xB9).d(TURNS);                       // mov ecx, TURNS
        int top = a.here();
        a.b(0x8B, 0x45 | EAX << 3, 0x00);         // mov eax, [ebp+0] (the code's first bytes)
        int store = a.here();
        a.b(0x89, 0x45 | ECX << 3, 0x00);         // mov [ebp+imm], ecx (patched below)
        int mov = a.here();
        a.b(0xBB).d(0);                           // mov ebx, imm32 (written by the store)
        a.b(0x01, 0xDA);                          // add edx, ebx
        a.b(0x49);                                // dec ecx
        a.b(0x0F, 0x85).d(top - (a.here() + 4));  // jnz top
        a.b(0xF4);                                // hlt
        byte[] code = a.bytes();
        code[store + 2 - Guest.CODE] = (byte) (mov + 1 - Guest.CODE);
        Guest jit = haltAlike(code, Guest.CODE);
        assertEquals(TURNS * (TURNS + 1) / 2, jit.cpu.state.gpr[CpuState.EDX], "each turn added the ECX it wrote into the code");
    }

    @Test
    void aWriteToAReadOnlyPageFaultsInsideAGroup() {
        // Paging with CR0.WP: after HALF turns EBP moves into a read-only page, where the group's
        // write must raise #PF (the harness's handler halts) though its read may go on.
        int rw = Guest.DATA + 0x1000, ro = Guest.DATA + 0x2000, turns = 10 * TURNS, half = turns / 3;
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(rw + 0x100);                  // mov ebp, rw + 0x100
        a.b(0xB9).d(turns);                       // mov ecx, turns (kernel code at CPL 0 with paging heats slower)
        int top = a.here();
        a.b(0x8B, 0x45 | EAX << 3, 0x00);         // top: mov eax, [ebp]
        a.b(0x03, 0x45 | EAX << 3, 0x04);         //      add eax, [ebp+4]
        a.b(0x01, 0xC8);                          //      add eax, ecx
        a.b(0x89, 0x45 | EAX << 3, 0x08);         //      mov [ebp+8], eax
        a.b(0x49);                                //      dec ecx
        int done = a.here();
        a.b(0x74, 0);                             //      jz done (patched)
        a.b(0x81, 0xF9).d(half);                  //      cmp ecx, half
        a.b(0x0F, 0x85).d(top - (a.here() + 4));  //      jnz top
        a.b(0x81, 0xC5).d(0x1000);                //      add ebp, 0x1000
        a.b(0xE9).d(top - (a.here() + 4));        //      jmp top
        int hlt = a.here();
        a.b(0xF4);                                // done: hlt
        byte[] code = a.bytes();
        code[done + 1 - Guest.CODE] = (byte) (hlt - (done + 2));
        Guest interp = new Guest(code, -1, true), jit = new Guest(code, THRESHOLD, true);
        for (Guest g : new Guest[] {interp, jit}) {
            g.cpu.physical.write32(Guest.PT + 4 * (ro >>> 12), ro | 5); // present, user, read-only
            g.cpu.state.cr0 |= CpuState.CR0_WP;
            g.cpu.memory.flushTlb();
            g.cpu.memory.read32(org.kasou.cpu.Segment.SS, ro); // its read mapping in the TLB, as after an earlier read
        }
        runAlike(interp, jit, rw);
        assertEquals(ro + 0x108, jit.cpu.state.cr2, "the write faulted");
        assertTrue(jit.stats().pageGroups > 0 && jit.stats().instructionsExecuted > 3_000, "the loop ran compiled with a group: " + jit.stats().pageGroups + " groups, " + jit.stats().instructionsExecuted + " instructions");
    }

    /** Runs the code on both, checks they halt alike (state and the pages the test names), returns the JIT's guest. */
    private static Guest haltAlike(byte[] code, int page) {
        Guest interp = new Guest(code, -1), jit = new Guest(code, THRESHOLD);
        runAlike(interp, jit, page);
        return jit;
    }

    private static void runAlike(Guest interp, Guest jit, int page) {
        assertEquals(StopReason.HALTED, interp.cpu.run(10_000_000), "the interpreter halts");
        assertEquals(StopReason.HALTED, jit.cpu.run(10_000_000), "the JIT halts");
        assertEquals(interp.snapshot(), jit.snapshot());
        assertArrayEquals(interp.cpu.physical.copyOut(page, 0x2000), jit.cpu.physical.copyOut(page, 0x2000));
    }
}
