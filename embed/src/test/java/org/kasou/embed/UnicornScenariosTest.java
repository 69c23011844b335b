package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;
import static org.kasou.embed.Guests.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Behaviours that users of Unicorn's x86 engine check in its own unit tests, written for kasou:
 * addresses reported for jumps to unmapped code, memory hooks on accesses that cross a page, the
 * reserved EFLAGS bit, and invalid-memory hooks that map on demand a page at a time.
 */
class UnicornScenariosTest {
    @Test
    void aJumpFarAwayReportsTheExactTargetAddress() {
        // mov eax,0x7fffffff; jmp eax
        List<String> log = HooksTest.bothWays(jit -> {
            Engine e = engine(jit, bytes(0xB8, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xE0));
            List<String> l = new ArrayList<>();
            e.hookInvalidMemory((en, access, a) -> {
                l.add(access + " " + Long.toHexString(a) + " eip " + Long.toHexString(en.reg(Register.EIP)));
                return false;
            });
            l.add(e.run(Run.from(CODE)).toString());
            return l;
        });
        assertEquals(List.of("FETCH_UNMAPPED 7fffffff eip 7fffffff",
                "INVALID_MEMORY at 0x7fffffff after 2 instructions (FETCH_UNMAPPED at 0x7fffffff)"), log);
    }

    @Test
    void memoryHooksSeeAnAccessThatCrossesAPageOnce() {
        // mov [DATA+0xffe],eax; mov ebx,[DATA+0xffe]; hlt
        byte[] code = bytes(0xA3, 0xFE, 0x2F, 0, 0, 0x8B, 0x1D, 0xFE, 0x2F, 0, 0, 0xF4);
        List<String> log = HooksTest.bothWays(jit -> {
            Engine e = engine(jit, code);
            e.setReg(Register.EAX, 0xA1B2C3D4L);
            List<String> l = new ArrayList<>();
            e.hookMemory(DATA, DATA + 0x2FFF, (en, acc, a, size, v) -> l.add(acc + " " + Long.toHexString(a) + "/" + size + "=" + Long.toHexString(v)));
            l.add(e.run(Run.from(CODE)) + " ebx=" + Long.toHexString(e.reg(Register.EBX)));
            return l;
        });
        assertEquals(List.of("WRITE 2ffe/4=a1b2c3d4", "READ 2ffe/4=0", "READ_AFTER 2ffe/4=a1b2c3d4",
                "HALTED at 0x0000100c after 3 instructions ebx=a1b2c3d4"), log);
    }

    @Test
    void theReservedEflagsBitReadsAsOne() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        e.setReg(Register.EFLAGS, 0);
        assertEquals(2, e.reg(Register.EFLAGS));
        e.setReg(Register.EFLAGS, 0xFFFFFFFFL);
        assertEquals(2, e.reg(Register.EFLAGS) & 2);
        assertEquals(0, e.reg(Register.EFLAGS) & 0x8028, "bits 3, 5 and 15 are reserved zeros");
    }

    @Test
    void lazyMappingOfAStackAPageAtATime() {
        // push 16 KiB of dwords: mov ecx,4096; L: push ecx; dec ecx; jnz L; hlt -- the stack is mapped on demand
        byte[] code = bytes(0xB9, 0x00, 0x10, 0, 0, 0x51, 0x49, 0x75, 0xFC, 0xF4);
        List<String> log = HooksTest.bothWays(jit -> {
            Engine e = Engine.create(Mode.PROTECTED_32, EngineOptions.defaults().withJit(jit).withJitThreshold(0));
            e.map(CODE, 0x1000, Perm.READ | Perm.EXEC);
            e.write(CODE, code);
            e.setReg(Register.ESP, 0x80000000L);
            List<String> l = new ArrayList<>();
            e.hookInvalidMemory((en, access, a) -> {
                l.add(access + " " + Long.toHexString(a));
                en.map(a & ~0xFFFL, 0x1000, Perm.READ | Perm.WRITE);
                return true;
            });
            RunResult r = e.run(Run.from(CODE));
            l.add(r + " esp=" + Long.toHexString(e.reg(Register.ESP)) + " top=" + e.readU32(0x7FFFFFFCL));
            return l;
        });
        assertEquals(List.of("WRITE_UNMAPPED 7ffffffc", "WRITE_UNMAPPED 7fffeffc", "WRITE_UNMAPPED 7fffdffc", "WRITE_UNMAPPED 7fffcffc",
                "HALTED at 0x0000100a after 12290 instructions esp=7fffc000 top=4096"), log);
    }
}
