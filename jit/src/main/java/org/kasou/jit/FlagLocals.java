package org.kasou.jit;

import static org.kasou.jit.UnitCompiler.F_DST;
import static org.kasou.jit.UnitCompiler.F_KNOWN;
import static org.kasou.jit.UnitCompiler.F_OP;
import static org.kasou.jit.UnitCompiler.F_RES;
import static org.kasou.jit.UnitCompiler.F_SRC;
import static org.kasou.jit.UnitCompiler.T0;
import static org.kasou.jit.UnitCompiler.T1;
import static org.kasou.jit.UnitCompiler.T2;
import static org.objectweb.asm.Opcodes.*;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * The guest's lazy flags as a unit keeps them in its locals (F_OP to F_KNOWN, the five fields of
 * the state's record): what they are known to hold at each point of the code being generated, the
 * bytecode that records an operation's flags in them, and the bytecode that tests a condition or
 * derives CF, ZF, SF or OF from them.
 *
 * <p>An operation records its kind, operands and result, as the interpreter's {@link LazyFlags}
 * does, and only when one of its flags is live: most flags are overwritten before anything reads
 * them. While the kind of the record is known (from the last flag-setting instruction of the same
 * segment), a condition reads only the flags it needs, straight from the result or through
 * LazyFlags' derivation of each, instead of calling the interpreter's
 * {@link org.kasou.cpu.exec.Conditions#test} on the whole record.
 */
final class FlagLocals {
    private static final String CPU_STATE = Type.getInternalName(CpuState.class);
    private static final String LAZY_FLAGS = Type.getInternalName(LazyFlags.class);
    private static final String CONDITIONS = Type.getInternalName(org.kasou.cpu.exec.Conditions.class);
    private static final String SHIFTS = Type.getInternalName(org.kasou.cpu.exec.Shifts.class);

    // What the flag locals hold, as far as the compiler knows at a point of a segment.
    static final int K_UNKNOWN = 0, K_ADD = 1, K_SUB = 2, K_LOGIC = 3, K_INC = 4, K_DEC = 5, K_DEAD = 6,
            /** OP_RESULT with CF, AF and OF in F_KNOWN (shifts, MUL). */ K_RESULT = 7, K_SBB = 8,
            /** OP_KNOWN: all six flags in F_KNOWN (the x87 compares into EFLAGS). */ K_KNOWN = 9;

    /**
     * What the flag locals hold at the point of the code being generated: K_UNKNOWN at a segment's
     * start and after the flags came back from the state.
     */
    int known;
    /** The unit's compiler, for its helpers and its stores of the flags into the state. */
    private final UnitCompiler c;
    /** The generated method (the compiler's own visitor, set when it starts the method). */
    MethodVisitor mv;

    FlagLocals(UnitCompiler compiler) {
        this.c = compiler;
    }

    // ---------------------------------------------------------------------------------------
    // Recording an operation's flags

    /** The lazy record of a logic operation whose result is in F_RES: CF, OF and AF clear. */
    void recordLogic() {
        c.push(LazyFlags.OP_RESULT);
        mv.visitVarInsn(ISTORE, F_OP);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, F_KNOWN);
        known = K_LOGIC;
    }

    /** Records the lazy flags of ALU operation n.aux on T0, T1 (when they are live). */
    void recordAlu(Node n) {
        if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
            known = K_DEAD;
            return;
        }
        int aux = n.aux;
        c.operation(aux);
        mv.visitVarInsn(ISTORE, F_RES);
        if (aux == 0 || aux == 5 || aux == 7) {
            recordOperands(aux == 0 ? LazyFlags.OP_ADD : LazyFlags.OP_SUB, T0, T1);
            known = aux == 0 ? K_ADD : K_SUB;
        } else {
            recordLogic();
        }
    }

    /** Records the lazy flags of INC or DEC of T0 whose result is in resLocal (CF is kept), when they are live. */
    void recordIncDec(Node n, boolean inc, int resLocal) {
        boolean cfLive = (n.liveOut & Flags.CF) != 0;
        if ((n.liveOut & Kinds.flagsWritten(n)) == 0 && !cfLive) {
            known = K_DEAD;
            return;
        }
        if (cfLive) carryIn();
        else mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, F_KNOWN);
        mv.visitVarInsn(ILOAD, resLocal);
        mv.visitVarInsn(ISTORE, F_RES);
        recordOperands(inc ? LazyFlags.OP_INC : LazyFlags.OP_DEC, T0, -1);
        known = inc ? K_INC : K_DEC;
    }

    /** Records the lazy flags of ADC (aux 2) or SBB of T0 and T1 whose result is in resLocal. */
    void recordAdcSbb(Node n, int dstLocal) {
        boolean adc = n.aux == 2;
        if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
            known = K_DEAD;
            return;
        }
        // As Alu.adc/sbb: the carry-out formulas of OP_ADD and OP_SBB hold for either carry in.
        mv.visitVarInsn(ILOAD, dstLocal);
        mv.visitVarInsn(ISTORE, F_RES);
        recordOperands(adc ? LazyFlags.OP_ADD : LazyFlags.OP_SBB, T0, T1);
        known = adc ? K_ADD : K_SBB;
    }

    /** The lazy record's kind and operands (F_RES is stored by the caller); srcLocal -1 for none. */
    private void recordOperands(int op, int dstLocal, int srcLocal) {
        c.push(op);
        mv.visitVarInsn(ISTORE, F_OP);
        mv.visitVarInsn(ILOAD, dstLocal);
        mv.visitVarInsn(ISTORE, F_DST);
        if (srcLocal >= 0) {
            mv.visitVarInsn(ILOAD, srcLocal);
            mv.visitVarInsn(ISTORE, F_SRC);
        }
    }

    /**
     * Records the lazy flags (when live) of a {@code size}-byte operation {@code op} on T0 (dst) and
     * T1 (src) whose result is in T2, as 32-bit flags of the sign-extended values (a dword's as
     * they are).
     */
    void recordSmall(Node n, int size, int op, int kind) {
        if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
            known = K_DEAD;
            return;
        }
        int extend = size == 1 ? I2B : I2S;
        for (int[] pair : new int[][] {{T2, F_RES}, {T0, F_DST}, {T1, F_SRC}}) {
            mv.visitVarInsn(ILOAD, pair[0]);
            if (size < 4) mv.visitInsn(extend);
            mv.visitVarInsn(ISTORE, pair[1]);
        }
        c.push(op);
        mv.visitVarInsn(ISTORE, F_OP);
        known = kind;
    }

    /**
     * Records the lazy flags (when live) of CMP of the byte in T0 with the immediate imm8, as
     * Alu.cmp(s, 1, ...) does: operands and result sign-extended from 8 bits.
     */
    void recordCompareByte(Node n, int imm8) {
        if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
            known = K_DEAD;
            return;
        }
        int src = (byte) imm8;
        c.push(1);
        mv.visitVarInsn(ILOAD, T0);
        lazyFlags("sx", "(II)I");
        mv.visitVarInsn(ISTORE, F_DST);
        c.push(1);
        mv.visitVarInsn(ILOAD, T0);
        c.push(src);
        mv.visitInsn(ISUB);
        lazyFlags("sx", "(II)I");
        mv.visitVarInsn(ISTORE, F_RES);
        c.push(src);
        mv.visitVarInsn(ISTORE, F_SRC);
        c.push(LazyFlags.OP_SUB);
        mv.visitVarInsn(ISTORE, F_OP);
        known = K_SUB;
    }

    /** The lazy flags of byte ALU operation n.aux on T0 and T1 (when they are live). */
    void byteFlags(Node n) {
        sizedFlags(n, 1);
    }

    /** The lazy flags of a {@code size}-byte (1 or 2) ALU operation n.aux on T0 and T1, as 32-bit flags of the sign-extended values. */
    void sizedFlags(Node n, int size) {
        int aux = n.kind == Kinds.STRING ? 7 : n.aux; // SCAS compares
        if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
            known = K_DEAD;
            return;
        }
        int extend = size == 1 ? I2B : size == 2 ? I2S : NOP;
        c.operation(aux);
        mv.visitInsn(extend);
        mv.visitVarInsn(ISTORE, F_RES);
        if (aux == 0 || aux == 5 || aux == 7) {
            mv.visitVarInsn(ILOAD, T0);
            mv.visitInsn(extend);
            mv.visitVarInsn(ISTORE, F_DST);
            mv.visitVarInsn(ILOAD, T1);
            mv.visitInsn(extend);
            mv.visitVarInsn(ISTORE, F_SRC);
            c.push(aux == 0 ? LazyFlags.OP_ADD : LazyFlags.OP_SUB);
            mv.visitVarInsn(ISTORE, F_OP);
            known = aux == 0 ? K_ADD : K_SUB;
        } else {
            recordLogic();
        }
    }

    /**
     * Flags of MUL/IMUL with T1 nonzero on overflow: CF = OF = overflow, the other four kept (as
     * LazyFlags.setCfOf). When only CF and OF are live the locals say so directly.
     */
    void mulFlags(Node n) {
        int live = n.liveOut & Kinds.ALL_FLAGS;
        if (live == 0) {
            known = K_DEAD;
            return;
        }
        Label no = new Label(), done = new Label();
        mv.visitVarInsn(ILOAD, T1);
        mv.visitJumpInsn(IFEQ, no);
        c.push(Flags.CF | Flags.OF);
        mv.visitVarInsn(ISTORE, T2);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(no);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, T2);
        mv.visitLabel(done); // no values on the stack across a branch (see UniformFrames)
        if ((live & ~(Flags.CF | Flags.OF)) == 0) {
            mv.visitVarInsn(ILOAD, T2);
            mv.visitVarInsn(ISTORE, F_KNOWN);
            c.push(LazyFlags.OP_RESULT);
            mv.visitVarInsn(ISTORE, F_OP);
            known = K_RESULT;
            return;
        }
        setCfOf(T2);
    }

    /**
     * Sets CF and OF to the Flags.CF and Flags.OF bits in local cfOf and keeps the other four, as
     * LazyFlags.setCfOf does to the state: in the locals when the kind of the record they hold is
     * known (its AF goes to F_KNOWN, ZF, SF and PF stay in F_RES), through the state otherwise.
     */
    void setCfOf(int cfOf) {
        if (known == K_KNOWN) { // the other four stay where they are
            mv.visitVarInsn(ILOAD, F_KNOWN);
            c.push(~(Flags.CF | Flags.OF));
            mv.visitInsn(IAND);
            mv.visitVarInsn(ILOAD, cfOf);
            mv.visitInsn(IOR);
            mv.visitVarInsn(ISTORE, F_KNOWN);
            return;
        }
        switch (known) {
            case K_LOGIC: // logic ops clear AF
                mv.visitInsn(ICONST_0);
                break;
            case K_RESULT:
                mv.visitVarInsn(ILOAD, F_KNOWN);
                break;
            case K_INC: case K_DEC: // AF when the low nibble wrapped: to 0 (INC; minus 1 sets bit 4) or to 0xF (DEC; plus 1 does)
                mv.visitVarInsn(ILOAD, F_RES);
                c.push(0xF);
                mv.visitInsn(IAND);
                mv.visitInsn(ICONST_1);
                mv.visitInsn(known == K_INC ? ISUB : IADD);
                break;
            case K_ADD: case K_SUB: case K_SBB:
                mv.visitVarInsn(ILOAD, F_DST);
                mv.visitVarInsn(ILOAD, F_SRC);
                mv.visitInsn(IXOR);
                mv.visitVarInsn(ILOAD, F_RES);
                mv.visitInsn(IXOR);
                break;
            default:
                c.flushFlags();
                mv.visitVarInsn(ALOAD, UnitCompiler.STATE_LOCAL);
                mv.visitVarInsn(ILOAD, cfOf);
                mv.visitMethodInsn(INVOKESTATIC, LAZY_FLAGS, "setCfOf", "(L" + CPU_STATE + ";I)V", false);
                c.reloadFlags();
                known = K_UNKNOWN;
                return;
        }
        c.push(Flags.AF);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ILOAD, cfOf);
        mv.visitInsn(IOR);
        mv.visitVarInsn(ISTORE, F_KNOWN);
        c.push(LazyFlags.OP_RESULT);
        mv.visitVarInsn(ISTORE, F_OP);
        known = K_RESULT;
    }

    /**
     * The flags of shift kind (4 SHL, 5 SHR, 7 SAR) of the {@code size}-byte T0 by T1 (1 to 31),
     * whose result (sign-extended from size bytes) is in resLocal.
     */
    void shiftFlags(Node n, int kind, int resLocal, int size) {
        if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
            known = K_DEAD;
            return;
        }
        // CF, AF and OF as the interpreter's Shifts records them.
        c.push(size);
        mv.visitVarInsn(ILOAD, T0);
        mv.visitVarInsn(ILOAD, T1);
        mv.visitMethodInsn(INVOKESTATIC, SHIFTS, kind == 4 ? "shlFlags" : kind == 5 ? "shrFlags" : "sarFlags", "(III)I", false);
        mv.visitVarInsn(ISTORE, F_KNOWN);
        mv.visitVarInsn(ILOAD, resLocal);
        mv.visitVarInsn(ISTORE, F_RES);
        c.push(LazyFlags.OP_RESULT);
        mv.visitVarInsn(ISTORE, F_OP);
        known = K_RESULT;
    }

    /** The arithmetic flags on the stack become EFLAGS' (OF, SF, ZF, AF, PF, CF as given). */
    void setKnownFlags() {
        mv.visitVarInsn(ISTORE, F_KNOWN);
        c.push(LazyFlags.OP_KNOWN);
        mv.visitVarInsn(ISTORE, F_OP);
        known = K_KNOWN;
    }

    // ---------------------------------------------------------------------------------------
    // Reading them

    /** Pushes CF (0 or 1) of the flags in the locals. */
    void carryIn() {
        switch (known) {
            case K_LOGIC:
                mv.visitInsn(ICONST_0);
                return;
            case K_RESULT: case K_KNOWN: case K_INC: case K_DEC: // CF is kept in F_KNOWN
                mv.visitVarInsn(ILOAD, F_KNOWN);
                c.push(Flags.CF);
                mv.visitInsn(IAND);
                return;
            case K_ADD:
                mv.visitVarInsn(ILOAD, F_DST);
                mv.visitVarInsn(ILOAD, F_SRC);
                mv.visitVarInsn(ILOAD, F_RES);
                lazyFlags("carryOfAdd", "(III)Z");
                return;
            case K_SUB:
                mv.visitVarInsn(ILOAD, F_DST);
                mv.visitVarInsn(ILOAD, F_SRC);
                lazyFlags("below", "(II)Z");
                return;
            case K_SBB:
                mv.visitVarInsn(ILOAD, F_DST);
                mv.visitVarInsn(ILOAD, F_SRC);
                mv.visitVarInsn(ILOAD, F_RES);
                lazyFlags("borrowOfSbb", "(III)Z");
                return;
            default: {
                flagLocals();
                lazyFlags("cf", "(IIIII)Z");
                return;
            }
        }
    }

    /** Pushes the lazy flag record held in the locals: op, res, dst, src, known. */
    private void flagLocals() {
        for (int l : new int[] {F_OP, F_RES, F_DST, F_SRC, F_KNOWN}) mv.visitVarInsn(ILOAD, l);
    }

    /** Calls one of LazyFlags' flag derivations on the operands on the stack. */
    void lazyFlags(String name, String desc) {
        mv.visitMethodInsn(INVOKESTATIC, LAZY_FLAGS, name, desc, false);
    }

    /** Jumps to {@code taken} when condition cc holds. */
    void condition(int cc, Label taken) {
        if (cc == Kinds.ECX_ZERO) {
            mv.visitVarInsn(ILOAD, c.registerLocal(CpuState.ECX));
            mv.visitJumpInsn(IFEQ, taken);
            return;
        }
        boolean neg = (cc & 1) != 0;
        int base = cc >> 1;
        if (known == K_KNOWN) { // every flag is a bit of F_KNOWN
            mv.visitVarInsn(ILOAD, F_KNOWN);
            if (base >= 6) { // L = SF xor OF; LE = that or ZF
                // Shifted left by 4, SF (bit 7) lands on OF (bit 11) and ZF (bit 6) on bit 10, which
                // holds no flag: in k ^ (k << 4) bit 11 is SF xor OF and bit 10 is ZF.
                mv.visitInsn(DUP);
                c.push(4);
                mv.visitInsn(ISHL);
                mv.visitInsn(IXOR);
                c.push(Flags.OF | (base == 7 ? Flags.ZF << 4 : 0));
                mv.visitInsn(IAND);
            } else {
                int[] masks = {Flags.OF, Flags.CF, Flags.ZF, Flags.CF | Flags.ZF, Flags.SF, Flags.PF};
                c.push(masks[base]);
                mv.visitInsn(IAND);
            }
            mv.visitJumpInsn(neg ? IFEQ : IFNE, taken);
            return;
        }
        if (base == 2 && known != K_UNKNOWN && known != K_DEAD) { // ZF
            mv.visitVarInsn(ILOAD, F_RES);
            mv.visitJumpInsn(neg ? IFNE : IFEQ, taken);
            return;
        }
        if (base == 4 && known != K_UNKNOWN && known != K_DEAD) { // SF
            mv.visitVarInsn(ILOAD, F_RES);
            mv.visitJumpInsn(neg ? IFGE : IFLT, taken);
            return;
        }
        if (known == K_SUB && (base == 1 || base == 3 || base == 6 || base == 7)) {
            // B, BE, L, LE after SUB/CMP: one compare of the recorded operands.
            mv.visitVarInsn(ILOAD, F_DST);
            mv.visitVarInsn(ILOAD, F_SRC);
            lazyFlags(base == 1 ? "below" : base == 3 ? "belowOrEqual" : base == 6 ? "less" : "lessOrEqual", "(II)Z");
            mv.visitJumpInsn(neg ? IFEQ : IFNE, taken);
            return;
        }
        if (known == K_RESULT && (base == 0 || base == 1)) { // OF, CF in F_KNOWN
            mv.visitVarInsn(ILOAD, F_KNOWN);
            c.push(base == 0 ? Flags.OF : Flags.CF);
            mv.visitInsn(IAND);
            mv.visitJumpInsn(neg ? IFEQ : IFNE, taken);
            return;
        }
        if (known == K_LOGIC) {
            switch (base) {
                case 0: case 1: // OF, CF are clear
                    if (neg) mv.visitJumpInsn(GOTO, taken);
                    return;
                case 3: // BE = ZF
                    mv.visitVarInsn(ILOAD, F_RES);
                    mv.visitJumpInsn(neg ? IFNE : IFEQ, taken);
                    return;
                case 6: // L = SF
                    mv.visitVarInsn(ILOAD, F_RES);
                    mv.visitJumpInsn(neg ? IFGE : IFLT, taken);
                    return;
                case 7: // LE = ZF or SF
                    mv.visitVarInsn(ILOAD, F_RES);
                    mv.visitJumpInsn(neg ? IFGT : IFLE, taken);
                    return;
                default:
                    break;
            }
        }
        if (known != K_UNKNOWN && known != K_DEAD && base != 5) {
            // The kind of the last flag-setting instruction is known: the condition from the flags it
            // needs, each through LazyFlags' own derivation (which HotSpot inlines), as 0 or 1.
            switch (base) {
                case 0: // O
                    overflowBit();
                    break;
                case 1: // B = CF
                    carryIn();
                    break;
                case 3: // BE = CF or ZF
                    carryIn();
                    zeroBit();
                    mv.visitInsn(IOR);
                    break;
                case 6: // L = SF xor OF
                    signBit();
                    overflowBit();
                    mv.visitInsn(IXOR);
                    break;
                default: // LE = ZF or (SF xor OF)
                    signBit();
                    overflowBit();
                    mv.visitInsn(IXOR);
                    zeroBit();
                    mv.visitInsn(IOR);
                    break;
            }
            mv.visitJumpInsn(neg ? IFEQ : IFNE, taken);
            return;
        }
        c.push(cc);
        flagLocals();
        mv.visitMethodInsn(INVOKESTATIC, CONDITIONS, "test", "(IIIIII)Z", false);
        mv.visitJumpInsn(IFNE, taken);
    }

    /** Pushes ZF (0 or 1) of a known kind's record: its result is 0 (without a branch, see UniformFrames). */
    private void zeroBit() {
        mv.visitVarInsn(ILOAD, F_RES);
        mv.visitInsn(DUP);
        mv.visitInsn(INEG);
        mv.visitInsn(IOR);
        c.push(31);
        mv.visitInsn(IUSHR);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IXOR);
    }

    /** Pushes SF (0 or 1) of a known kind's record: the sign of its (sign-extended) result. */
    private void signBit() {
        mv.visitVarInsn(ILOAD, F_RES);
        c.push(31);
        mv.visitInsn(IUSHR);
    }

    /** Pushes OF (0 or 1) of a known kind's record, as LazyFlags.of derives it for that kind. */
    void overflowBit() {
        switch (known) {
            case K_LOGIC:
                mv.visitInsn(ICONST_0);
                return;
            case K_RESULT: case K_KNOWN:
                mv.visitVarInsn(ILOAD, F_KNOWN);
                c.push(11); // Flags.OF
                mv.visitInsn(IUSHR);
                mv.visitInsn(ICONST_1);
                mv.visitInsn(IAND);
                return;
            case K_INC: case K_DEC:
                mv.visitVarInsn(ILOAD, F_DST);
                mv.visitVarInsn(ILOAD, F_RES);
                lazyFlags(known == K_INC ? "overflowOfInc" : "overflowOfDec", "(II)Z");
                return;
            default: // K_ADD (ADD, ADC), K_SUB, K_SBB
                mv.visitVarInsn(ILOAD, F_DST);
                mv.visitVarInsn(ILOAD, F_SRC);
                mv.visitVarInsn(ILOAD, F_RES);
                lazyFlags(known == K_ADD ? "overflowOfAdd" : "overflowOfSub", "(III)Z");
                return;
        }
    }
}
