package org.kasou.isa;

import static org.kasou.isa.DecodedInsn.LOC_IMM;
import static org.kasou.isa.DecodedInsn.LOC_MEM;
import static org.kasou.isa.DecodedInsn.LOC_REG;

/**
 * Chooses the dispatch id ({@link DecodedInsn#handler}, a {@link Handlers} constant) of a decoded
 * instruction, once, after decoding: the #UD cases (decode-only rows, UD/UD2, LOCK where it is not
 * allowed), then the specialised forms the interpreter and the JIT know by id. The decoder itself
 * leaves every successfully decoded instruction {@link Handlers#GENERIC} and marks undecodable ones
 * {@link Handlers#UD} / {@link Handlers#GP0}; whoever decodes for execution calls
 * {@link #select} next.
 */
public final class HandlerSelector {
    private HandlerSelector() {}

    /** Sets {@code d.handler} (and {@code d.aux} for the ALU forms); leaves failed decodes as they are. */
    public static void select(DecodedInsn d) {
        if (d.status != DecodedInsn.OK || d.form == null) return;
        d.handler = choose(d, d.form);
    }

    /** Picks the dispatch id: #UD cases first, then the specialised hot forms. */
    private static int choose(DecodedInsn d, InsnForm f) {
        Op op = f.op;
        if (op.decodeOnly() || f.has(InsnForm.DECODE_ONLY) || op == Op.UD || op == Op.UD2) {
            return Handlers.UD;
        }
        if (d.lock && !(f.has(InsnForm.LOCK) && d.dst == LOC_MEM)) {
            return Handlers.UD; // SDM vol. 2, LOCK: #UD when not a lockable instruction with a memory destination
        }
        int alu = op.aluIndex();
        if (alu >= 0) {
            d.aux = alu;
            if (d.dstSize == 4) {
                if (d.dst == LOC_REG && d.src == LOC_REG) return Handlers.ADD_RR32 + alu;
                if (d.dst == LOC_REG && d.src == LOC_IMM) return Handlers.ADD_RI32 + alu;
                if (d.dst == LOC_REG && d.src == LOC_MEM) return Handlers.ALU_RM32;
                if (d.dst == LOC_MEM && d.src == LOC_REG && !d.lock) return Handlers.ALU_MR32;
                if (d.dst == LOC_MEM && d.src == LOC_IMM && !d.lock) return Handlers.ALU_MI32;
            } else if (d.dstSize == 1 && alu == 7 && d.dst == LOC_MEM && d.src == LOC_IMM) {
                return Handlers.CMP_MI8;
            } else if (d.dstSize == 1 && alu == 7 && d.dst == LOC_MEM && d.src == LOC_REG) {
                return Handlers.CMP_MR8;
            } else if (d.dstSize == 1 && alu == 7 && d.dst == LOC_REG && d.src == LOC_MEM) {
                return Handlers.CMP_RM8;
            } else if (d.dstSize == 1 && d.dst == LOC_REG) {
                if (d.src == LOC_REG) return Handlers.ALU_RR8;
                if (d.src == LOC_IMM) return Handlers.ALU_RI8;
            }
            return Handlers.GENERIC;
        }
        switch (op) {
            case MOV:
                if (d.dstSize == 4) {
                    if (d.dst == LOC_REG && d.src == LOC_REG) return Handlers.MOV_RR32;
                    if (d.dst == LOC_REG && d.src == LOC_IMM) return Handlers.MOV_RI32;
                    if (d.dst == LOC_REG && d.src == LOC_MEM) return Handlers.MOV_RM32;
                    if (d.dst == LOC_MEM && d.src == LOC_REG) return Handlers.MOV_MR32;
                    if (d.dst == LOC_MEM && d.src == LOC_IMM) return Handlers.MOV_MI32;
                } else if (d.dstSize == 2) {
                    if (d.dst == LOC_REG && d.src == LOC_MEM) return Handlers.MOV_RM16;
                    if (d.dst == LOC_MEM && d.src == LOC_REG) return Handlers.MOV_MR16;
                    if (d.dst == LOC_MEM && d.src == LOC_IMM) return Handlers.MOV_MI16;
                } else if (d.dstSize == 1) {
                    if (d.dst == LOC_REG && d.src == LOC_REG) return Handlers.MOV_RR8;
                    if (d.dst == LOC_REG && d.src == LOC_IMM) return Handlers.MOV_RI8;
                    if (d.dst == LOC_REG && d.src == LOC_MEM) return Handlers.MOV_RM8;
                    if (d.dst == LOC_MEM && d.src == LOC_REG) return Handlers.MOV_MR8;
                    if (d.dst == LOC_MEM && d.src == LOC_IMM) return Handlers.MOV_MI8;
                }
                return Handlers.GENERIC;
            case TEST:
                if (d.dst == LOC_MEM && (d.src == LOC_REG || d.src == LOC_IMM)) {
                    if (d.dstSize == 4) return Handlers.TEST_M32;
                    if (d.dstSize == 1) return Handlers.TEST_M8;
                }
                if (d.dstSize == 4 && d.dst == LOC_REG && d.src == LOC_REG) return Handlers.TEST_RR32;
                if (d.dstSize == 4 && d.dst == LOC_REG && d.src == LOC_IMM) return Handlers.TEST_RI32;
                if (d.dstSize == 1 && d.dst == LOC_REG) {
                    if (d.src == LOC_REG) return Handlers.TEST_RR8;
                    if (d.src == LOC_IMM) return Handlers.TEST_RI8;
                }
                return Handlers.GENERIC;
            case ROL: case ROR: case RCL: case RCR: case SHL: case SHR: case SAR:
                if (d.dstSize == 4 && d.dst == LOC_REG) {
                    // a count of 0 (mod 32) changes nothing, flags included
                    if (d.src == LOC_IMM) return (d.imm & 0x1F) == 0 ? Handlers.NOP : Handlers.SHIFT_RI32;
                    if (d.src == LOC_REG) return Handlers.SHIFT_RC32;
                }
                if (d.dstSize == 4 && d.dst == LOC_MEM && (d.src == LOC_IMM || d.src == LOC_REG)) return Handlers.SHIFT_M32;
                return Handlers.GENERIC;
            case INC:
                if (d.dstSize == 4 && d.dst == LOC_MEM && !d.lock) return Handlers.INCDEC_M32;
                return d.dstSize == 4 && d.dst == LOC_REG ? Handlers.INC_R32 : Handlers.GENERIC;
            case DEC:
                if (d.dstSize == 4 && d.dst == LOC_MEM && !d.lock) return Handlers.INCDEC_M32;
                return d.dstSize == 4 && d.dst == LOC_REG ? Handlers.DEC_R32 : Handlers.GENERIC;
            case NOT:
                return d.dstSize == 4 && d.dst == LOC_REG ? Handlers.NOT_R32 : Handlers.GENERIC;
            case NEG:
                return d.dstSize == 4 && d.dst == LOC_REG ? Handlers.NEG_R32 : Handlers.GENERIC;
            case SETCC:
                return d.dst == LOC_REG ? Handlers.SETCC_R8 : d.dst == LOC_MEM ? Handlers.SETCC_M8 : Handlers.GENERIC;
            case MUL:
                return d.dstSize == 4 && (d.dst == LOC_REG || d.dst == LOC_MEM) ? Handlers.MUL_32 : Handlers.GENERIC;
            case CWD:
                return d.opSize == 4 ? Handlers.CDQ : Handlers.GENERIC;
            case PUSH:
                if (d.opSize != 4) return Handlers.GENERIC;
                return d.dst == LOC_REG ? Handlers.PUSH_R32 : d.dst == LOC_IMM ? Handlers.PUSH_I32 : Handlers.GENERIC;
            case CALL_IND:
                return d.opSize == 4 ? Handlers.CALL_IND32 : Handlers.GENERIC;
            case JMP_IND:
                return d.opSize == 4 ? Handlers.JMP_IND32 : Handlers.GENERIC;
            case POP:
                return d.opSize == 4 && d.dst == LOC_REG ? Handlers.POP_R32 : Handlers.GENERIC;
            case JCC:
                return d.cc == 4 ? Handlers.JZ : d.cc == 5 ? Handlers.JNZ : Handlers.JCC;
            case JMP:
                return Handlers.JMP_REL;
            case CALL:
                return d.opSize == 4 ? Handlers.CALL_REL32 : Handlers.GENERIC;
            case RET:
                if (d.opSize != 4) return Handlers.GENERIC;
                return d.opcode == 0xC3 ? Handlers.RET32 : Handlers.RET_IMM32;
            case LEA:
                return d.opSize == 4 && d.addrSize == 4 ? Handlers.LEA32 : Handlers.GENERIC;
            case MOVZX:
                if (d.dstSize != 4) return Handlers.GENERIC;
                if (d.src == LOC_MEM) return d.srcSize == 1 ? Handlers.MOVZX_RM8 : Handlers.MOVZX_M16;
                return d.srcSize == 1 ? Handlers.MOVZX_R8 : Handlers.MOVZX_R16;
            case MOVSX:
                if (d.dstSize != 4) return Handlers.GENERIC;
                if (d.src == LOC_MEM) return d.srcSize == 1 ? Handlers.MOVSX_M8 : Handlers.MOVSX_M16;
                return d.srcSize == 1 ? Handlers.MOVSX_R8 : Handlers.MOVSX_R16;
            case NOP:
                return Handlers.NOP;
            case PAUSE: // tells the machine of a spin-wait loop (Cpu.spinWaitHint), through Exec
                return Handlers.GENERIC;
            case IMUL:
                if (d.dstSize != 4) return Handlers.GENERIC;
                if (d.src == LOC_MEM) return d.third == LOC_IMM ? Handlers.IMUL_RMI32 : Handlers.IMUL_RM32;
                if (d.src != LOC_REG) return Handlers.GENERIC;
                return d.third == LOC_IMM ? Handlers.IMUL_RRI32 : Handlers.IMUL_RR32;
            case CMOV:
                if (d.dstSize != 4) return Handlers.GENERIC;
                return d.src == LOC_MEM ? Handlers.CMOV_RM32 : Handlers.CMOV_RR32;
            default:
                return Handlers.GENERIC;
        }
    }
}
