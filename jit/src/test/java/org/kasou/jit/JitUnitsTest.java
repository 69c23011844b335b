package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;

/**
 * Compiled units against the interpreter where the JIT has its own machinery: faults at every
 * position of a unit, code modified by the unit itself through a second linear mapping, a
 * small code cache that evicts, and regions too large for one method.
 */
class JitUnitsTest {
    private static final int FAULT_GP = 0, FAULT_PF = 1, FAULT_DE = 2, FAULT_UD = 3;

    /** A loop of register and memory work with one faulting instruction at position {@code at}. */
    private static byte[] faultingLoop(int at, int kind) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(3); // mov ebp, 3
        int top = a.here();
        for (int i = 0; i < 24; i++) {
            if (i == at) {
                switch (kind) {
                    case FAULT_GP: a.b(0x8B, 0x05).d(0x90000); break;            // mov eax, [beyond DS limit]
                    case FAULT_PF: a.b(0x89, 0x1D).d(Guest.UNMAPPED + 8); break;  // mov [not present], ebx
                    case FAULT_DE: a.b(0x31, 0xC9, 0xF7, 0xF1); break;           // xor ecx, ecx; div ecx
                    default: a.b(0x0F, 0x0B); break;                             // ud2
                }
                continue;
            }
            switch (i % 6) {
                case 0: a.b(0x01, 0xD8); break;               // add eax, ebx
                case 1: a.b(0x89, 0x46, 4 * i); break;        // mov [esi+4i], eax
                case 2: a.b(0x43); break;                     // inc ebx
                case 3: a.b(0x03, 0x56, 4 * i - 8); break;    // add edx, [esi+4i-8]
                case 4: a.b(0xC1, 0xE7, 3); break;            // shl edi, 3
                default: a.b(0x33, 0xFA); break;              // xor edi, edx
            }
        }
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4)); // dec ebp; jnz top
        a.b(0xF4);
        return a.bytes();
    }

    @Test
    void faultsAtEveryPositionLeaveTheStateAsTheInterpreterDoes() {
        for (int kind = 0; kind < 4; kind++) {
            for (int at = 0; at < 24; at++) {
                byte[] code = faultingLoop(at, kind);
                Guest interp = new Guest(code, -1, true);
                Guest jit = new Guest(code, 0, true);
                assertEquals(StopReason.HALTED, interp.cpu.run(10_000));
                assertEquals(StopReason.HALTED, jit.cpu.run(10_000));
                String where = "fault kind " + kind + " at " + at;
                assertEquals(interp.snapshot(), jit.snapshot(), where);
                // The handler ran: the faulting EIP is on the stack, and compiled code ran up to the fault.
                assertTrue(interp.cpu.state.gpr[CpuState.ESP] < Guest.STACK_TOP, where);
                if (at > 0) assertTrue(jit.stats().instructionsExecuted > 0, where);
            }
        }
    }

    /**
     * The loop rewrites the immediate of an instruction of its own unit through another linear
     * page mapped to the same physical page: first one it already ran, then one ahead of it.
     */
    @Test
    void codeWrittenThroughASecondMappingIsRecompiled() {
        for (int ahead = 0; ahead < 2; ahead++) {
            Guest.Asm a = new Guest.Asm();
            a.b(0xBD).d(50); // mov ebp, 50
            int top = a.here();
            int movImm = a.here() + 1 - Guest.CODE;
            a.b(0xB8).d(1);                           // top: mov eax, imm (patched)
            a.b(0x01, 0xC3);                          //      add ebx, eax
            int storeAt = a.here();
            a.b(0x89, 0x0D).d(0);                     //      mov [alias + patched imm], ecx
            int addImm = a.here() + 2 - Guest.CODE;
            a.b(0x81, 0xC2).d(7);                     //      add edx, imm (patched)
            a.b(0x41);                                //      inc ecx
            a.b(0x4D, 0x75, top - (a.here() + 3));    //      dec ebp; jnz top
            a.b(0xF4);
            byte[] code = a.bytes();
            int target = Guest.CODE_ALIAS + (ahead == 0 ? movImm : addImm);
            int disp = storeAt - Guest.CODE + 2;
            code[disp] = (byte) target;
            code[disp + 1] = (byte) (target >> 8);
            code[disp + 2] = (byte) (target >> 16);
            code[disp + 3] = (byte) (target >> 24);
            Guest interp = new Guest(code, -1, true);
            Guest jit = new Guest(code, 0, true);
            assertEquals(StopReason.HALTED, interp.cpu.run(100_000));
            assertEquals(StopReason.HALTED, jit.cpu.run(100_000));
            assertEquals(interp.snapshot(), jit.snapshot(), "patch ahead " + ahead);
            assertTrue(jit.stats().invalidations > 0);
            assertTrue(jit.stats().instructionsExecuted > 0);
        }
    }

    /**
     * Data in the code's own page, as small programs have it (their .data right after .text):
     * stores there, in lines that hold no code, reach memory (the loop reads them back), invalidate
     * nothing and keep the loop in compiled code; a store into the line of the loop's last bytes
     * (after its HLT, no instruction's bytes) does neither either.
     */
    @Test
    void dataBesideCodeInItsPageIsWrittenWithoutInvalidating() {
        for (int gap : new int[] {0x800, 0}) {
            Guest.Asm a = new Guest.Asm();
            a.b(0xBD).d(2000);                          // mov ebp, 2000
            int top = a.here();
            int dataAt = a.here() + 2;
            a.b(0x89, 0x0D).d(0);                       // top: mov [data], ecx (address patched)
            a.b(0x41);                                  //      inc ecx
            int readAt = a.here() + 2;
            a.b(0x03, 0x05).d(0);                       //      add eax, [data]
            a.b(0x4D, 0x75, top - (a.here() + 3));      //      dec ebp; jnz top
            a.b(0xF4);
            byte[] code = a.bytes();
            int data = gap == 0 ? Guest.CODE + code.length : Guest.CODE + gap; // just after HLT, or far in the page
            for (int at : new int[] {dataAt, readAt}) {
                int k = at - Guest.CODE;
                for (int i = 0; i < 4; i++) code[k + i] = (byte) (data >> (8 * i));
            }
            Guest interp = new Guest(code, -1, true);
            Guest jit = new Guest(code, 0, true);
            assertEquals(StopReason.HALTED, interp.cpu.run(100_000));
            assertEquals(StopReason.HALTED, jit.cpu.run(100_000));
            String where = "data at +" + Integer.toHexString(data - Guest.CODE);
            assertEquals(interp.snapshot(), jit.snapshot(), where);
            assertEquals(1999 * 2000 / 2, interp.cpu.state.gpr[CpuState.EAX], where);
            assertEquals(0, jit.stats().invalidations, where);
            assertTrue(jit.stats().entries < 20, where + ": " + jit.stats().entries + " entries");
        }
    }

    @Test
    void aSmallCacheEvictsAndStillAgrees() {
        for (int seed = 1; seed <= 30; seed++) {
            byte[] code = JitDifferentialTest.program(new java.util.Random(seed));
            Guest interp = new Guest(code, -1);
            Guest jit = new Guest(code, 0, false, 2);
            interp.cpu.run(20_000);
            jit.cpu.run(20_000);
            assertEquals(interp.snapshot(), jit.snapshot(), "seed " + seed);
            assertTrue(JitEngine.of(jit.cpu).cachedUnits() <= 2);
        }
    }

    /**
     * mov ebp, 1000; top: dec ebp; jz (to patch); mov eax, ebx; and eax, 3. Returns top and the
     * address after the JZ, which {@link #patchRel32} points at the loop's end.
     */
    private static int[] countedLoopHead(Guest.Asm a) {
        a.b(0xBD).d(1000);
        int top = a.here();
        a.b(0x4D, 0x0F, 0x84).d(0);
        int jzAt = a.here();
        a.b(0x89, 0xD8, 0x83, 0xE0, 0x03);
        return new int[] {top, jzAt};
    }

    /** Group-5 JMP (4) or CALL (2) through [table + eax*4], or through EDI loaded from there. */
    private static void throughTable(Guest.Asm a, int table, boolean viaRegister, int group) {
        if (viaRegister) {
            a.b(0x8B, 0x3C, 0x85).d(table);                      // mov edi, [table + eax*4]
            a.b(0xFF, 0xC0 | group << 3 | 7);
        } else {
            a.b(0xFF, group << 3 | 4, 0x85).d(table);
        }
    }

    /** Sets the rel32 that ends at {@code after} so that it branches to {@code target}. */
    private static void patchRel32(byte[] code, int after, int target) {
        int rel = target - after;
        int p = after - Guest.CODE - 4;
        for (int i = 0; i < 4; i++) code[p + i] = (byte) (rel >> (8 * i));
    }

    /**
     * Runs code to its HLT on the interpreter and with every block compiled, each with the table at
     * {@code table} holding {@code targets}; asserts that both end in the same state and returns the
     * compiled run's guest.
     */
    private static Guest bothAgreeThroughTable(byte[] code, boolean paging, int table, int[] targets, String what) {
        Guest interp = new Guest(code, -1, paging);
        Guest jit = new Guest(code, 0, paging);
        for (Guest g : new Guest[] {interp, jit}) {
            for (int k = 0; k < targets.length; k++) g.cpu.physical.write32(table + 4 * k, targets[k]);
        }
        assertEquals(StopReason.HALTED, interp.cpu.run(100_000));
        assertEquals(StopReason.HALTED, jit.cpu.run(100_000));
        assertEquals(interp.snapshot(), jit.snapshot(), what);
        return jit;
    }

    /** A switch through a jump table (JMP [table + EAX*4]), and through a register (JMP EDI). */
    @Test
    void indirectJumpsAgree() {
        for (int viaRegister = 0; viaRegister < 2; viaRegister++) {
            int table = Guest.DATA + 0x800;
            Guest.Asm a = new Guest.Asm();
            int[] head = countedLoopHead(a);
            int top = head[0], jzAt = head[1];
            throughTable(a, table, viaRegister == 1, 4);         // jmp [table + eax*4] / jmp edi
            int[] cases = new int[4];
            for (int k = 0; k < 4; k++) {
                cases[k] = a.here();
                a.b(0x83, 0xC2, k * 3 + 1, 0x43);                // add edx, imm8; inc ebx
                if (k == 2) a.b(0x43);                           // inc ebx (case 2 skips case 3)
                a.b(0xE9).d(top - (a.here() + 4));               // jmp top
            }
            int end = a.here();
            a.b(0xF4);
            byte[] code = a.bytes();
            patchRel32(code, jzAt, end);
            Guest jit = bothAgreeThroughTable(code, false, table, cases, "via register " + viaRegister);
            assertTrue(jit.stats().instructionsExecuted > 4000, "compiled " + jit.stats().instructionsExecuted + " of " + jit.cpu.instructions + ", entries " + jit.stats().entries);
        }
    }

    /**
     * CALL through a table in memory and through a register, to four small functions, then one
     * whose target is in an unmapped page: both engines agree (registers, stack, the fault's frame
     * and CR2), and the calls run compiled (an indirect call left to the interpreter would be one
     * instruction in eight).
     */
    @Test
    void indirectCallsAgree() {
        for (int viaRegister = 0; viaRegister < 2; viaRegister++) {
            int table = Guest.DATA + 0x800;
            Guest.Asm a = new Guest.Asm();
            int[] head = countedLoopHead(a);
            int top = head[0], jzAt = head[1];
            throughTable(a, table, viaRegister == 1, 2);         // call [table + eax*4] / call edi
            a.b(0xE9).d(top - (a.here() + 4));                   // jmp top
            int[] functions = new int[4];
            for (int k = 0; k < 4; k++) {
                functions[k] = a.here();
                a.b(0x83, 0xC2, k * 3 + 1, 0x43);                // add edx, imm8; inc ebx
                if (k == 2) a.b(0x43);                           // inc ebx (function 2 skips function 3)
                a.b(0xC3);                                       // ret
            }
            int end = a.here();
            a.b(0xFF, 0x15).d(Guest.UNMAPPED + 0x800);           // call [an unmapped page]: #PF, nothing pushed
            a.b(0xF4);
            byte[] code = a.bytes();
            patchRel32(code, jzAt, end);
            Guest jit = bothAgreeThroughTable(code, true, table, functions, "via register " + viaRegister);
            assertEquals(Guest.UNMAPPED + 0x800, jit.cpu.state.cr2, "the read of the target faulted");
            long all = jit.cpu.instructions;
            assertTrue(jit.stats().instructionsExecuted > all * 95 / 100,
                    "compiled " + jit.stats().instructionsExecuted + " of " + all);
        }
    }

    /** A loop that leaves through JECXZ: compiled as a branch on ECX, and agreeing with the interpreter. */
    @Test
    void jecxzLoopsAgree() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xB9).d(3000);                                       // mov ecx, 3000
        int top = a.here();
        a.b(0xE3, 0x00);                                         // top: jecxz end (patched)
        int jAt = a.here();
        a.b(0x49, 0x01, 0xC8, 0x31, 0xC2);                       // dec ecx; add eax, ecx; xor edx, eax
        a.b(0xE9).d(top - (a.here() + 4));                       // jmp top
        int end = a.here();
        a.b(0xF4);
        byte[] code = a.bytes();
        code[jAt - Guest.CODE - 1] = (byte) (end - jAt);
        Guest jit = Guest.haltsAlike(code, 0, 100_000);
        assertTrue(jit.stats().instructionsExecuted > jit.cpu.instructions * 95 / 100,
                "compiled " + jit.stats().instructionsExecuted + " of " + jit.cpu.instructions);
    }

    /**
     * A unit compiled while DS was flat skips DS's base and limit: once DS holds a limited segment
     * (loaded by the guest inside the unit, or changed between runs as an interrupt handler or an
     * embedder would) the loop must raise #GP where the interpreter does. Several budgets put the
     * change inside units and at their boundaries.
     */
    @Test
    void unitsCompiledForFlatSegmentsStopUsingThemWhenTheSegmentChanges() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xB9).d(200);                                        // mov ecx, 200
        int loop = a.here();
        a.b(0x8B, 0x86).d(0x70000);                              // loop: mov eax, [esi + 0x70000] (beyond DATA_LIMIT)
        a.b(0x01, 0xC3);                                         // add ebx, eax
        a.b(0x89, 0x9E).d(0x100);                                // mov [esi + 0x100], ebx
        a.b(0x49);                                               // dec ecx
        a.b(0x75, loop - (a.here() + 2));                        // jnz loop
        a.b(0x85, 0xFF);                                         // test edi, edi
        a.b(0x75, 0x0F);                                         // jnz done
        a.b(0x47);                                               // inc edi
        a.b(0x66, 0xB8, 0x18, 0x00);                             // mov ax, 0x18
        a.b(0x8E, 0xD8);                                         // mov ds, ax
        a.b(0xB9).d(5);                                          // mov ecx, 5
        a.b(0xEB, loop - (a.here() + 2));                        // jmp loop
        a.b(0xF4);                                               // done: hlt
        byte[] code = a.bytes();
        for (boolean fromOutside : new boolean[] {false, true}) {
            for (int threshold : new int[] {0, 3}) {
                for (int slice : new int[] {1_000_000, 7, 64, 203}) {
                    Guest interp = new Guest(code, -1);
                    Guest jit = new Guest(code, threshold);
                    for (Guest g : new Guest[] {interp, jit}) {
                        g.cpu.state.seg[Segment.DS].set(0x10, 0, 0xFFFFFFFF, 0xCF93);
                        g.cpu.physical.write32(Guest.DATA + 0x70000, 3);
                        if (fromOutside) {
                            g.cpu.run(500); // the loop is hot and compiled by now
                            g.cpu.state.seg[Segment.DS].set(0x18, 0, Guest.DATA_LIMIT, 0x4093);
                        }
                        for (int i = 0; i < 2000 && !g.cpu.state.halted; i++) g.cpu.run(slice);
                    }
                    String where = "from outside " + fromOutside + ", threshold " + threshold + ", slice " + slice;
                    assertEquals(interp.snapshot(), jit.snapshot(), where);
                    assertTrue(interp.snapshot().contains("halted=true"), where + ": " + interp.snapshot());
                    if (slice > 1000 && !fromOutside) assertTrue(jit.stats().instructionsExecuted > 400, where + ": compiled " + jit.stats().instructionsExecuted);
                }
            }
        }
    }

    /**
     * A unit that loads DS with a limited segment (through Exec) and leaves at the head of a loop
     * compiled for a flat DS: the engine must not chain into that loop's unit, whose accesses skip
     * the limit check, but hand over to the interpreter, which raises #GP.
     */
    @Test
    void noChainingIntoFlatSegmentCodeAfterASegmentLoad() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xB9).d(50);                                         // mov ecx, 50
        int jmpTop = a.here();
        a.b(0xEB, 0x00);                                         // jmp top (patched below)
        int set = a.here();
        a.b(0x66, 0xB8, 0x18, 0x00);                             // set: mov ax, 0x18
        a.b(0x8E, 0xD8);                                         // mov ds, ax (falls into top)
        int top = a.here();
        a.b(0x8B, 0x86).d(0x70000);                              // top: mov eax, [esi + 0x70000] (beyond DATA_LIMIT)
        a.b(0x01, 0xC3);                                         // add ebx, eax
        a.b(0x49);                                               // dec ecx
        a.b(0x75, top - (a.here() + 2));                         // jnz top
        a.b(0x85, 0xFF);                                         // test edi, edi
        a.b(0x75, 0x08);                                         // jnz done
        a.b(0x47);                                               // inc edi
        a.b(0xB9).d(5);                                          // mov ecx, 5
        a.b(0xEB, set - (a.here() + 2));                         // jmp set
        a.b(0xF4);                                               // done: hlt
        byte[] code = a.bytes();
        code[jmpTop - Guest.CODE + 1] = (byte) (top - (jmpTop + 2));
        Guest interp = new Guest(code, -1), jit = new Guest(code, 0);
        for (Guest g : new Guest[] {interp, jit}) {
            g.cpu.state.seg[Segment.DS].set(0x10, 0, 0xFFFFFFFF, 0xCF93);
            g.cpu.physical.write32(Guest.DATA + 0x70000, 3);
            g.touch(Segment.DS, Guest.DATA + 0x70000);
            g.cpu.run(100_000);
        }
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(interp.snapshot().contains("halted=true"), interp.snapshot());
        assertEquals(0x18, interp.cpu.state.seg[Segment.DS].selector, "DS was loaded before the #GP");
        assertTrue(jit.stats().instructionsExecuted > 100, "compiled code ran " + jit.stats().instructionsExecuted);
    }

    /**
     * A chain of units looks at each segment register once, and again after a unit that may load
     * one: here the second pass loads a DS with a limit below the address the loop reads, and the
     * unit after the load (compiled for the flat DS of the first pass, in the same chain) must not
     * run: the interpreter raises #GP.
     */
    @Test
    void chainLooksAtSegmentsAgainAfterAUnitThatLoadsOne() {
        Guest.Asm a = new Guest.Asm();
        a.b(0x31, 0xFF);                                         // xor edi, edi
        int again = a.here();
        a.b(0xC5, 0x04, 0xFD).d(Guest.DATA);                    // again: lds eax, [edi*8 + DATA] (0x10 flat, then 0x18)
        a.b(0xB9).d(20);                                         // mov ecx, 20
        int loop = a.here();
        a.b(0x8B, 0x15).d(Guest.DATA_LIMIT + 0x10001);           // l1: mov edx, [beyond DATA_LIMIT]
        a.b(0x01, 0xD3);                                         // add ebx, edx
        a.b(0x49);                                               // dec ecx
        a.b(0x75, loop - (a.here() + 2));                        // jnz l1
        a.b(0x47);                                               // inc edi
        a.b(0x83, 0xFF, 0x03);                                   // cmp edi, 3
        a.b(0x75, again - (a.here() + 2));                       // jne again
        a.b(0xF4);                                               // hlt
        Guest interp = new Guest(a.bytes(), -1), jit = new Guest(a.bytes(), 0);
        for (Guest g : new Guest[] {interp, jit}) {
            g.cpu.state.seg[Segment.DS].set(0x10, 0, 0xFFFFFFFF, 0xCF93);
            g.cpu.physical.write32(Guest.DATA_LIMIT + 0x10001, 7);
            g.cpu.physical.write32(Guest.DATA + 4, 0x10);
            g.cpu.physical.write32(Guest.DATA + 12, 0x18);
            g.touch(Segment.DS, Guest.DATA_LIMIT + 0x10001);
            g.touch(Segment.DS, Guest.DATA);
            g.cpu.run(100_000);
        }
        assertEquals(interp.snapshot(), jit.snapshot());
        assertEquals(140, interp.cpu.state.gpr[org.kasou.cpu.CpuState.EBX], "the first pass read 20 times");
        assertEquals(0x18, interp.cpu.state.seg[Segment.DS].selector, "the second pass loaded the limited DS");
        assertTrue(jit.stats().instructionsExecuted > 50, "compiled code ran " + jit.stats().instructionsExecuted);
    }

    /**
     * With a threshold, a body holds the code near its hot block that the interpreter ran, and the
     * page's other blocks inside it (outside any loop of the body) are entries of the same body:
     * a function in the next page with several blocks is compiled once and entered at several
     * places, and agrees with the interpreter; code that first runs after compilation (it is not
     * in the unit) leaves the unit and still runs right.
     */
    @Test
    void oneBodyServesTheBlocksOfItsCode() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xB9).d(400);                                        // mov ecx, 400
        int outer = a.here();
        a.b(0xE8).d(0);                                          // outer: call f (patched)
        int callEnd = a.here();
        a.b(0x43);                                               // inc ebx
        a.b(0x83, 0xF9, 100);                                    // cmp ecx, 100
        a.b(0x75, 0x03);                                         // jne cont (not taken once: long after compilation)
        a.b(0x83, 0xC7, 0x07);                                   // add edi, 7
        a.b(0x49);                                               // cont: dec ecx
        a.b(0x75, outer - (a.here() + 2));                       // jnz outer
        a.b(0xF4);                                               // hlt
        while (a.here() < Guest.CODE + 0x1000) a.b(0x90);        // f starts the next page
        int f = a.here();
        a.b(0x89, 0xD8);                                         // f: mov eax, ebx
        a.b(0xA8, 0x01);                                         // test al, 1
        a.b(0x74, 0x03);                                         // jz even
        a.b(0x42);                                               // inc edx
        a.b(0xEB, 0x03);                                         // jmp out
        a.b(0x83, 0xC2, 0x02);                                   // even: add edx, 2
        a.b(0x01, 0xDE);                                         // out: add esi, ebx
        a.b(0xC3);                                               // ret
        byte[] code = a.bytes();
        int rel = f - callEnd;
        for (int i = 0; i < 4; i++) code[callEnd - Guest.CODE - 4 + i] = (byte) (rel >> (8 * i));
        Guest jit = Guest.haltsAlike(code, 20, 1_000_000);
        JitStats st = jit.stats();
        JitEngine engine = JitEngine.of(jit.cpu);
        assertTrue(st.instructionsExecuted > 2000, "compiled " + st.instructionsExecuted);
        assertTrue(engine.cachedUnits() > st.unitsCompiled, engine.cachedUnits() + " entries into " + st.unitsCompiled + " bodies");
    }

    /** A long loop body of instructions compiled through Exec (large bytecode each) must be split. */
    @Test
    void regionsTooLargeForOneMethodAreSplit() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(20); // mov ebp, 20
        int top = a.here();
        for (int i = 0; i < 150; i++) {
            if (i % 3 == 0) a.b(0x0F, 0xC1, 0xD8);    // xadd eax, ebx (through Exec)
            else if (i % 3 == 1) a.b(0x9F);             // lahf (through Exec)
            else a.b(0x11, 0xD8);                     // adc eax, ebx
        }
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));
        a.b(0xF4);
        byte[] code = a.bytes();
        Guest jit = Guest.haltsAlike(code, 0, 100_000);
        assertTrue(jit.stats().splits > 0, "splits " + jit.stats().splits);
        assertTrue(jit.stats().instructionsExecuted > 2000);
    }

    /**
     * A loop of read-modify-writes short enough for one unit by its instruction count, but with more
     * accesses than HotSpot inlines into one method (InlineBudget): it must be split, so that every
     * access stays inlined, and still agree with the interpreter.
     */
    @Test
    void regionsWithMoreAccessesThanHotSpotInlinesAreSplit() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(20);                       // mov ebp, 20
        a.b(0xBB).d(Guest.DATA);               // mov ebx, DATA
        int top = a.here();
        for (int i = 0; i < 54; i++) {
            a.b(0x01, 0x83).d(4 * i);          // add [ebx + 4i], eax
            if (i % 9 == 8) a.b(0x40);         // inc eax
        }
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4));
        a.b(0xF4);
        byte[] code = a.bytes();
        assertTrue(54 + 6 + 2 <= JitEngine.MAX_UNIT_INSTRUCTIONS, "the loop fits the instruction limit");
        // The data page touched first: an access that misses the TLB would leave the unit at once, and
        // the interpreter would then run the loop (one block that branches to its own start) in place.
        Guest interp = new Guest(code, -1), jit = new Guest(code, 0);
        for (Guest g : new Guest[] {interp, jit}) {
            g.touch(Segment.DS, Guest.DATA);
            assertEquals(org.kasou.cpu.StopReason.HALTED, g.cpu.run(100_000));
        }
        assertEquals(interp.snapshot(), jit.snapshot());
        assertTrue(jit.stats().splits > 0, "splits " + jit.stats().splits);
        assertTrue(jit.stats().instructionsExecuted > 1000, "compiled code ran " + jit.stats().instructionsExecuted);
    }

    /**
     * A loop split over two pages (so two units, each exiting into the other): the units chain
     * without going back to the interpreter, and every budget, large or small, stops at the same
     * instruction as the interpreter, with the memory page a write through a far unit changed.
     */
    @Test
    void aLoopOverTwoPagesRunsInOneUnitAndStopsWhereTheInterpreterDoes() {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(300);                       // mov ebp, 300
        int top = a.here();
        a.b(0x01, 0xD8);                        // top: add eax, ebx
        a.b(0x89, 0x46, 0x10);                  //      mov [esi+16], eax
        int far = Guest.CODE + 0x1000;
        a.b(0xE9).d(far - (a.here() + 4));      //      jmp far
        while (a.here() < far) a.b(0xCC);
        a.b(0x43);                              // far: inc ebx
        a.b(0x31, 0xC2);                        //      xor edx, eax
        a.b(0xD1, 0xEA);                        //      shr edx, 1
        a.b(0x4D, 0x0F, 0x85).d(top - (a.here() + 4)); // dec ebp; jnz top
        a.b(0xF4);
        byte[] code = a.bytes();
        for (int budget : new int[] {1, 2, 3, 5, 7, 11, 64, 1000, 1_000_000}) {
            Guest interp = new Guest(code, -1);
            Guest jit = new Guest(code, 20); // the interpreter has been in both pages (their TLB entries are what the compiler reads)
            for (int step = 0; step < 4000 && !interp.cpu.state.halted; step++) {
                interp.cpu.run(budget);
                jit.cpu.run(budget);
                assertEquals(interp.snapshot(), jit.snapshot(), "budget " + budget + " step " + step);
            }
            assertTrue(interp.cpu.state.halted, "budget " + budget);
            assertEquals(0, interp.cpu.state.gpr[CpuState.EBP], "the loop ran to its end");
            assertEquals(interp.snapshot(), jit.snapshot(), "budget " + budget);
            if (budget >= 1000) {
                // One body holds the whole loop, its code in both pages: the loop runs without leaving it.
                JitEngine engine = JitEngine.of(jit.cpu);
                boolean spans = false;
                for (JitEngine.Body body : engine.bodiesWithCodeIn(far >>> 12)) spans |= body.parts.size() == 2;
                assertTrue(spans, "a body with code in both pages");
                assertTrue(jit.stats().entries < 20, jit.stats().entries + " entries");
            }
        }
    }
}
