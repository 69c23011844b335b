package org.kasou.isa;

/**
 * The meaning of an instruction, independent of its encoding: every table row names one. Several
 * encodings share an Op when they do the same thing (all forms of ADD are {@link #ADD}); the
 * interpreter and the JIT switch on it. The ALU ops are declared in the order of their ModRM.reg
 * encoding in group 1 so that {@code op.ordinal() - ADD.ordinal()} is that number.
 */
public enum Op {
    /** Undefined encoding: raises #UD when executed, prints "(bad)". */
    UD,
    /** UD2 (0F 0B) and UD1/UD0: defined to raise #UD. */
    UD2,

    // arithmetic and logic (group 1 order)
    ADD, OR, ADC, SBB, AND, SUB, XOR, CMP,
    TEST, INC, DEC, NEG, NOT,
    // shifts and rotates (group 2; the kind is ModRM.reg, and /6 is an alias of SHL)
    ROL, ROR, RCL, RCR, SHL, SHR, SAR, SHLD, SHRD,
    // multiply, divide
    MUL, IMUL1, IMUL, DIV, IDIV,
    // BCD and AL tricks
    DAA, DAS, AAA, AAS, AAM, AAD, SALC,
    // bits
    BT, BTS, BTR, BTC, BSF, BSR, BSWAP,

    // data movement
    MOV, MOV_TO_SREG, MOV_FROM_SREG, MOVZX, MOVSX, LEA, XCHG, XLAT,
    /** CBW / CWDE (by operand size). */
    CBW,
    /** CWD / CDQ (by operand size). */
    CWD,
    CMOV, SETCC, CMPXCHG, CMPXCHG8B, XADD,
    LES, LDS, LSS, LFS, LGS,

    // stack
    PUSH, POP, PUSH_SREG, POP_SREG, PUSHA, POPA, PUSHF, POPF, ENTER, LEAVE,

    // near control flow
    JMP, JMP_IND, JCC, CALL, CALL_IND, RET, LOOP, LOOPE, LOOPNE,
    /** JCXZ / JECXZ (by address size). */
    JCXZ,
    // far control flow and interrupts
    JMP_FAR, JMP_FAR_IND, CALL_FAR, CALL_FAR_IND, RET_FAR, INT, INT3, INTO, INT1, IRET, BOUND,

    // strings
    MOVS, CMPS, SCAS, LODS, STOS, INS, OUTS,
    // port I/O
    IN, OUT,
    // flags
    CLC, STC, CMC, CLD, STD, CLI, STI, SAHF, LAHF,
    // misc
    NOP, PAUSE, HLT, WAIT,

    // system
    LGDT, LIDT, SGDT, SIDT, LLDT, SLDT, LTR, STR, LMSW, SMSW, CLTS, INVLPG, INVD, WBINVD,
    LAR, LSL, VERR, VERW, ARPL,
    MOV_TO_CR, MOV_FROM_CR, MOV_TO_DR, MOV_FROM_DR,
    CPUID, RDTSC, RDMSR, WRMSR, RDPMC, SYSENTER, SYSEXIT, RSM,

    /** Any x87 instruction (D8-DF): the opcode and ModRM select the operation (X87Exec). */
    X87,

    // decoded and disassembled but not executed yet: #UD when executed
    /** Any MMX instruction. */
    MMX,
    /** Any SSE..SSE4.2 instruction (including PREFETCHh, fences, FXSAVE, LDMXCSR...). */
    SSE;

    /** Group 1 ALU operation number (ADD 0 .. CMP 7), or -1. */
    public int aluIndex() {
        int i = ordinal() - ADD.ordinal();
        return i >= 0 && i < 8 ? i : -1;
    }

    /** Whether executing this op must raise #UD because it is decoded only. */
    public boolean decodeOnly() {
        return this == MMX || this == SSE;
    }
}
