package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random programs of the instructions the compiler translates (mixed with some it leaves to the
 * interpreter, and with faulting accesses), run by the interpreter alone and with every block
 * compiled at first sight, in the same randomly sized slices: after every slice both must agree
 * on every register, EIP, the flags, the instruction count and memory.
 */
class JitDifferentialTest {
    private static final int[] FREE = {CpuState.EAX, CpuState.ECX, CpuState.EDX, CpuState.EBX, CpuState.EDI};

    /**
     * Threshold 0 compiles every block at first sight (all reachable code); threshold 20 compiles
     * hot blocks with only the code the interpreter ran, so that rarely taken paths leave units.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 20})
    void randomProgramsAgreeWithTheInterpreter(int threshold) {
        randomPrograms(threshold, false);
    }

    /**
     * The same programs with DS flat (base 0, 4 GiB): their accesses through [esi+d8] then share one
     * page lookup in loops (PageGroup), which the limited DS of the other test never allows.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 20})
    void randomProgramsWithAFlatDataSegmentAgreeWithTheInterpreter(int threshold) {
        long groups = randomPrograms(threshold, true);
        assertTrue(groups > 10, "page groups compiled: " + groups);
    }

    /** Runs the 250 programs on both engines, slice by slice; returns the page groups the JIT compiled. */
    private static long randomPrograms(int threshold, boolean flatData) {
        long compiled = 0, groups = 0;
        for (int seed = 1; seed <= 250; seed++) {
            byte[] code = program(new Random(seed));
            Guest interp = new Guest(code, -1);
            Guest jit = new Guest(code, threshold);
            if (flatData) {
                for (Guest g : new Guest[] {interp, jit}) {
                    g.cpu.state.seg[org.kasou.cpu.Segment.DS].set(0x10, 0, 0xFFFFFFFF, 0xCF93);
                }
            }
            Random slices = new Random(seed * 7L);
            for (int slice = 0; slice < 12; slice++) {
                long n = 1 + slices.nextInt(slice < 6 ? 40 : 3000);
                StopReason a = interp.cpu.run(n);
                StopReason b = jit.cpu.run(n);
                assertEquals(interp.snapshot(), jit.snapshot(), "seed " + seed + " slice " + slice);
                assertEquals(a, b, "seed " + seed);
                if (a != StopReason.BUDGET_EXHAUSTED) break;
            }
            compiled += JitEngine.of(jit.cpu).stats.instructionsExecuted;
            groups += JitEngine.of(jit.cpu).stats.pageGroups;
            assertEquals(0, JitEngine.of(jit.cpu).stats.loadFailures, "compiled classes the JVM refused, seed " + seed);
        }
        assertTrue(compiled > (threshold == 0 ? 100_000 : 20_000), "compiled code ran " + compiled + " instructions");
        return groups;
    }

