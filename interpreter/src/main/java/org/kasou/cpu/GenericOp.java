package org.kasou.cpu;

import org.kasou.cpu.exec.Exec;
import org.kasou.cpu.exec.X87Exec;
import java.util.EnumSet;
import java.util.Set;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Op;

/**
 * An instruction without a fast form: {@link Exec} runs it from its decoded form. The lazy flags
 * are saved first (a fault restores them), the instruction count and EIP are stored for
 * instructions that read them, and a control transfer or mode change ends the block unchained.
 */
final class GenericOp extends FastOp {
    /**
     * Instructions that load no segment register and do not change the CPL, after which the
     * runner's segment snapshot stays valid (everything else takes a new one).
     */
    private static final Set<Op> KEEP_SEGMENTS = EnumSet.noneOf(Op.class);

    static {
        Op[] keep = {
            Op.ADD, Op.OR, Op.ADC, Op.SBB, Op.AND, Op.SUB, Op.XOR, Op.CMP, Op.TEST, Op.INC, Op.DEC, Op.NEG, Op.NOT,
            Op.ROL, Op.ROR, Op.RCL, Op.RCR, Op.SHL, Op.SHR, Op.SAR, Op.SHLD, Op.SHRD,
            Op.MUL, Op.IMUL1, Op.IMUL, Op.DIV, Op.IDIV, Op.DAA, Op.DAS, Op.AAA, Op.AAS, Op.AAM, Op.AAD, Op.SALC,
            Op.BT, Op.BTS, Op.BTR, Op.BTC, Op.BSF, Op.BSR, Op.BSWAP,
            Op.MOV, Op.MOV_FROM_SREG, Op.MOVZX, Op.MOVSX, Op.LEA, Op.XCHG, Op.XLAT, Op.CBW, Op.CWD,
            Op.CMOV, Op.SETCC, Op.CMPXCHG, Op.CMPXCHG8B, Op.XADD,
            Op.PUSH, Op.POP, Op.PUSH_SREG, Op.PUSHA, Op.POPA, Op.PUSHF, Op.ENTER, Op.LEAVE,
            Op.JMP, Op.JMP_IND, Op.JCC, Op.CALL, Op.CALL_IND, Op.RET, Op.LOOP, Op.LOOPE, Op.LOOPNE, Op.JCXZ,
            Op.MOVS, Op.CMPS, Op.SCAS, Op.LODS, Op.STOS,
            Op.CLC, Op.STC, Op.CMC, Op.CLD, Op.STD, Op.SAHF, Op.LAHF, Op.NOP, Op.PAUSE, Op.CPUID, Op.RDTSC,
            Op.X87, Op.WAIT, // the x87's own state only (FXSAVE and FXRSTOR included)
        };
        KEEP_SEGMENTS.addAll(java.util.List.of(keep));
    }

    private final DecodedInsn d;
    private final boolean sync;
    /** An x87 instruction (D8-DF, FXSAVE, FXRSTOR): X87Exec runs it, without Exec's dispatch on the operation. */
    private final boolean x87;

    GenericOp(int idx, DecodedInsn d) {
        super(idx);
        this.d = d;
        this.sync = !KEEP_SEGMENTS.contains(d.op);
        this.x87 = d.op == Op.X87;
    }

    @Override
    int run(BlockRunner x) {
        x.saveFlags();
        x.cpu.instructions = x.base + idx;
        x.s.eip = d.next;
        int st = x87 ? X87Exec.execute(x.cpu, d) : Exec.execute(x.cpu, d);
        if (sync) x.sync(); // segment registers or the CPL may have changed
        if (st != Exec.NEXT) {
            x.fetchContextChanged();
            x.stop = true;
            return exit(idx + 1);
        }
        return x.runningHit ? x.hit(idx, d.next) : idx + 1;
    }
}

/** A fast form that runs from the decoded instruction ({@link MemoryForm}), for the rarer forms. */
final class FormOp extends FastOp {
    private final MemoryForm form;
    private final DecodedInsn d;

    FormOp(int idx, DecodedInsn d, MemoryForm form) {
        super(idx);
        this.d = d;
        this.form = form;
    }

    @Override
    int run(BlockRunner x) {
        form.run(x.cpu, x.s, x.m, d);
        return x.runningHit ? x.hit(idx, d.next) : idx + 1;
    }
}
