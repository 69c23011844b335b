package org.kasou.cpu;

import org.kasou.cpu.exec.Conditions;
import org.kasou.cpu.exec.Operands;
import org.kasou.cpu.exec.StackOps;
import org.kasou.isa.DecodedInsn;

/**
 * Near control transfers. Those that end a block set EIP and leave it (a chainable exit); a
 * conditional branch leaves only when taken, and when taken back to the block's own start asks the
 * runner to run the block again in place. JMP and CALL whose target the block builder decoded next
 * in the same block continue.
 */
final class BranchOps {
    private BranchOps() {}

    /** A branch with its target, the next instruction's offset and whether the target is the block's start. */
    abstract static class Br extends FastOp {
        final int target, next;
        final boolean self;

        Br(int idx, DecodedInsn d, int blockEip) {
            super(idx);
            this.target = d.target;
            this.next = d.next;
            this.self = d.target == blockEip;
        }

        /** Taken: EIP to the target (after the CS limit check), out of the block or back to its start. */
        final int taken(BlockRunner x) {
            x.jump(target);
            return self ? restart(idx + 1) : exit(idx + 1);
        }

        /** Not taken: the block goes on (EIP is set by the runner if the block ends here). */
        final int notTaken(BlockRunner x) {
            return idx + 1;
        }
    }

    static final class Jcc extends Br {
        private final int cc;

        Jcc(int idx, DecodedInsn d, int blockEip) {
            super(idx, d, blockEip);
            this.cc = d.cc;
        }

        @Override int run(BlockRunner x) { return Conditions.test(x.s, cc) ? taken(x) : notTaken(x); }
    }

    static final class Jz extends Br {
        Jz(int idx, DecodedInsn d, int blockEip) { super(idx, d, blockEip); }
        @Override int run(BlockRunner x) { return LazyFlags.zf(x.s) ? taken(x) : notTaken(x); }
    }

    static final class Jnz extends Br {
        Jnz(int idx, DecodedInsn d, int blockEip) { super(idx, d, blockEip); }
        @Override int run(BlockRunner x) { return !LazyFlags.zf(x.s) ? taken(x) : notTaken(x); }
    }

    /** JMP rel out of the block. */
    static final class Jmp extends Br {
        Jmp(int idx, DecodedInsn d, int blockEip) { super(idx, d, blockEip); }
        @Override int run(BlockRunner x) { x.jump(target); return exit(idx + 1); }
    }

    /** JMP whose target is the next decoded instruction. */
    static final class JmpInline extends FastOp {
        JmpInline(int idx) { super(idx); }
        @Override int run(BlockRunner x) { return idx + 1; }
    }

    /** CALL whose target is the next decoded instruction: push the return address. */
    static final class CallInline extends Br {
        CallInline(int idx, DecodedInsn d, int blockEip) { super(idx, d, blockEip); }
        @Override int run(BlockRunner x) {
            x.push32(next);
            return x.runningHit ? x.hit(idx, target) : idx + 1;
        }
    }

    /** CALL rel32 out of the block: the target is checked, then the return address pushed. */
    static final class Call extends Br {
        Call(int idx, DecodedInsn d, int blockEip) { super(idx, d, blockEip); }
        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            if (Integer.compareUnsigned(target, x.csLimit) > 0) throw Operands.gp0(x.cpu);
            x.push32(next);
            s.eip = target;
            return exit(idx + 1);
        }
    }

    /** RET and RET imm16 with a 32-bit operand size (imm: bytes to release besides the return address). */
    static final class Ret extends FastOp {
        private final int release;

        Ret(int idx, int release) {
            super(idx);
            this.release = 4 + release;
        }

        @Override int run(BlockRunner x) {
            CpuState s = x.s;
            Segment ss = s.seg[Segment.SS];
            int[] r = x.r;
            int esp = r[CpuState.ESP];
            int t = x.read32(Segment.SS, StackOps.offset(ss, esp));
            x.jump(t);
            r[CpuState.ESP] = StackOps.espAdd(ss, esp, release);
            return exit(idx + 1);
        }
    }

    /** CALL r32 and JMP r32; with a memory operand of 16-bit addressing, through the decoded instruction. */
    static final class Indirect extends FastOp {
        private final DecodedInsn d;
        private final boolean call;

        Indirect(int idx, DecodedInsn d, boolean call) {
            super(idx);
            this.d = d;
            this.call = call;
        }

        @Override int run(BlockRunner x) {
            DecodedInsn d = this.d;
            int t = d.dst == DecodedInsn.LOC_REG ? x.r[d.dstReg] : x.m.read32(d.eaSeg, Operands.ea(x.s, d));
            return transfer(x, t, call, d.next, idx);
        }

        /** CALL (the target checked, then the return address pushed) or JMP to {@code t}, out of the block. */
        static int transfer(BlockRunner x, int t, boolean call, int next, int idx) {
            CpuState s = x.s;
            if (call) {
                if (Integer.compareUnsigned(t, x.csLimit) > 0) throw Operands.gp0(x.cpu);
                x.push32(next);
                s.eip = t;
            } else {
                x.jump(t);
            }
            return exit(idx + 1);
        }
    }
}
