package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.InterruptSource;
import org.kasou.cpu.StopReason;

/**
 * Going from unit to unit without the interpreter: a unit's link to the next is followed only
 * while what it was checked against holds (the translation of the next unit's page above all),
 * and stops and interrupts are still looked at while units run one after another.
 */
class ChainingTest {
    /** The function the loop calls, at a linear page whose frame the guest changes. */
    private static final int FUNCTION = 0x70000, FIRST_FRAME = 0x70000, SECOND_FRAME = 0x71000;

    /**
     * A loop calls a function through a register (so that the call leaves the unit and the
     * caller's unit links to the function's); then the guest maps the function's linear page to
     * another frame holding other code, INVLPGs it and runs the same loop again: the calls must
     * reach the new code, not the unit of the old frame the link leads to.
     */
    @Test
    void aLinkIsNotFollowedAfterItsPageWasMappedElsewhere() {
        int pte = Guest.PT + 4 * (FUNCTION >>> 12);
        byte[] code = loopCallingTwice(FUNCTION, 200, new Guest.Asm()
                .b(0xC7, 0x05).d(pte).d(SECOND_FRAME | 7)  // mov dword [pte], SECOND_FRAME | 7
                .b(0x0F, 0x01, 0x3D).d(FUNCTION)           // invlpg [FUNCTION]
                .bytes()).bytes();

        Guest interp = guest(code, -1);
        Guest jit = guest(code, 0);
        assertEquals(StopReason.HALTED, interp.cpu.run(1_000_000));
        assertEquals(StopReason.HALTED, jit.cpu.run(1_000_000));
        assertEquals(200 * 1 + 200 * 100, interp.cpu.state.gpr[CpuState.EAX], "the interpreter ran both functions");
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(jit.stats().chained > 500, "units went from one to the next: " + jit.stats().chained);
    }

    /**
     * A loop that calls {@code function} through a register {@code times} times, runs
     * {@code between} once (the guest changes the function), runs the loop again and halts.
     */
    private static Guest.Asm loopCallingTwice(int function, int times, byte[] between) {
        Guest.Asm a = new Guest.Asm();
        a.b(0x31, 0xFF);                                   // xor edi, edi
        a.b(0xBD).d(times);                                // mov ebp, times
        int loop = a.here();
        a.b(0xBA).d(function);                             // loop: mov edx, function
        a.b(0xFF, 0xD2);                                   //       call edx
        a.b(0x4D, 0x75, loop - (a.here() + 3));            //       dec ebp; jnz loop
        a.b(0x85, 0xFF);                                   //       test edi, edi
        a.b(0x75, 1 + between.length + 5 + 5);             //       jnz done
        a.b(0x47);                                         //       inc edi
        a.raw(between);
        a.b(0xBD).d(times);                                //       mov ebp, times
        a.b(0xE9).d(loop - (a.here() + 4));                //       jmp loop
        a.b(0xF4);                                         // done: hlt
        return a;
    }

    /** Pads a to {@code at} and puts there "call +5; add eax, addend; ret; nop; ret" (no leaf a caller's unit would take in). */
    private static void function(Guest.Asm a, int at, int addend) {
        while (a.here() < at) a.b(0x90);
        a.b(0xE8).d(5);                                    // call +5
        a.b(0x83, 0xC0, addend);                           // add eax, addend
        a.b(0xC3);                                         // ret
        a.b(0x90, 0xC3);                                   // nop; ret
    }

    /** A guest with paging on whose function page holds "add eax, 1; ret" in one frame and "add eax, 100; ret" in the other. */
    private static Guest guest(byte[] code, int threshold) {
        Guest g = new Guest(code, threshold, true);
        // Each function calls a RET first, so that it is no leaf a caller's unit would take in.
        byte[] first = {(byte) 0xE8, 5, 0, 0, 0, (byte) 0x83, (byte) 0xC0, 1, (byte) 0xC3, 0, (byte) 0xC3};
        byte[] second = {(byte) 0xE8, 5, 0, 0, 0, (byte) 0x83, (byte) 0xC0, 100, (byte) 0xC3, 0, (byte) 0xC3};
        g.cpu.physical.load(FIRST_FRAME, first, 0, first.length);
        g.cpu.physical.load(SECOND_FRAME, second, 0, second.length);
        return g;
    }

