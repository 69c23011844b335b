package org.kasou.jit;

import java.util.ArrayList;
import java.util.List;
import org.objectweb.asm.Handle;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Writes the stack map frames of a method whose locals keep one type each from the end of its
 * prologue on, as a compiled unit's do: every local is assigned in the prologue, and the operand
 * stack is empty at every label except exception handlers (which hold the exception). Then one
 * frame describes every branch target, and the frames cost nothing to compute: no analysis as
 * ASM's COMPUTE_FRAMES does (which was most of a unit's compile time), and the JVM checks them
 * in one pass instead of verifying by type inference.
 *
 * <p>The prologue's stores give the locals' types ({@link #endPrologue}). After it, a frame goes
 * before the first instruction at each label, and before code that follows an unconditional jump
 * without a label (dead code, which the JVM still verifies).
 */
final class UniformFrames extends MethodVisitor {
    /** Types of the locals by slot (Opcodes.INTEGER, LONG, TOP or an internal class name). */
    private final List<Object> slots = new ArrayList<>();
    private Object[] frameLocals;
    private boolean framing, firstFrame = true, pending, dead;
    private Object pendingStack;

    /** A method whose first locals are the parameters, typed as given. */
    UniformFrames(MethodVisitor mv, Object... parameters) {
        super(Opcodes.ASM9, mv);
        for (Object p : parameters) slots.add(p);
    }

    /** Gives an object local its type for the frames (the prologue may store null in it). */
    void declare(int slot, String internalName) {
        set(slot, internalName);
    }

    /** From here on each label gets a frame with the locals as the prologue left them. */
    void endPrologue() {
        List<Object> locals = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            Object t = slots.get(i);
            locals.add(t == null ? Opcodes.TOP : t);
            if (t == Opcodes.LONG) i++; // a long takes two slots and one entry
        }
        while (!locals.isEmpty() && locals.get(locals.size() - 1) == Opcodes.TOP) locals.remove(locals.size() - 1);
        frameLocals = locals.toArray(); // without trailing unused slots, which would exceed the method's locals
        framing = true;
    }

    /** Visits an exception handler's label: its frame holds the exception on the stack. */
    void handlerLabel(Label label, String exceptionType) {
        visitLabel(label);
        pendingStack = exceptionType;
    }

    private void set(int slot, Object type) {
        while (slots.size() <= slot + 1) slots.add(null);
        Object old = slots.get(slot);
        if (old != null && !old.equals(type)) {
            throw new IllegalStateException("local " + slot + " holds " + old + " and " + type);
        }
        slots.set(slot, type);
    }

    @Override
    public void visitLabel(Label label) {
        super.visitLabel(label);
        if (framing) {
            pending = true;
            pendingStack = null;
        }
    }

    /** Emits the frame due before the next instruction, if any. */
    private void before() {
        if (!framing || !(pending || dead)) return;
        if (!pending) super.visitLabel(new Label()); // dead code after a jump
        Object[] stack = pendingStack == null ? new Object[0] : new Object[] {pendingStack};
        if (firstFrame) {
            super.visitFrame(Opcodes.F_FULL, frameLocals.length, frameLocals, stack.length, stack);
            firstFrame = false;
        } else if (stack.length == 0) {
            super.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
        } else {
            super.visitFrame(Opcodes.F_SAME1, 0, null, 1, stack);
        }
        pending = false;
        dead = false;
        pendingStack = null;
    }

    private void after(int opcode) {
        switch (opcode) {
            case Opcodes.GOTO: case Opcodes.ATHROW: case Opcodes.IRETURN: case Opcodes.LRETURN: case Opcodes.ARETURN:
            case Opcodes.RETURN: case Opcodes.TABLESWITCH: case Opcodes.LOOKUPSWITCH:
                if (framing) dead = true;
                break;
            default:
                break;
        }
    }

    @Override
    public void visitInsn(int opcode) {
        before();
        super.visitInsn(opcode);
        after(opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        before();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        before();
        if (!framing) {
            switch (opcode) {
                case Opcodes.ISTORE: set(var, Opcodes.INTEGER); break;
                case Opcodes.LSTORE: set(var, Opcodes.LONG); set(var + 1, Opcodes.TOP); break;
                case Opcodes.ASTORE: if (var >= slots.size() || slots.get(var) == null) throw new IllegalStateException("declare local " + var); break;
                default: break;
            }
        } else if (opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
            Object t = var < slots.size() ? slots.get(var) : null;
            Object want = opcode == Opcodes.ISTORE ? Opcodes.INTEGER : opcode == Opcodes.LSTORE ? Opcodes.LONG : t;
            if (t == null || !t.equals(want) || (opcode == Opcodes.ASTORE && t instanceof Integer)) {
                throw new IllegalStateException("local " + var + " is not set up in the prologue as " + want);
            }
        }
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        before();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        before();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        before();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bootstrap, Object... args) {
        before();
        super.visitInvokeDynamicInsn(name, descriptor, bootstrap, args);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        before();
        super.visitJumpInsn(opcode, label);
        after(opcode);
    }

    @Override
    public void visitLdcInsn(Object value) {
        before();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        before();
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        before();
        super.visitTableSwitchInsn(min, max, dflt, labels);
        after(Opcodes.TABLESWITCH);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        before();
        super.visitLookupSwitchInsn(dflt, keys, labels);
        after(Opcodes.LOOKUPSWITCH);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int dims) {
        before();
        super.visitMultiANewArrayInsn(descriptor, dims);
    }
}
