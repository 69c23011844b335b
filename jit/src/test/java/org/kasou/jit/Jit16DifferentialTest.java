package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;

/**
 * Random 16-bit programs (16-bit operations through the interpreter's semantics, 32-bit ones
 * with an operand-size prefix compiled directly, 16-bit addressing, PUSH/POP on a 16-bit stack,
 * near CALL/RET, Jcc, segment loads, an occasional fault) in real mode and in 16-bit protected
 * mode, run by the interpreter alone and with every block compiled at first sight, in the same
 * randomly sized slices: both must agree after every slice, and compiled code must run.
 */
class Jit16DifferentialTest {
    private static final int[] FREE = {CpuState.EAX, CpuState.ECX, CpuState.EDX, CpuState.EBX, CpuState.EDI};

    @Test
    void realModeProgramsAgreeWithTheInterpreter() {
        agree(true);
    }

    @Test
    void protectedMode16BitProgramsAgreeWithTheInterpreter() {
        agree(false);
    }

    private static void agree(boolean real) {
        long compiled = 0, units = 0;
        for (int seed = 1; seed <= 120; seed++) {
            byte[] code = program(new Random(seed), real);
            Guest interp = setUp(new Guest(code, -1), real);
            Guest jit = setUp(new Guest(code, 0), real);
            Random slices = new Random(seed * 7L);
            for (int slice = 0; slice < 12; slice++) {
                long n = 1 + slices.nextInt(slice < 6 ? 40 : 3000);
                StopReason a = interp.cpu.run(n);
                StopReason b = jit.cpu.run(n);
                assertEquals(interp.snapshot(), jit.snapshot(), "seed " + seed + " slice " + slice);
                assertEquals(a, b, "seed " + seed);
                if (a != StopReason.BUDGET_EXHAUSTED) break;
            }
            compiled += jit.stats().instructionsExecuted;
            units += jit.stats().unitsCompiled;
        }
        assertTrue(units > 120, "units compiled: " + units);
        assertTrue(compiled > 50_000, "compiled code ran " + compiled + " instructions");
    }

    /**
     * Real mode: CS=1000 (the code), DS=ES=2000 (the data), SS=7000 with SP=0 (pushes wrap to
     * FFFE), the IVT's exception vectors at the HLT handler. Protected mode: a 16-bit code
     * segment at the code, a 16-bit stack segment at 70000, data as in {@link Guest}.
     */
    private static Guest setUp(Guest g, boolean real) {
        CpuState s = g.cpu.state;
        if (real) {
            for (int v = 0; v < 32; v++) g.cpu.physical.write32(v * 4, Guest.HANDLER);
            s.cr0 = CpuState.CR0_ET;
            s.idtrBase = 0;
            s.idtrLimit = 0x3FF;
            int[] sel = {0x2000, 0x1000, 0x7000, 0x2000, 0, 0};
            for (int r = 0; r < 6; r++) {
                s.seg[r].loadReal(sel[r]);
                s.seg[r].limit = 0xFFFF;
                s.seg[r].access = r == Segment.CS ? 0x9B : 0x93;
            }
        } else {
            s.seg[Segment.CS].set(0x08, Guest.CODE, 0xFFFF, 0x009B);
            s.seg[Segment.SS].set(0x10, 0x70000, 0xFFFF, 0x0093);
            s.seg[Segment.DS].set(0x18, Guest.DATA, 0xFFFF, 0x0093);
        }
        s.eip = 0;
        s.gpr[CpuState.ESP] = 0x10000; // SP 0: the first push goes to FFFE, the upper half stays
        s.gpr[CpuState.ESI] = 0;
        g.cpu.memory.flushTlb();
        return g;
    }

