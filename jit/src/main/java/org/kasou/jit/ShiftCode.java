package org.kasou.jit;

import static org.kasou.jit.FlagLocals.K_DEAD;
import static org.kasou.jit.FlagLocals.K_UNKNOWN;
import static org.kasou.jit.UnitCompiler.M;
import static org.kasou.jit.UnitCompiler.R0;
import static org.kasou.jit.UnitCompiler.STATE_LOCAL;
import static org.kasou.jit.UnitCompiler.T0;
import static org.kasou.jit.UnitCompiler.T1;
import static org.kasou.jit.UnitCompiler.T2;
import static org.kasou.jit.UnitCompiler.T3;
import static org.objectweb.asm.Opcodes.*;

import org.kasou.cpu.CpuState;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * The bytecode of shifts and rotates (group 2: ROL, ROR, RCL, RCR, SHL, SHR, SAR) of a 32-bit
 * register by an immediate or by CL and of a 16-bit register by an immediate, of SHL, SHR and SAR
 * of a dword in memory, and of the double shifts SHLD and SHRD of registers.
 *
 * <p>A unit computes SHL, SHR and SAR itself, their flags recorded in the flag locals as the
 * interpreter's {@link org.kasou.cpu.exec.Shifts} records them ({@link FlagLocals#shiftFlags}),
 * and the value alone of a rotate or double shift whose flags nobody reads. The others run
 * through Shifts, which takes the lazy flags from the state and leaves its own there
 * ({@link Kinds#throughShifts} says which): a rotate keeps some of the flags before it, RCL and
 * RCR read CF, and a count of 0 from CL keeps them all.
 */
final class ShiftCode {
    private static final String CPU_STATE = Type.getInternalName(CpuState.class);
    private static final String MEMORY = Type.getInternalName(org.kasou.mem.Memory.class);
    private static final String SHIFTS = Type.getInternalName(org.kasou.cpu.exec.Shifts.class);

    /** The unit's compiler, for its helpers, its memory accesses and its stores of the flags into the state. */
    private final UnitCompiler c;
    /** The flag locals, where the shifts record their flags. */
    private final FlagLocals flags;
    /** The generated method (the compiler's own visitor, set when it starts the method). */
    MethodVisitor mv;

    ShiftCode(UnitCompiler compiler, FlagLocals flags) {
        this.c = compiler;
        this.flags = flags;
    }

    /**
     * A shift or rotate (n.aux) of a 32-bit register by an immediate. A count of 0 (mod 32)
     * changes neither the register nor a flag.
     */
    void shiftRegisterImm(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        int count = d.imm & 0x1F;
        if (count == 0) return; // no shift, no flags
        if (n.aux >= 4) {
            shiftImm(n, count);
            return;
        }
        if (!Kinds.throughShifts(n, n.liveOut)) { // ROL, ROR whose CF and OF nobody reads
            mv.visitVarInsn(ILOAD, R0 + d.dstReg);
            c.push(count);
            rotate(n.aux);
            mv.visitVarInsn(ISTORE, R0 + d.dstReg);
            return;
        }
        shiftThroughInterpreter(n.aux, 4, d.dstReg, count); // rotates keep the other flags
        mv.visitVarInsn(ISTORE, R0 + d.dstReg);
    }

    /** A shift or rotate (n.aux) of a 16-bit register by an immediate, the upper half kept. */
    void shiftWordRegisterImm(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        int count = d.imm & 0x1F;
        if (n.aux >= 4) {
            shift16Imm(n, count);
            return;
        }
        if (!Kinds.throughShifts(n, n.liveOut)) { // ROL, ROR whose CF and OF nobody reads
            int t = count & 15;
            if (t == 0) return; // a multiple of 16: the word is unchanged
            mv.visitVarInsn(ILOAD, R0 + d.dstReg);
            c.push(0xFFFF);
            mv.visitInsn(IAND);
            mv.visitInsn(DUP);
            c.push(n.aux == 0 ? t : 16 - t);
            mv.visitInsn(ISHL);
            mv.visitInsn(SWAP);
            c.push(n.aux == 0 ? 16 - t : t);
            mv.visitInsn(IUSHR);
            mv.visitInsn(IOR);
            c.push(0xFFFF);
            mv.visitInsn(IAND);
        } else {
            shiftThroughInterpreter(n.aux, 2, d.dstReg, count);
        }
        mv.visitVarInsn(ILOAD, R0 + d.dstReg);
        c.push(0xFFFF0000);
        mv.visitInsn(IAND);
        mv.visitInsn(IOR);
        mv.visitVarInsn(ISTORE, R0 + d.dstReg);
    }

    /**
     * SHLD or SHRD (n.aux 0 or 1) of 32-bit registers by an immediate or by CL: the value alone
     * when nobody reads the flags, else through the interpreter's Shifts.
     */
    void doubleShift(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        if (!Kinds.throughShifts(n, n.liveOut)) {
            doubleShiftValue(n);
            return;
        }
        // Shifts defines every flag when the count is not 0 and keeps them when it is (CL):
        // the lazy state goes to CpuState around the call, as for shifts by CL.
        c.flushFlags();
        mv.visitVarInsn(ALOAD, STATE_LOCAL);
        c.push(4);
        mv.visitVarInsn(ILOAD, R0 + d.dstReg);
        mv.visitVarInsn(ILOAD, R0 + d.srcReg);
        if (d.third == org.kasou.isa.DecodedInsn.LOC_IMM) c.push(d.imm & 0x1F);
        else mv.visitVarInsn(ILOAD, R0 + CpuState.ECX);
        mv.visitMethodInsn(INVOKESTATIC, SHIFTS, n.aux == 0 ? "shld" : "shrd", "(L" + CPU_STATE + ";IIII)I", false);
        mv.visitVarInsn(ISTORE, R0 + d.dstReg);
        c.reloadFlags();
        flags.known = K_UNKNOWN;
    }

    /**
     * SHL, SHR or SAR (n.aux 4, 5, 7) of a dword in memory (address in T3, old value in T0) by an
     * immediate or by CL: the store first, then the flags. A count of 0 (mod 32) from CL changes
     * neither the dword nor a flag but checks the dword for writing, as the interpreter does.
     */
    void shiftMemory(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        int kind = n.aux;
        boolean byCl = d.src == org.kasou.isa.DecodedInsn.LOC_REG;
        c.ea(d);
        mv.visitVarInsn(ISTORE, T3);
        mv.visitVarInsn(ILOAD, T3);
        c.read32(d.eaSeg);
        mv.visitVarInsn(ISTORE, T0);
        Label done = new Label();
        if (byCl) {
            countOrProbe(d, done);
        } else {
            c.push(d.imm & 0x1F);
            mv.visitVarInsn(ISTORE, T1);
        }
        mv.visitVarInsn(ILOAD, T3);
        mv.visitVarInsn(ILOAD, T0);
        mv.visitVarInsn(ILOAD, T1);
        shift(kind);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ISTORE, T2);
        c.write32(d.eaSeg);
        flags.shiftFlags(n, kind, T2, 4);
        mv.visitLabel(done);
        // By CL the flags are either the shift's or, for a zero count, the ones before.
        if (byCl && flags.known != K_DEAD) flags.known = K_UNKNOWN;
    }

    /**
     * SHLD or SHRD (n.aux 0 / 1) of a dword in memory by an immediate (1 to 31) or by CL: the dword
     * read, the result stored, then the flags, through the interpreter's Shifts when any is live
     * (it computes the result again, which is dropped). A count of 0 (mod 32) from CL changes
     * neither the dword nor a flag but checks the dword for writing, as the interpreter does.
     */
    void doubleShiftMemory(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        boolean byCl = d.third != org.kasou.isa.DecodedInsn.LOC_IMM;
        c.ea(d);
        mv.visitVarInsn(ISTORE, T3);
        mv.visitVarInsn(ILOAD, T3);
        c.read32(d.eaSeg);
        mv.visitVarInsn(ISTORE, T0);
        Label done = new Label();
        if (byCl) {
            countOrProbe(d, done);
        } else {
            c.push(d.imm & 0x1F); // not 0 (see Kinds)
            mv.visitVarInsn(ISTORE, T1);
        }
        mv.visitVarInsn(ILOAD, T3);
        doubleShifted(n.aux == 0, T0, R0 + d.srcReg);
        c.write32(d.eaSeg);
        if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
            flags.known = K_DEAD;
        } else {
            c.flushFlags();
            mv.visitVarInsn(ALOAD, STATE_LOCAL);
            c.push(4);
            mv.visitVarInsn(ILOAD, T0);
            mv.visitVarInsn(ILOAD, R0 + d.srcReg);
            mv.visitVarInsn(ILOAD, T1);
            mv.visitMethodInsn(INVOKESTATIC, SHIFTS, n.aux == 0 ? "shld" : "shrd", "(L" + CPU_STATE + ";IIII)I", false);
            mv.visitInsn(POP);
            c.reloadFlags();
            flags.known = K_UNKNOWN;
        }
        mv.visitLabel(done);
    }

    /**
     * A shift or rotate of a 32-bit register by CL. As the interpreter: a count of 0 (mod 32)
     * changes nothing, flags included. Without live flags the JVM's own shift is the whole
     * instruction (it takes the count mod 32 too).
     */
    void shiftByCl(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        int dst = R0 + d.dstReg;
        int kind = n.aux == 6 ? 4 : n.aux;
        boolean live = (n.liveOut & Kinds.ALL_FLAGS) != 0;
        if (kind >= 4 && !live) {
            mv.visitVarInsn(ILOAD, dst);
            mv.visitVarInsn(ILOAD, R0 + CpuState.ECX);
            shift(kind);
            mv.visitVarInsn(ISTORE, dst);
            flags.known = K_DEAD;
            return;
        }
        if (kind < 4 && !Kinds.throughShifts(n, n.liveOut)) { // ROL, ROR whose CF and OF nobody reads: the other flags stay
            mv.visitVarInsn(ILOAD, dst);
            mv.visitVarInsn(ILOAD, R0 + CpuState.ECX);
            rotate(kind);
            mv.visitVarInsn(ISTORE, dst);
            return;
        }
        Label skip = new Label();
        clCount(skip);
        if (kind >= 4) {
            mv.visitVarInsn(ILOAD, dst);
            mv.visitVarInsn(ISTORE, T0);
            mv.visitVarInsn(ILOAD, T0);
            mv.visitVarInsn(ILOAD, T1);
            shift(kind);
            mv.visitVarInsn(ISTORE, dst);
            flags.shiftFlags(n, kind, dst, 4);
        } else {
            c.flushFlags();
            mv.visitVarInsn(ALOAD, STATE_LOCAL);
            c.push(n.aux);
            c.push(4);
            mv.visitVarInsn(ILOAD, dst);
            mv.visitVarInsn(ILOAD, T1);
            mv.visitMethodInsn(INVOKESTATIC, SHIFTS, "shift", "(L" + CPU_STATE + ";IIII)I", false);
            mv.visitVarInsn(ISTORE, dst);
            c.reloadFlags();
        }
        mv.visitLabel(skip);
        flags.known = K_UNKNOWN;
    }

    /**
     * SHL/SAL, SHR, SAR of a 32-bit register by a constant count 1..31, flags as Shifts: CF the
     * last bit out, AF set, OF by the count-1 formula (SAR: 0).
     */
    private void shiftImm(Node n, int count) {
        int dst = R0 + n.d.dstReg;
        int kind = n.aux == 6 ? 4 : n.aux;
        mv.visitVarInsn(ILOAD, dst);
        mv.visitVarInsn(ISTORE, T0);
        mv.visitVarInsn(ILOAD, T0);
        c.push(count);
        shift(kind);
        mv.visitVarInsn(ISTORE, dst);
        c.push(count);
        mv.visitVarInsn(ISTORE, T1);
        flags.shiftFlags(n, kind, dst, 4);
    }

    /** SHL, SHR or SAR of a 16-bit register by an immediate (1 to 31), the upper half kept. */
    private void shift16Imm(Node n, int count) {
        int dst = R0 + n.d.dstReg;
        int kind = n.aux;
        mv.visitVarInsn(ILOAD, dst);
        mv.visitVarInsn(ISTORE, T0);
        mv.visitVarInsn(ILOAD, T0);
        if (kind == 5) {
            c.push(0xFFFF);
            mv.visitInsn(IAND);
        } else if (kind == 7) {
            mv.visitInsn(I2S);
        }
        c.push(count);
        shift(kind);
        c.push(0xFFFF);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, T2);
        mv.visitVarInsn(ILOAD, T0);
        c.push(0xFFFF0000);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ILOAD, T2);
        mv.visitInsn(IOR);
        mv.visitVarInsn(ISTORE, dst);
        if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
            flags.known = K_DEAD;
            return;
        }
        // The lazy result is the word sign-extended, as LazyFlags.setResult records it.
        mv.visitVarInsn(ILOAD, T2);
        mv.visitInsn(I2S);
        mv.visitVarInsn(ISTORE, T2);
        c.push(count);
        mv.visitVarInsn(ISTORE, T1);
        flags.shiftFlags(n, kind, T2, 2);
    }

    /** SHLD or SHRD of 32-bit registers whose flags nobody reads: the value alone (a count of 0 mod 32 keeps it). */
    private void doubleShiftValue(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        Label done = new Label();
        if (d.third == org.kasou.isa.DecodedInsn.LOC_IMM) {
            c.push(d.imm & 0x1F); // not 0 (see Kinds)
            mv.visitVarInsn(ISTORE, T1);
        } else {
            clCount(done);
        }
        doubleShifted(n.aux == 0, R0 + d.dstReg, R0 + d.srcReg);
        mv.visitVarInsn(ISTORE, R0 + d.dstReg);
        mv.visitLabel(done);
        flags.known = K_DEAD;
    }

    /**
     * Group-2 operation {@code kind} of register {@code reg}'s low {@code size} bytes by {@code count},
     * through the interpreter's Shifts, which records the flags in the state: the flag locals go
     * there before and come back after. Leaves the result (size bytes, zero-extended) on the stack.
     */
    private void shiftThroughInterpreter(int kind, int size, int reg, int count) {
        c.flushFlags();
        mv.visitVarInsn(ALOAD, STATE_LOCAL);
        c.push(kind);
        c.push(size);
        mv.visitVarInsn(ILOAD, R0 + reg);
        c.push(count);
        mv.visitMethodInsn(INVOKESTATIC, SHIFTS, "shift", "(L" + CPU_STATE + ";IIII)I", false);
        c.reloadFlags();
        flags.known = K_UNKNOWN;
    }

    /** The JVM's shift for shift kind 4 (SHL), 5 (SHR) or 7 (SAR) of the int on the stack by the count on top of it. */
    private void shift(int kind) {
        mv.visitInsn(kind == 4 ? ISHL : kind == 5 ? IUSHR : ISHR);
    }

    /**
     * Pushes SHLD's (left) or SHRD's result of local dst filled from local src by the count in T1,
     * 1 to 31: dst << c | src >>> (32 - c), or dst >>> c | src << (32 - c) (the JVM takes 32 - c mod 32).
     */
    private void doubleShifted(boolean left, int dst, int src) {
        mv.visitVarInsn(ILOAD, dst);
        mv.visitVarInsn(ILOAD, T1);
        mv.visitInsn(left ? ISHL : IUSHR);
        mv.visitVarInsn(ILOAD, src);
        c.push(32);
        mv.visitVarInsn(ILOAD, T1);
        mv.visitInsn(ISUB);
        mv.visitInsn(left ? IUSHR : ISHL);
        mv.visitInsn(IOR);
    }

    /**
     * A memory shift by CL (the dword's address in T3): T1 = CL mod 32; for a count of 0 the dword
     * is only checked for writing, as the interpreter does, and the code goes on at {@code done}.
     */
    private void countOrProbe(org.kasou.isa.DecodedInsn d, Label done) {
        Label shift = new Label();
        clCount(shift, true);
        mv.visitVarInsn(ALOAD, M);
        c.push(d.eaSeg);
        mv.visitVarInsn(ILOAD, T3);
        c.push(4);
        mv.visitMethodInsn(INVOKEVIRTUAL, MEMORY, "probeWrite", "(III)V", false);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(shift);
    }

    /** T1 = CL mod 32, the count of a shift by CL; jumps to {@code zero} when it is 0 (the instruction then changes nothing). */
    private void clCount(Label zero) {
        clCount(zero, false);
    }

    /** T1 = CL mod 32; jumps to {@code target} when it is 0, or when it is not if {@code ifNonZero}. */
    private void clCount(Label target, boolean ifNonZero) {
        mv.visitVarInsn(ILOAD, R0 + CpuState.ECX);
        c.push(0x1F);
        mv.visitInsn(IAND);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ISTORE, T1);
        mv.visitJumpInsn(ifNonZero ? IFNE : IFEQ, target);
    }

    /** Rotates the int on the stack by the count on top of it: ROL (kind 0) or ROR (1), mod 32 as Java does. */
    private void rotate(int kind) {
        mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", kind == 0 ? "rotateLeft" : "rotateRight", "(II)I", false);
    }
}
