package org.kasou.cpu;

/**
 * Pairs of instructions that compiled code often puts back to back (loads, stores, LEA, PUSH and
 * POP runs), run as one op: the two ops' own code, called on their exact classes so that C2 inlines
 * both, saving a dispatch. Counts as two instructions. The first half runs as it would alone
 * (a write into the running block still stops the block after it); a fault in the second half is
 * reported as the second instruction's, with the first retired ({@link BlockRunner#partial}).
 * Blocks run partly (single-step, budget) use the unpaired ops.
 */
final class PairOps {
    private PairOps() {}

    /** The pair for two consecutive instructions' ops (by their handlers), or null. */
    static FastOp pair(int h1, FastOp a, int h2, FastOp b) {
        if (h1 == org.kasou.isa.Handlers.MOV_RM32 && h2 == org.kasou.isa.Handlers.MOV_RM32 && a instanceof MemoryOps.MovRM32 && b instanceof MemoryOps.MovRM32) {
            return new LoadLoad((MemoryOps.MovRM32) a, (MemoryOps.MovRM32) b);
        }
        if (h1 == org.kasou.isa.Handlers.MOV_RM32 && h2 == org.kasou.isa.Handlers.MOV_MR32 && a instanceof MemoryOps.MovRM32 && b instanceof MemoryOps.MovMR32) {
            return new LoadStore((MemoryOps.MovRM32) a, (MemoryOps.MovMR32) b);
        }
        if (h1 == org.kasou.isa.Handlers.MOV_MR32 && h2 == org.kasou.isa.Handlers.MOV_RM32 && a instanceof MemoryOps.MovMR32 && b instanceof MemoryOps.MovRM32) {
            return new StoreLoad((MemoryOps.MovMR32) a, (MemoryOps.MovRM32) b);
        }
        if (h1 == org.kasou.isa.Handlers.MOV_MR32 && h2 == org.kasou.isa.Handlers.MOV_MR32 && a instanceof MemoryOps.MovMR32 && b instanceof MemoryOps.MovMR32) {
            return new StoreStore((MemoryOps.MovMR32) a, (MemoryOps.MovMR32) b);
        }
        if (h1 == org.kasou.isa.Handlers.MOV_RM32 && h2 == org.kasou.isa.Handlers.LEA32 && a instanceof MemoryOps.MovRM32 && b instanceof RegisterOps.Lea) {
            return new LoadLea((MemoryOps.MovRM32) a, (RegisterOps.Lea) b);
        }
        if (h1 == org.kasou.isa.Handlers.LEA32 && h2 == org.kasou.isa.Handlers.MOV_RM32 && a instanceof RegisterOps.Lea && b instanceof MemoryOps.MovRM32) {
            return new LeaLoad((RegisterOps.Lea) a, (MemoryOps.MovRM32) b);
        }
        if (h1 == org.kasou.isa.Handlers.LEA32 && h2 == org.kasou.isa.Handlers.LEA32 && a instanceof RegisterOps.Lea && b instanceof RegisterOps.Lea) {
            return new LeaLea((RegisterOps.Lea) a, (RegisterOps.Lea) b);
        }
        if (h1 == org.kasou.isa.Handlers.LEA32 && h2 == org.kasou.isa.Handlers.MOV_MR32 && a instanceof RegisterOps.Lea && b instanceof MemoryOps.MovMR32) {
            return new LeaStore((RegisterOps.Lea) a, (MemoryOps.MovMR32) b);
        }
        if (h1 == org.kasou.isa.Handlers.MOV_RR32 && h2 == org.kasou.isa.Handlers.MOV_RM32 && a instanceof RegisterOps.MovRR && b instanceof MemoryOps.MovRM32) {
            return new MovLoad((RegisterOps.MovRR) a, (MemoryOps.MovRM32) b);
        }
        if (h1 == org.kasou.isa.Handlers.MOV_RM32 && h2 == org.kasou.isa.Handlers.MOV_RR32 && a instanceof MemoryOps.MovRM32 && b instanceof RegisterOps.MovRR) {
            return new LoadMov((MemoryOps.MovRM32) a, (RegisterOps.MovRR) b);
        }
        if (h1 == org.kasou.isa.Handlers.PUSH_R32 && h2 == org.kasou.isa.Handlers.PUSH_R32 && a instanceof MemoryOps.PushR32 && b instanceof MemoryOps.PushR32) {
            return new PushPush((MemoryOps.PushR32) a, (MemoryOps.PushR32) b);
        }
        if (h1 == org.kasou.isa.Handlers.POP_R32 && h2 == org.kasou.isa.Handlers.POP_R32 && a instanceof MemoryOps.PopR32 && b instanceof MemoryOps.PopR32) {
            return new PopPop((MemoryOps.PopR32) a, (MemoryOps.PopR32) b);
        }
        return null;
    }