    /** A loop (BP counts it down) over a random body, then HLT, then a function the body calls. */
    static byte[] program(Random r, boolean real) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).b(20 + r.nextInt(200), 0); // mov bp, count
        int top = a.here();
        int len = 3 + r.nextInt(25);
        int[] callSites = new int[len];
        int calls = 0;
        for (int i = 0; i < len; i++) {
            int k = r.nextInt(120);
            int dst = FREE[r.nextInt(FREE.length)], src = FREE[r.nextInt(FREE.length)];
            int op = r.nextInt(8);
            if (k < 12) a.b((op << 3) | 1, 0xC0 | (src << 3) | dst);                     // op r16, r16
            else if (k < 24) a.b(0x66, (op << 3) | 1, 0xC0 | (src << 3) | dst);          // op r32, r32
            else if (k < 30) a.b(0x83, 0xC0 | (op << 3) | dst, r.nextInt(256));          // op r16, imm8
            else if (k < 36) a.b(0x66, 0x83, 0xC0 | (op << 3) | dst, r.nextInt(256));    // op r32, imm8
            else if (k < 39) a.b(0x40 + dst);                                            // inc r16
            else if (k < 42) a.b(0x66, 0x48 + dst);                                      // dec r32
            else if (k < 45) a.b(0xB8 + dst, r.nextInt(256), r.nextInt(256));            // mov r16, imm16
            else if (k < 48) a.b(0x66, 0x89, 0xC0 | (src << 3) | dst);                   // mov r32, r32
            else if (k < 53) a.b(0x8B, 0x44 | (dst << 3), r.nextInt(64) * 2);            // mov r16, [si+d8]
            else if (k < 58) a.b(0x89, 0x44 | (src << 3), r.nextInt(64) * 2);            // mov [si+d8], r16
            else if (k < 61) a.b(0x66, 0x03, 0x44 | (dst << 3), r.nextInt(32) * 4);      // add r32, [si+d8]
            else if (k < 66) a.b(0x50 + src);                                            // push r16
            else if (k < 71) a.b(0x58 + dst);                                            // pop r16
            else if (k < 73) a.b(0x66, 0x50 + src, 0x66, 0x58 + dst);                    // push r32; pop r32
            else if (k < 77) a.b(0xC1, 0xC0 | (op == 6 ? 4 : op) << 3 | dst, r.nextInt(20)); // shift r16, imm
            else if (k < 81) a.b(0x66, 0xC1, 0xC0 | (op == 6 ? 4 : op) << 3 | dst, r.nextInt(32)); // shift r32, imm
            else if (k < 86) a.b(0x70 + r.nextInt(16), 2, 0x66, 0x40 + dst);             // jcc over inc r32
            else if (k < 90) a.b(0xF7, 0xE0 | dst);                                      // mul r16
            else if (k < 93) a.b(0x66, 0x0F, 0xAF, 0xC0 | (dst << 3) | src);             // imul r32, r32
            else if (k < 97) a.b(0x13, 0xC0 | (dst << 3) | src);                         // adc r16, r16
            else if (k < 101) a.b(0x3C, r.nextInt(256), 0x74, 1, 0x90);                  // cmp al, imm8; jz over nop
            else if (k < 106 && real) a.b(0x68, 0x00, 0x20 + r.nextInt(2), 0x1F);        // push 2000/2100; pop ds
            else if (k < 106) a.b(0x8C, 0xD8, 0x8E, 0xD8);                               // mov ax, ds; mov ds, ax
            else if (k < 111) {
                a.b(0xE8, 0, 0);                                                         // call near function
                callSites[calls++] = a.here() - Guest.CODE - 2;
            } else if (k < 112) a.b(0x8B, 0x06, 0xFF, 0xFF);                             // mov ax, [FFFF]: #GP
            else a.b(0x66, 0x85, 0xC0 | (src << 3) | dst);                               // test r32, r32
        }
        a.b(0x4D);                                                                       // dec bp
        int back = top - (a.here() + 4);
        a.b(0x0F, 0x85, back & 0xFF, (back >>> 8) & 0xFF);                               // jnz top
        a.b(0xF4);                                                                       // hlt
        int function = a.here() - Guest.CODE;
        a.b(0x66, 0x01, 0xC0 | (CpuState.EBX << 3) | CpuState.EAX);                      // add eax, ebx
        a.b(0x31, 0xD1);                                                                 // xor cx, dx
        a.b(0xC3);                                                                       // ret
        byte[] code = a.bytes();
        for (int i = 0; i < calls; i++) {
            int rel = function - (callSites[i] + 2);
            code[callSites[i]] = (byte) rel;
            code[callSites[i] + 1] = (byte) (rel >>> 8);
        }
        return code;
    }
}
