package org.kasou.cpu;

import org.kasou.isa.DecodedInsn;
import org.kasou.isa.InsnForm;

/**
 * Which arithmetic flags (CF, PF, AF, ZF, SF, OF) a decoded instruction consumes and which it
 * defines, as kasou executes it: the instruction table's facts (the SDM's flag cross-reference)
 * plus kasou's choices where the SDM leaves a flag undefined. For flag liveness, e.g. in the JIT.
 */
public final class FlagEffects {
    private FlagEffects() {}

    /** The flags whose values before the instruction it uses. */
    public static int used(DecodedInsn d) {
        InsnForm f = d.form;
        return f == null ? Flags.ARITH : f.flagsRead & Flags.ARITH;
    }

    /**
     * The flags whose values after the instruction do not depend on their values before it.
     * Flags the SDM leaves undefined count as defined where kasou computes them from the
     * operands (logic ops clear AF, shifts set AF and compute OF for every count), and not
     * where kasou keeps them (MUL/IMUL keep SF, ZF, AF, PF; BT* keep all but CF; DIV/IDIV keep
     * CF and OF). A shift or
     * rotate whose count may be zero defines nothing: a count of zero changes no flag.
     */
    public static int defined(DecodedInsn d) {
        InsnForm f = d.form;
        if (f == null) return 0;
        int written = (f.flagsWritten | f.flagsUndefined) & Flags.ARITH;
        switch (d.op) {
            case MUL: case IMUL1: case IMUL: case BT: case BTS: case BTR: case BTC:
                return f.flagsWritten & ~f.flagsUndefined & Flags.ARITH;
            case DIV: case IDIV:
                return written & ~(Flags.CF | Flags.OF);
            case ROL: case ROR: case RCL: case RCR: case SHL: case SHR: case SAR:
                return d.src == DecodedInsn.LOC_IMM && (d.imm & 0x1F) != 0 ? written : 0;
            case SHLD: case SHRD:
                return d.third == DecodedInsn.LOC_IMM && (d.imm & 0x1F) != 0 ? written : 0;
            default:
                return written;
        }
    }
}