    static final class LoadLoad extends FastOp {
        private final MemoryOps.MovRM32 a;
        private final MemoryOps.MovRM32 b;

        LoadLoad(MemoryOps.MovRM32 a, MemoryOps.MovRM32 b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            a.run(x);
            try {
                return b.run(x);
            } catch (CpuFault f) {
                x.partial = 1;
                throw f;
            }
        }
    }

    static final class LoadStore extends FastOp {
        private final MemoryOps.MovRM32 a;
        private final MemoryOps.MovMR32 b;

        LoadStore(MemoryOps.MovRM32 a, MemoryOps.MovMR32 b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            a.run(x);
            try {
                return b.run(x);
            } catch (CpuFault f) {
                x.partial = 1;
                throw f;
            }
        }
    }

    static final class StoreLoad extends FastOp {
        private final MemoryOps.MovMR32 a;
        private final MemoryOps.MovRM32 b;

        StoreLoad(MemoryOps.MovMR32 a, MemoryOps.MovRM32 b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            int r = a.run(x);
            if (r < 0) return r;
            try {
                return b.run(x);
            } catch (CpuFault f) {
                x.partial = 1;
                throw f;
            }
        }
    }

    static final class StoreStore extends FastOp {
        private final MemoryOps.MovMR32 a;
        private final MemoryOps.MovMR32 b;

        StoreStore(MemoryOps.MovMR32 a, MemoryOps.MovMR32 b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            int r = a.run(x);
            if (r < 0) return r;
            try {
                return b.run(x);
            } catch (CpuFault f) {
                x.partial = 1;
                throw f;
            }
        }
    }

    static final class LoadLea extends FastOp {
        private final MemoryOps.MovRM32 a;
        private final RegisterOps.Lea b;

        LoadLea(MemoryOps.MovRM32 a, RegisterOps.Lea b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            a.run(x);
            return b.run(x);
        }
    }

    static final class LeaLoad extends FastOp {
        private final RegisterOps.Lea a;
        private final MemoryOps.MovRM32 b;

        LeaLoad(RegisterOps.Lea a, MemoryOps.MovRM32 b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            a.run(x);
            try {
                return b.run(x);
            } catch (CpuFault f) {
                x.partial = 1;
                throw f;
            }
        }
    }

    static final class LeaLea extends FastOp {
        private final RegisterOps.Lea a;
        private final RegisterOps.Lea b;

        LeaLea(RegisterOps.Lea a, RegisterOps.Lea b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            a.run(x);
            return b.run(x);
        }
    }

    static final class LeaStore extends FastOp {
        private final RegisterOps.Lea a;
        private final MemoryOps.MovMR32 b;

        LeaStore(RegisterOps.Lea a, MemoryOps.MovMR32 b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            a.run(x);
            try {
                return b.run(x);
            } catch (CpuFault f) {
                x.partial = 1;
                throw f;
            }
        }
    }

    static final class MovLoad extends FastOp {
        private final RegisterOps.MovRR a;
        private final MemoryOps.MovRM32 b;

        MovLoad(RegisterOps.MovRR a, MemoryOps.MovRM32 b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            a.run(x);
            try {
                return b.run(x);
            } catch (CpuFault f) {
                x.partial = 1;
                throw f;
            }
        }
    }

    static final class LoadMov extends FastOp {
        private final MemoryOps.MovRM32 a;
        private final RegisterOps.MovRR b;

        LoadMov(MemoryOps.MovRM32 a, RegisterOps.MovRR b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            a.run(x);
            return b.run(x);
        }
    }

    static final class PushPush extends FastOp {
        private final MemoryOps.PushR32 a;
        private final MemoryOps.PushR32 b;

        PushPush(MemoryOps.PushR32 a, MemoryOps.PushR32 b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            int r = a.run(x);
            if (r < 0) return r;
            try {
                return b.run(x);
            } catch (CpuFault f) {
                x.partial = 1;
                throw f;
            }
        }
    }

    static final class PopPop extends FastOp {
        private final MemoryOps.PopR32 a;
        private final MemoryOps.PopR32 b;

        PopPop(MemoryOps.PopR32 a, MemoryOps.PopR32 b) {
            super(a.idx);
            this.a = a;
            this.b = b;
        }

        @Override
        int run(BlockRunner x) {
            a.run(x);
            try {
                return b.run(x);
            } catch (CpuFault f) {
                x.partial = 1;
                throw f;
            }
        }
    }

}
