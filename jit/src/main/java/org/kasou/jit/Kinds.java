package org.kasou.jit;

import org.kasou.cpu.Flags;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Handlers;
import org.kasou.isa.InsnForm;
import org.kasou.isa.Op;

/** The instruction forms the compiler translates, chosen from the decoder's handler ids. */
final class Kinds {
    private Kinds() {}

    static final int MOV_RR = 0, MOV_RI = 1, MOV_RM = 2, MOV_MR = 3, MOV_MI = 4, LEA = 5, MOVZX_RM8 = 6,
            ALU_RR = 7, ALU_RI = 8, ALU_RM = 9, ALU_MR = 10, ALU_MI = 11, INC = 12, DEC = 13,
            PUSH = 14, POP = 15, JCC = 16, JMP = 17, CALL = 18, RET = 19,
            /** Any other instruction that does not end a block: the interpreter's Exec.execute, state spilled around it. */
            GENERIC = 20, SHIFT_RI = 21, CMP_MI8 = 22, MOV_MI8 = 23,
            /** JMP r/m32: ends the unit at the target unless it is one of the unit's own labels. */
            JMP_IND = 24;
    /** Group-1 op or TEST on byte registers (r8, r8 / r8, imm8); MUL r32; IMUL r32, r32 (, imm). */
    static final int BYTE_ALU = 40, MUL_R = 41, IMUL_R = 42;
    /** SETcc r8; CMOVcc r32, r32. */
    static final int SETCC_R = 43, CMOV_RR = 44;
    /** Group-2 shift or rotate of a 32-bit register by CL (through Shifts, without spilling the registers). */
    static final int SHIFT_RC = 45;
    /**
     * Byte moves, common in compiled code that handles bytes: MOV r8, r8 / r8, m8 / m8, r8 and
     * MOVZX/MOVSX r32, r8 / r32, m8 (MOVZX r32, m8 is {@link #MOVZX_RM8}).
     */
    static final int MOV_RR8 = 46, MOV_RM8 = 47, MOV_MR8 = 48, MOVZX_R8 = 49, MOVSX_R8 = 50, MOVSX_M8 = 51;
    /** NOP in any form (gcc pads loops with long NOPs): nothing to do, nothing that faults. */
    static final int NOP = 52;

    static final int TEST = 8;
    static final int ALL_FLAGS = Flags.ARITH;

    /** The kind of {@code d}, setting {@code n.aux}; -1 when the compiler leaves it to the interpreter. */
    static int classify(DecodedInsn d, Node n) {
        if (d.status != DecodedInsn.OK || d.lock || d.form == null) return -1;
        int h = d.handler;
        if (d.op == Op.JMP_IND && d.opSize == 4 && (h == Handlers.GENERIC || h == Handlers.JMP_IND32)
                && (d.dst == DecodedInsn.LOC_REG || (d.dst == DecodedInsn.LOC_MEM && d.addrSize == 4))) {
            return JMP_IND;
        }
        if (d.form.has(InsnForm.END) && h == Handlers.GENERIC) return -1;
        if (h >= Handlers.ADD_RR32 && h <= Handlers.CMP_RR32) {
            n.aux = h - Handlers.ADD_RR32;
            return ALU_RR;
        }
        if (h >= Handlers.ADD_RI32 && h <= Handlers.CMP_RI32) {
            n.aux = h - Handlers.ADD_RI32;
            return ALU_RI;
        }
        if (d.op == Op.NOP) return NOP;
        if (d.op == Op.MUL && d.dstSize == 4 && d.dst == DecodedInsn.LOC_REG) return MUL_R;
        if (d.op == Op.SETCC && d.dst == DecodedInsn.LOC_REG) {
            n.aux = d.cc;
            return SETCC_R;
        }
        boolean a32 = d.addrSize == 4;
        switch (h) {
            case Handlers.MOV_RR32: return MOV_RR;
            case Handlers.MOV_RI32: return MOV_RI;
            case Handlers.MOV_RM32: return a32 ? MOV_RM : GENERIC;
            case Handlers.MOV_MR32: return a32 ? MOV_MR : GENERIC;
            case Handlers.MOV_MI32: return a32 ? MOV_MI : GENERIC;
            case Handlers.LEA32: return a32 ? LEA : GENERIC;
            case Handlers.MOVZX_RM8: return a32 ? MOVZX_RM8 : GENERIC;
            case Handlers.ALU_RM32:
                n.aux = d.aux;
                return a32 && supportedAlu(d.aux) ? ALU_RM : GENERIC;
            case Handlers.ALU_MR32:
                n.aux = d.aux;
                return a32 && supportedAlu(d.aux) ? ALU_MR : GENERIC;
            case Handlers.ALU_MI32:
                n.aux = d.aux;
                return a32 && supportedAlu(d.aux) ? ALU_MI : GENERIC;
            case Handlers.TEST_RR32:
                n.aux = TEST;
                return ALU_RR;
            case Handlers.INC_R32: return INC;
            case Handlers.DEC_R32: return DEC;
            case Handlers.PUSH_R32: return PUSH;
            case Handlers.POP_R32: return POP;
            case Handlers.JCC:
                n.aux = d.cc;
                return JCC;
            case Handlers.JZ:
                n.aux = 4;
                return JCC;
            case Handlers.JNZ:
                n.aux = 5;
                return JCC;
            // The interpreter's blocks mark a direct JMP/CALL they continue through as *_INLINE.
            case Handlers.JMP_REL: case Handlers.JMP_INLINE: return JMP;
            case Handlers.CALL_REL32: case Handlers.CALL_INLINE32: return CALL;
            case Handlers.RET32: return RET;
            case Handlers.SHIFT_RI32:
                n.aux = d.reg;
                return SHIFT_RI;
            case Handlers.TEST_RI32:
                n.aux = TEST;
                return ALU_RI;
            case Handlers.ALU_RR8: case Handlers.ALU_RI8:
                n.aux = d.aux;
                return supportedAlu(d.aux) ? BYTE_ALU : GENERIC;
            case Handlers.TEST_RR8: case Handlers.TEST_RI8:
                n.aux = TEST;
                return BYTE_ALU;
            case Handlers.IMUL_RR32: case Handlers.IMUL_RRI32:
                return IMUL_R;
            case Handlers.SHIFT_RC32:
                n.aux = d.reg;
                return SHIFT_RC;
            case Handlers.CMOV_RR32:
                n.aux = d.cc;
                return CMOV_RR;
            case Handlers.CMP_MI8: return a32 ? CMP_MI8 : GENERIC;
            case Handlers.MOV_MI8: return a32 ? MOV_MI8 : GENERIC;
            case Handlers.MOV_RR8: return MOV_RR8;
            case Handlers.MOV_RM8: return a32 ? MOV_RM8 : GENERIC;
            case Handlers.MOV_MR8: return a32 ? MOV_MR8 : GENERIC;
            case Handlers.MOVZX_R8: return MOVZX_R8;
            case Handlers.MOVSX_R8: return MOVSX_R8;
            case Handlers.MOVSX_M8: return a32 ? MOVSX_M8 : GENERIC;
            case Handlers.UD: case Handlers.GP0: return -1;
            default:
                return d.form.has(InsnForm.END) ? -1 : GENERIC;
        }
    }

