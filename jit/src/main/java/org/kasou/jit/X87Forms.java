package org.kasou.jit;

import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Op;

/**
 * The x87 instructions that units with the stack in locals ({@link X87Locals}) compile, as forms,
 * and how each x87 instruction moves TOP.
 */
final class X87Forms {
    private X87Forms() {}

    // The forms run in locals (see fastForm).
    static final int ARITH_ST0 = 1, ARITH_STI = 2, ARITH_STI_POP = 3, LOAD_ST = 4, EXCHANGE = 5, STORE_ST = 6,
            STORE_ST_POP = 7, UNARY = 8, CONSTANT = 9, LOAD_M32 = 10, LOAD_M64 = 11, LOAD_I32 = 12, STORE_M32 = 13,
            STORE_M32_POP = 14, STORE_M64 = 15, STORE_M64_POP = 16, ARITH_M32 = 17, ARITH_M64 = 18,
            /** FCOM, FCOMP, FCOMPP, FUCOM, FUCOMP, FUCOMPP: C0-C3. */ COMPARE = 19,
            /** FCOM and FCOMP with an m32 or m64 operand. */ COMPARE_M32 = 20, COMPARE_M64 = 21,
            /** FCOMI, FUCOMI and their popping forms: ZF, PF and CF. */ COMPARE_EFLAGS = 22, COMPARE_EFLAGS_POP = 23,
            /** FNSTSW AX. */ STATUS_AX = 24,
            /** FILD m16 and m64. */ LOAD_I16 = 25, LOAD_I64 = 26,
            /** FIST and FISTP with m16, m32, m64 (FISTP only). */ STORE_I16 = 27, STORE_I16_POP = 28, STORE_I32 = 29,
            STORE_I32_POP = 30, STORE_I64_POP = 31,
            /** FLDCW and FNSTCW. */ LOAD_CONTROL = 32, STORE_CONTROL = 33,
            /** FCMOVcc ST(0), ST(i) (DA C0-DF, DB C0-DF): ST(i) into ST(0) when EFLAGS say so. */ CONDITIONAL_MOVE = 34;

    /** A stack effect that is not known before the instruction runs. */
    static final int UNKNOWN = Integer.MIN_VALUE;

    /** Whether d is one of the x87 escapes D8-DF (not FXSAVE or FXRSTOR). */
    static boolean isX87(DecodedInsn d) {
        return d.op == Op.X87 && d.map == 0;
    }

    /** The form in which compiled code runs d with the stack in locals, or 0 when it goes through X87Exec. */
    static int fastForm(DecodedInsn d) {
        if (!isX87(d)) return 0;
        int group = d.opcode & 7, reg = d.reg;
        boolean arith = reg != 2 && reg != 3;
        if (d.mod != 3) {
            if (d.addrSize != 4) return 0;
            switch (group) {
                case 0: return arith ? ARITH_M32 : COMPARE_M32;
                case 4: return arith ? ARITH_M64 : COMPARE_M64;
                case 1:
                    switch (reg) {
                        case 0: return LOAD_M32;
                        case 2: return STORE_M32;
                        case 3: return STORE_M32_POP;
                        case 5: return LOAD_CONTROL;
                        case 7: return STORE_CONTROL;
                        default: return 0;
                    }
                case 5: return reg == 0 ? LOAD_M64 : reg == 2 ? STORE_M64 : reg == 3 ? STORE_M64_POP : 0;
                case 3: return reg == 0 ? LOAD_I32 : reg == 2 ? STORE_I32 : reg == 3 ? STORE_I32_POP : 0;
                case 7:
                    switch (reg) {
                        case 0: return LOAD_I16;
                        case 2: return STORE_I16;
                        case 3: return STORE_I16_POP;
                        case 5: return LOAD_I64;
                        case 7: return STORE_I64_POP;
                        default: return 0;
                    }
                default: return 0;
            }
        }
        switch (group) {
            case 0: return arith ? ARITH_ST0 : COMPARE;
            case 2: return d.modrm == 0xE9 ? COMPARE : reg < 4 ? CONDITIONAL_MOVE : 0; // FUCOMPP, FCMOVcc
            case 3: return reg == 5 || reg == 6 ? COMPARE_EFLAGS : reg < 4 ? CONDITIONAL_MOVE : 0;
            case 7: return reg == 5 || reg == 6 ? COMPARE_EFLAGS_POP : d.modrm == 0xE0 ? STATUS_AX : 0;
            case 4: return arith ? ARITH_STI : 0;
            case 6: return arith ? ARITH_STI_POP : d.modrm == 0xD9 ? COMPARE : 0; // FCOMPP
            case 1:
                if (reg == 0) return d.rm == 7 ? 0 : LOAD_ST;
                if (reg == 1) return EXCHANGE;
                if (d.modrm == 0xE0 || d.modrm == 0xE1 || d.modrm == 0xFA) return UNARY; // FCHS, FABS, FSQRT
                if (d.modrm >= 0xE8 && d.modrm <= 0xEE) return CONSTANT;
                return 0;
            case 5: return reg == 2 ? STORE_ST : reg == 3 ? STORE_ST_POP : reg == 4 || reg == 5 ? COMPARE : 0;
            default: return 0;
        }
    }

