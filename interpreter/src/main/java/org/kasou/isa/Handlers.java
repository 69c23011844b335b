package org.kasou.isa;

/**
 * Dispatch ids chosen by the decoder ({@link DecodedInsn#handler}). Hot forms get a specialised id
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
    /** ALU op aux on two 32-bit registers: dstReg op= srcReg. */
    public static final int ALU_RR32 = 7;
    /** ALU op aux on a 32-bit register and an immediate. */
    public static final int ALU_RI32 = 8;
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

    public static final int COUNT = 26;
}
