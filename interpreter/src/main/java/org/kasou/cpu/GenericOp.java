package org.kasou.cpu;

import org.kasou.cpu.exec.Exec;
import org.kasou.isa.DecodedInsn;

/**
 * An instruction without a fast form: {@link Exec} runs it from its decoded form. The lazy flags
 * are saved first (a fault restores them), the instruction count and EIP are stored for
 * instructions that read them, and a control transfer or mode change ends the block unchained.
 */
final class GenericOp extends FastOp {
    private final DecodedInsn d;

    GenericOp(int idx, DecodedInsn d) {
        super(idx);
        this.d = d;
    }

    @Override
    int run(BlockRunner x) {
        x.saveFlags();
        x.cpu.instructions = x.base + idx;
        x.s.eip = d.next;
        int st = Exec.execute(x.cpu, d);
        x.sync(); // segment registers and the CPL may have changed
        if (st != Exec.NEXT) {
            x.epoch++;
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
