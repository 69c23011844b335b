package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;

/**
 * A unit leaves before an instruction whose memory access misses the fast path (SlowAccess),
 * for the interpreter to run it; an instruction that leaves that way {@link
 * JitEngine#SLOW_EXITS_BEFORE_CALLS} times has its units compiled again with the access calling
 * Memory instead. Each guest here ends as on the interpreter, with the exits counted.
 */
class SlowAccessTest {
    private static final int TURNS = 10_000;

    /** A loop of TURNS turns around {@code access} (then ADD EBX, ECX; DEC ECX; JNZ), then HLT. */
    private static byte[] loop(int... access) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xB9).d(TURNS);           // mov ecx, TURNS
        int top = a.here();
        a.b(access);
        a.b(0x01, 0xCB);              // add ebx, ecx
        a.b(0x49);                    // dec ecx
        a.b(0x75, top - (a.here() + 2)); // jnz top
        a.b(0xF4);                    // hlt
        return a.bytes();
    }

    /**
     * Runs code with DS flat on the interpreter and with the JIT at {@code threshold}; returns the
     * JIT's guest after checking both end alike.
     */
    private static Guest runBoth(byte[] code, int threshold) {
        Guest interp = new Guest(code, -1), jit = new Guest(code, threshold);
        for (Guest g : new Guest[] {interp, jit}) {
            g.cpu.state.seg[Segment.DS].set(0x10, 0, 0xFFFFFFFF, 0xCF93); // flat: the accesses that leave
            g.cpu.run(1_000_000);
        }
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(jit.cpu.state.halted, jit.snapshot());
        return jit;
    }

    private static int le(int v, int i) {
        return (v >>> (8 * i)) & 0xFF;
    }

    @Test
    void aWriteToDataOnItsCodePageLeavesAFewTimesThenCallsMemory() {
        int addr = Guest.CODE + 0x800; // in the code's own page, which the write TLB never maps
        Guest jit = runBoth(loop(0x89, 0x0D, le(addr, 0), le(addr, 1), le(addr, 2), le(addr, 3)), 10); // mov [addr], ecx
        JitStats st = jit.stats();
        assertEquals(1, jit.cpu.physical.read32(addr), "the last turn's ECX");
        assertTrue(st.slowExits >= 1 && st.slowExits <= JitEngine.SLOW_EXITS_BEFORE_CALLS, "exits " + st.slowExits);
        assertTrue(st.slowRecompiles >= 1, "compiled again: " + st.slowRecompiles);
        assertTrue(st.instructionsExecuted > 3 * TURNS, "compiled code ran " + st.instructionsExecuted);
    }

    @Test
    void aReadAcrossAPageLeavesAFewTimesThenCallsMemory() {
        readAcrossAPage(true);
    }

    /** The same through a data segment with a limit (Guest's DS), whose accesses check it. */
    @Test
    void aReadAcrossAPageThroughASegmentWithALimitDoesTheSame() {
        readAcrossAPage(false);
    }

    private static void readAcrossAPage(boolean flat) {
        int addr = Guest.DATA + 0xFFE; // a dword across two pages
        byte[] code = loop(0x8B, 0x05, le(addr, 0), le(addr, 1), le(addr, 2), le(addr, 3)); // mov eax, [addr]
        Guest interp = new Guest(code, -1), jit = new Guest(code, 10);
        for (Guest g : new Guest[] {interp, jit}) {
            g.cpu.physical.write32(addr, 0x12345678);
            if (flat) g.cpu.state.seg[Segment.DS].set(0x10, 0, 0xFFFFFFFF, 0xCF93);
            g.cpu.run(1_000_000);
        }
        assertEquals(interp.snapshot(), jit.snapshot());
        assertEquals(0x12345678, jit.cpu.state.gpr[CpuState.EAX]);
        JitStats st = jit.stats();
        assertTrue(st.slowExits >= 1 && st.slowExits <= JitEngine.SLOW_EXITS_BEFORE_CALLS, "exits " + st.slowExits);
        assertTrue(st.slowRecompiles >= 1, "compiled again: " + st.slowRecompiles);
        assertTrue(st.instructionsExecuted > 3 * TURNS, "compiled code ran " + st.instructionsExecuted);
    }

    @Test
    void aTlbMissLeavesOnceAndTheUnitKeepsItsFastPath() {
        // mov eax, [DATA + 0x100], compiled at first sight: the page's first touch misses; once the
        // interpreter has filled the TLB the unit runs every later turn and is not compiled again
        int addr = Guest.DATA + 0x100;
        Guest jit = runBoth(loop(0x8B, 0x05, le(addr, 0), le(addr, 1), le(addr, 2), le(addr, 3)), 0);
        JitStats st = jit.stats();
        // at most twice: the unit entered at the start, then the one at the loop's head (compiled at
        // first sight when the first left), before the interpreter ran the read
        assertTrue(st.slowExits >= 1 && st.slowExits <= 2, "exits " + st.slowExits);
        assertEquals(0, st.slowRecompiles, "compiled again");
        assertTrue(st.instructionsExecuted > 3 * TURNS, "compiled code ran " + st.instructionsExecuted);
    }

    @Test
    void aBodyDroppedForItsExitsIsCompiledAgainAtOnceFromItsFirstEntry() {
        // top: call f; dec ecx; jnz top; hlt. f: mov [its own page], ecx; add ebx, ecx; ret. Left to
        // whichever of its blocks heats first after the drop, the code came back in another shape
        // (lua5.4's lua_geti as four bodies passing into each other at every call).
        int addr = Guest.CODE + 0x800;
        Guest.Asm a = new Guest.Asm();
        a.b(0xB9).d(TURNS);                  // mov ecx, TURNS
        int call = a.here();
        a.b(0xE8).d(0);                      // top: call f (patched below)
        a.b(0x49);                           // dec ecx
        a.b(0x75, call - (a.here() + 2));    // jnz top
        a.b(0xF4);                           // hlt
        int f = a.here();
        a.b(0x89, 0x0D, le(addr, 0), le(addr, 1), le(addr, 2), le(addr, 3)); // mov [addr], ecx
        a.b(0x01, 0xCB);                     // add ebx, ecx
        a.b(0xC3);                           // ret
        byte[] code = a.bytes();
        int rel = f - (call + 5);
        for (int i = 0; i < 4; i++) code[call - Guest.CODE + 1 + i] = (byte) le(rel, i);
        Guest interp = new Guest(code, -1), jit = new Guest(code, 2 * JitEngine.SLOW_EXITS_BEFORE_CALLS);
        JitEngine engine = JitEngine.of(jit.cpu);
        int page = Guest.CODE >>> 12;
        // a turn (six instructions) at a time, so that every slice ends at the loop's head
        jit.cpu.run(1);
        while (engine.bodiesInPage(page).isEmpty() && jit.cpu.instructions < 10_000) jit.cpu.run(6);
        int first = engine.bodiesInPage(page).get(0).units.get(0).eip;
        while (jit.stats().slowRecompiles == 0 && jit.cpu.instructions < 10_000) jit.cpu.run(6);
        assertEquals(1, jit.stats().slowRecompiles, "compiled again");
        List<List<Integer>> now = new ArrayList<>();
        for (JitEngine.Body b : engine.bodiesInPage(page)) now.add(entries(b));
        assertTrue(now.stream().anyMatch(e -> e.get(0) == first), "bodies' entries the turn after the drop: " + now
                + ", the first entry before: " + Integer.toHexString(first));
        jit.cpu.run(1_000_000);
        interp.cpu.run(1_000_000);
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(jit.cpu.state.halted);
    }

    private static List<Integer> entries(JitEngine.Body body) {
        List<Integer> eips = new ArrayList<>();
        for (JitEngine.Unit u : body.units) eips.add(u.eip);
        return eips;
    }
}
