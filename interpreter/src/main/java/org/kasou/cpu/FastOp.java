package org.kasou.cpu;

import org.kasou.cpu.exec.Operands;
import org.kasou.isa.DecodedInsn;

/**
 * One decoded instruction ready to run: an object of a class made for its form, holding exactly
 * the operands it needs (register numbers, immediate, effective-address recipe) in final fields.
 * {@link BlockRunner} calls {@link #run} for each instruction of a block; the call is the dispatch.
 *
 * <p>Why objects and not a switch: HotSpot's C2 schedules a value that several cases of one switch
 * load (the same field of the decoded instruction) before the switch, so a big dispatch switch
 * loads and spills the operands of every form for every instruction, and calls out of it (the
 * memory paths) spill everything live. A form here is compiled on its own, with the memory fast
 * path inlined, and loads only what it uses.
 *
 * <p>{@link #run} returns the index of the next instruction of the block to run, or, to leave the
 * block with EIP set, {@code ~retired} (see {@link #exit}), or {@link #restart} when the block
 * branched to its own start. Every op keeps the precise-fault rule of the generic path: every read
 * and check that can fault first, then memory writes, then registers and flags; an op that writes
 * memory checks {@link BlockRunner#runningHit} afterwards.
 */
abstract class FastOp {
    /** Return values at or below this say "the block branched to its start" (see {@link #restart}). */
    static final int RESTART = -128;

    /** Index of the instruction in its block. */
    final int idx;

    FastOp(int idx) {
        this.idx = idx;
    }

    /** Runs the instruction; returns what to do next (see the class comment). */
    abstract int run(BlockRunner x);

    /** Leave the block after {@code retired} instructions of this pass (EIP is set). */
    static int exit(int retired) {
        return ~retired;
    }

    /** The block branched to its own start after {@code retired} instructions of this pass (EIP is set). */
    static int restart(int retired) {
        return RESTART - retired;
    }

    /**
     * An op with a memory operand addressed with 32-bit registers: segment, base and index register
     * (-1 for none), scale shift and displacement.
     */
    abstract static class Mem extends FastOp {
        final int seg, base, index, scale, disp;
        /** All ones when there is a base / an index register, else 0 (then base / index is 0 and ignored). */
        private final int baseMask, indexMask;

        Mem(int idx, DecodedInsn d) {
            super(idx);
            this.seg = d.eaSeg;
            this.base = Math.max(d.eaBase, 0);
            this.index = Math.max(d.eaIndex, 0);
            this.baseMask = d.eaBase >= 0 ? -1 : 0;
            this.indexMask = d.eaIndex >= 0 ? -1 : 0;
            this.scale = d.eaScale;
            this.disp = d.eaDisp;
        }

        /** The effective address, without branches (the shapes of the ops of one class vary). */
        final int ea(int[] r) {
            return disp + (r[base] & baseMask) + ((r[index] & indexMask) << scale);
        }
    }

    /** Raises #UD or #GP(0) (bad encoding, too long). */
    static final class Fault extends FastOp {
        private final boolean gp;

        Fault(int idx, boolean gp) {
            super(idx);
            this.gp = gp;
        }

        @Override
        int run(BlockRunner x) {
            throw gp ? Operands.gp0(x.cpu) : Operands.ud(x.cpu);
        }
    }
}
