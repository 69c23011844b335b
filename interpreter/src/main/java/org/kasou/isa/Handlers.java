package org.kasou.isa;

/**
 * Dispatch ids ({@link DecodedInsn#handler}), chosen after decoding by {@link HandlerSelector}. Hot forms get a specialised id
 * so that the interpreter runs them without looking at operand kinds; everything else is
 * {@link #GENERIC} and dispatched on {@link DecodedInsn#op}.
 */
public final class Handlers {
    private Handlers() {}

    public static final int GENERIC = 0;
    /** Raise #UD (undefined encoding, illegal LOCK, decode-only op). */
    public static final int UD = 1;
    /** Raise #GP(0) (instruction longer than 15 bytes). */
    public static final int GP0 = 2;

    // 32-bit operand size forms
    public static final int MOV_RR32 = 3;
    public static final int MOV_RI32 = 4;
    /** MOV r32, [mem]. */
    public static final int MOV_RM32 = 5;
    /** MOV [mem], r32. */
    public static final int MOV_MR32 = 6;
    /** ALU op aux: r32 op= [mem]. */
    public static final int ALU_RM32 = 9;
    /** ALU op aux: [mem] op= r32. */
    public static final int ALU_MR32 = 10;
    public static final int INC_R32 = 11;
    public static final int DEC_R32 = 12;
    public static final int PUSH_R32 = 13;
    public static final int POP_R32 = 14;
    /** Jcc with a 32-bit operand size, the target precomputed. */
    public static final int JCC = 15;
    public static final int JMP_REL = 16;
    public static final int CALL_REL32 = 17;
    /** RET (no immediate) with a 32-bit operand size. */
    public static final int RET32 = 18;
    /** LEA with 32-bit operand and address size. */
    public static final int LEA32 = 19;
    public static final int TEST_RR32 = 20;
    /** MOV r8, r8 / r8, imm8. */
    public static final int MOV_RR8 = 21;
    public static final int MOV_RI8 = 22;
    /** MOVZX r32, byte [mem]. */
    public static final int MOVZX_RM8 = 23;
    /** MOV [mem], imm32. */
    public static final int MOV_MI32 = 24;
    /** ALU op aux: [mem] op= imm (32-bit). */
    public static final int ALU_MI32 = 25;

    // Register-register and register-immediate ALU forms, one id per operation (ADD 0 .. CMP 7):
    // id = ADD_RR32 + kind, ADD_RI32 + kind.
    public static final int ADD_RR32 = 26, OR_RR32 = 27, ADC_RR32 = 28, SBB_RR32 = 29, AND_RR32 = 30, SUB_RR32 = 31,
            XOR_RR32 = 32, CMP_RR32 = 33;
    public static final int ADD_RI32 = 34, OR_RI32 = 35, ADC_RI32 = 36, SBB_RI32 = 37, AND_RI32 = 38, SUB_RI32 = 39,
            XOR_RI32 = 40, CMP_RI32 = 41;
    /** JZ / JNZ (the commonest loop branches). */
    public static final int JZ = 42, JNZ = 43;

    /** Group-2 shift or rotate (kind = ModRM.reg) of a 32-bit register by an immediate / by CL. */
    public static final int SHIFT_RI32 = 44, SHIFT_RC32 = 45;
    /** TEST r32, imm32. */
    public static final int TEST_RI32 = 46;
    /** MOV r8, [mem]; MOV [mem], r8; MOV byte [mem], imm8. */
    public static final int MOV_RM8 = 47, MOV_MR8 = 48, MOV_MI8 = 49;
    /** CMP byte [mem], imm8. */
    public static final int CMP_MI8 = 50;

    /**
     * A direct JMP / 32-bit CALL whose target the block builder decoded next in the same block
     * (the block continues at the target): nothing to do / push the return address.
     */
    public static final int JMP_INLINE = 51, CALL_INLINE32 = 52;

    /** NOP and the hint NOPs (no memory access). */
    public static final int NOP = 53;
    /** MOVZX / MOVSX into a 32-bit register from an 8- or 16-bit register or memory operand. */
    public static final int MOVZX_R8 = 54, MOVZX_R16 = 55, MOVZX_M16 = 56,
            MOVSX_R8 = 57, MOVSX_M8 = 58, MOVSX_R16 = 59, MOVSX_M16 = 60;
    /** IMUL r32, r32 and IMUL r32, r32, imm. */
    public static final int IMUL_RR32 = 61, IMUL_RRI32 = 62;
    /** CMOVcc r32, r32 / r32, [mem]. */
    public static final int CMOV_RR32 = 63, CMOV_RM32 = 64;

    /** PUSH imm with a 32-bit operand size. */
    public static final int PUSH_I32 = 65;
    /** Indirect near CALL / JMP through a register or memory (32-bit operand size); RET imm16 (32-bit). */
    public static final int CALL_IND32 = 66, JMP_IND32 = 67, RET_IMM32 = 68;

    /** Group-1 op aux on byte registers: r8 op= r8 / r8 op= imm8; TEST r8, r8 / r8, imm8. */
    public static final int ALU_RR8 = 69, ALU_RI8 = 70, TEST_RR8 = 71, TEST_RI8 = 72;

    /** SETcc r8 / byte [mem]. */
    public static final int SETCC_R8 = 73, SETCC_M8 = 74;
    /** MUL r/m32 (EDX:EAX = EAX * src). */
    public static final int MUL_32 = 75;
    /** NOT r32, NEG r32. */
    public static final int NOT_R32 = 76, NEG_R32 = 77;
    /** MOV r16, [mem]; MOV [mem], r16; MOV word [mem], imm16. */
    public static final int MOV_RM16 = 78, MOV_MR16 = 79, MOV_MI16 = 80;
    /** Group-2 shift or rotate (kind = ModRM.reg) of a dword in memory by an immediate or CL (no LOCK). */
    public static final int SHIFT_M32 = 81;
    /** IMUL r32, [mem] and IMUL r32, [mem], imm. */
    public static final int IMUL_RM32 = 82, IMUL_RMI32 = 83;
    /** TEST [mem], r32 / imm32; TEST byte [mem], r8 / imm8. */
    public static final int TEST_M32 = 84, TEST_M8 = 85;
    /** INC / DEC dword [mem] (no LOCK). */
    public static final int INCDEC_M32 = 86;
    /** CDQ (CWD with a 32-bit operand size). */
    public static final int CDQ = 87;

    /** CMP r8, byte [mem] and CMP byte [mem], r8. */
    public static final int CMP_RM8 = 88, CMP_MR8 = 89;

    public static final int COUNT = 90;
}
