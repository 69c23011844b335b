package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;
import static org.kasou.embed.Guests.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every hook kind, each scenario run interpreted and with every block compiled at first sight: the
 * two must give the same events and the same results.
 */
class HooksTest {
    /** Runs {@code scenario} with the JIT off and forced on; both logs must be equal; returns one. */
    static List<String> bothWays(Function<Boolean, List<String>> scenario) {
        List<String> off = scenario.apply(false);
        List<String> on = scenario.apply(true);
        assertEquals(off, on, "JIT off and on");
        return off;
    }

    static String hex(long v) {
        return Long.toHexString(v);
    }

    /** mov ecx,3; L: inc eax; dec ecx; jnz L; hlt */
    static final byte[] COUNTED = bytes(0xB9, 3, 0, 0, 0, 0x40, 0x49, 0x75, 0xFC, 0xF4);

    @Test
    void codeHookSeesEveryInstructionOfItsRangeOnly() {
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, COUNTED);
            e.hookCode(CODE + 5, CODE + 6, (en, a, size) -> l.add(hex(a) + "/" + size));
            RunResult r = e.run(Run.from(CODE));
            l.add(r.toString());
            return l;
        });
        assertEquals(List.of("1005/1", "1006/1", "1005/1", "1006/1", "1005/1", "1006/1",
                "HALTED at 0x0000100a after 11 instructions"), log);
    }

    @Test
    void blockHookSeesEachBasicBlock() {
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, COUNTED);
            e.hookBlock(0, 0xFFFFFFFFL, (en, a) -> l.add(hex(a)));
            l.add(e.run(Run.from(CODE)).cause().name());
            return l;
        });
        // the first block; then each taken or not-taken branch starts a new one
        assertEquals(List.of("1000", "1005", "1005", "1009", "HALTED"), log);
    }

    @Test
    void stopInsideACodeHookStopsBeforeThatInstruction() {
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, EngineRunTest.LOOP);
            int[] seen = {0};
            e.hookCode(CODE, CODE + 0x10, (en, a, size) -> {
                if (++seen[0] == 10) en.stop();
            });
            RunResult r = e.run(Run.from(CODE));
            l.add(r + " eax=" + e.reg(Register.EAX));
            // and the next run goes on from there
            r = e.run(Run.from(r.address()).count(4));
            l.add(r + " eax=" + e.reg(Register.EAX));
            return l;
        });
        assertEquals(List.of("STOPPED at 0x00001001 after 9 instructions eax=5",
                "COUNT_EXHAUSTED at 0x00001001 after 4 instructions eax=7"), log);
    }

    @Test
    void hooksAddedAndRemovedWhileRunningApplyAtOnceToCompiledCode() {
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, EngineRunTest.LOOP);
            // warm the loop up (compiled when the JIT is on)
            e.run(Run.from(CODE).count(10_000));
            HookHandle[] h = new HookHandle[1];
            int[] n = {0};
            h[0] = e.hookCode(CODE, CODE, (en, a, s) -> {
                l.add("inc at " + hex(a) + " eax=" + en.reg(Register.EAX));
                if (++n[0] == 3) h[0].remove();
            });
            RunResult r = e.run(Run.from(CODE).count(10_000));
            l.add(r.toString() + " eax=" + e.reg(Register.EAX));
            return l;
        });
        assertEquals(List.of("inc at 1000 eax=5000", "inc at 1000 eax=5001", "inc at 1000 eax=5002",
                "COUNT_EXHAUSTED at 0x00001000 after 10000 instructions eax=10000"), log);
    }

    @Test
    void codeHooksSeeSelfModifiedCode() {
        // mov ecx,10; L: inc eax; cmp ecx,5; jne S; mov byte [L],0x43 (inc ebx); S: dec ecx; jnz L; hlt
        byte[] code = bytes(0xB9, 10, 0, 0, 0, 0x40, 0x83, 0xF9, 0x05, 0x75, 0x07, 0xC6, 0x05, 0x05, 0x10, 0, 0, 0x43,
                0x49, 0x75, 0xF0, 0xF4);
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, code);
            e.hookCode(CODE + 5, CODE + 5, (en, a, s) -> l.add(Integer.toHexString(en.readU8(a))));
            RunResult r = e.run(Run.from(CODE));
            l.add(r.cause() + " eax=" + e.reg(Register.EAX) + " ebx=" + e.reg(Register.EBX));
            return l;
        });
        assertEquals(List.of("40", "40", "40", "40", "40", "40", "43", "43", "43", "43", "HALTED eax=6 ebx=4"), log);
        // without a hook, compiled or not, the new instruction runs too
        for (boolean jit : new boolean[] {false, true}) {
            Engine e = engine(jit, code);
            e.run(Run.from(CODE));
            assertEquals(6, e.reg(Register.EAX));
            assertEquals(4, e.reg(Register.EBX));
        }
    }

    @Test
    void codeWrittenFromTheApiReplacesCompiledCode() {
        for (boolean jit : new boolean[] {false, true}) {
            Engine e = engine(jit, EngineRunTest.LOOP);
            e.run(Run.from(CODE).count(1000));
            e.write(CODE, bytes(0x43)); // inc ebx
            e.run(Run.from(CODE).count(1000));
            assertEquals(500, e.reg(Register.EAX));
            assertEquals(500, e.reg(Register.EBX));
        }
    }

    @Test
    void memoryHooksSeeStringInstructionsElementByElement() {
        // mov esi,DATA; mov edi,DATA+0x100; mov ecx,3; rep movsb; mov eax,0x11223344; mov ecx,2; rep stosd; hlt
        byte[] code = bytes(0xBE, 0x00, 0x20, 0, 0, 0xBF, 0x00, 0x21, 0, 0, 0xB9, 3, 0, 0, 0, 0xF3, 0xA4,
                0xB8, 0x44, 0x33, 0x22, 0x11, 0xB9, 2, 0, 0, 0, 0xF3, 0xAB, 0xF4);
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, code);
            e.write(DATA, bytes(0xA1, 0xA2, 0xA3));
            e.hookMemory(DATA, DATA + 0xFFF, (en, acc, a, size, v) -> l.add(acc + " " + hex(a) + "/" + size + "=" + hex(v)));
            l.add(e.run(Run.from(CODE)).toString());
            return l;
        });
        assertEquals(List.of(
                "READ 2000/1=0", "READ_AFTER 2000/1=a1", "WRITE 2100/1=a1",
                "READ 2001/1=0", "READ_AFTER 2001/1=a2", "WRITE 2101/1=a2",
                "READ 2002/1=0", "READ_AFTER 2002/1=a3", "WRITE 2102/1=a3",
                "WRITE 2103/4=11223344", "WRITE 2107/4=11223344",
                "HALTED at 0x0000101e after 8 instructions"), log);
    }

    @Test
    void memoryHookOnlySeesItsRangeAndCanStopTheRun() {
        // mov [DATA],eax; mov [DATA+0x1000],eax; inc eax; hlt
        byte[] code = bytes(0xA3, 0x00, 0x20, 0, 0, 0xA3, 0x00, 0x30, 0, 0, 0x40, 0xF4);
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, code);
            e.setReg(Register.EAX, 5);
            e.hookMemory(DATA + 0x1000, DATA + 0x1003, (en, acc, a, size, v) -> {
                l.add(acc + " " + hex(a));
                en.stop();
            });
            RunResult r = e.run(Run.from(CODE));
            l.add(r + " [3000]=" + e.readU32(DATA + 0x1000) + " eax=" + e.reg(Register.EAX));
            return l;
        });
        // the write completes, then the run stops before the next instruction
        assertEquals(List.of("WRITE 3000", "STOPPED at 0x0000100a after 2 instructions [3000]=5 eax=5"), log);
    }

    @Test
    void invalidMemoryHookMapsAndTheRunContinues() {
        // mov eax,[0x9004]; jmp 0x8000 (unmapped: the hook maps code there)
        byte[] code = bytes(0xA1, 0x04, 0x90, 0, 0, 0xE9, 0xF6, 0x6F, 0, 0);
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, code);
            e.hookInvalidMemory((en, access, a) -> {
                l.add(access + " " + hex(a));
                long page = a & ~0xFFFL;
                en.map(page, 0x1000, Perm.ALL);
                if (page == 0x9000) en.writeU32(0x9004, 0xCAFE);
                else en.write(0x8000, bytes(0x40, 0xF4)); // inc eax; hlt
                return true;
            });
            RunResult r = e.run(Run.from(CODE));
            l.add(r + " eax=" + hex(e.reg(Register.EAX)));
            return l;
        });
        assertEquals(List.of("READ_UNMAPPED 9004", "FETCH_UNMAPPED 8000",
                "HALTED at 0x00008002 after 4 instructions eax=caff"), log);
    }

    @Test
    void invalidMemoryHookThatDeclinesOrNeverFixesStopsTheRun() {
        for (boolean jit : new boolean[] {false, true}) {
            Engine e = engine(jit, bytes(0xA3, 0x00, 0x90, 0, 0)); // mov [0x9000],eax
            int[] calls = {0};
            HookHandle h = e.hookInvalidMemory((en, access, a) -> ++calls[0] > 0); // claims to fix, never does
            RunResult r = e.run(Run.from(CODE));
            assertEquals(StopCause.INVALID_MEMORY, r.cause());
            assertEquals(Hooks.InvalidAccess.WRITE_UNMAPPED, r.access());
            assertTrue(calls[0] > 1 && calls[0] < 100, calls[0] + " calls");
            h.remove();
            e.hookInvalidMemory((en, access, a) -> false);
            assertEquals(StopCause.INVALID_MEMORY, e.run(Run.from(CODE)).cause());
        }
    }

    @Test
    void int80SystemCallsAreHandledInJava() {
        // mov eax,4; mov ebx,7; int 0x80; int 0x80; hlt
        byte[] code = bytes(0xB8, 4, 0, 0, 0, 0xBB, 7, 0, 0, 0, 0xCD, 0x80, 0xCD, 0x80, 0xF4);
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, code);
            e.hookInterrupt(0x80, (en, vector, ec) -> {
                l.add("syscall " + en.reg(Register.EAX) + " at " + hex(en.reg(Register.EIP)));
                en.setReg(Register.EAX, en.reg(Register.EBX) * 2);
                return true;
            });
            l.add(e.run(Run.from(CODE)) + " eax=" + e.reg(Register.EAX));
            return l;
        });
        assertEquals(List.of("syscall 4 at 100c", "syscall 14 at 100e", "HALTED at 0x0000100f after 5 instructions eax=14"), log);
    }

    @Test
    void interruptHookSeesExceptionsAndMayPassThemOn() {
        // int3; ud2
        byte[] code = bytes(0xCC, 0x0F, 0x0B);
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, code);
            e.hookInterrupt((en, vector, ec) -> {
                l.add("vector " + vector + " eip " + hex(en.reg(Register.EIP)));
                return vector == 3;
            });
            l.add(e.run(Run.from(CODE)).toString());
            return l;
        });
        assertEquals(List.of("vector 3 eip 1001", "vector 6 eip 1001",
                "EXCEPTION at 0x00001001 after 1 instructions (vector 6)"), log);
    }

    @Test
    void stopInsideAnInterruptHook() {
        // int 0x80; inc eax; hlt
        List<String> log = bothWays(jit -> {
            Engine e = engine(jit, bytes(0xCD, 0x80, 0x40, 0xF4));
            e.hookInterrupt(0x80, (en, v, ec) -> {
                en.stop();
                return true;
            });
            return List.of(e.run(Run.from(CODE)) + " eax=" + e.reg(Register.EAX));
        });
        assertEquals(List.of("STOPPED at 0x00001002 after 1 instructions eax=0"), log);
    }

    @Test
    void portHooksSeeInAndOut() {
        // in al,0x60; mov dx,0x3f8; out dx,al; in eax,dx; hlt
        byte[] code = bytes(0xE4, 0x60, 0x66, 0xBA, 0xF8, 0x03, 0xEE, 0xED, 0xF4);
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, code);
            e.hookPortIn(0, 0xFFFF, (en, port, size) -> {
                l.add("in " + hex(port) + "/" + size);
                return port == 0x60 ? 0x5A : 0x12345678;
            });
            e.hookPortOut(0x3F8, 0x3FF, (en, port, size, v) -> l.add("out " + hex(port) + "/" + size + "=" + hex(v)));
            l.add(e.run(Run.from(CODE)) + " eax=" + hex(e.reg(Register.EAX)));
            return l;
        });
        assertEquals(List.of("in 60/1", "out 3f8/1=5a", "in 3f8/4", "HALTED at 0x00001009 after 5 instructions eax=12345678"), log);
    }

    @Test
    void cpuidHookAnswersInsteadOfTheBuiltInTable() {
        // mov eax,1; cpuid; mov eax,0; cpuid; hlt
        byte[] code = bytes(0xB8, 1, 0, 0, 0, 0x0F, 0xA2, 0xB8, 0, 0, 0, 0, 0x0F, 0xA2, 0xF4);
        for (boolean jit : new boolean[] {false, true}) {
            Engine e = engine(jit, code);
            List<Long> leaves = new ArrayList<>();
            e.hookCpuid(en -> {
                leaves.add(en.reg(Register.EAX));
                if (en.reg(Register.EAX) != 1) return false;
                en.setRegs(new Register[] {Register.EAX, Register.EBX, Register.ECX, Register.EDX}, new long[] {0x11, 0x22, 0x33, 0x44});
                return true;
            });
            e.hookCode(CODE + 7, CODE + 7, (en, a, s) -> assertEquals(0x11, en.reg(Register.EAX)));
            assertEquals(StopCause.HALTED, e.run(Run.from(CODE)).cause());
            assertEquals(List.of(1L, 0L), leaves);
            // leaf 0 came from the built-in table: a vendor string, not the hook's values
            assertNotEquals(0x22, e.reg(Register.EBX));
            assertTrue(e.reg(Register.EBX) != 0 && e.reg(Register.ECX) != 0x33);
        }
    }

    @Test
    void stopInsideAnInvalidMemoryHookLeavesEipOnTheFaultingInstruction() {
        // inc eax; mov eax,[0x9000]
        List<String> log = bothWays(jit -> {
            Engine e = engine(jit, bytes(0x40, 0xA1, 0x00, 0x90, 0, 0));
            e.hookInvalidMemory((en, access, a) -> {
                en.stop();
                return true;
            });
            return List.of(e.run(Run.from(CODE)) + " eax=" + e.reg(Register.EAX));
        });
        assertEquals(List.of("STOPPED at 0x00001001 after 1 instructions eax=1"), log);
    }

    @Test
    void countsStayExactWithCodeHooks() {
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, EngineRunTest.LOOP);
            e.hookCode(CODE, CODE + 2, (en, a, s) -> l.add(hex(a)));
            long at = CODE;
            for (int i = 0; i < 2; i++) {
                RunResult r = e.run(Run.from(at).count(3));
                l.add(r.toString());
                at = r.address();
            }
            return l;
        });
        assertEquals(List.of("1000", "1001", "1000", "COUNT_EXHAUSTED at 0x00001001 after 3 instructions",
                "1001", "1000", "1001", "COUNT_EXHAUSTED at 0x00001000 after 3 instructions"), log);
    }

    @Test
    void anExceptionFromAHookStopsTheRunAndComesOutOfRun() {
        for (boolean jit : new boolean[] {false, true}) {
            // mov [DATA],eax; inc eax; hlt
            Engine e = engine(jit, bytes(0xA3, 0x00, 0x20, 0, 0, 0x40, 0xF4));
            HookHandle h = e.hookMemory(DATA, DATA, (en, acc, a, size, v) -> {
                throw new IllegalStateException("broken hook");
            });
            HookFailedException x = assertThrows(HookFailedException.class, () -> e.run(Run.from(CODE)));
            assertEquals("broken hook", x.getCause().getMessage());
            assertEquals(CODE + 5, x.address());
            assertEquals(0, e.reg(Register.EAX));
            h.remove();
            assertEquals(StopCause.HALTED, e.run(Run.from(x.address())).cause());
            assertEquals(1, e.reg(Register.EAX));
        }
    }

    @Test
    void sysenterAndInt2eSystemCallsAreHandledInJava() {
        // mov eax,1; sysenter; mov ebx,eax; int 0x2e; hlt
        byte[] code = bytes(0xB8, 1, 0, 0, 0, 0x0F, 0x34, 0x89, 0xC3, 0xCD, 0x2E, 0xF4);
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, code);
            e.hookSysenter(en -> {
                l.add("sysenter eax=" + en.reg(Register.EAX) + " eip=" + hex(en.reg(Register.EIP)));
                en.setReg(Register.EAX, 100);
                return true;
            });
            e.hookInterrupt(0x2E, (en, v, ec) -> {
                l.add("int 2e ebx=" + en.reg(Register.EBX));
                return true;
            });
            l.add(e.run(Run.from(CODE)).toString());
            return l;
        });
        assertEquals(List.of("sysenter eax=1 eip=1007", "int 2e ebx=100", "HALTED at 0x0000100c after 5 instructions"), log);
        // unhandled, SYSENTER without its MSRs is #GP(0)
        Engine e = engine(true, code);
        RunResult r = e.run(Run.from(CODE));
        assertEquals(StopCause.EXCEPTION, r.cause());
        assertEquals(13, r.vector());
        assertEquals(CODE + 5, r.address());
    }

    @Test
    void codeHooksInCompiledCodeChangeRegistersAndJump() {
        // mov ecx,100; L: inc eax; inc ebx; dec ecx; jnz L; hlt
        byte[] code = bytes(0xB9, 100, 0, 0, 0, 0x40, 0x43, 0x49, 0x75, 0xFB, 0xF4);
        long[] compiled = new long[1];
        List<String> log = bothWays(jit -> {
            List<String> l = new ArrayList<>();
            Engine e = engine(jit, code);
            e.hookCode(CODE + 6, CODE + 6, (en, a, s) -> {
                en.setReg(Register.EDX, en.reg(Register.EDX) + en.reg(Register.EAX));
                if (en.reg(Register.EAX) == 60) {
                    l.add("leaving at ecx=" + en.reg(Register.ECX));
                    en.setReg(Register.EIP, CODE + 10); // to the hlt
                }
            });
            RunResult r = e.run(Run.from(CODE));
            l.add(r + " eax=" + e.reg(Register.EAX) + " ebx=" + e.reg(Register.EBX) + " edx=" + e.reg(Register.EDX));
            if (jit) compiled[0] = org.kasou.jit.JitEngine.of(e.cpu()).stats.instructionsExecuted;
            return l;
        });
        assertEquals(List.of("leaving at ecx=41", "HALTED at 0x0000100b after 239 instructions eax=60 ebx=59 edx=1830"), log);
        assertTrue(compiled[0] > 100, "the hooked loop ran compiled: " + compiled[0]);
    }

    @Test
    void aCodeHookThatChangesASegmentTakesEffectAtOnce() {
        // mov eax,[0x2000]; inc ebx; mov ecx,[0x2000]; hlt -- the hook on inc ebx moves DS up by 0x1000
        byte[] code = bytes(0xA1, 0x00, 0x20, 0, 0, 0x43, 0x8B, 0x0D, 0x00, 0x20, 0, 0, 0xF4);
        List<String> log = bothWays(jit -> {
            Engine e = engine(jit, code);
            e.writeU32(DATA, 0x11);
            e.writeU32(DATA + 0x1000, 0x22);
            e.hookCode(CODE + 5, CODE + 5, (en, a, s) -> {
                SegmentCache ds = en.segment(Register.DS);
                en.setSegment(Register.DS, new SegmentCache(ds.selector(), 0x1000, 0xFFFFFFFF, ds.access()));
            });
            RunResult r = e.run(Run.from(CODE));
            return List.of(r + " eax=" + hex(e.reg(Register.EAX)) + " ecx=" + hex(e.reg(Register.ECX)));
        });
        assertEquals(List.of("HALTED at 0x0000100d after 4 instructions eax=11 ecx=22"), log);
    }

    @Test
    void unhandledInterruptsGoThroughTheGuestsOwnIdtWhenAsked() {
        // GDT at 0x4000: null, flat code 0x08, flat data 0x10; IDT at 0x4100: vector 0x21 -> 0x1100
        // main: int 0x21; int 0x80; hlt   handler at 0x1100: mov ebx,0x55; iret
        List<String> log = bothWays(jit -> {
            Engine e = Engine.create(Mode.PROTECTED_32, EngineOptions.defaults().withJit(jit).withJitThreshold(0).withGuestInterrupts(true));
            e.map(CODE, 0x1000, Perm.ALL);
            e.map(0x4000, 0x1000, Perm.READ);
            e.map(STACK - STACK_SIZE, STACK_SIZE, Perm.READ | Perm.WRITE);
            e.setReg(Register.ESP, STACK - 0x100);
            e.write(CODE, bytes(0xCD, 0x21, 0xCD, 0x80, 0xF4));
            e.write(CODE + 0x100, bytes(0xBB, 0x55, 0, 0, 0, 0xCF));
            e.writeU64(0x4008, 0x00CF9B000000FFFFL);
            e.writeU64(0x4010, 0x00CF93000000FFFFL);
            e.writeU64(0x4100 + 0x21 * 8, 0x00008E0000081100L);
            e.setRegs(new Register[] {Register.GDTR_BASE, Register.GDTR_LIMIT, Register.IDTR_BASE, Register.IDTR_LIMIT},
                    new long[] {0x4000, 0x17, 0x4100, 0x7FF});
            List<String> l = new ArrayList<>();
            e.hookInterrupt(0x80, (en, v, ec) -> {
                l.add("int 80 ebx=" + hex(en.reg(Register.EBX)));
                return true;
            });
            l.add(e.run(Run.from(CODE)).toString());
            // a vector whose gate is not present: #NP, whose gate is missing too, then #DF: a triple fault
            e.write(CODE, bytes(0xCD, 0x22));
            l.add(e.run(Run.from(CODE)).cause().toString());
            // the engine runs again after a triple fault
            e.write(CODE, bytes(0x43, 0xF4));
            l.add(e.run(Run.from(CODE)).cause().toString());
            return l;
        });
        assertEquals(List.of("int 80 ebx=55", "HALTED at 0x00001005 after 5 instructions", "TRIPLE_FAULT", "HALTED"), log);
    }

    @Test
    void timeoutsAndStopsFromOtherThreadsWorkWhileHooksRun() throws Exception {
        for (boolean jit : new boolean[] {false, true}) {
          for (int rep = 0; rep < Integer.getInteger("reps", 1); rep++) {
            Engine e = engine(jit, bytes(0x40, 0xEB, 0xFD)); // L: inc eax; jmp L
            long[] calls = {0};
            e.hookCode(CODE, CODE, (en, a, s) -> calls[0]++);
            RunResult r = e.run(Run.from(CODE).timeout(java.time.Duration.ofMillis(50)));
            assertEquals(StopCause.TIMEOUT, r.cause());
            assertTrue(calls[0] > 0);
            // one call per inc eax that ran, and one more when the timeout came between a call and its instruction
            long extra = calls[0] - e.reg(Register.EAX);
            assertTrue(extra == 0 || (extra == 1 && r.address() == CODE), jit + ": " + extra + " extra calls, " + r);
          }
        }
    }
}
