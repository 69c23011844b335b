package org.kasou.jit;

import org.kasou.cpu.FlagEffects;
import org.kasou.cpu.Flags;
import org.kasou.cpu.exec.X87Exec;
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
    /**
     * Group-1 op (ADC and SBB too) or TEST on byte registers (r8, r8 / r8, imm8); MUL r32 (aux 0)
     * and one-operand IMUL r32 (aux 1, gcc's signed division by a constant); IMUL r32, r32 (, imm).
     */
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
    /** Group-1 op or TEST on a byte in memory: r8, m8 / m8, r8 / m8, imm8 (not ADC/SBB). */
    static final int BYTE_ALU_M = 53;
    /** PUSH m32 and PUSH imm (the operand is d.dst). */
    static final int PUSH_M = 54, PUSH_I = 55;
    /** CDQ; NEG r32; MUL m32 (and one-operand IMUL m32: aux 1, as for {@link #MUL_R}). */
    static final int CDQ = 56, NEG_R = 57, MUL_M = 58;
    /** NOT r32; IMUL r32, m32 (, imm); CMOVcc r32, m32. */
    static final int NOT_R = 59, IMUL_M = 60, CMOV_M = 61;
    /** BT r32, r32 / r32, imm8 (through BitOps, which keeps the other flags as the interpreter does). */
    static final int BT_R = 62;
    /** SHL, SHR or SAR of a dword in memory by an immediate count of 1 to 31 or by CL. */
    static final int SHIFT_M = 63;
    /** DIV or IDIV (aux 0 / 1) of EDX:EAX by r/m32, through MulDiv with EAX, EDX and the flags spilled. */
    static final int DIV = 64;
    /** MOVZX / MOVSX (aux 0 / 1) r32, r16 and r32, m16. */
    static final int MOVX16_R = 65, MOVX16_M = 66;
    /** MOV r16, m16 / m16, r16 / m16, imm16 / r16, r16 / r16, imm16. */
    static final int MOV16_RM = 67, MOV16_MR = 68, MOV16_MI = 69, MOV16_RR = 70, MOV16_RI = 71;
    /** INC / DEC (aux 0 / 1) dword [mem]; TEST [mem], r32 / imm32; SETcc byte [mem]. */
    static final int INCDEC_M = 72, TEST_M = 73, SETCC_M = 74;
    /** LEAVE (32-bit); XCHG r32, r32; CWDE (aux 0) and CBW (aux 1). */
    static final int LEAVE = 75, XCHG_RR = 76, CWDE = 77;
    /** SHL / SHR / SAR (aux 4 / 5 / 7) of a 16-bit register by an immediate (1-31), through the interpreter's Shifts. */
    static final int SHIFT16_RI = 78;
    /** MOV r8, imm8 (B0+r). */
    static final int MOV_RI8 = 79;
    /**
     * An x87 instruction that touches no general register and no EFLAGS bit, register form / memory
     * form: a call into the interpreter's X87Exec with nothing spilled (the memory form's effective
     * address computed from the unit's registers).
     */
    static final int X87 = 80, X87_M = 81;
    /** CALL r/m32: pushes the return address and ends the unit at the target (a function pointer, a virtual method). */
    static final int CALL_IND = 82;
    /**
     * CALL rel32 to a PIC thunk, {@code MOV reg, [ESP]; RET} (gcc's __x86.get_pc_thunk.reg, which
     * i386 position-independent code calls at the entry of most functions): the three
     * instructions as one node, reg (aux) = the return address, when the thunk's bytes are still
     * there at run time. The thunk is often in another page, where the call would end the unit.
     */
    static final int CALL_THUNK = 83;
    /**
     * Group-1 op (ADC and SBB too) or TEST on 16-bit operands: r16, r16 / r16, imm (register form);
     * r16, m16 / m16, r16 / m16, imm (memory form). The flags as for 32 bits on the sign-extended
     * values, as the byte forms do.
     */
    static final int WORD_ALU = 84, WORD_ALU_M = 85;
    /** CLD / STD (aux 0 / 1): EFLAGS.DF, outside the unit's flag locals. */
    static final int SET_DF = 86;
    /** SHLD / SHRD (aux 0 / 1) r32, r32 by an immediate or CL, through the interpreter's Shifts (64-bit shifts of compiled C). */
    static final int DSHIFT = 87;
    /** BSWAP r32. */
    static final int BSWAP = 88;
    /**
     * MOVS, LODS, STOS or SCAS (aux 0 to 3) without a REP prefix, 32-bit addressing, any element
     * size (a copy's head and tail in memcpy; the kernel's strcmp and strlen loops).
     */
    static final int STRING = 89;
    /**
     * NEG, NOT, INC or DEC (aux {@link #NEG} to {@link #DEC}) of an 8- or 16-bit register (gcc's
     * {@code neg %ax; sbb %al, %al} turns a value into a mask), the register's other bytes kept.
     */
    static final int UNARY_SMALL = 90;
    /**
     * BSF or BSR (aux 0 / 1) r32, r32 / r32, m32 (__builtin_ctz and __builtin_clz; TZCNT runs as
     * BSF on a P6), through BitOps' result and flag functions.
     */
    static final int BIT_SCAN_R = 91, BIT_SCAN_M = 92;
    /** MOVZX / MOVSX (aux 0 / 1) r16, r8 / r16, m8: the register's upper half kept (C's short = signed char). */
    static final int MOVX8_16_R = 93, MOVX8_16_M = 94;
    /** SHLD / SHRD (aux 0 / 1) m32, r32 by an immediate or CL (64-bit shifts of a value kept on the stack). */
    static final int DSHIFT_M = 95;
    /** NEG or NOT (aux {@link #NEG} / {@link #NOT}) of a byte, word or dword in memory. */
    static final int UNARY_M = 96;
    static final int NEG = 0, NOT = 1, INCREMENT = 2, DECREMENT = 3;
    static final int MOVS = 0, LODS = 1, STOS = 2, SCAS = 3;

    static final int TEST = 8;
    /** The aux of a {@link #JCC} that is JECXZ: taken when ECX is 0 (no flag read). */
    static final int ECX_ZERO = 16;
    static final int ALL_FLAGS = Flags.ARITH;

    /** The kind of {@code d}, setting {@code n.aux}; -1 when the compiler leaves it to the interpreter. */
    static int classify(DecodedInsn d, Node n) {
        if (d.status != DecodedInsn.OK || d.form == null) return -1;
        // Atomic read-modify-writes run as they would without LOCK while one CPU uses the memory; once
        // CPUs share it the unit leaves before them for the interpreter, which makes them atomic (UnitCompiler).
        if (d.lock && (d.handler == Handlers.UD || d.handler == Handlers.GP0)) return -1; // LOCK where it is #UD
        if (d.atomic()) return atomic(d, n);
        int h = d.handler;
        if (d.op == Op.JMP_IND && d.opSize == 4 && (h == Handlers.GENERIC || h == Handlers.JMP_IND32)
                && (d.dst == DecodedInsn.LOC_REG || (d.dst == DecodedInsn.LOC_MEM && d.addrSize == 4))) {
            return JMP_IND;
        }
        if (d.op == Op.CALL_IND && d.opSize == 4 && (h == Handlers.GENERIC || h == Handlers.CALL_IND32)
                && (d.dst == DecodedInsn.LOC_REG || (d.dst == DecodedInsn.LOC_MEM && d.addrSize == 4))) {
            return CALL_IND;
        }
        if (d.op == Op.JCXZ && d.addrSize == 4 && d.opSize == 4) { // JECXZ, a branch like Jcc
            n.aux = ECX_ZERO;
            return JCC;
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
        boolean a32 = d.addrSize == 4;
        // D8-DF (FXSAVE and FXRSTOR, 0F AE, go through Exec; encodings the interpreter refuses stay refused)
        if (d.op == Op.X87 && d.map == 0 && h != Handlers.UD && h != Handlers.GP0) {
            if (d.mod != 3) return a32 ? X87_M : GENERIC;
            return X87Exec.touchesIntegerState(d) ? GENERIC : X87;
        }
        int alu = d.op.aluIndex();
        if (d.dstSize == 1 && d.isMem() && (alu >= 0 || d.op == Op.TEST) && alu != 2 && alu != 3) {
            n.aux = alu >= 0 ? alu : TEST;
            return a32 ? BYTE_ALU_M : GENERIC;
        }
        if (d.dstSize == 2 && d.opSize == 2 && (alu >= 0 || d.op == Op.TEST)) {
            n.aux = alu >= 0 ? alu : TEST;
            if (d.dst == DecodedInsn.LOC_REG && (d.src == DecodedInsn.LOC_REG || d.src == DecodedInsn.LOC_IMM)) return WORD_ALU;
            if (d.isMem() && alu != 2 && alu != 3) return a32 ? WORD_ALU_M : GENERIC; // ADC/SBB m16: through Exec
        }
        if ((d.op == Op.SHLD || d.op == Op.SHRD) && d.dstSize == 4 && d.dst == DecodedInsn.LOC_REG
                && (d.third != DecodedInsn.LOC_IMM || (d.imm & 0x1F) != 0)) {
            n.aux = d.op == Op.SHLD ? 0 : 1;
            return DSHIFT;
        }
        if ((d.op == Op.SHLD || d.op == Op.SHRD) && d.dstSize == 4 && d.dst == DecodedInsn.LOC_MEM
                && (d.third != DecodedInsn.LOC_IMM || (d.imm & 0x1F) != 0)) {
            n.aux = d.op == Op.SHLD ? 0 : 1;
            return a32 ? DSHIFT_M : GENERIC;
        }
        if (d.op == Op.BSWAP && d.opSize == 4) return BSWAP;
        if ((d.op == Op.MOVS || d.op == Op.LODS || d.op == Op.STOS || d.op == Op.SCAS) && d.rep == 0 && a32) {
            n.aux = d.op == Op.MOVS ? MOVS : d.op == Op.LODS ? LODS : d.op == Op.STOS ? STOS : SCAS;
            return STRING;
        }
        if (d.op == Op.CLD || d.op == Op.STD) {
            n.aux = d.op == Op.CLD ? 0 : 1;
            return SET_DF;
        }
        if (d.op == Op.PUSH && d.opSize == 4 && d.dst == DecodedInsn.LOC_MEM) return a32 ? PUSH_M : GENERIC;
        if (d.op == Op.PUSH && d.opSize == 4 && d.dst == DecodedInsn.LOC_IMM) return PUSH_I;
        if (d.op == Op.CWD && d.opSize == 4) return CDQ;
        if ((d.op == Op.NEG || d.op == Op.NOT || d.op == Op.INC || d.op == Op.DEC) && d.dstSize < 4
                && d.dst == DecodedInsn.LOC_REG && (d.dstSize == 1 || d.opSize == 2)) {
            n.aux = d.op == Op.NEG ? NEG : d.op == Op.NOT ? NOT : d.op == Op.INC ? INCREMENT : DECREMENT;
            return UNARY_SMALL;
        }
        if ((d.op == Op.NEG || d.op == Op.NOT) && d.dst == DecodedInsn.LOC_MEM && !d.lock) {
            n.aux = d.op == Op.NEG ? NEG : NOT;
            return a32 ? UNARY_M : GENERIC;
        }
        if (d.op == Op.NEG && d.dstSize == 4 && d.dst == DecodedInsn.LOC_REG) {
            n.aux = 5; // SUB from 0
            return NEG_R;
        }
        if ((d.op == Op.MUL || d.op == Op.IMUL1) && d.dstSize == 4 && d.dst == DecodedInsn.LOC_MEM) {
            n.aux = d.op == Op.MUL ? 0 : 1;
            return a32 ? MUL_M : GENERIC;
        }
        if ((d.op == Op.BSF || d.op == Op.BSR) && d.dstSize == 4) {
            n.aux = d.op == Op.BSF ? 0 : 1;
            if (d.src == DecodedInsn.LOC_REG) return BIT_SCAN_R;
            return d.src == DecodedInsn.LOC_MEM && a32 ? BIT_SCAN_M : GENERIC;
        }
        if (d.op == Op.NOT && d.dstSize == 4 && d.dst == DecodedInsn.LOC_REG) return NOT_R;
        if (d.op == Op.IMUL && d.dstSize == 4 && d.dst == DecodedInsn.LOC_REG && d.src == DecodedInsn.LOC_MEM) {
            return a32 ? IMUL_M : GENERIC;
        }
        if (d.op == Op.CMOV && d.dstSize == 4 && d.src == DecodedInsn.LOC_MEM) {
            n.aux = d.cc;
            return a32 ? CMOV_M : GENERIC;
        }
        if (d.op == Op.BT && d.dstSize == 4 && d.dst == DecodedInsn.LOC_REG) return BT_R;
        if ((d.op == Op.MOVZX || d.op == Op.MOVSX) && d.dstSize == 2 && d.srcSize == 1) {
            n.aux = d.op == Op.MOVZX ? 0 : 1;
            if (d.src == DecodedInsn.LOC_REG) return MOVX8_16_R;
            return a32 ? MOVX8_16_M : GENERIC;
        }
        if ((d.op == Op.MOVZX || d.op == Op.MOVSX) && d.dstSize == 4 && d.srcSize == 2) {
            n.aux = d.op == Op.MOVZX ? 0 : 1;
            if (d.src == DecodedInsn.LOC_REG) return MOVX16_R;
            return a32 ? MOVX16_M : GENERIC;
        }
        if ((d.op == Op.SHL || d.op == Op.SHR || d.op == Op.SAR || d.op == Op.ROL || d.op == Op.ROR) && d.dstSize == 2
                && d.dst == DecodedInsn.LOC_REG && d.src == DecodedInsn.LOC_IMM && (d.imm & 0x1F) != 0) {
            n.aux = d.op == Op.ROL ? 0 : d.op == Op.ROR ? 1 : d.op == Op.SHL ? 4 : d.op == Op.SHR ? 5 : 7;
            return SHIFT16_RI; // ROL r16, 8 swaps a word's bytes (ntohs)
        }
        if (d.op == Op.MOV && d.dstSize == 1 && d.dst == DecodedInsn.LOC_REG && d.src == DecodedInsn.LOC_IMM) return MOV_RI8;
        if (d.op == Op.MOV && d.dstSize == 2) {
            if (d.dst == DecodedInsn.LOC_REG && d.src == DecodedInsn.LOC_REG) return MOV16_RR;
            if (d.dst == DecodedInsn.LOC_REG && d.src == DecodedInsn.LOC_IMM) return MOV16_RI;
            if (d.dst == DecodedInsn.LOC_REG && d.src == DecodedInsn.LOC_MEM) return a32 ? MOV16_RM : GENERIC;
            if (d.dst == DecodedInsn.LOC_MEM && d.src == DecodedInsn.LOC_REG) return a32 ? MOV16_MR : GENERIC;
            if (d.dst == DecodedInsn.LOC_MEM && d.src == DecodedInsn.LOC_IMM) return a32 ? MOV16_MI : GENERIC;
        }
        if ((d.op == Op.INC || d.op == Op.DEC) && d.dstSize == 4 && d.dst == DecodedInsn.LOC_MEM) {
            n.aux = d.op == Op.INC ? 0 : 1;
            return a32 ? INCDEC_M : GENERIC;
        }
        if (d.op == Op.TEST && d.dstSize == 4 && d.dst == DecodedInsn.LOC_MEM) {
            n.aux = TEST;
            return a32 ? TEST_M : GENERIC;
        }
        if (d.op == Op.SETCC && d.dst == DecodedInsn.LOC_MEM) {
            n.aux = d.cc;
            return a32 ? SETCC_M : GENERIC;
        }
        if (d.op == Op.LEAVE && d.opSize == 4) return LEAVE;
        if (d.op == Op.XCHG && d.dstSize == 4 && d.dst == DecodedInsn.LOC_REG && d.src == DecodedInsn.LOC_REG) return XCHG_RR;
        if (d.op == Op.CBW) {
            n.aux = d.opSize == 4 ? 0 : 1; // CWDE, CBW
            return CWDE;
        }
        if ((d.op == Op.DIV || d.op == Op.IDIV) && d.dstSize == 4 && (d.dst == DecodedInsn.LOC_REG || a32)) {
            n.aux = d.op == Op.DIV ? 0 : 1;
            return DIV;
        }
        if ((d.op == Op.SHL || d.op == Op.SHR || d.op == Op.SAR) && d.dstSize == 4 && d.dst == DecodedInsn.LOC_MEM
                && (d.src == DecodedInsn.LOC_REG || (d.imm & 0x1F) != 0)) {
            n.aux = d.reg == 6 ? 4 : d.reg;
            return a32 ? SHIFT_M : GENERIC;
        }
        if ((d.op == Op.MUL || d.op == Op.IMUL1) && d.dstSize == 4 && d.dst == DecodedInsn.LOC_REG) {
            n.aux = d.op == Op.MUL ? 0 : 1;
            return MUL_R;
        }
        if (d.op == Op.SETCC && d.dst == DecodedInsn.LOC_REG) {
            n.aux = d.cc;
            return SETCC_R;
        }
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
                return a32 ? ALU_RM : GENERIC; // ADC and SBB too: the register form's carry-in code serves
            case Handlers.ALU_MR32:
                n.aux = d.aux;
                return a32 ? ALU_MR : GENERIC;
            case Handlers.ALU_MI32:
                n.aux = d.aux;
                return a32 ? ALU_MI : GENERIC;
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
                return BYTE_ALU;
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
     * The kind of an atomic read-modify-write as it runs without LOCK: the group-1 operations and
     * INC/DEC of a dword in memory have forms of their own (a shared counter's LOCK ADD, say);
     * the rest (XADD, CMPXCHG, XCHG, BTS...) go through Exec.
     */
    private static int atomic(DecodedInsn d, Node n) {
        if (d.form.has(InsnForm.END)) return -1;
        boolean dword = d.dstSize == 4 && d.dst == DecodedInsn.LOC_MEM && d.addrSize == 4;
        int alu = d.op.aluIndex();
        if (dword && alu >= 0 && alu != 7 && (d.src == DecodedInsn.LOC_REG || d.src == DecodedInsn.LOC_IMM)) {
            n.aux = alu;
            return d.src == DecodedInsn.LOC_REG ? ALU_MR : ALU_MI;
        }
        if (dword && (d.op == Op.INC || d.op == Op.DEC)) {
            n.aux = d.op == Op.INC ? 0 : 1;
            return INCDEC_M;
        }
        return GENERIC;
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
            case PUSH: case POP: case PUSH_M: case PUSH_I: case LEAVE: return GENERIC;
            case CALL: case RET: case CALL_IND: case CALL_THUNK: return -1;
            default: return kind;
        }
    }

    /** Whether the instruction can fault (memory and stack accesses, RET's limit check). */
    static boolean faults(int kind) {
        switch (kind) {
            case MOV_RM: case MOV_MR: case MOV_MI: case MOVZX_RM8: case ALU_RM: case ALU_MR: case ALU_MI:
            case PUSH: case POP: case CALL: case RET: case GENERIC: case CMP_MI8: case MOV_MI8: case JMP_IND:
            case MOV_RM8: case MOV_MR8: case MOVSX_M8: case BYTE_ALU_M: case PUSH_M: case PUSH_I: case MUL_M:
            case IMUL_M: case CMOV_M: case SHIFT_M: case DIV: case MOVX16_M: case MOV16_RM: case MOV16_MR: case MOV16_MI:
            case INCDEC_M: case TEST_M: case SETCC_M: case LEAVE: case X87: case X87_M: case CALL_IND: case CALL_THUNK:
            case WORD_ALU_M: case STRING: case BIT_SCAN_M: case MOVX8_16_M: case DSHIFT_M: case UNARY_M:
                return true;
            default:
                return false;
        }
    }

    /** Whether it writes memory (so that it may have invalidated compiled code). */
    static boolean writesMemory(int kind, int aux) {
        switch (kind) {
            case MOV_MR: case MOV_MI: case PUSH: case CALL: case GENERIC: case MOV_MI8: case MOV_MR8: case PUSH_M: case PUSH_I:
                return true;
            case ALU_MR: case ALU_MI:
                return aux != 7;
            case BYTE_ALU_M: case WORD_ALU_M: // when its destination is the register it does not, but the check costs little
                return aux != 7 && aux != TEST;
            case SHIFT_M: case MOV16_MR: case MOV16_MI: case INCDEC_M: case SETCC_M: case X87_M: case CALL_IND: case CALL_THUNK:
            case DSHIFT_M: case UNARY_M:
                return true;
            case STRING:
                return aux == MOVS || aux == STOS;
            default:
                return false;
        }
    }

    /** Whether control never continues at the next instruction. */
    static boolean isBranch(int kind) {
        return kind == JCC || kind == JMP || kind == CALL || kind == RET || kind == JMP_IND || kind == CALL_IND;
    }

    /**
     * Flags a compiled instruction defines (FlagEffects, from the instruction table). An
     * instruction through Exec defines none in the unit's flag locals: they are flushed before
     * it and reloaded after.
     */
    static int flagsWritten(Node n) {
        return n.kind == GENERIC ? 0 : FlagEffects.defined(n.d);
    }

    /**
     * Flags a compiled instruction needs in the unit's flag locals, given those live after it:
     * those it uses (FlagEffects), and all of them where the flags may be seen whole. A fault
     * exposes them to the handler; instructions that may run as calls into the interpreter's
     * Shifts (see {@link #throughShifts}) and BitOps (BT, when the unit does not know the kind of
     * the flags before it) take the lazy state as it is.
     */
    static int flagsRead(Node n, int liveOut) {
        if (faults(n.kind) || n.kind == BT_R) return ALL_FLAGS; // DIV faults
        if (throughShifts(n, liveOut) && (n.kind != DSHIFT || n.d.third != DecodedInsn.LOC_IMM)) {
            return ALL_FLAGS; // rotates keep some flags of the lazy state Shifts takes whole; by CL a zero count keeps them all
        }
        return FlagEffects.used(n.d);
    }

    /**
     * Whether a shift or rotate of a register runs through the interpreter's Shifts, given the
     * flags live after it: rotates (which change only CF and OF, and RCL and RCR read CF) when CF
     * or OF is live, double shifts when any flag is. The unit computes the others itself: SHL,
     * SHR and SAR with their flags, rotates and double shifts whose flags nobody reads.
     */
    static boolean throughShifts(Node n, int liveOut) {
        switch (n.kind) {
            case SHIFT_RI: case SHIFT_RC: case SHIFT16_RI:
                if (n.aux >= 4) return false; // SHL, SHR, SAL, SAR
                return n.aux >= 2 || (liveOut & (Flags.CF | Flags.OF)) != 0;
            case DSHIFT:
                return (liveOut & ALL_FLAGS) != 0;
            default:
                return false;
        }
    }
}
