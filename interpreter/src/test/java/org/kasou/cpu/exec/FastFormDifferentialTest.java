package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;
import org.kasou.isa.HandlerSelector;
import org.kasou.isa.Handlers;

/**
 * Every fast form of the interpreter against the generic path ({@link Exec}, with
 * {@code Interpreter.setFastForms(false)}): the same instruction, with random operands (random
 * ModRM and SIB encodings, registers that point into mapped, unmapped and read-only pages or
 * across page ends), after a random flag-setting instruction (so that every kind of lazy flags is
 * read), sometimes with a short segment limit, TF set, or a budget that stops inside the block,
 * must leave the same registers, EFLAGS, EIP, memory, CR2, delivered exception and instruction
 * count on both paths. Compare-and-branch pairs (fused into one op) and loops that branch back to
 * their block's start are covered the same way.
 */
class FastFormDifferentialTest {
    static final int CODE = GuestHarness.CODE;
    static final int DATA = 0x40000, UNMAPPED = 0x50000, READ_ONLY = 0x51000;

    /** A form to test: opcode bytes, operand shape and immediate size. */
    private record Form(String name, String opcode, char modrm, int immSize) {}

    /** 'r': register ModRM (mod 3), 'm': memory ModRM, 'n': none; reg field random unless fixed by "/k". */
    private static final List<Form> FORMS = new ArrayList<>();

    private static void f(String name, String opcode, char modrm, int imm) {
        FORMS.add(new Form(name, opcode, modrm, imm));
    }

