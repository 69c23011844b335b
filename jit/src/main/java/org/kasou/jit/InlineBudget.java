package org.kasou.jit;

import java.util.Map;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Estimates how much bytecode HotSpot's C2 inlines into a unit's method besides its own: C2 stops
 * inlining once the method's bytecode and everything inlined into it reach 8,000 bytes
 * ({@code DesiredMethodLimit}, not settable in product JVMs), and from there each memory access of
 * the unit becomes a real call (a unit of 128 instructions of SHA-256 ran at half the speed of two
 * units of 64). The engine splits a region whose estimate passes {@link #LIMIT}.
 *
 * <p>The figures are per call site, the callee with what it calls in turn, rounded up from the
 * helpers' bytecode sizes; calls into the interpreter's large methods (Exec, X87Exec, Memory's
 * checked paths) are not inlined and count nothing.
 */
final class InlineBudget extends MethodVisitor {
    /** Own bytecode plus estimated inlined bytecode that a unit may have. */
    static final int LIMIT = 7_600;

    private static final Map<String, Integer> PER_CALL = Map.of(
            Type.getInternalName(CompiledAccess.class), 110,
            Type.getInternalName(BudgetExit.class), 12,
            Type.getInternalName(X87Frame.class), 0,
            Type.getInternalName(org.kasou.cpu.LazyFlags.class), 40,
            Type.getInternalName(org.kasou.cpu.exec.Conditions.class), 60,
            Type.getInternalName(org.kasou.cpu.exec.Shifts.class), 90,
            "java/lang/Integer", 10);

    /** Estimated bytecode inlined so far. */
    int inlined;

    InlineBudget(MethodVisitor mv) {
        super(Opcodes.ASM9, mv);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        inlined += PER_CALL.getOrDefault(owner, 0);
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }
}
