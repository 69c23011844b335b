package org.kasou.cpu;

import java.util.List;
import org.kasou.cpu.sys.BreakpointMatch;
import org.kasou.cpu.sys.Interrupts;
import org.kasou.isa.DecodedInsn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes guest instructions from pre-decoded blocks: the run loop. Between blocks it checks the
 * budget, stop requests, shutdown, a pending NMI and then INTR (IF=1), both outside an STI/MOV SS
 * shadow, the single-step trap and HLT, offers each block to the {@link ExecutionEngine} when one
 * is installed, and otherwise runs it with the {@link BlockRunner}.
 *
 * <p>The parts: {@link BlockCache} decodes blocks (choosing each instruction's form once) and
 * keeps them, with a {@link CodePageIndex} of the pages they came from; {@link BlockRunner} runs a
 * block's {@link FastOp}s; the ops themselves are in {@link RegisterOps}, {@link MemoryOps},
 * {@link BranchOps}, {@link FusedOps} and {@link GenericOp}. A block that leaves at a near branch
 * remembers its successors; while no far transfer, interrupt, fault or mode change happened (an
 * epoch counter), the next block is taken from those links without a lookup, and chained blocks
 * run back to back between polls of interrupts and stop requests.
 *
 * <p>Faults ({@link CpuFault}) restore EIP and the lazy flags of the faulting instruction
 * (instructions change registers only after everything that can fault) and are delivered through
 * {@link Interrupts#raise}.
 */
public final class Interpreter {
    private static final Logger LOG = LoggerFactory.getLogger(Interpreter.class);

    /** Longest block, in instructions. */
    public static final int MAX_BLOCK = BlockCache.MAX_BLOCK;
    /** Blocks run back to back through their links before the run loop looks at interrupts and stop requests. */
    private static final int CHAIN_POLL = 32;
    /** Most instructions one call into the engine may run, so that interrupts get through. */
    private static final int ENGINE_SLICE = 1 << 16;

    private final Cpu cpu;
    private final CpuState s;
    private final BlockCache cache;
    private final BlockRunner runner;

    /** Compiled code offered each block before it is interpreted; null runs everything here. */
    private ExecutionEngine engine;

    public Interpreter(Cpu cpu) {
        this.cpu = cpu;
        this.s = cpu.state;
        this.cache = new BlockCache(cpu);
        this.runner = new BlockRunner(cpu);
        cpu.physical.addCodeWriteListener(listener);
    }

    /** What {@link org.kasou.mem.PhysicalMemory} tells about code writes; removed by {@link #detach()}. */
    private final org.kasou.mem.CodeWriteListener listener = this::codeWritten;
    /** Code writes made by other CPUs' threads, applied by this CPU's own thread (see {@link #codeWritten}). */
    private final ForeignCodeWrites foreignWrites = new ForeignCodeWrites();
    /** The thread that runs this CPU (set by {@link #run}); other threads' code writes are queued for it. */
    private volatile Thread owner;

    /** This CPU stops listening to the memory it shares with others (its guest thread ended). */
    public void detach() {
        cpu.physical.removeCodeWriteListener(listener);
        cpu.physical.forgetTlb(cpu.memory);
    }

    /** Installs (or with null removes) the engine offered each block before it is interpreted. */
    public void setEngine(ExecutionEngine engine) {
        if (this.engine != null) this.engine.flush();
        this.engine = engine;
        // An engine counts a block's starts to find hot code and compiles from where blocks begin:
        // with one, blocks end at conditional branches, so that each place a branch leads to is a
        // block start it sees (blocks through them made its regions worse: more passes between
        // units in a string loop and a switch, measured in bench/README).
        if (cache.throughBranches != (engine == null)) {
            cache.throughBranches = engine == null;
            flushCodeCache();
        }
    }

    public ExecutionEngine engine() {
        return engine;
    }

    /**
     * Whether instructions run through their fast forms (the default) or all through the generic
     * path ({@link org.kasou.cpu.exec.Exec}); the generic path is the reference the fast forms are
     * tested against. Drops every decoded block.
     */
    public void setFastForms(boolean on) {
        cache.fastForms = on;
        flushCodeCache();
    }

    /** A decoded block. */
    public static final class Block implements CodePageIndex.Range {
        // The reference fields come in the order a pass reads them. Collectors that copy objects
        // depth first, field by field (the parallel one, which the launcher picks), then place a
        // block's ops right after it and the block its first link leads to after those, so that
        // the blocks a kernel path runs through, with their ops, lie together in the host's caches
        // (the decoded instructions, which passes do not read, come after them).
        /** What runs each instruction: with fused pairs (ops) and without (plain, for partial runs). */
        FastOp[] ops, plain;
        /** Successor blocks seen after this one, valid while {@link #linkEpoch} is the current epoch. */
        Block link0, link1;
        /** Owned by the {@link ExecutionEngine}: its code for this block, a hotness counter and when it started counting. */
        public Object engineCode;
        public int engineHeat;
        public long engineHeatSince;
        /** Owned by the {@link ExecutionEngine} too: a stamp of its own (0 until it sets one). */
        public int engineStamp;
        int phys;
        int eip;
        boolean code32;
        /** Offset of the block's last byte (for the CS limit check). */
        int lastByte;
        /** Whether the last instruction is a direct jump, branch or LOOP back to the block or to code before it in its page. */
        boolean loopsBack;
        /** Physical byte range [physLo, physEnd) covering every instruction (within one page). */
        int physLo, physEnd;
        int count;
        boolean valid;
        /** EIP after the last instruction when the block runs to its end. */
        int endEip;
        int linkEpoch = -1;
        /** Further successors by EIP (RET, indirect branches), allocated when two links are not enough. */
        Block[] moreLinks;
        /** The block's instructions, {@link #count} of them (an array of that size: the blocks of a boot hold a quarter million). */
        DecodedInsn[] insns;
        /** The bytes of a block whose only instruction crosses into the next page (null for others). */
        byte[] crossBytes;

        /** The bytes of its instruction when it crosses into the next page (read only), else null. */
        public byte[] crossBytes() {
            return crossBytes;
        }

        /** Physical address of the first byte. */
        public int phys() {
            return phys;
        }

        /** CS-relative offset (EIP) of the first instruction. */
        public int eip() {
            return eip;
        }

        /** Instructions in the block. */
        public int count() {
            return count;
        }

        /** Decoded instruction {@code i} (the interpreter's own object: read it, do not change it). */
        public DecodedInsn insn(int i) {
            return insns[i];
        }

        /** Offset within its page of the first byte of instruction {@code i}. */
        public int instructionOffsetInPage(int i) {
            return (phys + insns[i].eip - eip) & 0xFFF;
        }

        /**
         * Whether the block ends in a direct jump, branch or LOOP back to its own start or to code
         * before it within 4 KiB: the end of a loop's turn (decided when the block is built, so
         * that engines asking at every run read one field, not the last instruction).
         */
        public boolean loopsBack() {
            return loopsBack;
        }

        /** Whether the block was decoded for a 32-bit code segment. */
        public boolean code32() {
            return code32;
        }

        @Override
        public int physLo() {
            return physLo;
        }

        @Override
        public int physEnd() {
            return physEnd;
        }
    }

    /**
     * The cached blocks that start in a physical page (address >>> 12), for an engine that
     * compiles the hot code of a page together. The list is the interpreter's own: do not change it.
     */
    public List<Block> blocksInPage(int physPage) {
        return cache.blocksInPage(physPage);
    }

    /** The blocks whose one instruction begins in a physical page and ends in the next linear page. */
    public List<Block> crossingBlocksInPage(int physPage) {
        return cache.crossingBlocksInPage(physPage);
    }

    /** How many blocks have been decoded since the CPU was made (a block is decoded again only when it left the cache). */
    public long blocksBuilt() {
        return cache.built;
    }

    /** Whether this CPU has had the classes of its packages loaded (see ClassPreload). */
    boolean classesPreloaded() {
        return cache.preloaded;
    }

    /** How many times the next block was looked up in the block table rather than reached through a block's link. */
    public long blockLookups() {
        return cache.lookups;
    }

    /** How many Java exceptions guest code has provoked in the interpreter (a bug when not 0). */
    public long internalErrors() {
        return runner.internalErrors;
    }

    /** Drops every decoded block (embedders and tests that rewrite memory or reset state). */
    public void flushCodeCache() {
        for (int page : cache.clear()) cpu.physical.releaseCodePage(page);
        runner.newEpoch();
        runner.codeFlushed();
        if (engine != null) engine.flush();
    }

    private void codeWritten(int physAddr, int size) {
        if (cpu.physical.sharedByCpus()) {
            if (owner != Thread.currentThread()) {
                // Another CPU's thread wrote (or this CPU has not run yet): its caches are touched
                // only by its own thread, which applies the write before it runs guest code again.
                foreignWrites.add(physAddr, size);
                cpu.requestStop();
                return;
            }
        }
        applyCodeWrite(physAddr, size);
    }

    private void applyCodeWrite(int physAddr, int size) {
        int page = physAddr >>> 12;
        ExecutionEngine e = engine;
        if (e != null) e.codeWritten(physAddr, size);
        if (!cache.written(physAddr, size, runner) && (e == null || !e.holdsCode(page))) {
            cpu.physical.releaseCodePage(page);
        }
    }

    // ------------------------------------------------------------------------------------------

    /** Runs at most {@code maxInstructions} guest instructions (see {@link Cpu#run}) and says why it stopped. */
    public StopReason run(long maxInstructions) {
        long remaining = maxInstructions;
        Thread me = Thread.currentThread();
        if (owner != me) owner = me;
        foreignWrites.applyTo(this::applyCodeWrite);
        // The embedder may have changed CS, the CPL or the mappings since the last run: a new
        // epoch only when one of those did, so that a guest run in slices (an embedder's loop, a
        // Linux program between its system calls) keeps its links.
        runner.fetchContextChanged();
        cpu.memory.debugRegistersChanged();
        Block next = null;
        while (true) {
            if (s.shutdown) return StopReason.SHUTDOWN;
            if (cpu.stopRequested()) {
                foreignWrites.applyTo(this::applyCodeWrite);
                return StopReason.STOP_REQUESTED;
            }
            if (remaining <= 0) return StopReason.BUDGET_EXHAUSTED;
            boolean shadow = s.interruptShadow;
            s.interruptShadow = false;
            int rest = s.eflagsRest;
            if (!shadow && s.nmiPending && !s.nmiBlocked) {
                s.nmiPending = false;
                s.nmiBlocked = true;
                s.halted = false;
                next = null;
                runner.raise(CpuFault.NMI, CpuFault.NO_ERROR_CODE, Interrupts.EXTERNAL);
                continue;
            }
            if (!shadow && (rest & Flags.IF) != 0) {
                InterruptSource src = cpu.interrupts;
                if (src != null && src.pending()) {
                    int vector = src.acknowledge();
                    s.halted = false;
                    next = null;
                    runner.raise(vector, CpuFault.NO_ERROR_CODE, Interrupts.EXTERNAL);
                    continue;
                }
            }
            if (s.halted) {
                if ((rest & Flags.IF) == 0 || cpu.interrupts == null) return StopReason.HALTED;
                // Waiting for an interrupt: let time pass in budget units so the embedder can run devices.
                remaining--;
                Thread.onSpinWait();
                continue;
            }
            boolean trap = (rest & Flags.TF) != 0;
            // Breakpoints and RF are handled one instruction at a time, here and not in compiled code.
            boolean debug = BreakpointMatch.armed(s.dr[7]);
            boolean resume = (rest & Flags.RF) != 0;
            if (debug && !resume && instructionBreakpoint()) {
                next = null;
                continue;
            }
            boolean stepwise = shadow || trap || debug || resume;
            Block b = next;
            if (b == null) {
                try {
                    b = cache.lookup();
                } catch (CpuFault f) {
                    deliver(f); // fetch or decode fault of the first instruction: EIP is already on it
                    continue;
                } catch (RuntimeException e) {
                    runner.internalErrors++;
                    LOG.error("internal error decoding at {}:{}", Integer.toHexString(s.seg[Segment.CS].selector), Integer.toHexString(s.eip), e);
                    deliverUd();
                    continue;
                }
            }
            CpuHooks hooks = cpu.hooks;
            boolean announce = false;
            int lin = 0;
            if (hooks != null) {
                lin = s.seg[Segment.CS].base + b.eip;
                // The bytes the block covers (it may follow jumps, backwards too, within its page).
                int page = lin & ~0xFFF;
                int first = page | (b.physLo & 0xFFF), last = page | ((b.physEnd - 1) & 0xFFF);
                if (hooks.stepsCode(first, last)) {
                    announce = true;
                    stepwise = true; // watched code: one instruction at a time, never compiled
                } else {
                    announce = hooks.announcesCode(first, last); // compiled code announces its instructions itself
                }
            }
            if (engine != null && !stepwise && b.valid && b.crossBytes == null) {
                long before = cpu.instructions;
                boolean ran;
                try {
                    ran = engine.execute(b, (int) Math.min(remaining, ENGINE_SLICE));
                } catch (CpuFault f) {
                    remaining -= cpu.instructions - before;
                    next = null;
                    deliver(f); // the engine left the state at the faulting instruction
                    continue;
                }
                if (ran) {
                    remaining -= cpu.instructions - before;
                    // The engine's code may have changed the CPL or what its links depend on: the
                    // epoch of the privilege it left at, then the block after it through the links
                    // of the block it was offered (checked as after one of the interpreter's own
                    // passes), instead of a lookup in the table each time it hands back.
                    runner.fetchContextChanged();
                    next = cache.successor(b, runner.epoch);
                    continue;
                }
            }
            if (announce) {
                stepwise = true;
                // A stop that came while compiled code announced this instruction (it then left
                // before running it): the hooks have seen it once already.
                if (cpu.stopRequested()) return StopReason.STOP_REQUESTED;
                hooks.beforeInstruction(lin, b.insns[0]); // the interpreter looks at everything afresh anyway
                if (cpu.stopRequested()) return StopReason.STOP_REQUESTED;
                if (s.eip != b.eip || !b.valid) {
                    runner.newEpoch();
                    next = null;
                    continue;
                }
            }
            BlockRunner x = runner;
            x.sync();
            long done;
            if (stepwise) {
                // RF suppresses instruction breakpoints for this one instruction; IRET may set it again.
                s.eflagsRest &= ~Flags.RF;
                cpu.memory.dataBreakpointHits = 0;
                done = x.execute(b, 1, 1);
            } else {
                // With an engine, the chain stops before each block the engine wants offered.
                // With hooks, each block goes back to the loop, which looks at stop requests.
                done = x.runChain(b, remaining, hooks == null ? CHAIN_POLL : 1, cache, engine);
                b = x.last;
            }
            remaining -= done;
            next = x.chain ? cache.successor(b, x.epoch) : null;
            boolean stepTrap = trap && done == 1 && !s.halted && singleStepTraps(b.insns[0]);
            int dataHits = debug && done == 1 ? cpu.memory.dataBreakpointHits : 0;
            if (stepTrap || dataHits != 0) {
                // Single-step and data breakpoints trap after the instruction, as one #DB (SDM vol. 3, 17.3.1.2-4).
                s.dr[6] |= (stepTrap ? 0x4000 : 0) | dataHits;
                runner.newEpoch();
                next = null;
                runner.raise(CpuFault.DB, CpuFault.NO_ERROR_CODE, Interrupts.EXCEPTION);
            }
        }
    }

    /**
     * Whether an instruction that started with TF=1 and retired is followed by the single-step
     * trap: also when it cleared TF itself (POPF, IRET), but not after MOV SS / POP SS, which delay
     * it by one instruction, nor after INT n / INT3 / INTO / INT1 and exceptions, whose delivery
     * cleared TF (SDM vol. 3, 17.3.1.4 and 6.8.3).
     */
    private boolean singleStepTraps(DecodedInsn d) {
        switch (d.op) {
            case POPF:
            case IRET:
                return true;
            case MOV_TO_SREG:
            case POP_SREG:
                return d.dstReg != Segment.SS && (s.eflagsRest & Flags.TF) != 0;
            default:
                return (s.eflagsRest & Flags.TF) != 0;
        }
    }

    /**
     * An enabled instruction breakpoint at CS:EIP raises #DB as a fault, before the instruction,
     * with RF set in the pushed EFLAGS so that IRET resumes past it (SDM vol. 3, 17.3.1.1).
     */
    private boolean instructionBreakpoint() {
        int hits = BreakpointMatch.instruction(s.dr, s.seg[Segment.CS].base + s.eip);
        if (hits == 0) return false;
        s.dr[6] |= hits;
        s.eflagsRest |= Flags.RF;
        s.halted = false;
        runner.newEpoch();
        runner.raise(CpuFault.DB, CpuFault.NO_ERROR_CODE, Interrupts.EXCEPTION);
        return true;
    }

    /** Delivers a fault raised by the instruction at state.eip. */
    private void deliver(CpuFault f) {
        runner.deliver(f);
    }

    private void deliverUd() {
        runner.raise(CpuFault.UD, CpuFault.NO_ERROR_CODE, Interrupts.EXCEPTION);
    }

    /** The CPU is gone for good: the block cache's table goes to the next CPU (see Cpu#release). */
    void releaseTables() {
        cache.release();
    }
}
