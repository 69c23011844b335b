package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.IdentityHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.Interpreter;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.isa.Decoder;
import org.kasou.isa.DecodedInsn;

/**
 * Which places of a region become entries of its method (those that keep its control flow
 * reducible), that hot code is compiled into one body instead of one copy per hot block, and
 * that regions take their instructions from the interpreter's blocks.
 */
class RegionEntriesTest {
    /** A region of the guest's code page as the engine would build it, after the interpreter ran it. */
    private static Region region(Guest g, int... entryEips) {
        return region(g, false, entryEips);
    }

    private static Region region(Guest g, boolean profile, int... entryEips) {
        return regionStoppingAt(g, profile, -1, entryEips);
    }

    /** As above, with another body's entry at {@code stop} (none when -1). */
    private static Region regionStoppingAt(Guest g, boolean profile, int stop, int... entryEips) {
        Segment cs = g.cpu.state.seg[Segment.CS];
        int page = Guest.CODE >>> 12;
        PageCode code = new PageCode(g.cpu.interpreter().blocksInPage(page), cs.base, page, true, profile);
        if (stop >= 0) code.stops.set((cs.base + stop) & 0xFFF);
        return new Region(g.cpu.physical, new Decoder(), entryEips, code, Guest.CODE, cs.base, cs.limit, 64, g.cpu.memory,
                g.cpu.state, true, true);
    }

    private static boolean isEntry(Region r, int eip) {
        for (Node n : r.entries) if (n.eip == eip) return true;
        return false;
    }

    /**
     * start: mov ecx, 50; jmp mid; head: add eax, ebx; mid: inc ebx; dec ecx; jnz head; hlt.
     * The loop is entered at mid (from start), so mid is its head: an entry at mid keeps the
     * graph reducible, an entry at head (a second way into the loop) does not.
     */
    @Test
    void anEntryInsideALoopIsLeftOutWhenItMakesTheGraphIrreducible() {
        Guest.Asm a = new Guest.Asm();
        int start = a.here();
        a.b(0xB9).d(50);                 // mov ecx, 50
        a.b(0xEB, 0x02);                 // jmp mid
        int head = a.here();
        a.b(0x01, 0xD8);                 // head: add eax, ebx
        int mid = a.here();
        a.b(0x43);                       // mid: inc ebx
        a.b(0x49);                       //      dec ecx
        a.b(0x75, head - (a.here() + 2)); //     jnz head
        a.b(0xF4);                       // hlt
        Guest g = new Guest(a.bytes(), -1);
        assertEquals(StopReason.HALTED, g.cpu.run(10_000));
        for (int[] order : new int[][] {{start, head, mid}, {start, mid, head}}) {
            Region r = region(g, order);
            assertTrue(isEntry(r, start));
            assertTrue(isEntry(r, mid), "the loop's own head");
            assertFalse(isEntry(r, head), "a second way into the loop");
            assertEquals(1, r.rejectedEntries);
        }
    }

    /** start: mov ecx, 50; head: add eax, ebx; inc ebx; dec ecx; jnz head; hlt: the loop head is an entry, its middle is not. */
    @Test
    void aLoopHeadIsAnEntryItsMiddleIsNot() {
        Guest.Asm a = new Guest.Asm();
        int start = a.here();
        a.b(0xB9).d(50);                 // mov ecx, 50
        int head = a.here();
        a.b(0x01, 0xD8);                 // head: add eax, ebx
        int mid = a.here();
        a.b(0x43);                       //       inc ebx
        a.b(0x49);                       //       dec ecx
        a.b(0x75, head - (a.here() + 2)); //      jnz head
        int after = a.here();
        a.b(0x42);                       // inc edx (after the loop)
        a.b(0xF4);                       // hlt
        Guest g = new Guest(a.bytes(), -1);
        assertEquals(StopReason.HALTED, g.cpu.run(10_000));
        Region r = region(g, start, mid, head, after);
        assertTrue(isEntry(r, start));
        assertTrue(isEntry(r, head));
        assertTrue(isEntry(r, after), "outside the loop");
        assertFalse(isEntry(r, mid));
    }

    /**
     * start: mov ecx, 50; test ecx, ecx; jnz body; head: add eax, ebx; body: inc ebx; dec ecx;
     * jnz head; hlt, with another body's entry at head. The exploration reaches head first by the
     * JNZ's fall-through, where a region may stop at another body's entry, and then by the loop's
     * back edge, where it may not: head is compiled, so that the loop does not leave the unit on
     * every turn.
     */
    @Test
    void aLoopHeadReachedFirstByAnEdgeThatMayStopThereIsCompiledWhenTheBackEdgeReachesIt() {
        Guest.Asm a = new Guest.Asm();
        int start = a.here();
        a.b(0xB9).d(50);                 // mov ecx, 50
        a.b(0x85, 0xC9);                 // test ecx, ecx
        a.b(0x75, 0x02);                 // jnz body
        int head = a.here();
        a.b(0x01, 0xD8);                 // head: add eax, ebx
        a.b(0x43);                       // body: inc ebx
        a.b(0x49);                       //       dec ecx
        a.b(0x75, head - (a.here() + 2)); //      jnz head
        a.b(0xF4);                       // hlt
        Guest g = new Guest(a.bytes(), -1);
        assertEquals(StopReason.HALTED, g.cpu.run(10_000));
        for (boolean stopAtHead : new boolean[] {false, true}) {
            Region r = regionStoppingAt(g, false, stopAtHead ? head : -1, start);
            assertTrue(r.nodes.stream().anyMatch(n -> n.eip == head), "head compiled, stop there: " + stopAtHead);
            assertEquals(7, r.nodes.size(), "stop at head: " + stopAtHead);
        }
    }

