package org.kasou.jit;

import static org.objectweb.asm.Opcodes.*;

import java.util.ArrayDeque;
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
    /** By node index: instructions that move TOP by an amount known only when they run: the unit leaves after them. */
    private final boolean[] barrier;
    /** Slots the unit reads or writes (loaded at entry, written back at exits). */
    private final int touched;
    /** TOP - top0 at each entry, as characters offset by 64 (see X87Frame#top0). */
    private final String entryDeltas;
    /** For X87Frame#pointers, by node index: EIP, opcode and operand segment of the compiled x87 instructions. */
    private final String pointerTable;
    private MethodVisitor mv;
    private UnitCompiler c;

    private X87Locals(int[] delta, boolean[] barrier, int touched, String entryDeltas, List<Node> nodes) {
        this.delta = delta;
        this.barrier = barrier;
        this.touched = touched;
        this.entryDeltas = entryDeltas;
        StringBuilder t = new StringBuilder();
        for (Node n : nodes) {
            DecodedInsn d = n.d;
            t.append((char) (d.eip >>> 16)).append((char) d.eip).append((char) ((d.opcode & 7) << 8 | d.modrm))
                    .append((char) Math.max(0, d.eaSeg));
        }
        this.pointerTable = t.toString();
    }

    /**
     * The stack layout of a region whose x87 instructions can run in locals, or null: none has a
     * compiled form, one moves TOP by an amount known only when it runs, or two paths reach an
     * instruction with different TOPs.
     */
    static X87Locals of(List<Node> nodes, List<Node> entries) {
        boolean any = false;
        for (Node n : nodes) any |= X87Frame.fastForm(n.d) != 0;
        if (!any || entries.isEmpty()) return null;
        int[] delta = new int[nodes.size()];
        boolean[] barrier = new boolean[nodes.size()];
        java.util.Arrays.fill(delta, X87Frame.UNKNOWN);
        ArrayDeque<Node> work = new ArrayDeque<>();
        for (Node e : entries) {
            if (delta[e.order] == X87Frame.UNKNOWN) {
                delta[e.order] = 0;
                work.add(e);
            }
            while (!work.isEmpty()) {
                Node n = work.poll();
                int form = X87Frame.fastForm(n.d);
                int effect = form != 0 ? X87Frame.fastEffect(form, n.d) : X87Frame.stackEffect(n.d);
                if (effect == X87Frame.UNKNOWN) { // FNINIT, FLDENV, FRSTOR...: the unit leaves after it
                    barrier[n.order] = true;
                    continue;
                }
                int out = delta[n.order] + effect;
                if (out < -8 || out > 8) return null;
                for (Node s : successors(n)) {
                    if (s == null || !s.compiled()) continue;
                    if (delta[s.order] == X87Frame.UNKNOWN) {
                        delta[s.order] = out;
                        work.add(s);
                    } else if (delta[s.order] != out) {
                        return null;
                    }
                }
            }
        }
        for (int k = 0; k < delta.length; k++) if (delta[k] == X87Frame.UNKNOWN) delta[k] = 0; // reached from nowhere
        int touched = 0;
        for (Node n : nodes) {
            int form = X87Frame.fastForm(n.d);
            if (form == 0) continue;
            int d = delta[n.order], i = n.d.rm;
            switch (form) {
                case X87Frame.ARITH_ST0: case X87Frame.ARITH_STI: case X87Frame.ARITH_STI_POP: case X87Frame.EXCHANGE:
                case X87Frame.STORE_ST: case X87Frame.STORE_ST_POP:
                    touched |= bit(d) | bit(d + i);
                    break;
                case X87Frame.LOAD_ST:
                    touched |= bit(d + i) | bit(d + 7);
                    break;
                case X87Frame.COMPARE: case X87Frame.COMPARE_EFLAGS: case X87Frame.COMPARE_EFLAGS_POP:
                    touched |= bit(d) | bit(d + comparedWith(n.d)) | (X87Frame.comparePops(n.d) == 2 ? bit(d + 1) : 0);
                    break;
                case X87Frame.STATUS_AX:
                    break;
                case X87Frame.CONSTANT: case X87Frame.LOAD_M32: case X87Frame.LOAD_M64: case X87Frame.LOAD_I32:
                case X87Frame.LOAD_I16: case X87Frame.LOAD_I64:
                    touched |= bit(d + 7);
                    break;
                case X87Frame.LOAD_CONTROL: case X87Frame.STORE_CONTROL:
                    break;
                default: // the memory stores and arithmetic, the unary functions: ST(0)
                    touched |= bit(d);
                    break;
            }
        }
        StringBuilder deltas = new StringBuilder();
        for (Node e : entries) deltas.append((char) (64 + delta[e.order]));
        return new X87Locals(delta, barrier, touched, deltas.toString(), nodes);
    }

    private static List<Node> successors(Node n) {
        switch (n.kind) {
            case Kinds.JCC: return java.util.Arrays.asList(n.fall, n.target);
            case Kinds.JMP: case Kinds.CALL: return java.util.Collections.singletonList(n.target);
            case Kinds.RET: case Kinds.JMP_IND: return n.guesses == null ? List.of() : n.guesses;
            case Kinds.CALL_IND: return List.of();
            default: return java.util.Collections.singletonList(n.fall);
        }
    }

    /** The register a comparison form compares ST(0) with: ST(1) for FCOMPP and FUCOMPP. */
    private static int comparedWith(DecodedInsn d) {
        return X87Frame.comparePops(d) == 2 ? 1 : d.rm;
    }

    private static int slot(int x) {
        return x & 7;
    }

    private static int bit(int x) {
        return 1 << (x & 7);
    }

    /** Whether node n runs in locals. */
    static boolean compiles(Node n) {
        return X87Frame.fastForm(n.d) != 0;
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
        int effect = after ? X87Frame.stackEffect(n.d) : 0;
        c.push(delta[n.order] + effect);
        mv.visitInsn(IADD);
        mv.visitMethodInsn(INVOKESTATIC, FRAME, "resumes", "(" + STATE_DESC + "I)Z", false);
        mv.visitInsn(ICONST_1);
        mv.visitInsn(IXOR);
    }

    /** An instruction with a compiled form. */
    void emit(Node n) {
        DecodedInsn d = n.d;
        int form = X87Frame.fastForm(d);
        int at = delta[n.order], i = d.rm;
        int s0 = slot(at), s7 = slot(at + 7), si = slot(at + i);
        switch (form) {
            case X87Frame.ARITH_ST0: case X87Frame.ARITH_STI: case X87Frame.ARITH_STI_POP: {
                int dst = form == X87Frame.ARITH_ST0 ? s0 : si, other = form == X87Frame.ARITH_ST0 ? si : s0;
                int op = form == X87Frame.ARITH_ST0 || d.reg < 4 ? d.reg : d.reg ^ 1;
                requireFull(n, 1 << dst | 1 << other);
                control();
                value(dst);
                value(other);
                call(X87Frame.OPERATIONS[op], "IJIJ");
                result(dst);
                if (form == X87Frame.ARITH_STI_POP) pop(s0);
                instruction(n);
                break;
            }
            case X87Frame.LOAD_ST:
                requireFreeAndFull(n, s7, si);
                copy(si, s7);
                clear(s7);
                mv.visitIincInsn(TOP, -1);
                clearC1();
                instruction(n);
                break;
            case X87Frame.EXCHANGE:
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
            case X87Frame.STORE_ST: case X87Frame.STORE_ST_POP:
                requireFull(n, 1 << s0);
                copy(s0, si);
                clear(si);
                clearC1();
                if (form == X87Frame.STORE_ST_POP) pop(s0);
                instruction(n);
                break;
            case X87Frame.UNARY:
                requireFull(n, 1 << s0);
                control();
                c.push(d.modrm);
                value(s0);
                call("unary", "IIJ");
                result(s0);
                instruction(n);
                break;
            case X87Frame.CONSTANT:
                requireFree(n, s7);
                control();
                c.push(d.modrm - 0xE8);
                call("constant", "I");
                pushResult(s7);
                instruction(n);
                break;
            case X87Frame.LOAD_M32: case X87Frame.LOAD_I32: case X87Frame.LOAD_M64: case X87Frame.LOAD_I16: case X87Frame.LOAD_I64: {
                requireFree(n, s7);
                boolean wide = form == X87Frame.LOAD_M64 || form == X87Frame.LOAD_I64;
                if (form == X87Frame.LOAD_I16) {
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
                    case X87Frame.LOAD_M32 -> "loadFloat32";
                    case X87Frame.LOAD_M64 -> "loadFloat64";
                    case X87Frame.LOAD_I16 -> "loadInt16";
                    case X87Frame.LOAD_I64 -> "loadInt64";
                    default -> "loadInt32";
                };
                call(helper, wide ? "J" : "I");
                pushResult(s7);
                operand(n);
                break;
            }
            case X87Frame.STORE_I16: case X87Frame.STORE_I16_POP: case X87Frame.STORE_I32: case X87Frame.STORE_I32_POP:
            case X87Frame.STORE_I64_POP: {
                requireFull(n, 1 << s0);
                address(d);
                int bits = form == X87Frame.STORE_I64_POP ? 64 : form == X87Frame.STORE_I32 || form == X87Frame.STORE_I32_POP ? 32 : 16;
                control();
                value(s0);
                c.push(bits);
                // the new status waits until the store is done (it may fault)
                mv.visitMethodInsn(INVOKESTATIC, FRAME, "storeInteger", "(" + RESULT_DESC + "IIIJI)I", false);
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
                if (form != X87Frame.STORE_I16 && form != X87Frame.STORE_I32) pop(s0);
                operand(n);
                break;
            }
            case X87Frame.LOAD_CONTROL: {
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
            case X87Frame.STORE_CONTROL:
                address(d);
                mv.visitVarInsn(ILOAD, TMP);
                mv.visitVarInsn(ILOAD, CONTROL);
                c.write16(d.eaSeg);
                break;
            case X87Frame.STORE_M32: case X87Frame.STORE_M32_POP: case X87Frame.STORE_M64: case X87Frame.STORE_M64_POP: {
                requireFull(n, 1 << s0);
                address(d);
                boolean wide = form == X87Frame.STORE_M64 || form == X87Frame.STORE_M64_POP;
                control();
                value(s0);
                // the new status waits until the store is done (it may fault)
                mv.visitMethodInsn(INVOKESTATIC, FRAME, wide ? "storeFloat64" : "storeFloat32", "(" + RESULT_DESC + "IIIJ)I", false);
                mv.visitVarInsn(ISTORE, TMP2);
                mv.visitVarInsn(ILOAD, TMP);
                mv.visitVarInsn(ALOAD, RESULT);
                mv.visitFieldInsn(GETFIELD, RESULT_TYPE, "memory", "J");
                if (wide) {
                    write64(d.eaSeg);
                } else {
                    mv.visitInsn(L2I);
                    c.write32(d.eaSeg);
                }
                mv.visitVarInsn(ILOAD, TMP2);
                mv.visitVarInsn(ISTORE, STATUS);
                if (form == X87Frame.STORE_M32_POP || form == X87Frame.STORE_M64_POP) pop(s0);
                operand(n);
                break;
            }
            case X87Frame.ARITH_M32: case X87Frame.ARITH_M64: {
                requireFull(n, 1 << s0);
                boolean wide = form == X87Frame.ARITH_M64;
                readOperand(d, wide);
                control();
                value(s0);
                memoryValue(wide);
                call(X87Frame.OPERATIONS[d.reg], "IJIJ");
                result(s0);
                operand(n);
                break;
            }
            case X87Frame.COMPARE: case X87Frame.COMPARE_EFLAGS: case X87Frame.COMPARE_EFLAGS_POP: {
                int other = slot(at + comparedWith(d));
                requireFull(n, 1 << s0 | 1 << other);
                boolean flags = form != X87Frame.COMPARE;
                control();
                c.push(X87Frame.quietCompare(d) ? 1 : 0);
                value(s0);
                value(other);
                mv.visitMethodInsn(INVOKESTATIC, FRAME, flags ? "compareToFlags" : "compare", "(" + RESULT_DESC + "IIZIJIJ)I", false);
                mv.visitVarInsn(ISTORE, STATUS);
                if (flags) {
                    mv.visitVarInsn(ALOAD, RESULT);
                    mv.visitMethodInsn(INVOKESTATIC, FRAME, "comparisonFlags", "(" + RESULT_DESC + ")I", false);
                    c.setKnownFlags();
                }
                for (int p = 0; p < X87Frame.comparePops(d); p++) pop(slot(at + p));
                instruction(n);
                break;
            }
            case X87Frame.COMPARE_M32: case X87Frame.COMPARE_M64: {
                requireFull(n, 1 << s0);
                boolean wide = form == X87Frame.COMPARE_M64;
                readOperand(d, wide);
                control();
                c.push(0);
                value(s0);
                memoryValue(wide);
                mv.visitMethodInsn(INVOKESTATIC, FRAME, "compare", "(" + RESULT_DESC + "IIZIJIJ)I", false);
                mv.visitVarInsn(ISTORE, STATUS);
                if (X87Frame.comparePops(d) == 1) pop(s0);
                operand(n);
                break;
            }
            case X87Frame.STATUS_AX: {
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