    static {
        // 32-bit register forms
        f("mov r,r", "89", 'r', 0);
        f("mov r,imm", "B8+", 'n', 4);
        for (String op : new String[] {"01", "09", "11", "19", "21", "29", "31", "39", "85"}) f("alu r,r " + op, op, 'r', 0);
        for (int k = 0; k < 8; k++) {
            f("alu r,imm32 /" + k, "81/" + k, 'r', 4);
            f("alu r,imm8 /" + k, "83/" + k, 'r', 1);
            f("shift r,imm /" + k, "C1/" + k, 'r', 1);
            f("shift r,1 /" + k, "D1/" + k, 'r', 0);
            f("shift r,cl /" + k, "D3/" + k, 'r', 0);
            f("alu r8,imm /" + k, "80/" + k, 'r', 1);
            f("shift m,imm /" + k, "C1/" + k, 'm', 1);
            f("shift m,cl /" + k, "D3/" + k, 'm', 0);
        }
        f("test r,imm", "F7/0", 'r', 4);
        f("inc r", "40+", 'n', 0);
        f("dec r", "48+", 'n', 0);
        f("not r", "F7/2", 'r', 0);
        f("neg r", "F7/3", 'r', 0);
        f("mul r", "F7/4", 'r', 0);
        f("movzx r,r8", "0F B6", 'r', 0);
        f("movzx r,r16", "0F B7", 'r', 0);
        f("movsx r,r8", "0F BE", 'r', 0);
        f("movsx r,r16", "0F BF", 'r', 0);
        f("imul r,r", "0F AF", 'r', 0);
        f("imul r,r,imm8", "6B", 'r', 1);
        f("imul r,r,imm32", "69", 'r', 4);
        f("cmovl r,r", "0F 4C", 'r', 0);
        f("cmovbe r,r", "0F 46", 'r', 0);
        f("cmovo r,r", "0F 40", 'r', 0);
        f("setnz r8", "0F 95", 'r', 0);
        f("setg r8", "0F 9F", 'r', 0);
        f("setp r8", "0F 9A", 'r', 0);
        f("cdq", "99", 'n', 0);
        f("nop", "90", 'n', 0);
        f("lea", "8D", 'm', 0);
        f("lea a16", "67 8D", 'm', 0);
        // byte registers
        f("mov r8,r8", "88", 'r', 0);
        f("mov r8,imm", "B0+", 'n', 1);
        for (String op : new String[] {"00", "08", "10", "18", "20", "28", "30", "38", "84"}) f("alu r8,r8 " + op, op, 'r', 0);
        f("test r8,imm", "F6/0", 'r', 1);
        // memory forms
        f("mov r,m", "8B", 'm', 0);
        f("mov m,r", "89", 'm', 0);
        f("mov m,imm", "C7/0", 'm', 4);
        f("mov r16,m", "66 8B", 'm', 0);
        f("mov m,r16", "66 89", 'm', 0);
        f("mov m,imm16", "66 C7/0", 'm', 2);
        f("mov r8,m", "8A", 'm', 0);
        f("mov m,r8", "88", 'm', 0);
        f("mov m,imm8", "C6/0", 'm', 1);
        f("movzx r,m8", "0F B6", 'm', 0);
        f("movzx r,m16", "0F B7", 'm', 0);
        f("movsx r,m8", "0F BE", 'm', 0);
        f("movsx r,m16", "0F BF", 'm', 0);
        for (String op : new String[] {"03", "0B", "13", "1B", "23", "2B", "33", "3B"}) f("alu r,m " + op, op, 'm', 0);
        for (String op : new String[] {"01", "09", "11", "19", "21", "29", "31", "39"}) f("alu m,r " + op, op, 'm', 0);
        for (int k = 0; k < 8; k++) {
            f("alu m,imm32 /" + k, "81/" + k, 'm', 4);
            f("alu m,imm8 /" + k, "83/" + k, 'm', 1);
        }
        f("cmp m8,imm", "80/7", 'm', 1);
        f("cmp r8,m8", "3A", 'm', 0);
        f("cmp m8,r8", "38", 'm', 0);
        f("cmp r8,m8 a16", "67 3A", 'm', 0);
        f("test m,r", "85", 'm', 0);
        f("test m,imm", "F7/0", 'm', 4);
        f("test m8,r8", "84", 'm', 0);
        f("test m8,imm", "F6/0", 'm', 1);
        f("cmovge r,m", "0F 4D", 'm', 0);
        f("imul r,m", "0F AF", 'm', 0);
        f("imul r,m,imm", "6B", 'm', 1);
        f("sete m8", "0F 94", 'm', 0);
        f("mul m", "F7/4", 'm', 0);
        f("inc m", "FF/0", 'm', 0);
        f("dec m", "FF/1", 'm', 0);
        // 16-bit addressing takes the decoded-instruction forms
        f("mov r,m a16", "67 8B", 'm', 0);
        f("mov m,r a16", "67 89", 'm', 0);
        f("alu m,imm8 a16", "67 83/0", 'm', 1);
        // forms chosen from the decoded instruction (DecodedFormOps): byte and word registers,
        // byte and word ALU with a memory source, PUSH m32, DIV/IDIV of 32 bits, CLD/STD
        for (String op : new String[] {"01", "09", "11", "19", "21", "29", "31", "39", "85"}) {
            f("alu r16,r16 " + op, "66 " + op, 'r', 0);
            f("alu r16,m16 " + op, "66 " + (op.equals("85") ? "85" : Integer.toHexString(Integer.parseInt(op, 16) + 2)), 'm', 0);
        }
        for (String op : new String[] {"02", "0A", "12", "1A", "22", "2A", "32"}) f("alu r8,m8 " + op, op, 'm', 0);
        for (int k = 0; k < 8; k++) {
            f("alu r16,imm16 /" + k, "66 81/" + k, 'r', 2);
            f("alu r16,imm8 /" + k, "66 83/" + k, 'r', 1);
            f("shift r16,imm /" + k, "66 C1/" + k, 'r', 1);
            f("shift r16,1 /" + k, "66 D1/" + k, 'r', 0);
            f("shift r8,imm /" + k, "C0/" + k, 'r', 1);
            f("shift r8,1 /" + k, "D0/" + k, 'r', 0);
        }
        f("test r16,imm", "66 F7/0", 'r', 2);
        for (int k = 2; k < 4; k++) {
            f("not/neg r16 /" + k, "66 F7/" + k, 'r', 0);
            f("not/neg r8 /" + k, "F6/" + k, 'r', 0);
        }
        f("inc r16", "66 40+", 'n', 0);
        f("dec r16", "66 48+", 'n', 0);
        f("inc r8", "FE/0", 'r', 0);
        f("dec r8", "FE/1", 'r', 0);
        f("push m", "FF/6", 'm', 0);
        f("div r", "F7/6", 'r', 0);
        f("idiv r", "F7/7", 'r', 0);
        f("div m", "F7/6", 'm', 0);
        f("idiv m", "F7/7", 'm', 0);
        f("imul r (edx:eax)", "F7/5", 'r', 0);
        f("imul m (edx:eax)", "F7/5", 'm', 0);
        f("bsf r,r", "0F BC", 'r', 0);
        f("bsr r,r", "0F BD", 'r', 0);
        f("bsf r,m", "0F BC", 'm', 0);
        f("bsr r,m", "0F BD", 'm', 0);
        f("tzcnt r,r (bsf on a P6)", "F3 0F BC", 'r', 0);
        f("movzx r16,r8", "66 0F B6", 'r', 0);
        f("neg m8", "F6/3", 'm', 0);
        f("not m8", "F6/2", 'm', 0);
        f("neg m16", "66 F7/3", 'm', 0);
        f("not m16", "66 F7/2", 'm', 0);
        f("neg m32", "F7/3", 'm', 0);
        f("not m32", "F7/2", 'm', 0);
        f("cbw", "66 98", 'n', 0);
        f("bt r,r", "0F A3", 'r', 0);
        f("bt r,imm8", "0F BA/4", 'r', 1);
        f("movsx r16,r8", "66 0F BE", 'r', 0);
        f("movzx r16,m8", "66 0F B6", 'm', 0);
        f("movsx r16,m8", "66 0F BE", 'm', 0);
        f("cld", "FC", 'n', 0);
        f("std", "FD", 'n', 0);
        // the stack and indirect branches
        f("push r", "50+", 'n', 0);
        f("push imm", "68", 'n', 4);
        f("push imm8", "6A", 'n', 1);
        f("pop r", "58+", 'n', 0);
        f("ret", "C3", 'n', 0);
        f("ret imm", "C2", 'n', 2);
        f("call r", "FF/2", 'r', 0);
        f("jmp r", "FF/4", 'r', 0);
        f("call m", "FF/2", 'm', 0);
        f("jmp m", "FF/4", 'm', 0);
    }