    /** Every instruction of a region that the interpreter ran is the interpreter's own decoded object. */
    @Test
    void regionsUseTheInterpretersDecodedInstructions() {
        byte[] code = recursiveFib();
        Guest g = new Guest(code, -1);
        g.cpu.run(3_000);
        IdentityHashMap<DecodedInsn, Boolean> theirs = new IdentityHashMap<>();
        for (Interpreter.Block b : g.cpu.interpreter().blocksInPage(Guest.CODE >>> 12)) {
            for (int i = 0; i < b.count(); i++) theirs.put(b.insn(i), true);
        }
        Region r = region(g, true, Guest.CODE);
        assertTrue(r.nodes.size() > 10, r.nodes.size() + " nodes");
        assertEquals(0, r.decodedHere, "decoded again");
        for (Node n : r.nodes) assertTrue(theirs.containsKey(n.d), Integer.toHexString(n.eip));
        // Direct JMP/CALL the interpreter continued through (JMP_INLINE, CALL_INLINE32) are still jumps and calls.
        long calls = r.nodes.stream().filter(n -> n.kind == Kinds.CALL).count();
        assertEquals(3, calls);
    }

    /**
     * main: mov edi, 60; outer: mov eax, 9; call fib; add ebp, eax; dec edi; jnz outer; hlt.
     * fib: cmp eax, 2; jb small; push eax; dec eax; call fib; pop edx; push eax; lea eax, [edx-2];
     * call fib; pop edx; add eax, edx; ret; small: ret.
     */
    static byte[] recursiveFib() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBF).d(60);                          // mov edi, 60
        int outer = a.here();
        a.b(0xB8).d(9);                           // outer: mov eax, 9
        int call0 = a.here();
        a.b(0xE8).d(0);                           // call fib (patched)
        a.b(0x01, 0xC5);                          // add ebp, eax
        a.b(0x4F);                                // dec edi
        a.b(0x75, outer - (a.here() + 2));        // jnz outer
        a.b(0xF4);                                // hlt
        int fib = a.here();
        a.b(0x83, 0xF8, 0x02);                    // fib: cmp eax, 2
        a.b(0x72, 0x15);                          // jb small
        a.b(0x50);                                // push eax
        a.b(0x48);                                // dec eax
        int call1 = a.here();
        a.b(0xE8).d(0);                           // call fib
        a.b(0x5A);                                // pop edx
        a.b(0x50);                                // push eax
        a.b(0x8D, 0x42, 0xFE);                    // lea eax, [edx-2]
        int call2 = a.here();
        a.b(0xE8).d(0);                           // call fib
        a.b(0x5A);                                // pop edx
        a.b(0x01, 0xD0);                          // add eax, edx
        a.b(0xC3);                                // ret
        int small = a.here();
        a.b(0xC3);                                // small: ret
        byte[] code = a.bytes();
        if (small - (fib + 5) != 0x15) throw new AssertionError("jb small: " + (small - (fib + 5)));
        for (int at : new int[] {call0, call1, call2}) {
            int rel = fib - (at + 5);
            for (int i = 0; i < 4; i++) code[at - Guest.CODE + 1 + i] = (byte) (rel >> (8 * i));
        }
        return code;
    }

    /**
     * A recursive function and its caller, hot in every block (with a small budget the interpreter
     * resumes at many places): one body holds the function; the blocks that it cannot take as
     * entries get regions that stop at its entries, not more copies of the function.
     */
    @Test
    void aRecursiveFunctionIsCompiledOnce() {
        byte[] code = recursiveFib();
        Guest interp = new Guest(code, -1);
        Guest jit = new Guest(code, 20);
        for (int slice = 0; slice < 20_000 && !interp.cpu.state.halted; slice++) {
            interp.cpu.run(37);
            jit.cpu.run(37);
        }
        assertTrue(interp.cpu.state.halted);
        assertEquals(interp.snapshot(), jit.snapshot());
        JitStats st = jit.stats();
        int distinct = 19; // instructions of main and fib
        assertTrue(st.instructionsExecuted > 20_000, "compiled " + st.instructionsExecuted);
        assertTrue(st.instructionsCompiled <= distinct * 2, st.instructionsCompiled + " instructions compiled in " + st.unitsCompiled + " bodies");
        assertTrue(st.unitsCompiled <= 8, st.unitsCompiled + " bodies");
        // The function's return sites and the blocks after its calls are entries of the body that holds it.
        int most = 0;
        for (JitEngine.Body b : JitEngine.of(jit.cpu).bodiesInPage(Guest.CODE >>> 12)) most = Math.max(most, b.units.size());
        assertTrue(most >= 5, "entries of the largest body: " + most);
    }

    /** The first region's body serves the later hot blocks of its code as entries or through short regions (the page's units). */
    @Test
    void bodiesOfAPageDoNotOverlapMuch() {
        byte[] code = recursiveFib();
        Guest jit = new Guest(code, 20);
        for (int slice = 0; slice < 20_000 && !jit.cpu.state.halted; slice++) jit.cpu.run(37);
        JitEngine engine = JitEngine.of(jit.cpu);
        List<JitEngine.Body> bodies = engine.bodiesInPage(Guest.CODE >>> 12);
        int total = 0;
        java.util.BitSet union = new java.util.BitSet();
        for (JitEngine.Body b : bodies) {
            total += b.offsets.cardinality();
            union.or(b.offsets);
        }
        assertTrue(total <= union.cardinality() + 8, total + " compiled instructions for " + union.cardinality() + " distinct");
    }
}
