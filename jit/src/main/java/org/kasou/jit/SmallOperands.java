package org.kasou.jit;

import static org.kasou.jit.FlagLocals.K_ADD;
import static org.kasou.jit.FlagLocals.K_SBB;
import static org.kasou.jit.FlagLocals.K_SUB;
import static org.kasou.jit.UnitCompiler.R0;
import static org.kasou.jit.UnitCompiler.T0;
import static org.kasou.jit.UnitCompiler.T1;
import static org.kasou.jit.UnitCompiler.T2;
import static org.objectweb.asm.Opcodes.*;

import org.kasou.cpu.LazyFlags;
import org.objectweb.asm.MethodVisitor;

/**
 * The bytecode of byte and word (8- and 16-bit) operands and of the operations on them: the byte
 * registers AL..BL and AH..BH and the registers' low words, read zero-extended from the locals
 * that hold the guest's 32-bit registers and written back into them with their other bytes kept;
 * the group-1 ALU operations and TEST of such registers and of bytes and words in memory; NEG,
 * NOT, INC and DEC of such registers.
 *
 * <p>An operation computes on the zero-extended values (in T0 and T1) and records its flags as the
 * interpreter's Alu does for its size: as 32-bit flags of the values sign-extended from it
 * ({@link FlagLocals#sizedFlags}, {@link FlagLocals#recordSmall}), whose sign bits are those of
 * the byte or word operation.
 */
final class SmallOperands {
    /** The unit's compiler, for its helpers and its memory accesses. */
    private final UnitCompiler c;
    /** The flag locals, where the operations record their flags. */
    private final FlagLocals flags;
    /** The generated method (the compiler's own visitor, set when it starts the method). */
    MethodVisitor mv;

    SmallOperands(UnitCompiler compiler, FlagLocals flags) {
        this.c = compiler;
        this.flags = flags;
    }

    // ---------------------------------------------------------------------------------------
    // Registers

    /** The byte register r (AL..BL, AH..BH), zero-extended, on the stack. */
    void loadReg8(int r) {
        mv.visitVarInsn(ILOAD, R0 + (r & 3));
        if (r >= 4) {
            c.push(8);
            mv.visitInsn(IUSHR);
        }
        c.push(0xFF);
        mv.visitInsn(IAND);
    }

    /** Stores the low byte of the int on the stack into byte register {@code r} (AL..BL, AH..BH), keeping its other bytes. */
    void storeReg8(int r) {
        c.push(0xFF);
        mv.visitInsn(IAND);
        if (r >= 4) {
            c.push(8);
            mv.visitInsn(ISHL);
        }
        mv.visitVarInsn(ILOAD, R0 + (r & 3));
        c.push(r < 4 ? ~0xFF : ~0xFF00);
        mv.visitInsn(IAND);
        mv.visitInsn(IOR);
        mv.visitVarInsn(ISTORE, R0 + (r & 3));
    }

    /** Sign-extends the low byte of the int on the stack. */
    void sx8() {
        mv.visitInsn(I2B);
    }

    /** Pushes the {@code size}-byte (1 or 2) register r, zero-extended (AL..BL, AH..BH for bytes). */
    private void loadSmall(int size, int r) {
        if (size == 1) {
            loadReg8(r);
            return;
        }
        mv.visitVarInsn(ILOAD, R0 + r);
        c.push(0xFFFF);
        mv.visitInsn(IAND);
    }

