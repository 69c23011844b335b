package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;

/**
 * An instruction whose last bytes lie in the next page is compiled into the region of the loop
 * it belongs to, with that page's mapping checked before it runs and its bytes there watched
 * for writes: a loop through it stays in compiled code, and changes to its bytes or to the
 * second page's mapping are seen.
 */
class PageCrossingTest {
    /** The ADD EAX, imm32 that crosses from the code page into the next: its opcode 2 bytes before the boundary. */
    private static final int ADD_AT = Guest.CODE + 0x1000 - 2;
    private static final int SECOND_PAGE = Guest.CODE + 0x1000;
    /** A frame with other bytes for the second page (its ADD's immediate ends in them). */
    private static final int OTHER_FRAME = 0x30000;
    /**
     * Blocks run this often before they are compiled: the interpreter has then run the crossing
     * instruction (and mapped both pages), which a region compiles only then.
     */
    private static final int THRESHOLD = 20;

    /**
     * ECX turns of a loop whose ADD EAX, 0x01010101 crosses the page boundary; before its first turn
     * the loop runs {@code before} (at most 40 bytes), and on the turn where ECX reaches
     * {@code atTurn} it runs {@code then} (at most 40 bytes).
     */
    private static byte[] loop(int turns, int atTurn, byte[] before, byte[] then) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xB9).d(turns);                                // mov ecx, turns
        a.raw(before);
        while (a.here() < ADD_AT - 64) a.b(0x90);
        int top = a.here();
        a.b(0x81, 0xF9).d(atTurn);                         // top: cmp ecx, atTurn
        int skip = a.here();
        a.b(0x75, 0);                                      //      jne past (patched)
        a.raw(then);
        int past = a.here();
        while (a.here() < ADD_AT) a.b(0x90);
        a.b(0x05).d(0x01010101);                           // past: add eax, 0x01010101 (crosses)
        a.b(0x43);                                         //       inc ebx
        a.b(0x49);                                         //       dec ecx
        a.b(0x0F, 0x85).d(top - (a.here() + 4));           //       jnz top
        a.b(0xF4);                                         //       hlt
        byte[] code = a.bytes();
        code[skip + 1 - Guest.CODE] = (byte) (past - (skip + 2));
        return code;
    }

    private static void runBoth(byte[] code, boolean paging, int frameData) {
        Guest interp = guest(code, -1, paging, frameData);
        Guest jit = guest(code, THRESHOLD, paging, frameData);
        assertEquals(StopReason.HALTED, interp.cpu.run(10_000_000));
        assertEquals(StopReason.HALTED, jit.cpu.run(10_000_000));
        assertEquals(interp.snapshot(), jit.snapshot());
    }

    private static Guest guest(byte[] code, int threshold, boolean paging, int frameData) {
        Guest g = new Guest(code, threshold, paging);
        // The other frame: what the second page holds there, but the ADD's last bytes are 02 02 02.
        byte[] other = g.cpu.physical.copyOut(SECOND_PAGE, 0x1000);
        for (int i = 0; i < 3; i++) other[i] = (byte) frameData;
        g.cpu.physical.load(OTHER_FRAME, other, 0, other.length);
        return g;
    }

    @Test
    void aLoopThroughAnInstructionAcrossAPageStaysCompiled() {
        byte[] code = loop(20_000, -1, new byte[0], new byte[0]);
        Guest interp = guest(code, -1, false, 0);
        Guest jit = guest(code, THRESHOLD, false, 0);
        assertEquals(StopReason.HALTED, interp.cpu.run(10_000_000));
        assertEquals(StopReason.HALTED, jit.cpu.run(10_000_000));
        assertEquals(20_000 * 0x01010101, interp.cpu.state.gpr[CpuState.EAX]);
        assertEquals(interp.snapshot(), jit.snapshot());
        JitStats st = jit.stats();
        assertTrue(st.instructionsExecuted > 0.99 * jit.cpu.instructions, st.instructionsExecuted + " of " + jit.cpu.instructions + " compiled");
        assertTrue(st.entries - st.chained < 100, "the loop left compiled code " + (st.entries - st.chained) + " times");
    }

    /** The loop writes the ADD's immediate where it lies in the second page, halfway. */
    @Test
    void aWriteToTheSecondPagesBytesIsSeen() {
        Guest.Asm w = new Guest.Asm();
        w.b(0xC6, 0x05).d(SECOND_PAGE + 1).b(0x07);        // mov byte [second page + 1], 7
        byte[] code = loop(20_000, 10_000, new byte[0], w.bytes());
        Guest interp = guest(code, -1, false, 0);
        assertEquals(StopReason.HALTED, interp.cpu.run(10_000_000));
        assertTrue(interp.cpu.state.gpr[CpuState.EAX] != 20_000 * 0x01010101, "the write changed what the loop adds");
        runBoth(code, false, 0);
    }

    /** Halfway, the loop maps the second page to another frame, whose bytes finish the ADD otherwise, and INVLPGs it. */
    @Test
    void aNewMappingOfTheSecondPageIsSeen() {
        Guest.Asm m = new Guest.Asm();
        int pte = Guest.PT + 4 * (SECOND_PAGE >>> 12);
        m.b(0xC7, 0x05).d(pte).d(OTHER_FRAME | 7);         // mov dword [pte], OTHER_FRAME | 7
        m.b(0x0F, 0x01, 0x3D).d(SECOND_PAGE);              // invlpg [second page]
        byte[] code = loop(20_000, 10_000, new byte[0], m.bytes());
        Guest interp = guest(code, -1, true, 2);
        assertEquals(StopReason.HALTED, interp.cpu.run(10_000_000));
        assertEquals(10_000 * 0x01010101 + 10_000 * 0x02020201, interp.cpu.state.gpr[CpuState.EAX], "the interpreter ran both mappings");
        runBoth(code, true, 2);
    }
}
