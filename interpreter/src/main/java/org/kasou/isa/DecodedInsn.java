package org.kasou.isa;

/**
 * One decoded instruction, the form that the interpreter, the JIT and the disassembler consume.
 * Mutable and reused: {@link Decoder#decode} overwrites every field. Everything the interpreter
 * needs is resolved at decode time: sizes, register numbers, the effective-address recipe
 * (segment, base, index, scale, displacement), immediates, branch targets and a handler id.
 */
public final class DecodedInsn {
    // ---- status
    public static final int OK = 0;
    /** No row matches these bytes: #UD when executed, "(bad)" when disassembled. */
    public static final int BAD = 1;
    /** The byte source ran out in the middle of the instruction (disassembler only). */
    public static final int TRUNCATED = 2;
    /** Longer than 15 bytes: #GP(0) when executed (SDM vol. 2, 2.3.11). */
    public static final int TOO_LONG = 3;

    // ---- operand locations (dst, src)
    public static final int LOC_NONE = 0;
    /** General register number in dstReg/srcReg (8-bit numbering AL..BH when the size is 1). */
    public static final int LOC_REG = 1;
    /** Memory at the effective address described by ea*. */
    public static final int LOC_MEM = 2;
    /** The immediate {@link #imm} (already sign-extended / masked to the operand's size). */
    public static final int LOC_IMM = 3;
    /** Segment register number in dstReg/srcReg. */
    public static final int LOC_SREG = 4;
    /** Control register number. */
    public static final int LOC_CREG = 5;
    /** Debug register number. */
    public static final int LOC_DREG = 6;
    /** Implicit string operand (DS:eSI or ES:eDI). */
    public static final int LOC_STRING = 7;
    /** x87 or SIMD register (decode-only instructions). */
    public static final int LOC_OTHER = 8;

    // ---- prefix bits
    public static final int P_LOCK = 1, P_REP = 2, P_REPNE = 4, P_OPSIZE = 8, P_ADSIZE = 16, P_SEG = 32;

    /** Matched table row (null when status != OK). */
    public InsnForm form;
    public Op op;
    /** Dispatch id for the interpreter: a {@link Handlers} constant. */
    public int handler;
    public byte status;

    /** Offset (EIP) of the first byte, length in bytes, and offset of the next instruction. */
    public int eip, next;
    public byte len;
    /**
     * Raw bytes (the first {@link #len}): 0-7 and 8-14, the first in the lowest bits, in two longs
     * rather than an array of their own, which cost each decoded instruction (blocks keep theirs)
     * 36 bytes more of the heap, copied by the young collections that every block survives.
     */
    private long bytes0to7, bytes8to14;

    /** The byte at {@code i} (0 to {@link #len} - 1), signed as Java's byte. */
    public byte byteAt(int i) {
        return (byte) ((i < 8 ? bytes0to7 : bytes8to14) >>> ((i & 7) << 3));
    }

    /** Sets the byte at {@code i} (0 to 14), as the decoder reads them. */
    public void setByte(int i, int b) {
        int shift = (i & 7) << 3;
        long bits = (b & 0xFFL) << shift, keep = ~(0xFFL << shift);
        if (i < 8) bytes0to7 = bytes0to7 & keep | bits;
        else bytes8to14 = bytes8to14 & keep | bits;
    }

    public byte map;
    public int opcode;
    /** Prefix bits present (P_*), before mandatory-prefix consumption. */
    public byte prefixes;
    /** Number of prefix bytes. */
    public byte prefixCount;
    /** Repeat prefix in effect for string instructions: 0, P_REP (F3) or P_REPNE (F2). */
    public byte rep;
    public boolean lock;
    /** Segment override (Segment.ES..GS) or -1. */
    public byte segOverride;
    /** Operand-size and address-size attributes: 2 or 4. */
    public byte opSize, addrSize;
    /** Whether the code segment was 32-bit when decoded. */
    public boolean code32;

    public boolean hasModrm;
    public int modrm;
    public byte mod, reg, rm;

    /** Effective address: segment (override or default), base and index register (-1 none), scale shift, displacement. */
    public byte eaSeg, eaBase, eaIndex, eaScale;
    public int eaDisp;

    /** First and second immediate (ENTER's level, a far pointer's selector). */
    public int imm, imm2;
    /** Target offset of a relative branch, already masked to the operand size. */
    public int target;
    /** Condition code (low 4 bits of the opcode) for Jcc, SETcc, CMOVcc. */
    public byte cc;
    /** Handler parameter: the ALU operation number (0 ADD .. 7 CMP) for the ALU handlers. */
    public int aux;

    /** Operand 0 and 1 locations (LOC_*), register numbers and sizes in bytes. */
    public byte dst, dstReg, src, srcReg;
    /** Sizes in bytes: up to 512 (FXSAVE's area). */
    public short dstSize, srcSize;
    /** Operand 2 location (LOC_IMM or LOC_REG for CL), for SHLD/SHRD and three-operand IMUL. */
    public byte third;

    /** Whether the first memory operand (if any) is in memory. */
    public boolean isMem() {
        return dst == LOC_MEM || src == LOC_MEM;
    }

    /**
     * Whether the processor makes it an atomic read-modify-write (it decoded: #UD forms stay
     * faults): any LOCK'd instruction, and XCHG with a memory operand, locked with or without
     * the prefix.
     */
    public boolean atomic() {
        if (status != OK || form == null) return false;
        return lock || (op == Op.XCHG && isMem());
    }

    /** The mnemonic of the matched row for this instruction's sizes, or "(bad)". */
    public String mnemonic() {
        return form == null ? "(bad)" : form.mnemonic(opSize, addrSize);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%08x:", eip));
        for (int i = 0; i < len; i++) sb.append(String.format(" %02x", byteAt(i) & 0xFF));
        sb.append("  ").append(mnemonic());
        return sb.toString();
    }
}