    /**
     * MUL, IMUL and BT set CF and OF and keep the other flags of the instruction before them, whose
     * kind the unit knows (ADD, SUB, SBB, INC, DEC, a logic op, a shift): PUSHFD right after them
     * reads all six, folded into EDI so that any difference shows in the registers.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5, 6})
    void flagsKeptByMultiplyAndBitTestAgreeWithTheInterpreter(int before) {
        int[][] setters = {
            {0x01, 0xD8},       // add eax, ebx
            {0x29, 0xD8},       // sub eax, ebx
            {0x19, 0xD8},       // sbb eax, ebx
            {0x40},             // inc eax
            {0x48},             // dec eax
            {0x31, 0xD8},       // xor eax, ebx
            {0xC1, 0xE0, 0x03}, // shl eax, 3
        };
        int[][] keepers = {
            {0x0F, 0xAF, 0xCA},       // imul ecx, edx
            {0xF7, 0xE2},             // mul edx
            {0x0F, 0xA3, 0xD9},       // bt ecx, ebx
            {0x0F, 0xBA, 0xE2, 0x1F}, // bt edx, 31
        };
        long compiled = 0;
        for (int seed = 1; seed <= 12; seed++) {
            Random r = new Random(seed);
            Guest.Asm a = new Guest.Asm();
            for (int reg : new int[] {0, 1, 2, 3}) a.b(0xB8 + reg).d(r.nextInt()); // mov eax..ebx, random
            a.b(0xBD).d(300); // mov ebp, count
            int top = a.here();
            for (int[] keeper : keepers) {
                a.b(setters[before]).b(keeper);
                a.b(0x9C, 0x5F);             // pushfd; pop edi
                a.b(0x01, 0xF8);             // add eax, edi
                a.b(0x69, 0xDB).d(0x2F5A6B1D); // imul ebx, ebx, odd constant (new values each turn)
                a.b(0x31, 0xF9);             // xor ecx, edi
                a.b(0x01, 0xC2);             // add edx, eax
            }
            a.b(0x4D);                       // dec ebp
            a.b(0x0F, 0x85).d(top - (a.here() + 4));
            a.b(0xF4);                       // hlt
            byte[] code = a.bytes();
            Guest interp = new Guest(code, -1);
            Guest jit = new Guest(code, 0);
            for (int slice = 0; slice < 6; slice++) {
                StopReason x = interp.cpu.run(5000);
                StopReason y = jit.cpu.run(5000);
                assertEquals(interp.snapshot(), jit.snapshot(), "setter " + before + ", seed " + seed + ", slice " + slice);
                assertEquals(x, y);
                if (x != StopReason.BUDGET_EXHAUSTED) break;
            }
            compiled += JitEngine.of(jit.cpu).stats.instructionsExecuted;
        }
        assertTrue(compiled > 10_000, "compiled code ran " + compiled + " instructions");
    }

    /** A loop (EBP counts it down) over a random body, followed by a small function it calls. */
    static byte[] program(Random r) {
        Guest.Asm a = new Guest.Asm();
        a.b(0xBD).d(20 + r.nextInt(200)); // mov ebp, count
        int top = a.here();
        int calls = 0;
        int len = 3 + r.nextInt(25);
        int[] callSites = new int[len];
        for (int i = 0; i < len; i++) {
            int k = r.nextInt(176);
            int dst = FREE[r.nextInt(FREE.length)], src = FREE[r.nextInt(FREE.length)];
            int op = r.nextInt(8);
            if (k < 20) a.b((op << 3) | 1, 0xC0 | (src << 3) | dst);                    // op r32, r32
            else if (k < 30) a.b(0x83, 0xC0 | (op << 3) | dst, r.nextInt(256));          // op r32, imm8
            else if (k < 34) a.b(0x81, 0xC0 | (op << 3) | dst).d(r.nextInt());           // op r32, imm32
            else if (k < 38) a.b(0x40 + dst);                                            // inc
            else if (k < 42) a.b(0x48 + dst);                                            // dec
            else if (k < 45) a.b(0xB8 + dst).d(r.nextInt(3) == 0 ? 0 : r.nextInt());     // mov r32, imm32
            else if (k < 48) a.b(0x89, 0xC0 | (src << 3) | dst);                         // mov r32, r32
            else if (k < 52) a.b(0x8B, 0x46 | (dst << 3), r.nextInt(32) * 4);            // mov r32, [esi+d8]
            else if (k < 56) a.b(0x89, 0x46 | (src << 3), r.nextInt(32) * 4);            // mov [esi+d8], r32
            else if (k < 59) a.b((op << 3) | 1, 0x46 | (src << 3), r.nextInt(32) * 4);   // op [esi+d8], r32
            else if (k < 62) a.b((op << 3) | 3, 0x46 | (dst << 3), r.nextInt(32) * 4);   // op r32, [esi+d8]
            else if (k < 64) a.b(0x83, 0x46 | (op << 3), r.nextInt(32) * 4, r.nextInt(256)); // op [esi+d8], imm8
            else if (k < 66) a.b(0xC7, 0x46, r.nextInt(32) * 4).d(r.nextInt());          // mov [esi+d8], imm32
            else if (k < 68) a.b(0x85, 0xC0 | (src << 3) | dst);                         // test
            else if (k < 70) a.b(0x8D, 0x84 | (dst << 3), (r.nextInt(4) << 6) | (src << 3) | dst).d(r.nextInt(1000)); // lea
            else if (k < 72) a.b(0x0F, 0xB6, 0x46 | (dst << 3), r.nextInt(256));         // movzx r32, byte [esi+d8]
            else if (k < 75) a.b(0x50 + src, 0x58 + dst);                                // push; pop
            else if (k < 82) a.b(0x70 + r.nextInt(16), 0x02).b(0x01, 0xC0 | (src << 3) | dst); // jcc over an add
            else if (k < 84) a.b(0xF7, 0xD0 | dst);                                      // not (interpreted)
            else if (k < 86) a.b(0xC1, 0xE0 | (r.nextInt(8) << 3 & 0x38) | dst, r.nextInt(32)); // shift (interpreted)
            else if (k < 88) a.b(0x0F, 0x40 + r.nextInt(16), 0xC0 | (dst << 3) | src);   // cmovcc
            else if (k < 92) { a.b(0xE8).d(0); callSites[calls++] = a.here(); }          // call f (patched below)
            else if (k < 93 && r.nextInt(4) == 0) a.b(0x8B, 0x05).d(0x90000 + r.nextInt(16)); // mov eax, [beyond DS limit]: #GP
            else if (k < 94 && r.nextInt(4) == 0) a.b(0x0F, 0x0B);                       // ud2
            else if (k < 96) a.b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));       // setcc r8
            else if (k < 97) a.b(0xF7, 0xC0 | dst).d(r.nextInt(4) == 0 ? 0 : r.nextInt()); // test r32, imm32
            else if (k < 98) a.b(0x80, 0x7E, r.nextInt(32) * 4, r.nextInt(256));         // cmp byte [esi+d8], imm8
            else if (k < 99) a.b(0xC6, 0x46, r.nextInt(128), r.nextInt(256));            // mov byte [esi+d8], imm8
            else if (k < 100) a.b(0x90);                                                 // nop
            else if (k < 102) a.b((op << 3) | 0, 0xC0 | (r.nextInt(8) << 3) | r.nextInt(8)); // op r8, r8
            else if (k < 104) a.b(0x80, 0xC0 | (op << 3) | r.nextInt(8), r.nextInt(256));   // op r8, imm8
            else if (k < 105) a.b(0xF6, 0xC0 | r.nextInt(8), r.nextInt(256));              // test r8, imm8
            else if (k < 106) a.b(0x84, 0xC0 | (r.nextInt(8) << 3) | r.nextInt(8));        // test r8, r8
            else if (k < 107) a.b(0xF7, 0xE0 | src);                                     // mul r32
            else if (k < 108) a.b(0x0F, 0xAF, 0xC0 | (dst << 3) | src);                  // imul r32, r32
            else if (k < 109) a.b(0x6B, 0xC0 | (dst << 3) | src, r.nextInt(256));        // imul r32, r32, imm8
            else if (k < 110) a.b(0xD1, 0xE8 | dst, 0x73, 0x02, 0x01, 0xC0 | (src << 3) | dst); // shr r32, 1; jnc over an add
            else if (k < 112) a.b(0xD3, 0xC0 | (op << 3) | dst);                         // shift or rotate r32 by cl
            else if (k < 113) a.b((op << 3) | 2, 0x46 | (r.nextInt(8) << 3), r.nextInt(128)); // op r8, byte [esi+d8]
            else if (k < 114) a.b((op << 3) | 0, 0x46 | (r.nextInt(8) << 3), r.nextInt(128)); // op byte [esi+d8], r8
            else if (k < 115) a.b(0x80, 0x46 | (op << 3), r.nextInt(128), r.nextInt(256)); // op byte [esi+d8], imm8
            else if (k < 116) a.b(0x84, 0x46 | (r.nextInt(8) << 3), r.nextInt(128));      // test byte [esi+d8], r8
            else if (k < 117) a.b(0xFF, 0x76, r.nextInt(32) * 4).b(0x58 + dst);          // push dword [esi+d8]; pop r32
            else if (k < 118) {
                if (r.nextBoolean()) a.b(0x68).d(r.nextInt()).b(0x58 + dst);             // push imm32; pop r32
                else a.b(0x6A, r.nextInt(256)).b(0x58 + dst);                           // push imm8; pop r32
            }
            else if (k < 119) a.b(0x99);                                                 // cdq
            else if (k < 120) a.b(0xF7, 0xD8 | dst);                                     // neg r32
            else if (k < 121) a.b(0xF7, 0x66, r.nextInt(32) * 4);                        // mul dword [esi+d8]
            else if (k < 122) a.b(((2 + r.nextInt(2)) << 3) | 3, 0x46 | (dst << 3), r.nextInt(32) * 4); // adc/sbb r32, [esi+d8]
            else if (k < 123) a.b(0xF7, 0xD0 | dst);                                     // not r32
            else if (k < 124) a.b(0x0F, 0xAF, 0x46 | (dst << 3), r.nextInt(32) * 4);    // imul r32, [esi+d8]
            else if (k < 125) a.b(0x6B, 0x46 | (dst << 3), r.nextInt(32) * 4, r.nextInt(256)); // imul r32, [esi+d8], imm8
            else if (k < 126) a.b(0x0F, 0x40 + r.nextInt(16), 0x46 | (dst << 3), r.nextInt(32) * 4); // cmovcc r32, [esi+d8]
            else if (k < 127) a.b(0x0F, 0xA3, 0xC0 | (src << 3) | dst);                 // bt r32, r32
            else if (k < 128) a.b(0x0F, 0xBA, 0xE0 | dst, r.nextInt(256));              // bt r32, imm8
            else if (k < 129) a.b(0xC1, 0x46 | (new int[] {4, 5, 6, 7}[r.nextInt(4)] << 3), r.nextInt(32) * 4, r.nextInt(32))
                    .b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));              // shl/shr/sar dword [esi+d8], imm8; setcc r8
            else if (k < 130) a.b(((2 + r.nextInt(2)) << 3) | 1, 0x46 | (src << 3), r.nextInt(32) * 4); // adc/sbb [esi+d8], r32
            else if (k < 131) a.b(0x83, 0x46 | ((2 + r.nextInt(2)) << 3), r.nextInt(32) * 4, r.nextInt(256)); // adc/sbb dword [esi+d8], imm8
            else if (k < 132) a.b(0x31, 0xD2, 0xF7, 0xF0 | src);                        // xor edx, edx; div r32 (#DE when 0)
            else if (k < 133) a.b(0x99, 0xF7, 0x7E, r.nextInt(32) * 4);                  // cdq; idiv dword [esi+d8]
            else if (k < 134) a.b(0x0F, r.nextBoolean() ? 0xB7 : 0xBF, 0xC0 | (dst << 3) | src); // movzx/movsx r32, r16
            else if (k < 135) a.b(0x0F, r.nextBoolean() ? 0xB7 : 0xBF, 0x46 | (dst << 3), r.nextInt(128)); // movzx/movsx r32, word [esi+d8]
            else if (k < 136) a.b(0x66, 0x8B, 0x46 | (dst << 3), r.nextInt(128));      // mov r16, word [esi+d8]
            else if (k < 137) a.b(0x66, 0x89, 0x46 | (src << 3), r.nextInt(128));      // mov word [esi+d8], r16
            else if (k < 138) a.b(0x66, 0xC7, 0x46, r.nextInt(128), r.nextInt(256), r.nextInt(256)); // mov word [esi+d8], imm16
            else if (k < 139) {
                if (r.nextBoolean()) a.b(0x66, 0x89, 0xC0 | (src << 3) | dst);          // mov r16, r16
                else a.b(0x66, 0xB8 + dst, r.nextInt(256), r.nextInt(256));             // mov r16, imm16
            }
            else if (k < 140) a.b(0xFF, r.nextBoolean() ? 0x46 : 0x4E, r.nextInt(32) * 4); // inc/dec dword [esi+d8]
            else if (k < 141) {
                if (r.nextBoolean()) a.b(0x85, 0x46 | (src << 3), r.nextInt(32) * 4);   // test dword [esi+d8], r32
                else a.b(0xF7, 0x46, r.nextInt(32) * 4).d(r.nextInt());                 // test dword [esi+d8], imm32
            }
            else if (k < 142) a.b(0x0F, 0x90 + r.nextInt(16), 0x46, r.nextInt(128));    // setcc byte [esi+d8]
            else if (k < 143) a.b(0x55, 0x89, 0xE5, 0xC9);                              // push ebp; mov ebp, esp; leave
            else if (k < 144) a.b(0x87, 0xC0 | (src << 3) | dst);                       // xchg r32, r32
            else if (k < 145) a.b(0x98);                                                 // cwde
            else if (k < 146) a.b(0xD3, 0x46 | (new int[] {4, 5, 7}[r.nextInt(3)] << 3), r.nextInt(32) * 4)
                    .b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));              // shl/shr/sar dword [esi+d8], cl; setcc r8
            else if (k < 149) a.b(0x66, (op << 3) | 1, 0xC0 | (src << 3) | dst);      // op r16, r16
            else if (k < 151) {
                if (r.nextBoolean()) a.b(0x66, 0x83, 0xC0 | (op << 3) | dst, r.nextInt(256)); // op r16, imm8
                else a.b(0x66, 0x81, 0xC0 | (op << 3) | dst, r.nextInt(256), r.nextInt(256)); // op r16, imm16
            }
            else if (k < 152) a.b(0x66, (op << 3) | 3, 0x46 | (dst << 3), r.nextInt(128)); // op r16, word [esi+d8]
            else if (k < 153) a.b(0x66, (op << 3) | 1, 0x46 | (src << 3), r.nextInt(128)); // op word [esi+d8], r16
            else if (k < 154) a.b(0x66, 0x83, 0x46 | (op << 3), r.nextInt(128), r.nextInt(256)); // op word [esi+d8], imm8
            else if (k < 155) {
                switch (r.nextInt(3)) {
                    case 0 -> a.b(0x66, 0x85, 0xC0 | (src << 3) | dst);                 // test r16, r16
                    case 1 -> a.b(0x66, 0xF7, 0xC0 | dst, r.nextInt(256), r.nextInt(256)); // test r16, imm16
                    default -> a.b(0x66, 0xF7, 0x46, r.nextInt(128), r.nextInt(256), r.nextInt(256)); // test word [esi+d8], imm16
                }
            }
            else if (k < 156) a.b(0x66, 0xC1, 0xC0 | (r.nextInt(2) << 3) | dst, r.nextInt(32)); // rol/ror r16, imm8
            else if (k < 157) a.b(r.nextBoolean() ? 0xFC : 0xFD, 0x9C, 0x58 + dst);   // cld/std; pushfd; pop r32
            else if (k < 158) a.b(0x0F, r.nextBoolean() ? 0xA4 : 0xAC, 0xC0 | (src << 3) | dst, r.nextInt(40))
                    .b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));              // shld/shrd r32, r32, imm8; setcc r8
            else if (k < 159) a.b(0x0F, r.nextBoolean() ? 0xA5 : 0xAD, 0xC0 | (src << 3) | dst)
                    .b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));              // shld/shrd r32, r32, cl; setcc r8
            else if (k < 160) a.b(0x0F, 0xC8 + dst);                                   // bswap r32
            else if (k < 161) a.b(0x66, 0xC1, 0xC0 | (new int[] {4, 5, 7}[r.nextInt(3)] << 3) | dst, r.nextInt(32)); // shl/shr/sar r16, imm8
            else if (k < 162) a.b(0x66, 0xC1, 0xC0 | (new int[] {4, 5, 7}[r.nextInt(3)] << 3) | dst, r.nextInt(32))
                    .b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));              // shl/shr/sar r16, imm8; setcc r8
            else if (k < 163) a.b(0xC1, 0xC0 | (r.nextInt(2) << 3) | dst, r.nextInt(32))
                    .b(0x70 + r.nextInt(16), 0x02).b(0x01, 0xC0 | (src << 3) | dst);  // rol/ror r32, imm8; jcc over an add
            else if (k < 165) {
                boolean word = r.nextBoolean();
                int reg = word ? dst : r.nextInt(8), form = r.nextInt(4);
                if (word) a.b(0x66);
                if (word && form >= 2 && r.nextBoolean()) a.b((form == 2 ? 0x40 : 0x48) + reg); // inc/dec r16 (short form)
                else a.b(word ? (form < 2 ? 0xF7 : 0xFF) : (form < 2 ? 0xF6 : 0xFE),
                        0xC0 | (new int[] {3, 2, 0, 1}[form] << 3) | reg);                // neg/not/inc/dec r8 or r16
                a.b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));                  // setcc r8
            }
            else if (k < 166) a.b(0x66, 0xF7, 0xD8 | dst).b(0x18, 0xC0 | (dst << 3 & 0x18) | (dst & 3)); // neg r16; sbb r8, r8 (a mask)
            else if (k < 167) {
                if (r.nextBoolean()) a.b(0xF7, 0xE8 | src);                              // imul r32 (EDX:EAX)
                else a.b(0xF7, 0x6E, r.nextInt(32) * 4);                                 // imul dword [esi+d8]
                a.b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));                   // setcc r8
            }
            else if (k < 168) a.b(0x0F, r.nextBoolean() ? 0xBC : 0xBD, 0xC0 | (dst << 3) | src)
                    .b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));              // bsf/bsr r32, r32 (a zero source keeps dst); setcc r8
            else if (k < 169) {
                if (r.nextBoolean()) a.b(0xF3);                                          // tzcnt: bsf on a P6
                a.b(0x0F, r.nextBoolean() ? 0xBC : 0xBD, 0x46 | (dst << 3), r.nextInt(32) * 4)
                        .b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));          // bsf/bsr r32, [esi+d8]; setcc r8
            }
            else if (k < 170) {
                int ext = r.nextBoolean() ? 0xB6 : 0xBE;
                if (r.nextBoolean()) a.b(0x66, 0x0F, ext, 0xC0 | (dst << 3) | r.nextInt(8)); // movzx/movsx r16, r8
                else a.b(0x66, 0x0F, ext, 0x46 | (dst << 3), r.nextInt(128));       // movzx/movsx r16, byte [esi+d8]
            }
            else if (k < 171) {
                boolean byCl = r.nextBoolean();
                a.b(0x0F, (r.nextBoolean() ? 0xA4 : 0xAC) + (byCl ? 1 : 0), 0x46 | (src << 3), r.nextInt(32) * 4);
                if (!byCl) a.b(r.nextInt(40));                                           // shld/shrd [esi+d8], r32, imm8 / cl
                a.b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));                   // setcc r8
            }
            else if (k < 172) {
                int size = r.nextInt(3);
                if (size == 1) a.b(0x66);
                a.b(size == 0 ? 0xF6 : 0xF7, r.nextBoolean() ? 0x5E : 0x56, r.nextInt(32) * 4) // neg/not byte/word/dword [esi+d8]
                        .b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));          // setcc r8
            }
            else if (k < 173) a.b(0x66, 0x98);                                           // cbw
            else if (k < 174) {
                switch (r.nextInt(4)) {
                    case 0 -> a.b(0xF0, (op << 3) | 1, 0x46 | (src << 3), r.nextInt(32) * 4); // lock op [esi+d8], r32 (CMP: #UD)
                    case 1 -> a.b(0xF0, 0x0F, 0xC1, 0x46 | (src << 3), r.nextInt(32) * 4);  // lock xadd [esi+d8], r32
                    case 2 -> a.b(0xF0, 0x0F, 0xB1, 0x46 | (src << 3), r.nextInt(32) * 4);  // lock cmpxchg [esi+d8], r32
                    default -> a.b(0x87, 0x46 | (src << 3), r.nextInt(32) * 4);             // xchg [esi+d8], r32
                }
                a.b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));                   // setcc r8
            }
            else {
                a.b(0x8D, 0x7E, 64 + r.nextInt(64));                                     // lea edi, [esi+d8]
                boolean back = r.nextInt(4) == 0;
                if (back) a.b(0xFD);                                                     // std
                int size = r.nextInt(3); // byte, word, dword
                switch (r.nextInt(4)) {
                    case 0 -> a.b(size == 1 ? 0x66 : 0x90, size == 0 ? 0xA4 : 0xA5);    // movs
                    case 1 -> a.b(size == 1 ? 0x66 : 0x90, size == 0 ? 0xAC : 0xAD);    // lods
                    case 2 -> a.b(size == 1 ? 0x66 : 0x90, size == 0 ? 0xAA : 0xAB);    // stos
                    default -> a.b(size == 1 ? 0x66 : 0x90, size == 0 ? 0xAE : 0xAF)
                            .b(0x0F, 0x90 + r.nextInt(16), 0xC0 | r.nextInt(8));       // scas; setcc r8
                }
                if (back) a.b(0xFC);                                                     // cld
            }
        }
        a.b(0x4D); // dec ebp
        int rel = top - (a.here() + 2);
        if (rel >= -128) a.b(0x75, rel);
        else a.b(0x0F, 0x85).d(top - (a.here() + 4));
        a.b(0xF4); // hlt (IF is clear: the run ends)
        int f = a.here();
        a.b(0x01, 0xD8, 0x31, 0xC2, 0xC3); // f: add eax, ebx; xor edx, eax; ret
        byte[] code = a.bytes();
        for (int i = 0; i < calls; i++) {
            int at = callSites[i] - Guest.CODE - 4;
            int d = f - callSites[i];
            code[at] = (byte) d;
            code[at + 1] = (byte) (d >> 8);
            code[at + 2] = (byte) (d >> 16);
            code[at + 3] = (byte) (d >> 24);
        }
        return code;
    }
}