    /** Instructions put before the one tested, so that it meets every kind of lazy flags. */
    private static final String[] FLAG_SETTERS = {
        "01 D8", "29 D8", "39 C8", "19 D0", "21 D8", "40", "49", "D1 E0", "D1 C8", "F9", "F8", "0F AF C3", "F7 D9", "9E", "90",
    };

    /** Branches tested after compares (fused) and alone: rel8 over one HLT. */
    private static final String[] JCC = {"74", "75", "72", "73", "76", "77", "7C", "7D", "7E", "7F", "78", "79", "70", "71", "7A", "7B"};

    /** Compares and tests that fuse with a following Jcc. */
    private static final Form[] COMPARES = {
        new Form("cmp r,r", "39", 'r', 0), new Form("cmp r,imm8", "83/7", 'r', 1), new Form("cmp r,imm32", "81/7", 'r', 4),
        new Form("test r,r", "85", 'r', 0), new Form("test r,imm", "F7/0", 'r', 4), new Form("cmp r8,imm", "80/7", 'r', 1),
        new Form("test r8,r8", "84", 'r', 0), new Form("cmp r,m", "3B", 'm', 0), new Form("cmp m8,imm", "80/7", 'm', 1),
        new Form("sub r,r", "29", 'r', 0), new Form("dec r", "48+", 'n', 0),
        new Form("cmp m,r", "39", 'm', 0), new Form("cmp m,imm8", "83/7", 'm', 1), new Form("cmp m,imm32", "81/7", 'm', 4),
        new Form("cmp r8,m8", "3A", 'm', 0), new Form("cmp m8,r8", "38", 'm', 0),
    };

    private static final int[] INTERESTING = {
        0, 1, 2, 3, 4, 7, 8, 0x1F, 0x20, 0x21, 0x7F, 0x80, 0xFF, 0x100, 0x7FFF, 0x8000, 0xFFFF, 0x10000,
        0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFFF, 0xFFFFFFFE, 0x55555555, 0xAAAAAAAA,
    };