    /** Stores the low {@code size} (1 or 2) bytes of the int on the stack into register r, keeping its other bytes. */
    void storeSmall(int size, int r) {
        if (size == 1) {
            storeReg8(r);
            return;
        }
        c.push(0xFFFF);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ILOAD, R0 + r);
        c.push(0xFFFF0000);
        mv.visitInsn(IAND);
        mv.visitInsn(IOR);
        mv.visitVarInsn(ISTORE, R0 + r);
    }

    /** Byte register r = the low byte of operation aux on T0 and T1, the rest of its register kept. */
    private void writeReg8(int r, int aux) {
        mv.visitVarInsn(ILOAD, R0 + (r & 3));
        c.push(r < 4 ? ~0xFF : ~0xFF00);
        mv.visitInsn(IAND);
        c.operation(aux);
        c.push(0xFF);
        mv.visitInsn(IAND);
        if (r >= 4) {
            c.push(8);
            mv.visitInsn(ISHL);
        }
        mv.visitInsn(IOR);
        mv.visitVarInsn(ISTORE, R0 + (r & 3));
    }

    // ---------------------------------------------------------------------------------------
    // Operations

    /** Group-1 op or TEST on a byte register with a byte register or imm8, as Alu with size 1. */
    void byteAlu(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        int aux = n.aux;
        loadReg8(d.dstReg);
        mv.visitVarInsn(ISTORE, T0);
        if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) loadReg8(d.srcReg);
        else c.push(d.imm & 0xFF);
        mv.visitVarInsn(ISTORE, T1);
        if (aux == 2 || aux == 3) {
            smallAdcSbb(n, 1);
            return;
        }
        if (aux != 7 && aux != Kinds.TEST) writeReg8(d.dstReg, aux);
        flags.byteFlags(n);
    }

    /** Group-1 op or TEST of a byte in memory and a byte register or immediate (T2 holds the address). */
    void byteAluMemory(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        int aux = n.aux;
        c.ea(d);
        mv.visitVarInsn(ISTORE, T2);
        mv.visitVarInsn(ILOAD, T2);
        c.read8(d.eaSeg);
        if (d.dst == org.kasou.isa.DecodedInsn.LOC_MEM) {
            mv.visitVarInsn(ISTORE, T0);
            if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) loadReg8(d.srcReg);
            else c.push(d.imm & 0xFF);
            mv.visitVarInsn(ISTORE, T1);
            if (aux != 7 && aux != Kinds.TEST) {
                mv.visitVarInsn(ILOAD, T2);
                c.operation(aux);
                c.write8(d.eaSeg);
            }
        } else {
            mv.visitVarInsn(ISTORE, T1);
            loadReg8(d.dstReg);
            mv.visitVarInsn(ISTORE, T0);
            if (aux != 7 && aux != Kinds.TEST) writeReg8(d.dstReg, aux);
        }
        flags.byteFlags(n);
    }

    /** CMP of a byte in memory with an imm8 ({@link Kinds#CMP_MI8}). */
    void compareByteImm(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        c.ea(d);
        c.read8(d.eaSeg);
        mv.visitVarInsn(ISTORE, T0);
        flags.recordCompareByte(n, d.imm);
    }

    /**
     * Group-1 op or TEST on 16 bits (ADC and SBB in the register form): T0 the destination, T1
     * the source (T2 the address of a memory operand); a register destination keeps its upper half.
     */
    void wordAlu(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        int aux = n.aux;
        boolean memoryDestination = d.dst == org.kasou.isa.DecodedInsn.LOC_MEM;
        if (aux == 2 || aux == 3) {
            loadSmall(2, d.dstReg);
            mv.visitVarInsn(ISTORE, T0);
            if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) {
                loadSmall(2, d.srcReg);
            } else {
                c.push(d.imm & 0xFFFF);
            }
            mv.visitVarInsn(ISTORE, T1);
            smallAdcSbb(n, 2);
            return;
        }
        if (d.isMem()) {
            c.ea(d);
            mv.visitVarInsn(ISTORE, T2);
            mv.visitVarInsn(ILOAD, T2);
            c.read16(d.eaSeg);
            mv.visitVarInsn(ISTORE, memoryDestination ? T0 : T1);
        }
        if (!memoryDestination) {
            mv.visitVarInsn(ILOAD, R0 + d.dstReg);
            c.push(0xFFFF);
            mv.visitInsn(IAND);
            mv.visitVarInsn(ISTORE, T0);
        }
        if (d.src != org.kasou.isa.DecodedInsn.LOC_MEM) {
            if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) mv.visitVarInsn(ILOAD, R0 + d.srcReg);
            else c.push(d.imm);
            c.push(0xFFFF);
            mv.visitInsn(IAND);
            mv.visitVarInsn(ISTORE, T1);
        }
        if (aux != 7 && aux != Kinds.TEST) {
            if (memoryDestination) {
                mv.visitVarInsn(ILOAD, T2);
            } else {
                mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                c.push(0xFFFF0000);
                mv.visitInsn(IAND);
            }
            c.operation(aux);
            c.push(0xFFFF);
            mv.visitInsn(IAND);
            if (memoryDestination) {
                c.write16(d.eaSeg);
            } else {
                mv.visitInsn(IOR);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
            }
        }
        flags.sizedFlags(n, 2);
    }

    /**
     * ADC (aux 2) or SBB (aux 3) of the {@code size}-byte values in T0 and T1 with the carry of the
     * flag locals into the destination register (its other bytes kept), the flags recorded as
     * 32-bit flags of the sign-extended values, whose sign bits are those of the small operation.
     */
    private void smallAdcSbb(Node n, int size) {
        boolean adc = n.aux == 2;
        c.withCarry(adc, T2);
        mv.visitVarInsn(ILOAD, T2);
        storeSmall(size, n.d.dstReg);
        flags.recordSmall(n, size, adc ? LazyFlags.OP_ADD : LazyFlags.OP_SBB, adc ? K_ADD : K_SBB);
    }

    /** NEG, NOT, INC or DEC of an 8- or 16-bit register ({@link Kinds#UNARY_SMALL}), the register's other bytes kept. */
    void unarySmall(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        int size = d.dstSize, r = d.dstReg;
        loadSmall(size, r);
        switch (n.aux) {
            case Kinds.NOT:
                mv.visitInsn(ICONST_M1);
                mv.visitInsn(IXOR);
                storeSmall(size, r);
                return; // no flag changes
            case Kinds.NEG: // SUB from 0 (LazyFlags.OP_SUB with dst 0), as for 32 bits
                mv.visitVarInsn(ISTORE, T1);
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, T0);
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ILOAD, T1);
                mv.visitInsn(ISUB);
                mv.visitVarInsn(ISTORE, T2);
                mv.visitVarInsn(ILOAD, T2);
                storeSmall(size, r);
                flags.recordSmall(n, size, LazyFlags.OP_SUB, K_SUB);
                return;
            default: { // INC, DEC: flags of the sign-extended values, CF kept
                boolean inc = n.aux == Kinds.INCREMENT;
                int extend = size == 1 ? I2B : I2S;
                mv.visitInsn(extend);
                mv.visitVarInsn(ISTORE, T0);
                mv.visitVarInsn(ILOAD, T0);
                mv.visitInsn(ICONST_1);
                mv.visitInsn(inc ? IADD : ISUB);
                mv.visitInsn(extend);
                mv.visitVarInsn(ISTORE, T1);
                mv.visitVarInsn(ILOAD, T1);
                storeSmall(size, r);
                flags.recordIncDec(n, inc, T1);
            }
        }
    }
}
