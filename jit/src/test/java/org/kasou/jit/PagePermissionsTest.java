package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.mem.Memory;

/**
 * Compiled code keeps the page protection of its CPL when the TLB already holds the page for
 * another kind of access: a user-mode loop that reads a supervisor page, or writes a read-only
 * page, takes the #PF the interpreter takes, though a supervisor access put the page in the TLB
 * first; a supervisor store to a read-only page faults with CR0.WP and goes through without it.
 * Each case runs on the interpreter and with every block compiled at first sight.
 */
class PagePermissionsTest {
    /** Supervisor-only (no U/S), and user-readable but read-only (no R/W). */
    static final int SUPERVISOR_PAGE = 0x30000, READ_ONLY_PAGE = 0x31000;
    static final int TSS = 0x6000, RING0_STACK = Guest.STACK_TOP - 0x400;
    static final int CODE3 = 0x23, DATA3 = 0x2B, TSS_SELECTOR = 0x30;

    /** A loop of 200 turns that reads (or writes) [ESI], and [EDI] in its last turn; then spins. */
    private static byte[] loop(boolean write, boolean haltAtEnd) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xB9).d(200);                          // mov ecx, 200
        int top = a.here();
        a.b(0x89, 0xF2);                           // top: mov edx, esi
        a.b(0x83, 0xF9, 0x01);                     //      cmp ecx, 1
        a.b(0x75, 0x02);                           //      jne +2
        a.b(0x89, 0xFA);                           //      mov edx, edi
        if (write) a.b(0x89, 0x02);                //      mov [edx], eax
        else a.b(0x8B, 0x02);                      //      mov eax, [edx]
        a.b(0x01, 0xC3);                           //      add ebx, eax
        a.b(0x49);                                 //      dec ecx
        a.b(0x75, top - (a.here() + 2));           //      jnz top
        if (haltAtEnd) a.b(0xF4);                  //      hlt
        else a.b(0xEB, 0xFE);                      //      jmp $ (a user loop cannot halt)
        return a.bytes();
    }

    /** A paging guest with the two protected pages, and at CPL 3 when {@code user}, with a TSS for the way back to ring 0. */
    private static Guest guest(byte[] code, int threshold, boolean user, int target) {
        Guest g = new Guest(code, threshold, true);
        var ram = g.cpu.physical;
        ram.write32(Guest.PT + 4 * (SUPERVISOR_PAGE >>> 12), SUPERVISOR_PAGE | 3);
        ram.write32(Guest.PT + 4 * (READ_ONLY_PAGE >>> 12), READ_ONLY_PAGE | 5);
        ram.write32(SUPERVISOR_PAGE + 0x10, 0x5EC2E7);
        CpuState s = g.cpu.state;
        s.gpr[CpuState.EDI] = target + 0x10;
        s.gpr[CpuState.EAX] = 0x1234;
        if (user) {
            ram.write32(Guest.GDT + 0x20, 0x0000FFFF);
            ram.write32(Guest.GDT + 0x24, 0x00CFFB00); // ring-3 code
            ram.write32(Guest.GDT + 0x28, 0x0000FFFF);
            ram.write32(Guest.GDT + 0x2C, 0x00CFF300); // ring-3 data
            ram.write32(Guest.GDT + 0x30, (TSS << 16) | 0x67);
            ram.write32(Guest.GDT + 0x34, 0x00008B00); // busy 32-bit TSS
            ram.write32(TSS + 4, RING0_STACK);
            ram.write32(TSS + 8, 0x10);
            s.gdtrLimit = 0x37;
            s.seg[Segment.CS].set(CODE3, 0, 0xFFFFFFFF, 0xCFFB);
            for (int r : new int[] {Segment.SS, Segment.DS, Segment.ES, Segment.FS, Segment.GS}) {
                s.seg[r].set(DATA3, 0, 0xFFFFFFFF, 0xCFF3);
            }
            s.seg[Segment.TR].set(TSS_SELECTOR, TSS, 0x67, 0x8B);
            s.cpl = 3;
        }
        g.cpu.memory.flushTlb();
        return g;
    }

    /** Runs the case on both engines; returns the JIT's guest after checking that both agree and that compiled code ran. */
    private static Guest bothAgree(byte[] code, boolean user, int target, java.util.function.Consumer<Guest> prime) {
        return bothAgree(code, user, target, prime, StopReason.HALTED);
    }

    private static Guest bothAgree(byte[] code, boolean user, int target, java.util.function.Consumer<Guest> prime, StopReason end) {
        Guest interp = guest(code, -1, user, target);
        Guest jit = guest(code, 0, user, target);
        prime.accept(interp);
        prime.accept(jit);
        assertEquals(end, interp.cpu.run(100_000), "interpreter");
        assertEquals(end, jit.cpu.run(100_000), "JIT");
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(jit.stats().instructionsExecuted > 500, "the loop ran compiled");
        return jit;
    }

    /** The error code the #PF pushed on the ring-0 stack (the handler halts at once). */
    private static int pageFaultErrorCode(Guest g) {
        return g.cpu.physical.read32(g.cpu.state.gpr[CpuState.ESP]);
    }

    @Test
    void aUserReadOfASupervisorPageFaultsThoughTheTlbHoldsIt() {
        Guest g = bothAgree(loop(false, false), true, SUPERVISOR_PAGE,
                x -> x.cpu.memory.readSystem32(SUPERVISOR_PAGE)); // a supervisor read fills the TLB entry
        assertEquals(SUPERVISOR_PAGE + 0x10, g.cpu.state.cr2);
        assertEquals(Memory.PF_P | Memory.PF_U, pageFaultErrorCode(g));
        assertEquals(RING0_STACK - 24, g.cpu.state.gpr[CpuState.ESP], "delivered through the TSS's ring-0 stack");
    }

    @Test
    void aUserWriteToAReadOnlyPageFaultsThoughTheTlbHoldsItForSupervisorWrites() {
        Guest g = bothAgree(loop(true, false), true, READ_ONLY_PAGE,
                x -> x.cpu.memory.writeSystem32(READ_ONLY_PAGE, 0)); // CR0.WP clear: a supervisor write may, and fills the write entry
        assertEquals(READ_ONLY_PAGE + 0x10, g.cpu.state.cr2);
        assertEquals(Memory.PF_P | Memory.PF_W | Memory.PF_U, pageFaultErrorCode(g));
        assertEquals(0, g.cpu.physical.read32(READ_ONLY_PAGE + 0x10), "nothing written");
    }

    @Test
    void aUserLoopReadsAndWritesItsOwnPagesWithoutFaulting() {
        for (boolean write : new boolean[] {false, true}) {
            byte[] code = loop(write, false);
            Guest g = bothAgree(code, true, Guest.DATA, x -> x.cpu.memory.readSystem32(Guest.DATA), StopReason.BUDGET_EXHAUSTED);
            assertEquals(Guest.CODE + code.length - 2, g.cpu.state.eip, "spinning at the end, not in a handler");
            assertEquals(3, g.cpu.state.cpl);
        }
    }

    @Test
    void supervisorStoresToAReadOnlyPageFollowCr0Wp() {
        Guest without = bothAgree(loop(true, true), false, READ_ONLY_PAGE, x -> x.cpu.memory.readSystem32(READ_ONLY_PAGE));
        assertEquals(0x1234, without.cpu.physical.read32(READ_ONLY_PAGE + 0x10), "written: CR0.WP is clear");
        Guest with = bothAgree(loop(true, true), false, READ_ONLY_PAGE, x -> {
            x.cpu.state.cr0 |= CpuState.CR0_WP;
            x.cpu.memory.flushTlb();
            x.cpu.memory.readSystem32(READ_ONLY_PAGE);
        });
        assertEquals(READ_ONLY_PAGE + 0x10, with.cpu.state.cr2);
        assertEquals(Memory.PF_P | Memory.PF_W, pageFaultErrorCode(with));
        assertEquals(0, with.cpu.physical.read32(READ_ONLY_PAGE + 0x10), "nothing written");
    }
}