    private final Random rnd = new Random(20261202);

    private int value() {
        switch (rnd.nextInt(8)) {
            case 0: return INTERESTING[rnd.nextInt(INTERESTING.length)];
            case 1: return rnd.nextInt();
            case 2: return UNMAPPED + rnd.nextInt(0x1000) - 8;
            case 3: return READ_ONLY + rnd.nextInt(0x1000);
            case 4: return DATA + 0xFF8 + rnd.nextInt(16); // across the end of the data page
            default: return DATA + rnd.nextInt(0x1000);
        }
    }

    private void modrm(ByteArrayOutputStream out, char kind, int fixedReg) {
        int reg = fixedReg >= 0 ? fixedReg : rnd.nextInt(8);
        if (kind == 'r') {
            out.write(0xC0 | reg << 3 | rnd.nextInt(8));
            return;
        }
        int mod = rnd.nextInt(3);
        int rm = rnd.nextInt(8);
        out.write(mod << 6 | reg << 3 | rm);
        int sib = rnd.nextInt(256); // any scale, index (4 = none) and base
        if (rm == 4) out.write(sib);
        if (mod == 1) out.write(rnd.nextInt(256));
        boolean disp32 = mod == 2 || (mod == 0 && rm == 5) || (mod == 0 && rm == 4 && (sib & 7) == 5);
        if (disp32) imm(out, 4, rnd.nextBoolean() ? DATA + rnd.nextInt(0x1000) : rnd.nextInt(64));
    }

    private void imm(ByteArrayOutputStream out, int size, int v) {
        for (int i = 0; i < size; i++) out.write(v >>> (8 * i));
    }