    /**
     * Two units that jump to each other forever (through a register, so that each jump leaves
     * its unit), with IF set: an interrupt that becomes pending is taken after a few hundred
     * instructions at most, not at the end of the interpreter's slice for the engine.
     */
    @Test
    void anInterruptIsTakenSoonWhileUnitsFollowEachOther() {
        Guest.Asm a = new Guest.Asm();
        int first = a.here();
        int second = first + 0x2000; // in another page
        a.b(0x40);                                         // first:  inc eax
        a.b(0x01, 0xC3);                                   //         add ebx, eax
        a.b(0xBA).d(second);                               //         mov edx, second
        a.b(0xFF, 0xE2);                                   //         jmp edx
        while (a.here() < second) a.b(0x90);
        a.b(0x41);                                         // second: inc ecx
        a.b(0x01, 0xCF);                                   //         add edi, ecx
        a.b(0xBA).d(first);                                //         mov edx, first
        a.b(0xFF, 0xE2);                                   //         jmp edx
        Guest g = new Guest(a.bytes(), 0);
        CpuState s = g.cpu.state;
        s.setEflags(0x202);
        long raisedAt = 200_000;
        long[] takenAt = {-1};
        g.cpu.interrupts = new InterruptSource() {
            @Override
            public boolean pending() {
                return takenAt[0] < 0 && g.cpu.instructions >= raisedAt;
            }

            @Override
            public int acknowledge() {
                takenAt[0] = g.cpu.instructions;
                return 31; // its handler halts
            }
        };
        assertEquals(StopReason.HALTED, g.cpu.run(1_000_000));
        assertTrue(takenAt[0] >= raisedAt, "taken at " + takenAt[0]);
        assertTrue(takenAt[0] - raisedAt <= JitEngine.CHECK_INTERVAL + 16, "taken " + (takenAt[0] - raisedAt) + " instructions late");
        assertTrue(g.stats().chained > 10_000, "units went from one to the next: " + g.stats().chained);
    }

    /**
     * A loop calls a function in another page through a register, 300 times; then the guest
     * writes a new immediate into the function's ADD and runs the loop 300 times more. The
     * caller's exit calls the function's unit itself once it is linked; after the write the link
     * leads to a dropped unit, which must not run again.
     */
    @Test
    void aLinkToCodeThatWasWrittenIsNotFollowed() {
        int function = Guest.CODE + 0x3000;
        Guest.Asm a = loopCallingTwice(function, 300,
                new Guest.Asm().b(0xC6, 0x05).d(function + 7).b(100).bytes()); // mov byte [function + 7], 100
        function(a, function, 1);
        byte[] code = a.bytes();

        Guest interp = new Guest(code, -1);
        Guest jit = new Guest(code, 0);
        assertEquals(StopReason.HALTED, interp.cpu.run(1_000_000));
        assertEquals(StopReason.HALTED, jit.cpu.run(1_000_000));
        assertEquals(300 * 1 + 300 * 100, interp.cpu.state.gpr[CpuState.EAX], "the interpreter ran both functions");
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(jit.stats().linked > 300, "units called the next themselves: " + jit.stats().linked);
        assertTrue(jit.stats().invalidations > 0, "the write dropped the function's unit");
    }

    /**
     * Units that follow their links call each other: each hop is a JVM frame, so one call of a
     * unit by the engine makes at most ChainLink.MAX_HOPS of them before the chain unwinds.
     */
    @Test
    void unitsCallEachOtherOnlyABoundedNumberOfTimesInARow() {
        Guest.Asm a = new Guest.Asm();
        int first = a.here();
        int second = first + 0x2000;
        a.b(0x40);                                         // first:  inc eax
        a.b(0x3D).d(100_000);                              //         cmp eax, 100000
        int toDone = a.here();
        a.b(0x74, 0);                                      //         je done (patched)
        a.b(0xBA).d(second);                               //         mov edx, second
        a.b(0xFF, 0xE2);                                   //         jmp edx
        int done = a.here();
        a.b(0xF4);                                         // done:   hlt
        while (a.here() < second) a.b(0x90);
        a.b(0x41);                                         // second: inc ecx
        a.b(0xBA).d(first);                                //         mov edx, first
        a.b(0xFF, 0xE2);                                   //         jmp edx
        byte[] code = a.bytes();
        code[toDone + 1 - Guest.CODE] = (byte) (done - (toDone + 2));
        Guest jit = Guest.haltsAlike(code, 0, 10_000_000);
        JitStats st = jit.stats();
        long byEngine = st.entries - st.linked;
        assertTrue(st.linked > 100_000, "units called the next themselves: " + st.linked);
        assertTrue(st.linked <= byEngine * ChainLink.MAX_HOPS,
                st.linked + " hops in " + byEngine + " calls by the engine: more than " + ChainLink.MAX_HOPS + " a call");
    }

