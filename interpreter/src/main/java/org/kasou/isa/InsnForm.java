package org.kasou.isa;

import java.util.Arrays;

/**
 * One row of the instruction table: an encoding, its mnemonic as {@code objdump -d -M intel} spells
 * it, its meaning ({@link Op}), its operands, the EFLAGS it reads, writes and leaves undefined, and
 * its attributes. Immutable; built by {@link TableBuilder}.
 */
public final class InsnForm {
    // ---- attributes (bit set)
    /** LOCK is legal (with a memory destination). */
    public static final int LOCK = 1;
    /** Requires CPL 0 in protected mode (#GP(0) otherwise). */
    public static final int PRIV = 1 << 1;
    /** Ends a decoded block: control transfer, or changes state that decoding or interrupt checks depend on. */
    public static final int END = 1 << 2;
    /** String instruction that repeats under F3 (REP). */
    public static final int REP = 1 << 3;
    /** String instruction that repeats under F3 (REPE) and F2 (REPNE) testing ZF. */
    public static final int REPCC = 1 << 4;
    /** Sensitive to IOPL (CLI, STI, IN, OUT, INS, OUTS, and in virtual-8086 mode PUSHF...). */
    public static final int IOPL = 1 << 5;
    /** Decoded and disassembled only: executing it raises #UD for now. */
    public static final int DECODE_ONLY = 1 << 6;
    /** The mnemonic alternative ("a|b") is chosen by address size, not operand size (JCXZ/JECXZ). */
    public static final int MNEM_BY_ADDR = 1 << 7;
    /** Invalid in real and virtual-8086 mode (#UD there): LAR, LSL, ARPL, SLDT... */
    public static final int PM_ONLY = 1 << 8;
    /** Transfers control (the block ends and EIP is set by the instruction). */
    public static final int BRANCH = 1 << 9;
    /** A conditional branch (also BRANCH). */
    public static final int COND = 1 << 10;
    /** Loads SS or sets IF: inhibits interrupts until after the next instruction (SDM vol. 3, 6.8.3). */
    public static final int SHADOW = 1 << 11;

    // ---- mandatory prefix of SIMD-style rows
    /** Prefixes 66/F2/F3 keep their usual meaning; the row does not depend on them. */
    public static final int PFX_ANY = 0;
    /** Row valid only without a mandatory 66/F2/F3 prefix. */
    public static final int PFX_NONE = 1;
    public static final int PFX_66 = 2;
    public static final int PFX_F3 = 3;
    public static final int PFX_F2 = 4;

    // ---- ModRM constraints
    public static final int MOD_ANY = 0, MOD_MEM = 1, MOD_REG = 2;

    /** Opcode map: 0 one-byte, 1 0F, 2 0F 38, 3 0F 3A. */
    public final int map;
    public final int opcode;
    /** Whether a ModRM byte follows the opcode. */
    public final boolean modrm;
    /** Required ModRM.reg (group member), or -1. */
    public final int reg;
    /** MOD_ANY, MOD_MEM or MOD_REG. */
    public final int mod;
    /** Required ModRM.rm when mod == 3 (for encodings such as 0F 01 C8), or -1. */
    public final int rm;
    /** PFX_ANY, PFX_NONE, PFX_66, PFX_F3 or PFX_F2. */
    public final int prefix;

    /** Mnemonic as objdump spells it; "a|b" picks a with 16-bit and b with 32-bit operand size. */
    public final String mnemonic;
    public final Op op;
    private final OperandKind[] operands;
    /** EFLAGS bits read, written (set or cleared) and left undefined (a subset of written). */
    public final int flagsRead, flagsWritten, flagsUndefined;
    public final int attributes;

    InsnForm(int map, int opcode, boolean modrm, int reg, int mod, int rm, int prefix, String mnemonic, Op op,
             OperandKind[] operands, int flagsRead, int flagsWritten, int flagsUndefined, int attributes) {
        this.map = map;
        this.opcode = opcode;
        this.modrm = modrm;
        this.reg = reg;
        this.mod = mod;
        this.rm = rm;
        this.prefix = prefix;
        this.mnemonic = mnemonic;
        this.op = op;
        this.operands = operands;
        this.flagsRead = flagsRead;
        this.flagsWritten = flagsWritten;
        this.flagsUndefined = flagsUndefined;
        this.attributes = attributes;
    }

    public int operandCount() {
        return operands.length;
    }

    public OperandKind operand(int i) {
        return i < operands.length ? operands[i] : null;
    }

    public OperandKind[] operands() {
        return operands.clone();
    }

    public boolean has(int attribute) {
        return (attributes & attribute) != 0;
    }

    /** The mnemonic for the given sizes, resolving "a|b" alternatives. */
    public String mnemonic(int opSize, int addrSize) {
        int bar = mnemonic.indexOf('|');
        if (bar < 0) {
            return mnemonic;
        }
        int size = has(MNEM_BY_ADDR) ? addrSize : opSize;
        return size == 2 ? mnemonic.substring(0, bar) : mnemonic.substring(bar + 1);
    }

    /** Whether this row matches the given ModRM fields (ignored when the row has no ModRM). */
    boolean matches(int modField, int regField, int rmField) {
        if (!modrm) {
            return true;
        }
        if (reg >= 0 && reg != regField) return false;
        if (mod == MOD_MEM && modField == 3) return false;
        if (mod == MOD_REG && modField != 3) return false;
        return rm < 0 || (modField == 3 && rm == rmField);
    }

    @Override
    public String toString() {
        return String.format("%s%02X%s %s %s", map == 0 ? "" : map == 1 ? "0F " : map == 2 ? "0F 38 " : "0F 3A ",
                opcode, reg >= 0 ? " /" + reg : "", mnemonic, Arrays.toString(operands));
    }
}