    /** Pops of a comparison form: FCOMP, FUCOMP, FCOMIP, FUCOMIP one, FCOMPP and FUCOMPP two. */
    static int comparePops(DecodedInsn d) {
        if (d.modrm == 0xD9 && (d.opcode & 7) == 6 || d.modrm == 0xE9 && (d.opcode & 7) == 2) return 2;
        if ((d.opcode & 7) == 7) return 1;
        if ((d.opcode & 7) == 5) return d.reg == 5 ? 1 : 0;
        return d.reg == 3 ? 1 : 0;
    }

    /** Whether a comparison form is unordered (FUCOM...: quiet NaNs raise nothing). */
    static boolean quietCompare(DecodedInsn d) {
        int group = d.opcode & 7;
        return group == 2 || group == 5 || (group == 3 || group == 7) && d.reg == 5;
    }

    /**
     * How an instruction moves TOP when it completes as usual (+1 a pop, -1 a push, 0 neither),
     * or {@link #UNKNOWN}. Instructions other than x87 escapes count 0: compiled code checks TOP
     * after every instruction it runs through the interpreter's code, and leaves when it moved
     * otherwise (FXRSTOR, a task switch, an unmasked exception).
     */
    static int stackEffect(DecodedInsn d) {
        if (!isX87(d)) return 0;
        int group = d.opcode & 7, reg = d.reg;
        if (d.mod != 3) {
            switch (group) {
                case 0: case 2: case 4: case 6: return reg == 3 ? 1 : 0;
                case 1: return reg == 0 ? -1 : reg == 3 ? 1 : reg == 4 ? UNKNOWN : 0;
                case 3: return reg == 0 || reg == 5 ? -1 : reg == 2 ? 0 : reg == 3 || reg == 7 ? 1 : UNKNOWN;
                case 5: return reg == 0 ? -1 : reg == 2 || reg == 7 ? 0 : reg == 3 ? 1 : UNKNOWN;
                default: return reg == 0 || reg == 4 || reg == 5 ? -1 : reg == 2 ? 0 : reg == 1 ? UNKNOWN : 1;
            }
        }
        int m = d.modrm;
        switch (group) {
            case 0: return reg == 3 ? 1 : 0;
            case 1:
                if (reg == 0) return -1;
                if (reg == 1 || m == 0xD0) return 0;
                if (m == 0xE0 || m == 0xE1 || m == 0xE4 || m == 0xE5) return 0;
                if (m >= 0xE8 && m <= 0xEE) return -1;
                switch (m) {
                    case 0xF0: case 0xF5: case 0xF8: case 0xFA: case 0xFC: case 0xFD: case 0xFE: case 0xFF: return 0;
                    case 0xF1: case 0xF3: case 0xF7: case 0xF9: return 1;
                    case 0xF2: case 0xF4: case 0xF6: case 0xFB: return -1;
                    default: return UNKNOWN;
                }
            case 2: return reg < 4 ? 0 : m == 0xE9 ? 2 : UNKNOWN;
            case 3: return reg < 4 || reg == 5 || reg == 6 ? 0 : m == 0xE0 || m == 0xE1 || m == 0xE2 || m == 0xE4 ? 0 : UNKNOWN;
            case 4: return reg == 2 || reg == 3 ? UNKNOWN : 0;
            case 5: return reg == 0 || reg == 2 || reg == 4 ? 0 : reg == 3 || reg == 5 ? 1 : UNKNOWN;
            case 6: return reg == 2 ? UNKNOWN : reg == 3 ? (m == 0xD9 ? 2 : UNKNOWN) : 1;
            default: return reg == 0 || reg == 5 || reg == 6 ? 1 : m == 0xE0 ? 0 : UNKNOWN;
        }
    }

    /** How the form of d moves TOP: its {@link #stackEffect} as a compiled form. */
    static int fastEffect(int form, DecodedInsn d) {
        switch (form) {
            case COMPARE: case COMPARE_M32: case COMPARE_M64: case COMPARE_EFLAGS_POP: return comparePops(d);
            case ARITH_STI_POP: case STORE_ST_POP: case STORE_M32_POP: case STORE_M64_POP: case STORE_I16_POP:
            case STORE_I32_POP: case STORE_I64_POP: return 1;
            case LOAD_ST: case CONSTANT: case LOAD_M32: case LOAD_M64: case LOAD_I32: case LOAD_I16: case LOAD_I64: return -1;
            default: return 0;
        }
    }

    /** The helpers for d op o by the D8 group's ModRM.reg (see {@link Arithmetic#operation}), each a call the JVM can inline. */
    static final String[] OPERATIONS = {"add", "multiply", null, null, "subtract", "subtractReversed", "divide", "divideReversed"};
}
