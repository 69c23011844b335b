package org.kasou.jit;

import org.kasou.cpu.CpuState;

/**
 * The guest registers each kind of compiled node reads and writes (bit r for register r, EAX to
 * EDI): a unit loads at its entry only the registers its nodes read and stores at its exits only
 * those they write, and a page group knows which of its nodes move its base register.
 */
final class RegisterUse {
    private RegisterUse() {}

    /** The registers node n writes (a byte or word write counts its whole register). */
    static int written(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        switch (n.kind) {
            case Kinds.MOV_RR: case Kinds.MOV_RI: case Kinds.MOV_RM: case Kinds.LEA: case Kinds.MOVZX_RM8:
            case Kinds.INC: case Kinds.DEC: case Kinds.SHIFT_RI:
                return 1 << d.dstReg;
            case Kinds.ALU_RR: case Kinds.ALU_RI: case Kinds.ALU_RM:
                return n.aux == 7 || n.aux == Kinds.TEST ? 0 : 1 << d.dstReg;
            case Kinds.POP:
                return 1 << d.dstReg | 1 << CpuState.ESP;
            case Kinds.BYTE_ALU:
                return n.aux == 7 || n.aux == Kinds.TEST ? 0 : 1 << (d.dstReg & 3);
            case Kinds.MUL_R:
                return 1 << CpuState.EAX | 1 << CpuState.EDX;
            case Kinds.SETCC_R: case Kinds.MOV_RR8: case Kinds.MOV_RM8: case Kinds.MOV_RI8:
                return 1 << (d.dstReg & 3);
            case Kinds.UNARY_SMALL:
                return 1 << (d.dstSize == 1 ? d.dstReg & 3 : d.dstReg);
            case Kinds.MOVZX_R8: case Kinds.MOVSX_R8: case Kinds.MOVSX_M8:
                return 1 << d.dstReg;
            case Kinds.SHIFT_RC:
                return 1 << d.dstReg;
            case Kinds.CMOV_RR:
                return 1 << d.dstReg;
            case Kinds.IMUL_R:
                return 1 << d.dstReg;
            case Kinds.PUSH: case Kinds.CALL: case Kinds.RET: case Kinds.PUSH_M: case Kinds.PUSH_I: case Kinds.CALL_IND:
                return 1 << CpuState.ESP;
            case Kinds.CALL_THUNK:
                return 1 << CpuState.ESP | 1 << n.aux;
            case Kinds.BYTE_ALU_M:
                return d.dst == org.kasou.isa.DecodedInsn.LOC_REG && n.aux != 7 && n.aux != Kinds.TEST ? 1 << (d.dstReg & 3) : 0;
            case Kinds.WORD_ALU: case Kinds.WORD_ALU_M:
                return d.dst == org.kasou.isa.DecodedInsn.LOC_REG && n.aux != 7 && n.aux != Kinds.TEST ? 1 << d.dstReg : 0;
            case Kinds.DSHIFT: case Kinds.BSWAP:
                return 1 << d.dstReg;
            case Kinds.STRING:
                return string(n.aux, true);
            case Kinds.CDQ:
                return 1 << CpuState.EDX;
            case Kinds.NEG_R: case Kinds.NOT_R: case Kinds.IMUL_M: case Kinds.CMOV_M:
                return 1 << d.dstReg;
            case Kinds.MUL_M: case Kinds.DIV:
                return 1 << CpuState.EAX | 1 << CpuState.EDX;
            case Kinds.MOVX16_R: case Kinds.MOVX16_M: case Kinds.MOV16_RM: case Kinds.MOV16_RR: case Kinds.MOV16_RI:
            case Kinds.SHIFT16_RI:
                return 1 << d.dstReg;
            case Kinds.LEAVE:
                return 1 << CpuState.ESP | 1 << CpuState.EBP;
            case Kinds.XCHG_RR:
                return 1 << d.dstReg | 1 << d.srcReg;
            case Kinds.CWDE:
                return 1 << CpuState.EAX;
            case Kinds.BIT_SCAN_R: case Kinds.BIT_SCAN_M: case Kinds.MOVX8_16_R: case Kinds.MOVX8_16_M:
                return 1 << d.dstReg;
            case Kinds.GENERIC:
                return 0xFF;
            default:
                return 0;
        }
    }

