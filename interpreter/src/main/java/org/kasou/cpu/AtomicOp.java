package org.kasou.cpu;

import org.kasou.isa.DecodedInsn;
import org.kasou.mem.PhysicalMemory;

/**
 * A read-modify-write instruction that the processor makes atomic: any LOCK'd instruction, and
 * XCHG with a memory operand (locked whether or not it has the prefix). While one CPU uses the
 * memory it runs as any other instruction; once CPUs share it (guest threads) it holds the
 * memory's {@link PhysicalMemory#atomicLock()} from its read to its write, so that LOCK'd
 * instructions of different CPUs exclude each other, and the common ones store with a
 * compare-and-set ({@link AtomicRmw}), so that a plain store of another CPU (which takes no lock)
 * is never lost between their read and their write.
 */
final class AtomicOp extends FastOp {
    private final GenericOp op;
    private final DecodedInsn d;

    AtomicOp(int idx, DecodedInsn d) {
        super(idx);
        this.op = new GenericOp(idx, d);
        this.d = d;
    }

    @Override
    int run(BlockRunner x) {
        PhysicalMemory m = x.cpu.physical;
        if (!m.sharedByCpus()) return op.run(x);
        synchronized (m.atomicLock()) {
            x.saveFlags();
            x.cpu.instructions = x.base + idx;
            x.s.eip = d.next;
            if (AtomicRmw.execute(x.cpu, d)) return x.runningHit ? x.hit(idx, d.next) : idx + 1;
            return op.run(x);
        }
    }
}