    /**
     * The kind of {@code d} in a unit whose stack size is {@code stack32}: with a 16-bit stack
     * (SS.B=0) the direct stack forms, which move ESP as a 32-bit pointer, are not used: PUSH and
     * POP go through Exec, CALL and RET end the unit. An instruction that loads SS ends the unit
     * in any mode: it may change the stack size the unit was compiled for, and it opens an
     * interrupt shadow (SDM vol. 3, 6.8.3) that the dispatcher must see.
     */
    static int forStack(int kind, DecodedInsn d, boolean stack32) {
        if (kind < 0) return kind;
        if (d.op == Op.LSS || ((d.op == Op.MOV_TO_SREG || d.op == Op.POP_SREG) && d.dstReg == org.kasou.cpu.Segment.SS)) {
            return -1;
        }
        if (stack32) return kind;
        switch (kind) {
            case PUSH: case POP: return GENERIC;
            case CALL: case RET: return -1;
            default: return kind;
        }
    }

    /** ADC and SBB read CF: compiled only in the 32-bit register forms. */
    private static boolean supportedAlu(int aux) {
        return aux != 2 && aux != 3;
    }

    /** Whether the instruction can fault (memory and stack accesses, RET's limit check). */
    static boolean faults(int kind) {
        switch (kind) {
            case MOV_RM: case MOV_MR: case MOV_MI: case MOVZX_RM8: case ALU_RM: case ALU_MR: case ALU_MI:
            case PUSH: case POP: case CALL: case RET: case GENERIC: case CMP_MI8: case MOV_MI8: case JMP_IND:
            case MOV_RM8: case MOV_MR8: case MOVSX_M8:
                return true;
            default:
                return false;
        }
    }

    /** Whether it writes memory (so that it may have invalidated compiled code). */
    static boolean writesMemory(int kind, int aux) {
        switch (kind) {
            case MOV_MR: case MOV_MI: case PUSH: case CALL: case GENERIC: case MOV_MI8: case MOV_MR8:
                return true;
            case ALU_MR: case ALU_MI:
                return aux != 7;
            default:
                return false;
        }
    }

    /** Whether control never continues at the next instruction. */
    static boolean isBranch(int kind) {
        return kind == JCC || kind == JMP || kind == CALL || kind == RET || kind == JMP_IND;
    }

    /** Flags written. */
    static int flagsWritten(int kind) {
        switch (kind) {
            case ALU_RR: case ALU_RI: case ALU_RM: case ALU_MR: case ALU_MI: case SHIFT_RI: case CMP_MI8: case BYTE_ALU:
                return ALL_FLAGS;
            case MUL_R: case IMUL_R:
                return Flags.CF | Flags.OF; // SF, ZF, AF, PF are kept (see MulDiv)
            case INC: case DEC:
                return ALL_FLAGS & ~Flags.CF; // CF passes through
            default:
                return 0;
        }
    }

    /** Flags read (a faulting instruction exposes all of them to the fault handler). */
    static int flagsRead(int kind, int aux) {
        if (faults(kind)) return ALL_FLAGS;
        if (kind == JCC || kind == SETCC_R || kind == CMOV_RR) return conditionFlags(aux);
        if (kind == SHIFT_RI && aux < 4) return ALL_FLAGS; // rotates keep SF, ZF, AF, PF (and RCL/RCR read CF)
        if ((kind == ALU_RR || kind == ALU_RI) && (aux == 2 || aux == 3)) return Flags.CF; // ADC, SBB
        if (kind == SHIFT_RC) return ALL_FLAGS; // a count of 0 keeps every flag
        return 0;
    }

    /** The flags a condition code tests (SDM vol. 1, appendix B). */
    static int conditionFlags(int cc) {
        switch (cc >> 1) {
            case 0: return Flags.OF;
            case 1: return Flags.CF;
            case 2: return Flags.ZF;
            case 3: return Flags.CF | Flags.ZF;
            case 4: return Flags.SF;
            case 5: return Flags.PF;
            case 6: return Flags.SF | Flags.OF;
            default: return Flags.ZF | Flags.SF | Flags.OF;
        }
    }
}