    /** The bytes of one instance of a form. */
    private byte[] instance(Form f, boolean a16) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String op = f.opcode;
        int fixed = -1;
        int slash = op.indexOf('/');
        if (slash >= 0) {
            fixed = Integer.parseInt(op.substring(slash + 1));
            op = op.substring(0, slash);
        }
        boolean plusReg = op.endsWith("+");
        if (plusReg) op = op.substring(0, op.length() - 1);
        String[] bytes = op.trim().split("\\s+");
        for (int i = 0; i < bytes.length; i++) {
            int b = Integer.parseInt(bytes[i], 16);
            if (plusReg && i == bytes.length - 1) b += rnd.nextInt(8);
            out.write(b);
        }
        if (f.modrm != 'n') {
            if (a16 && f.modrm == 'm') {
                int mod = rnd.nextInt(3);
                int rm = rnd.nextInt(8);
                out.write(mod << 6 | (fixed >= 0 ? fixed : rnd.nextInt(8)) << 3 | rm);
                if (mod == 1) out.write(rnd.nextInt(256));
                if (mod == 2 || (mod == 0 && rm == 6)) imm(out, 2, rnd.nextInt(0x10000));
            } else {
                modrm(out, f.modrm, fixed);
            }
        }
        imm(out, f.immSize, rnd.nextInt(4) == 0 ? INTERESTING[rnd.nextInt(INTERESTING.length)] : rnd.nextInt());
        return out.toByteArray();
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02X ", x & 0xFF));
        return sb.toString().trim();
    }

    /** Both harnesses, prepared identically. */
    private final GuestHarness fast = GuestHarness.flat32();
    private final GuestHarness generic = GuestHarness.flat32();

    {
        generic.cpu.interpreter().setFastForms(false);
    }

    private void prepare(GuestHarness h, String code, int[] regs, int eflags, int dsLimit, int csLimit, long seed) {
        h.reset(true).paging().pte(UNMAPPED, 0).pte(READ_ONLY, 5);
        h.s.cr0 |= CpuState.CR0_WP;
        Random fill = new Random(seed);
        byte[] data = new byte[0x1000];
        fill.nextBytes(data);
        h.phys.load(DATA, data, 0, data.length);
        fill.nextBytes(data);
        h.phys.load(READ_ONLY, data, 0, data.length);
        h.phys.zero(GuestHarness.STACK_TOP - 0x1000, 0x1000);
        System.arraycopy(regs, 0, h.r, 0, 8);
        h.s.setEflags(eflags);
        h.s.seg[Segment.DS].limit = dsLimit;
        h.s.seg[Segment.CS].limit = csLimit;
        h.code(code);
        h.cpu.memory.flushTlb();
        h.cpu.interpreter().flushCodeCache();
    }

    private static byte[] mem(GuestHarness h, int addr, int len) {
        byte[] b = new byte[len];
        for (int i = 0; i < len; i++) b[i] = (byte) h.phys.read8(addr + i);
        return b;
    }

    private void compare(String code, long budget) {
        int[] regs = new int[8];
        for (int i = 0; i < 8; i++) regs[i] = value();
        if (rnd.nextInt(3) != 0) regs[CpuState.ESP] = GuestHarness.STACK_TOP - 4 * rnd.nextInt(64);
        int eflags = (rnd.nextInt() & Flags.ARITH) | (rnd.nextInt(10) == 0 ? Flags.TF : 0);
        int dsLimit = rnd.nextInt(8) == 0 ? DATA + 0x7FF : 0xFFFFFFFF;
        int csLimit = rnd.nextInt(8) == 0 ? CODE + code.length() / 3 - 2 - rnd.nextInt(4) : 0xFFFFFFFF; // sometimes near the code's end
        long seed = rnd.nextLong();
        prepare(fast, code, regs, eflags, dsLimit, csLimit, seed);
        prepare(generic, code, regs, eflags, dsLimit, csLimit, seed);
        long n0 = fast.cpu.instructions, g0 = generic.cpu.instructions;
        fast.cpu.run(budget);
        generic.cpu.run(budget);
        String what = code + " (budget " + budget + ", flags " + Integer.toHexString(eflags) + ", regs "
                + java.util.Arrays.toString(java.util.Arrays.stream(regs).mapToObj(Integer::toHexString).toArray()) + ")";
        for (int i = 0; i < 8; i++) assertEquals(generic.r[i], fast.r[i], "reg " + i + " after " + what);
        assertEquals(generic.s.eip, fast.s.eip, "EIP after " + what);
        assertEquals(generic.s.eflags(), fast.s.eflags(), "EFLAGS after " + what);
        assertEquals(generic.s.cr2, fast.s.cr2, "CR2 after " + what);
        assertEquals(generic.s.halted, fast.s.halted, "halted after " + what);
        assertEquals(generic.cpu.instructions - g0, fast.cpu.instructions - n0, "instructions after " + what);
        assertTrue(java.util.Arrays.equals(mem(generic, DATA, 0x1000), mem(fast, DATA, 0x1000)), "data after " + what);
        assertTrue(java.util.Arrays.equals(mem(generic, GuestHarness.STACK_TOP - 0x400, 0x400),
                mem(fast, GuestHarness.STACK_TOP - 0x400, 0x400)), "stack after " + what);
        assertEquals(0, fast.cpu.interpreter().internalErrors(), what);
    }

    private long budget() {
        return rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(6) : 10_000;
    }

    @Test
    void everyFastFormAgreesWithTheGenericPath() {
        for (Form f : FORMS) {
            for (int round = 0; round < 60; round++) {
                boolean a16 = f.opcode.startsWith("67");
                String setter = FLAG_SETTERS[rnd.nextInt(FLAG_SETTERS.length)];
                String insn = hex(instance(f, a16));
                // the form twice (its result feeds the second), then HLT
                compare(setter + " " + insn + " " + insn + " F4", budget());
            }
        }
    }

    @Test
    void fusedCompareAndBranchAgreesWithTheGenericPath() {
        for (Form c : COMPARES) {
            for (String jcc : JCC) {
                for (int round = 0; round < 12; round++) {
                    String cmp = hex(instance(c, false));
                    // taken: skips the first HLT; not taken: stops at it
                    compare(FLAG_SETTERS[rnd.nextInt(FLAG_SETTERS.length)] + " " + cmp + " " + jcc + " 01 F4 F4", budget());
                }
            }
        }
    }

    @Test
    void loopsOntoTheirOwnBlockAgreeWithTheGenericPath() {
        String[] loops = {
            "49 75 FD", // dec ecx; jnz start
            "41 83 F9 40 7C FA", // inc ecx; cmp ecx,0x40; jl start
            "01 C8 39 D9 75 FA", // add eax,ecx; cmp ecx,ebx; jne start (runs until the budget when they differ)
            "8B 03 83 C3 04 85 C0 75 F7", // mov eax,[ebx]; add ebx,4; test eax,eax; jnz start
            "FF 03 49 79 FB", // inc dword [ebx]; dec ecx; jns start
        };
        for (String loop : loops) {
            for (int round = 0; round < 80; round++) {
                compare(loop + " F4", rnd.nextInt(3) == 0 ? 1 + rnd.nextInt(200) : 100_000);
            }
        }
    }

    @Test
    void directBranchesAgreeWithTheGenericPath() {
        String[] code = {
            "E8 00 00 00 00 58", // call next; pop eax (inline call)
            "EB 01 F4 40", // jmp over a HLT (inline)
            "E9 01 00 00 00 F4 40", // jmp rel32 over a HLT
            "E8 05 00 00 00 F4 F4 F4 F4 F4 C3", // call to a RET, back to the HLT
            "EB 01 F4 8B 03 89 0E", // jmp over a HLT to loads and stores that may fault
            "90 8B 03 90 90 FF 06 EB 00 01 0F", // NOPs and an empty jmp between memory forms
            "49 EB 01 F4 75 FA", // dec ecx; jmp over a HLT; jnz start (a loop through an inline jmp)
        };
        for (String c : code) {
            for (int round = 0; round < 40; round++) compare(FLAG_SETTERS[rnd.nextInt(FLAG_SETTERS.length)] + " " + c + " F4", budget());
        }
    }

    @Test
    void segmentLoadsInTheMiddleOfABlockAgreeWithTheGenericPath() {
        // MOV DS / POP DS / MOV SS with the 64 KiB data segment (GDT selector 0x20), then fast
        // memory forms in the same block: they must see the new limit (#GP / #SS beyond it).
        String[] code = {
            "B8 20 00 00 00 8E D8 8B 03 89 0E 01 07",
            "6A 20 1F 8B 03 88 0E",
            "B8 20 00 00 00 8E D0 8B 04 24 50 58",
            "B8 10 00 00 00 8E D8 8B 03 B8 20 00 00 00 8E D8 8B 03",
        };
        for (String c : code) {
            for (int round = 0; round < 60; round++) compare(c + " F4", budget());
        }
    }

    @Test
    void theFormsTestedAreTheFastOnes() {
        // Every handler id but GENERIC, UD and GP0 is reached by some form above (so that a new
        // fast form without a case here shows up).
        boolean[] seen = new boolean[Handlers.COUNT];
        Decoder dec = new Decoder();
        DecodedInsn d = new DecodedInsn();
        List<Form> all = new ArrayList<>(FORMS);
        all.addAll(List.of(COMPARES));
        for (Form f : all) {
            for (int i = 0; i < 40; i++) {
                byte[] b = instance(f, f.opcode.startsWith("67"));
                dec.decode(d, Decoder.ofArray(b, 0), 0, true);
                HandlerSelector.select(d);
                seen[d.handler] = true;
            }
        }
        for (String j : JCC) {
            dec.decode(d, Decoder.ofArray(GuestHarness.hex(j + " 01"), 0), 0, true);
            HandlerSelector.select(d);
            seen[d.handler] = true;
        }
        // direct JMP / CALL (inline in a block or not) are covered by the run-loop tests
        int[] elsewhere = {Handlers.GENERIC, Handlers.UD, Handlers.GP0, Handlers.JMP_REL, Handlers.CALL_REL32,
            Handlers.JMP_INLINE, Handlers.CALL_INLINE32};
        for (int h : elsewhere) seen[h] = true;
        for (java.lang.reflect.Field field : Handlers.class.getFields()) {
            if (field.getType() != int.class || field.getName().equals("COUNT")) continue;
            try {
                assertTrue(seen[field.getInt(null)], "no form here reaches handler " + field.getName());
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }
}
