package org.kasou.conformance.sst;

/** Instruction families, for per-family counts in reports. */
public enum SstFamily {
    ALU("add, or, adc, sbb, and, sub, xor, cmp, test, inc, dec, not, neg"),
    SHIFT("shifts and rotates"),
    MULDIV("mul, imul, div, idiv"),
    BCD("daa, das, aaa, aas, aam, aad"),
    MOVE("mov, lea, xchg, les/lds, xlat, cbw/cwd, lahf/sahf, salc"),
    STACK("push, pop, pusha/popa, pushf/popf, leave"),
    BRANCH("jcc, jmp, call, ret, loop, jcxz (near)"),
    FAR_AND_INTERRUPT("far jmp/call/ret, int, into, iret, bound"),
    STRING("movs, cmps, stos, lods, scas"),
    IO("in, out, ins, outs"),
    FLAGS("clc, stc, cmc, cli, sti, cld, std"),
    OTHER("hlt, wait, x87 escape");

    public final String members;

    SstFamily(String members) {
        this.members = members;
    }

    /** The family of a test file key such as {@code "00"}, {@code "F7.6"} or {@code "D8"}. */
    public static SstFamily of(String fileKey) {
        int op;
        int reg = -1;
        try {
            op = Integer.parseInt(fileKey.substring(0, 2), 16);
            if (fileKey.length() > 3 && fileKey.charAt(2) == '.') {
                reg = fileKey.charAt(3) - '0';
            }
        } catch (RuntimeException e) {
            return OTHER;
        }
        if (op < 0x40) {
            if ((op & 7) < 6) return ALU;
            return op == 0x27 || op == 0x2F || op == 0x37 || op == 0x3F ? BCD : STACK; // push/pop sreg
        }
        if (op < 0x50) return ALU;
        if (op < 0x62) return STACK;
        if (op == 0x62) return FAR_AND_INTERRUPT;
        if (op == 0x68 || op == 0x6A) return STACK;
        if (op == 0x69 || op == 0x6B) return MULDIV;
        if (op >= 0x6C && op <= 0x6F) return IO;
        if (op >= 0x70 && op <= 0x7F) return BRANCH;
        if (op >= 0x80 && op <= 0x85) return ALU;
        if (op == 0x8F || op == 0x9C || op == 0x9D) return STACK;
        if (op == 0x9A) return FAR_AND_INTERRUPT;
        if (op == 0x9B) return OTHER;
        if (op >= 0x86 && op <= 0x9F) return MOVE;
        if (op >= 0xA0 && op <= 0xA3) return MOVE;
        if (op == 0xA8 || op == 0xA9) return ALU;
        if (op >= 0xA4 && op <= 0xAF) return STRING;
        if (op >= 0xB0 && op <= 0xBF) return MOVE;
        if (op == 0xC0 || op == 0xC1 || (op >= 0xD0 && op <= 0xD3)) return SHIFT;
        if (op == 0xC2 || op == 0xC3) return BRANCH;
        if (op >= 0xC4 && op <= 0xC7) return MOVE;
        if (op == 0xC8 || op == 0xC9) return STACK;
        if (op >= 0xCA && op <= 0xCF) return FAR_AND_INTERRUPT;
        if (op == 0xD4 || op == 0xD5) return BCD;
        if (op == 0xD6 || op == 0xD7) return MOVE;
        if (op >= 0xD8 && op <= 0xDF) return OTHER;
        if (op >= 0xE0 && op <= 0xE3) return BRANCH;
        if ((op >= 0xE4 && op <= 0xE7) || op >= 0xEC && op <= 0xEF) return IO;
        if (op == 0xE8 || op == 0xE9 || op == 0xEB) return BRANCH;
        if (op == 0xEA) return FAR_AND_INTERRUPT;
        if (op == 0xF4) return OTHER;
        if (op == 0xF6 || op == 0xF7) return reg >= 4 ? MULDIV : ALU;
        if (op == 0xFE) return ALU;
        if (op == 0xFF) {
            return switch (reg) {
                case 0, 1 -> ALU;
                case 2, 4 -> BRANCH;
                case 3, 5 -> FAR_AND_INTERRUPT;
                default -> STACK;
            };
        }
        return FLAGS; // F5, F8-FD
    }
}