    /**
     * The same through direct jumps: six pages each jump to the next, the last back to the first,
     * and a region takes in at most four pages, so the units leave to one another at exits to a
     * fixed EIP, whose links they follow themselves, a bounded number of times in a row.
     */
    @Test
    void unitsLinkedByDirectJumpsCallEachOtherOnlyABoundedNumberOfTimesInARow() {
        Guest.Asm a = new Guest.Asm();
        int first = a.here();
        a.b(0x40);                                         // page 0: inc eax
        a.b(0x3D).d(100_000);                              //         cmp eax, 100000
        int toDone = a.here();
        a.b(0x74, 0);                                      //         je done (patched)
        a.b(0xE9).d(first + 0x1000 - (a.here() + 4));     //         jmp page 1
        int done = a.here();
        a.b(0xF4);                                         // done:   hlt
        for (int page = 1; page <= 5; page++) {
            while (a.here() < first + page * 0x1000) a.b(0x90);
            int next = page == 5 ? first : first + (page + 1) * 0x1000;
            a.b(0x41);                                     // page n: inc ecx
            a.b(0xE9).d(next - (a.here() + 4));            //         jmp the next page (page 0 after page 5)
        }
        byte[] code = a.bytes();
        code[toDone + 1 - Guest.CODE] = (byte) (done - (toDone + 2));
        Guest jit = Guest.haltsAlike(code, 0, 10_000_000);
        JitStats st = jit.stats();
        long byEngine = st.entries - st.linked;
        assertTrue(st.linked > 100_000, "units called the next themselves: " + st.linked + " entries " + st.entries + " units " + st.unitsCompiled + " ran " + st.instructionsExecuted);
        assertTrue(st.linked <= byEngine * ChainLink.MAX_HOPS,
                st.linked + " hops in " + byEngine + " calls by the engine: more than " + ChainLink.MAX_HOPS + " a call");
    }

    /**
     * A function in another page called from two places in turn: its RET goes back to one and
     * then the other. The link at the RET holds one of them; the other is the unit the engine
     * found last at that EIP, which the exit takes as well instead of returning to the engine.
     */
    @Test
    void aReturnToEitherOfTwoCallersGoesOnWithoutTheEngine() {
        int function = Guest.CODE + 0x3000;
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(5000);                                 // mov ebp, 5000
        int loop = a.here();
        a.b(0xBA).d(function);                             // loop: mov edx, function
        a.b(0xFF, 0xD2);                                   //       call edx
        a.b(0x01, 0xC3);                                   //       add ebx, eax
        a.b(0xFF, 0xD2);                                   //       call edx
        a.b(0x01, 0xC1);                                   //       add ecx, eax
        a.b(0x4D, 0x75, loop - (a.here() + 3));            //       dec ebp; jnz loop
        a.b(0xF4);                                         //       hlt
        function(a, function, 3);
        byte[] code = a.bytes();
        Guest jit = Guest.haltsAlike(code, 0, 1_000_000);
        JitStats st = jit.stats();
        // Through the link alone, half of the returns would go back to the engine.
        assertTrue(st.linked * 10 > st.entries * 8, st.linked + " of " + st.entries + " entries by a unit's own call");
    }

    /**
     * A unit that runs a string instruction through the interpreter's code (REP MOVSB, REPE CMPSB)
     * still follows its links: such instructions change nothing a chain is checked against
     * (JitEngine.Body#keepsChainState). A loop copies and compares 16 bytes, then calls a function
     * in another page through a register; the results are the interpreter's, and nearly every
     * pass between the units is a unit's own call, not the engine's.
     */
    @Test
    void unitsHoldingStringInstructionsKeepTheirLinks() {
        int function = Guest.CODE + 0x3000;
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(5000);                                 // mov ebp, 5000
        int loop = a.here();
        a.b(0xBE).d(Guest.DATA);                           // loop: mov esi, DATA
        a.b(0xBF).d(Guest.DATA + 0x100);                   //       mov edi, DATA + 0x100
        a.b(0xB9).d(16);                                   //       mov ecx, 16
        a.b(0xF3, 0xA4);                                   //       rep movsb
        a.b(0xBE).d(Guest.DATA);                           //       mov esi, DATA
        a.b(0xBF).d(Guest.DATA + 0x100);                   //       mov edi, DATA + 0x100
        a.b(0xB9).d(16);                                   //       mov ecx, 16
        a.b(0xF3, 0xA6);                                   //       repe cmpsb
        a.b(0x01, 0xCB);                                   //       add ebx, ecx (0: all equal)
        a.b(0x83, 0x05).d(Guest.DATA).b(1);                //       add dword [DATA], 1
        a.b(0xBA).d(function);                             //       mov edx, function
        a.b(0xFF, 0xD2);                                   //       call edx
        a.b(0x4D, 0x75, loop - (a.here() + 3));            //       dec ebp; jnz loop
        a.b(0xF4);                                         //       hlt
        function(a, function, 3);
        byte[] code = a.bytes();
        Guest jit = Guest.haltsAlike(code, 0, 1_000_000);
        assertEquals(5000 * 3, jit.cpu.state.gpr[CpuState.EAX], "the function ran each time");
        assertEquals(0, jit.cpu.state.gpr[CpuState.EBX], "each copy compared equal");
        JitStats st = jit.stats();
        assertTrue(st.linked * 10 > st.entries * 8, st.linked + " of " + st.entries + " entries by a unit's own call");
    }
}