    /** The registers node n reads, a partial write's register among them (its other bytes are kept). */
    static int read(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        int r = 0;
        if (d.isMem() || n.kind == Kinds.LEA) {
            if (d.eaBase >= 0) r |= 1 << d.eaBase;
            if (d.eaIndex >= 0) r |= 1 << d.eaIndex;
        }
        switch (n.kind) {
            case Kinds.MOV_RR: case Kinds.MOV_MR: case Kinds.ALU_MR:
                r |= 1 << d.srcReg;
                break;
            case Kinds.ALU_RR:
                r |= 1 << d.srcReg | 1 << d.dstReg;
                break;
            case Kinds.ALU_RI: case Kinds.ALU_RM: case Kinds.INC: case Kinds.DEC: case Kinds.SHIFT_RI:
                r |= 1 << d.dstReg;
                break;
            case Kinds.PUSH:
                r |= 1 << d.dstReg | 1 << CpuState.ESP;
                break;
            case Kinds.JMP_IND:
                if (d.dst == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << d.dstReg;
                break;
            case Kinds.BYTE_ALU:
                r |= 1 << (d.dstReg & 3);
                if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << (d.srcReg & 3);
                break;
            case Kinds.MUL_R:
                r |= 1 << CpuState.EAX | 1 << d.dstReg;
                break;
            case Kinds.SETCC_R: case Kinds.MOV_RM8: case Kinds.MOV_RI8:
                r |= 1 << (d.dstReg & 3); // the other bytes of the register are kept
                break;
            case Kinds.UNARY_SMALL:
                r |= 1 << (d.dstSize == 1 ? d.dstReg & 3 : d.dstReg);
                break;
            case Kinds.MOV_RR8:
                r |= 1 << (d.dstReg & 3) | 1 << (d.srcReg & 3);
                break;
            case Kinds.MOV_MR8: case Kinds.MOVZX_R8: case Kinds.MOVSX_R8:
                r |= 1 << (d.srcReg & 3);
                break;
            case Kinds.SHIFT_RC:
                r |= 1 << d.dstReg | 1 << CpuState.ECX;
                break;
            case Kinds.CMOV_RR:
                r |= 1 << d.dstReg | 1 << d.srcReg;
                break;
            case Kinds.IMUL_R:
                r |= 1 << d.srcReg | 1 << d.dstReg;
                break;
            case Kinds.POP: case Kinds.CALL: case Kinds.RET: case Kinds.PUSH_M: case Kinds.PUSH_I: case Kinds.CALL_THUNK:
                r |= 1 << CpuState.ESP;
                break;
            case Kinds.CALL_IND:
                r |= 1 << CpuState.ESP;
                if (d.dst == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << d.dstReg;
                break;
            case Kinds.JCC:
                if (n.aux == Kinds.ECX_ZERO) r |= 1 << CpuState.ECX;
                break;
            case Kinds.BYTE_ALU_M:
                if (d.dst == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << (d.dstReg & 3);
                if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << (d.srcReg & 3);
                break;
            case Kinds.WORD_ALU: case Kinds.WORD_ALU_M: // the register's upper half is kept
                if (d.dst == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << d.dstReg;
                if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << d.srcReg;
                break;
            case Kinds.DSHIFT:
                r |= 1 << d.dstReg | 1 << d.srcReg;
                if (d.third != org.kasou.isa.DecodedInsn.LOC_IMM) r |= 1 << CpuState.ECX;
                break;
            case Kinds.DSHIFT_M:
                r |= 1 << d.srcReg;
                if (d.third != org.kasou.isa.DecodedInsn.LOC_IMM) r |= 1 << CpuState.ECX;
                break;
            case Kinds.BSWAP:
                r |= 1 << d.dstReg;
                break;
            case Kinds.STRING:
                r |= string(n.aux, false);
                break;
            case Kinds.CDQ: case Kinds.MUL_M:
                r |= 1 << CpuState.EAX;
                break;
            case Kinds.DIV:
                r |= 1 << CpuState.EAX | 1 << CpuState.EDX;
                if (d.dst == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << d.dstReg;
                break;
            case Kinds.MOVX16_R: case Kinds.MOV16_MR:
                r |= 1 << d.srcReg;
                break;
            case Kinds.MOV16_RM: case Kinds.MOV16_RI: case Kinds.SHIFT16_RI:
                r |= 1 << d.dstReg; // the upper half is kept
                break;
            case Kinds.MOV16_RR: case Kinds.XCHG_RR:
                r |= 1 << d.dstReg | 1 << d.srcReg;
                break;
            case Kinds.TEST_M:
                if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << d.srcReg;
                break;
            case Kinds.X87_M:
                if (d.eaBase >= 0) r |= 1 << d.eaBase;
                if (d.eaIndex >= 0) r |= 1 << d.eaIndex;
                break;
            case Kinds.SHIFT_M:
                if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << CpuState.ECX; // the count in CL
                break;
            case Kinds.LEAVE:
                r |= 1 << CpuState.EBP;
                break;
            case Kinds.CWDE:
                r |= 1 << CpuState.EAX;
                break;
            case Kinds.NEG_R: case Kinds.NOT_R: case Kinds.CMOV_M:
                r |= 1 << d.dstReg; // CMOVcc keeps it when the condition fails
                break;
            case Kinds.IMUL_M:
                if (d.third != org.kasou.isa.DecodedInsn.LOC_IMM) r |= 1 << d.dstReg;
                break;
            case Kinds.BT_R:
                r |= 1 << d.dstReg;
                if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) r |= 1 << d.srcReg;
                break;
            case Kinds.MOVX8_16_R: case Kinds.MOVX8_16_M: // the upper half is kept
                r |= 1 << d.dstReg;
                if (n.kind == Kinds.MOVX8_16_R) r |= 1 << (d.srcReg & 3);
                break;
            case Kinds.BIT_SCAN_R: case Kinds.BIT_SCAN_M: // a zero source keeps the destination
                r |= 1 << d.dstReg;
                if (n.kind == Kinds.BIT_SCAN_R) r |= 1 << d.srcReg;
                break;
            case Kinds.GENERIC:
                r = 0xFF;
                break;
            default:
                break;
        }
        return r;
    }

    /** The registers a string instruction without REP reads (written: false) or writes (true). */
    static int string(int op, boolean written) {
        int si = 1 << CpuState.ESI, di = 1 << CpuState.EDI, ax = 1 << CpuState.EAX;
        switch (op) {
            case Kinds.MOVS: return si | di;
            case Kinds.LODS: return si | ax; // a byte or word load keeps the rest of EAX
            case Kinds.STOS: return written ? di : di | ax;
            default: return written ? di : di | ax; // SCAS
        }
    }
}
