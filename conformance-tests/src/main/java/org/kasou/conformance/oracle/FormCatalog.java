package org.kasou.conformance.oracle;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.kasou.isa.InsnForm;
import org.kasou.isa.InstructionTable;
import org.kasou.isa.Op;
import org.kasou.isa.OperandKind;

/**
 * The instruction forms of the table that a user-mode process can run with the same result on the
 * host and in kasou: integer instructions that need no privilege and no I/O permission, and
 * report nothing host-specific (CPUID, RDTSC and the descriptor-table stores that UMIP emulates
 * differ by design). Segment loads and LAR/LSL/VERR/VERW are in: the generator gives them LDT
 * selectors, whose descriptors are the same on both sides (the GDTs differ).
 */
final class FormCatalog {
    /** Ops left out, with the reason in the class comment. */
    private static final Set<Op> EXCLUDED = EnumSet.of(
            Op.UD, Op.JMP_FAR, Op.JMP_FAR_IND, Op.CALL_FAR, Op.CALL_FAR_IND, Op.RET_FAR,
            Op.INT, Op.INT1, Op.IRET, Op.HLT, Op.IN, Op.OUT, Op.INS, Op.OUTS, Op.CLI, Op.STI,
            Op.LGDT, Op.LIDT, Op.SGDT, Op.SIDT, Op.LLDT, Op.SLDT, Op.LTR, Op.STR, Op.LMSW, Op.SMSW,
            Op.CLTS, Op.INVLPG, Op.INVD, Op.WBINVD,
            Op.MOV_TO_CR, Op.MOV_FROM_CR, Op.MOV_TO_DR, Op.MOV_FROM_DR,
            Op.CPUID, Op.RDTSC, Op.RDMSR, Op.WRMSR, Op.RDPMC, Op.SYSENTER, Op.SYSEXIT, Op.RSM,
            Op.X87, Op.MMX, Op.SSE);

    /**
     * Ops that change ESP or EBP wholesale, or need the stack slot prepared (a selector popped
     * from an unknown slot may name a host GDT entry): single-instruction cases only.
     */
    static final Set<Op> SINGLE_ONLY = EnumSet.of(Op.ENTER, Op.LEAVE, Op.POPA, Op.PUSH_SREG, Op.POP_SREG);

    private final List<InsnForm> forms = new ArrayList<>();

    FormCatalog() {
        for (InsnForm f : InstructionTable.get().forms()) {
            if (usable(f)) forms.add(f);
        }
    }

    static boolean usable(InsnForm f) {
        if (EXCLUDED.contains(f.op) || f.op.decodeOnly()) return false;
        if (f.has(InsnForm.PRIV) || f.has(InsnForm.IOPL) || f.has(InsnForm.DECODE_ONLY)) return false;
        if (f.prefix != InsnForm.PFX_ANY && f.op != Op.PAUSE) return false;
        for (OperandKind k : f.operands()) {
            switch (k.mode) {
                case A, C, D, ST0, STI, P, Q, N, V, W, U: return false;
                default: break;
            }
            if (k.size == OperandKind.Size.S) return false;
        }
        return true;
    }

    List<InsnForm> forms() {
        return forms;
    }
}
