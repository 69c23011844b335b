package org.kasou.jit;

import static org.objectweb.asm.Opcodes.*;

import java.util.List;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.FpuState;
import org.kasou.fpu.FpuResult;
import org.kasou.fpu.FpuStatus;
import org.kasou.isa.DecodedInsn;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * The x87 register stack of a unit in JVM locals: each register as a sign/exponent int and a
 * significand long, with the empty registers, TOP, the status and control words beside them.
 *
 * <p>Within a unit TOP moves by a known amount at each instruction, so ST(i) is a fixed local
 * there: slot k holds physical register (top0 + k) & 7, top0 being TOP at the unit's entry minus
 * the entry's own offset, and ST(i) at an instruction reached with TOP = top0 + delta is slot
 * (delta + i) & 7. The region qualifies when every path gives each instruction the same delta
 * ({@link #of}). Instructions without a compiled form ({@link X87Frame#fastForm}), and everything
 * run through the interpreter's code, see the stack in the state: it is written back before and
 * read again after, and the unit leaves when TOP did not move as expected or an exception was
 * unmasked. An empty operand or a full stack sends the instruction to the interpreter.
 */
final class X87Locals {
    private static final String FRAME = Type.getInternalName(X87Frame.class);
    private static final String STATE = Type.getInternalName(CpuState.class);
    private static final String FPU = Type.getInternalName(FpuState.class);
    private static final String RESULT_TYPE = Type.getInternalName(FpuResult.class);
    private static final String FPU_DESC = "L" + FPU + ";", RESULT_DESC = "L" + RESULT_TYPE + ";", STATE_DESC = "L" + STATE + ";";

    // Locals, after the unit's own (UnitCompiler.FIRST_FREE_LOCAL).
    static final int TOP0 = UnitCompiler.FIRST_FREE_LOCAL, TOP = TOP0 + 1, EMPTY = TOP0 + 2, STATUS = TOP0 + 3,
            CONTROL = TOP0 + 4, RESULT = TOP0 + 5, TMP = TOP0 + 6, TMP2 = TOP0 + 7, TMP_LONG = TOP0 + 8,
            LAST = TOP0 + 10, LAST_MEMORY = TOP0 + 11, LAST_ADDRESS = TOP0 + 12, SE = TOP0 + 13, SIG = SE + 8;

    private final int[] delta;
    private final boolean[] barrier;
    private final int touched;
    private final String entryDeltas, pointerTable;
    private MethodVisitor mv;
    private UnitCompiler c;

    private X87Locals(X87StackLayout layout) {
        this.delta = layout.delta;
        this.barrier = layout.barrier;
        this.touched = layout.touched;
        this.entryDeltas = layout.entryDeltas;
        this.pointerTable = layout.pointerTable;
    }

    /** The x87 stack of a region in locals, or null when its x87 instructions cannot run that way ({@link X87StackLayout#of}). */
    static X87Locals of(List<Node> nodes, List<Node> entries) {
        X87StackLayout layout = X87StackLayout.of(nodes, entries);
        return layout == null ? null : new X87Locals(layout);
    }

    /** Whether node n runs in locals. */
    static boolean compiles(Node n) {
        return X87Forms.fastForm(n.d) != 0;
    }

    private static int slot(int x) {
        return x & 7;
    }


    // ---------------------------------------------------------------------------------------
    // Code

    void start(UnitCompiler compiler, MethodVisitor visitor, UniformFrames frames) {
        this.c = compiler;
        this.mv = visitor;
        frames.declare(RESULT, RESULT_TYPE);
    }

    /** In the prologue: every local typed, the state read. */
    void prologue() {
        fpu();
        mv.visitFieldInsn(GETFIELD, FPU, "result", RESULT_DESC);
        mv.visitVarInsn(ASTORE, RESULT);
        fpu();
        if (entryDeltas.chars().allMatch(ch -> ch == 64)) {
            mv.visitFieldInsn(GETFIELD, FPU, "top", "I"); // every entry at offset 0
        } else {
            mv.visitLdcInsn(entryDeltas);
            mv.visitVarInsn(ILOAD, UnitCompiler.ENTRY_LOCAL);
            mv.visitMethodInsn(INVOKESTATIC, FRAME, "top0", "(" + FPU_DESC + "Ljava/lang/String;I)I", false);
        }
        mv.visitVarInsn(ISTORE, TOP0);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, TMP);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, TMP2);
        mv.visitInsn(LCONST_0);
        mv.visitVarInsn(LSTORE, TMP_LONG);
        noPointers();
        load();
    }

    /** The pointers in the state are the latest: no compiled x87 instruction ran since they were written. */
    private void noPointers() {
        mv.visitInsn(ICONST_M1);
        mv.visitVarInsn(ISTORE, LAST);
        mv.visitInsn(ICONST_M1);
        mv.visitVarInsn(ISTORE, LAST_MEMORY);
        mv.visitInsn(ICONST_0);
        mv.visitVarInsn(ISTORE, LAST_ADDRESS);
    }

    /** After the prologue: a unit entered while an exception is unmasked (or EM/TS set) runs nothing. */
    void entryCheck() {
        Label go = new Label();
        mv.visitVarInsn(ALOAD, UnitCompiler.STATE_LOCAL);
        mv.visitMethodInsn(INVOKESTATIC, FRAME, "usable", "(" + STATE_DESC + ")Z", false);
        mv.visitJumpInsn(IFNE, go);
        mv.visitVarInsn(ILOAD, UnitCompiler.LEFT_LOCAL);
        mv.visitInsn(IRETURN);
        mv.visitLabel(go);
    }

    private void fpu() {
        mv.visitVarInsn(ALOAD, UnitCompiler.STATE_LOCAL);
        mv.visitFieldInsn(GETFIELD, STATE, "fpu", FPU_DESC);
    }

    /** Reads the stack, TOP, status and control words from the state. */
    void load() {
        fpu();
        mv.visitVarInsn(ILOAD, TOP0);
        mv.visitMethodInsn(INVOKESTATIC, FRAME, "emptySlots", "(" + FPU_DESC + "I)I", false);
        mv.visitVarInsn(ISTORE, EMPTY);
        for (String[] f : new String[][] {{"top", "" + TOP}, {"status", "" + STATUS}, {"control", "" + CONTROL}}) {
            fpu();
            mv.visitFieldInsn(GETFIELD, FPU, f[0], "I");
            mv.visitVarInsn(ISTORE, Integer.parseInt(f[1]));
        }
        for (int k = 0; k < 8; k++) {
            if ((touched & (1 << k)) == 0) continue;
            registerArray("se", "[I", k);
            mv.visitInsn(IALOAD);
            mv.visitVarInsn(ISTORE, SE + k);
            registerArray("sig", "[J", k);
            mv.visitInsn(LALOAD);
            mv.visitVarInsn(LSTORE, SIG + 2 * k);
        }
    }

    /** Pushes f.se or f.sig and the index of slot k's physical register. */
    private void registerArray(String name, String desc, int k) {
        fpu();
        mv.visitFieldInsn(GETFIELD, FPU, name, desc);
        mv.visitVarInsn(ILOAD, TOP0);
        c.push(k);
        mv.visitInsn(IADD);
        c.push(7);
        mv.visitInsn(IAND);
    }

    /** Writes the stack, tags, TOP and status word to the state. */
    void spill() {
        for (int k = 0; k < 8; k++) {
            if ((touched & (1 << k)) == 0) continue;
            registerArray("se", "[I", k);
            mv.visitVarInsn(ILOAD, SE + k);
            mv.visitInsn(IASTORE);
            registerArray("sig", "[J", k);
            mv.visitVarInsn(LLOAD, SIG + 2 * k);
            mv.visitInsn(LASTORE);
        }
        fpu();
        mv.visitVarInsn(ILOAD, TOP0);
        c.push(touched);
        mv.visitVarInsn(ILOAD, EMPTY);
        mv.visitVarInsn(ILOAD, TOP);
        mv.visitVarInsn(ILOAD, STATUS);
        mv.visitVarInsn(ILOAD, CONTROL);
        mv.visitMethodInsn(INVOKESTATIC, FRAME, "finish", "(" + FPU_DESC + "IIIIII)V", false);
        mv.visitVarInsn(ALOAD, UnitCompiler.STATE_LOCAL);
        mv.visitLdcInsn(pointerTable);
        mv.visitVarInsn(ILOAD, LAST);
        mv.visitVarInsn(ILOAD, LAST_MEMORY);
        mv.visitVarInsn(ILOAD, LAST_ADDRESS);
        mv.visitMethodInsn(INVOKESTATIC, FRAME, "pointers", "(" + STATE_DESC + "Ljava/lang/String;III)V", false);
    }

    /**
     * After the interpreter's code ran node n: the stack read again, and on the stack whether the
     * unit must leave (TOP not where n leaves it as usual, or an exception unmasked); {@code after}: n ran,
     * else only the hooks were told of it.
     */
    void reloadAndCheck(Node n, boolean after) {
        noPointers();
        load();
        if (after && barrier[n.order]) {
            mv.visitInsn(ICONST_1);
            return;
        }
        mv.visitVarInsn(ALOAD, UnitCompiler.STATE_LOCAL);
        mv.visitVarInsn(ILOAD, TOP0);
        int effect = after ? X87Forms.stackEffect(n.d) : 0;
        c.push(delta[n.order] + effect);
        mv.visitInsn(IADD);
        mv.visitMethodInsn(INVOKESTATIC, FRAME, "resumes", "(" + STATE_DESC + "I)Z", false);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IXOR);
    }

    /** An instruction with a compiled form. */
    void emit(Node n) {
        DecodedInsn d = n.d;
        int form = X87Forms.fastForm(d);
        int at = delta[n.order], i = d.rm;
        int s0 = slot(at), s7 = slot(at + 7), si = slot(at + i);
        switch (form) {
            case X87Forms.ARITH_ST0: case X87Forms.ARITH_STI: case X87Forms.ARITH_STI_POP: {
                int dst = form == X87Forms.ARITH_ST0 ? s0 : si, other = form == X87Forms.ARITH_ST0 ? si : s0;
                int op = form == X87Forms.ARITH_ST0 || d.reg < 4 ? d.reg : d.reg ^ 1;
                requireFull(n, 1 << dst | 1 << other);
                control();
                value(dst);
                value(other);
                call(X87Forms.OPERATIONS[op], "IJIJ");
                result(dst);
                if (form == X87Forms.ARITH_STI_POP) pop(s0);
                instruction(n);
                break;
            }
            case X87Forms.LOAD_ST:
                requireFreeAndFull(n, s7, si);
                copy(si, s7);
                clear(s7);
                mv.visitIincInsn(TOP, -1);
                clearC1();
                instruction(n);
                break;
            case X87Forms.EXCHANGE:
                requireFull(n, 1 << s0 | 1 << si);
                mv.visitVarInsn(ILOAD, SE + s0);
                mv.visitVarInsn(ISTORE, TMP2);
                mv.visitVarInsn(LLOAD, SIG + 2 * s0);
                mv.visitVarInsn(LSTORE, TMP_LONG);
                copy(si, s0);
                mv.visitVarInsn(ILOAD, TMP2);
                mv.visitVarInsn(ISTORE, SE + si);
                mv.visitVarInsn(LLOAD, TMP_LONG);
                mv.visitVarInsn(LSTORE, SIG + 2 * si);
                clearC1();
                instruction(n);
                break;
            case X87Forms.CONDITIONAL_MOVE: {
                // as X87Transfer.conditionalMove: both registers full (else the interpreter's underflow), no status change
                requireFull(n, 1 << s0 | 1 << si);
                Label keep = new Label();
                c.condition(org.kasou.cpu.exec.X87Exec.moveCondition(d) ^ 1, keep);
                copy(si, s0);
                mv.visitLabel(keep);
                instruction(n);
                break;
            }
            case X87Forms.STORE_ST: case X87Forms.STORE_ST_POP:
                requireFull(n, 1 << s0);
                copy(s0, si);
                clear(si);
                clearC1();
                if (form == X87Forms.STORE_ST_POP) pop(s0);
                instruction(n);
                break;
            case X87Forms.UNARY:
                requireFull(n, 1 << s0);
                control();
                c.push(d.modrm);
                value(s0);
                call("unary", "IIJ");
                result(s0);
                instruction(n);
                break;
            case X87Forms.CONSTANT:
                requireFree(n, s7);
                control();
                c.push(d.modrm - 0xE8);
                call("constant", "I");
                pushResult(s7);
                instruction(n);
                break;
            case X87Forms.LOAD_M32: case X87Forms.LOAD_I32: case X87Forms.LOAD_M64: case X87Forms.LOAD_I16: case X87Forms.LOAD_I64: {
                requireFree(n, s7);
                boolean wide = form == X87Forms.LOAD_M64 || form == X87Forms.LOAD_I64;
                if (form == X87Forms.LOAD_I16) {
                    address(d);
                    mv.visitVarInsn(ILOAD, TMP);
                    c.read16(d.eaSeg);
                    mv.visitVarInsn(ISTORE, TMP2);
                } else {
                    readOperand(d, wide);
                }
                control();
                mv.visitVarInsn(wide ? LLOAD : ILOAD, wide ? TMP_LONG : TMP2);
                String helper = switch (form) {
                    case X87Forms.LOAD_M32 -> "loadFloat32";
                    case X87Forms.LOAD_M64 -> "loadFloat64";
                    case X87Forms.LOAD_I16 -> "loadInt16";
                    case X87Forms.LOAD_I64 -> "loadInt64";
                    default -> "loadInt32";
                };
                call(helper, wide ? "J" : "I");
                pushResult(s7);
                operand(n);
                break;
            }
            case X87Forms.STORE_I16: case X87Forms.STORE_I16_POP: case X87Forms.STORE_I32: case X87Forms.STORE_I32_POP:
            case X87Forms.STORE_I64_POP: {
                requireFull(n, 1 << s0);
                address(d);
                int bits = form == X87Forms.STORE_I64_POP ? 64 : form == X87Forms.STORE_I32 || form == X87Forms.STORE_I32_POP ? 32 : 16;
                control();
                value(s0);
                c.push(bits);
                mv.visitMethodInsn(INVOKESTATIC, FRAME, "storeInteger", "(" + RESULT_DESC + "IIIJI)I", false);
                storeResult(d, bits);
                if (X87Forms.fastEffect(form, d) == 1) pop(s0);
                operand(n);
                break;
            }
            case X87Forms.LOAD_CONTROL: {
                // FLDCW records no pointers; a control word that unmasks an exception ends the unit after it
                address(d);
                mv.visitVarInsn(ILOAD, TMP);
                c.read16(d.eaSeg);
                mv.visitMethodInsn(INVOKESTATIC, FPU, "controlWord", "(I)I", false);
                mv.visitVarInsn(ISTORE, CONTROL);
                Label fine = new Label();
                mv.visitVarInsn(ILOAD, CONTROL);
                c.push(FpuStatus.EXCEPTIONS);
                mv.visitInsn(IAND);
                c.push(FpuStatus.EXCEPTIONS);
                mv.visitJumpInsn(IF_ICMPEQ, fine);
                c.consume(n.segPos + 1);
                c.exitTo(d.next);
                mv.visitLabel(fine);
                break;
            }
            case X87Forms.STORE_CONTROL:
                address(d);
                mv.visitVarInsn(ILOAD, TMP);
                mv.visitVarInsn(ILOAD, CONTROL);
                c.write16(d.eaSeg);
                break;
            case X87Forms.STORE_M32: case X87Forms.STORE_M32_POP: case X87Forms.STORE_M64: case X87Forms.STORE_M64_POP: {
                requireFull(n, 1 << s0);
                address(d);
                boolean wide = form == X87Forms.STORE_M64 || form == X87Forms.STORE_M64_POP;
                control();
                value(s0);
                mv.visitMethodInsn(INVOKESTATIC, FRAME, wide ? "storeFloat64" : "storeFloat32", "(" + RESULT_DESC + "IIIJ)I", false);
                storeResult(d, wide ? 64 : 32);
                if (X87Forms.fastEffect(form, d) == 1) pop(s0);
                operand(n);
                break;
            }
            case X87Forms.ARITH_M32: case X87Forms.ARITH_M64: {
                requireFull(n, 1 << s0);
                boolean wide = form == X87Forms.ARITH_M64;
                readOperand(d, wide);
                control();
                value(s0);
                mv.visitVarInsn(wide ? LLOAD : ILOAD, wide ? TMP_LONG : TMP2);
                call(X87Forms.OPERATIONS[d.reg] + (wide ? "Float64" : "Float32"), wide ? "IJJ" : "IJI");
                result(s0);
                operand(n);
                break;
            }
            case X87Forms.COMPARE: case X87Forms.COMPARE_EFLAGS: case X87Forms.COMPARE_EFLAGS_POP: {
                int other = slot(at + X87StackLayout.comparedWith(d));
                requireFull(n, 1 << s0 | 1 << other);
                boolean flags = form != X87Forms.COMPARE;
                control();
                c.push(X87Forms.quietCompare(d) ? 1 : 0);
                value(s0);
                value(other);
                mv.visitMethodInsn(INVOKESTATIC, FRAME, flags ? "compareToFlags" : "compare", "(" + RESULT_DESC + "IIZIJIJ)I", false);
                mv.visitVarInsn(ISTORE, STATUS);
                if (flags) {
                    mv.visitVarInsn(ALOAD, RESULT);
                    mv.visitMethodInsn(INVOKESTATIC, FRAME, "comparisonFlags", "(" + RESULT_DESC + ")I", false);
                    c.setKnownFlags();
                }
                for (int p = 0; p < X87Forms.comparePops(d); p++) pop(slot(at + p));
                instruction(n);
                break;
            }
            case X87Forms.COMPARE_M32: case X87Forms.COMPARE_M64: {
                requireFull(n, 1 << s0);
                boolean wide = form == X87Forms.COMPARE_M64;
                readOperand(d, wide);
                control();
                c.push(0);
                value(s0);
                memoryValue(wide);
                mv.visitMethodInsn(INVOKESTATIC, FRAME, "compare", "(" + RESULT_DESC + "IIZIJIJ)I", false);
                mv.visitVarInsn(ISTORE, STATUS);
                if (X87Forms.comparePops(d) == 1) pop(s0);
                operand(n);
                break;
            }
            case X87Forms.STATUS_AX: {
                int eax = c.registerLocal(CpuState.EAX);
                mv.visitVarInsn(ILOAD, eax);
                c.push(0xFFFF0000);
                mv.visitInsn(IAND);
                mv.visitVarInsn(ILOAD, STATUS);
                mv.visitVarInsn(ILOAD, TOP);
                mv.visitVarInsn(ILOAD, CONTROL);
                mv.visitMethodInsn(INVOKESTATIC, FPU, "statusWord", "(III)I", false);
                mv.visitInsn(IOR);
                mv.visitVarInsn(ISTORE, eax);
                break;
            }
            default:
                throw new IllegalStateException("x87 form " + form);
        }
    }

    /**
     * After a store helper, with the new status on the stack: writes the image it left in
     * r.memory ({@code bits} wide) to the address in TMP, then takes the status (it waits for the
     * write, which may fault).
     */
    private void storeResult(DecodedInsn d, int bits) {
        mv.visitVarInsn(ISTORE, TMP2);
        mv.visitVarInsn(ILOAD, TMP);
        mv.visitVarInsn(ALOAD, RESULT);
        mv.visitFieldInsn(GETFIELD, RESULT_TYPE, "memory", "J");
        if (bits == 64) {
            write64(d.eaSeg);
        } else {
            mv.visitInsn(L2I);
            if (bits == 32) c.write32(d.eaSeg);
            else c.write16(d.eaSeg);
        }
        mv.visitVarInsn(ILOAD, TMP2);
        mv.visitVarInsn(ISTORE, STATUS);
    }

    /** Leaves the unit before n (for the interpreter) unless every slot of {@code mask} is full. */
    private void requireFull(Node n, int mask) {
        Label ok = new Label();
        mv.visitVarInsn(ILOAD, EMPTY);
        c.push(mask);
        mv.visitInsn(IAND);
        mv.visitJumpInsn(IFEQ, ok);
        c.leaveBefore(n);
        mv.visitLabel(ok);
    }

    /** Leaves the unit before n unless slot s (the new ST(0) of a push) is empty. */
    private void requireFree(Node n, int s) {
        Label ok = new Label();
        mv.visitVarInsn(ILOAD, EMPTY);
        c.push(1 << s);
        mv.visitInsn(IAND);
        mv.visitJumpInsn(IFNE, ok);
        c.leaveBefore(n);
        mv.visitLabel(ok);
    }

    /** Leaves the unit before n unless slot free is empty and slot full is not. */
    private void requireFreeAndFull(Node n, int free, int full) {
        Label ok = new Label();
        mv.visitVarInsn(ILOAD, EMPTY);
        c.push(1 << free | 1 << full);
        mv.visitInsn(IAND);
        c.push(1 << free);
        mv.visitJumpInsn(IF_ICMPEQ, ok);
        c.leaveBefore(n);
        mv.visitLabel(ok);
    }

    /** A memory form's operand: its address into TMP, then 64 bits into TMP_LONG or 32 into TMP2. */
    private void readOperand(DecodedInsn d, boolean wide) {
        address(d);
        mv.visitVarInsn(ILOAD, TMP);
        if (wide) {
            read64(d.eaSeg);
            mv.visitVarInsn(LSTORE, TMP_LONG);
        } else {
            c.read32(d.eaSeg);
            mv.visitVarInsn(ISTORE, TMP2);
        }
    }

    /** Pushes the memory operand read by {@link #readOperand} as a register value, converted as the interpreter does. */
    private void memoryValue(boolean wide) {
        String conv = Type.getInternalName(org.kasou.fpu.MemoryOperands.class), prefix = wide ? "float64" : "float32";
        String arg = wide ? "(J)" : "(I)";
        for (int half = 0; half < 2; half++) {
            mv.visitVarInsn(wide ? LLOAD : ILOAD, wide ? TMP_LONG : TMP2);
            mv.visitMethodInsn(INVOKESTATIC, conv, prefix + (half == 0 ? "Se" : "Sig"), arg + (half == 0 ? "I" : "J"), false);
        }
    }

    /** The effective address of a memory form, into TMP. */
    private void address(DecodedInsn d) {
        c.ea(d);
        mv.visitVarInsn(ISTORE, TMP);
    }

    /** Pushes the helpers' first arguments: the result object, control and status words. */
    private void control() {
        mv.visitVarInsn(ALOAD, RESULT);
        mv.visitVarInsn(ILOAD, CONTROL);
        mv.visitVarInsn(ILOAD, STATUS);
    }

    private void value(int s) {
        mv.visitVarInsn(ILOAD, SE + s);
        mv.visitVarInsn(LLOAD, SIG + 2 * s);
    }

    /** Calls a helper of X87Frame taking (result, control, status) and {@code rest}; the new status goes to STATUS. */
    private void call(String name, String rest) {
        mv.visitMethodInsn(INVOKESTATIC, FRAME, name, "(" + RESULT_DESC + "II" + rest + ")I", false);
        mv.visitVarInsn(ISTORE, STATUS);
    }

    /** The helper's value into slot s. */
    private void result(int s) {
        mv.visitVarInsn(ALOAD, RESULT);
        mv.visitFieldInsn(GETFIELD, RESULT_TYPE, "se", "I");
        mv.visitVarInsn(ISTORE, SE + s);
        mv.visitVarInsn(ALOAD, RESULT);
        mv.visitFieldInsn(GETFIELD, RESULT_TYPE, "sig", "J");
        mv.visitVarInsn(LSTORE, SIG + 2 * s);
    }

    /** The helper's value pushed: slot s is the new ST(0). */
    private void pushResult(int s) {
        result(s);
        clear(s);
        mv.visitIincInsn(TOP, -1);
    }

    private void copy(int from, int to) {
        mv.visitVarInsn(ILOAD, SE + from);
        mv.visitVarInsn(ISTORE, SE + to);
        mv.visitVarInsn(LLOAD, SIG + 2 * from);
        mv.visitVarInsn(LSTORE, SIG + 2 * to);
    }

    /** Slot s is no longer empty. */
    private void clear(int s) {
        mv.visitVarInsn(ILOAD, EMPTY);
        c.push(~(1 << s));
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, EMPTY);
    }

    /** Pops ST(0), slot s0. */
    private void pop(int s0) {
        mv.visitVarInsn(ILOAD, EMPTY);
        c.push(1 << s0);
        mv.visitInsn(IOR);
        mv.visitVarInsn(ISTORE, EMPTY);
        mv.visitIincInsn(TOP, 1);
    }

    private void clearC1() {
        mv.visitVarInsn(ILOAD, STATUS);
        c.push(~FpuStatus.C1);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, STATUS);
    }

    /** Node n was the last x87 instruction (its pointers are written when the stack is). */
    private void instruction(Node n) {
        c.push(n.order);
        mv.visitVarInsn(ISTORE, LAST);
    }

    /** Node n, a memory form with its address in TMP, was the last x87 instruction. */
    private void operand(Node n) {
        instruction(n);
        c.push(n.order);
        mv.visitVarInsn(ISTORE, LAST_MEMORY);
        mv.visitVarInsn(ILOAD, TMP);
        mv.visitVarInsn(ISTORE, LAST_ADDRESS);
    }

    /** Reads 64 bits at seg:[offset on the stack]; leaves the long. */
    private void read64(int seg) {
        c.access64(seg, false);
    }

    /** Writes the long on the stack to seg:[offset below it]. */
    private void write64(int seg) {
        mv.visitVarInsn(LSTORE, TMP_LONG);
        c.access64(seg, true);
    }
}
