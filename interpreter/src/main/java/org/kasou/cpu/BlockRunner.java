package org.kasou.cpu;

import org.kasou.cpu.Interpreter.Block;
import org.kasou.cpu.exec.Operands;
import org.kasou.cpu.sys.Interrupts;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Op;
import org.kasou.mem.ChunkWords;
import org.kasou.mem.Memory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the instructions of one block: each is a {@link FastOp} that does its work and says where
 * to go next, so that the loop here is one virtual call per instruction (or per fused pair) and
 * nothing else. Each op is compiled on its own, loads only the operands it has, and keeps the
 * memory fast path inlined; the loop holds only the block, the index and the limit.
 *
 * <p>Also the state shared with the ops: the CPU, the block being run and whether a write hit it
 * (then the block stops right after the writing instruction, so that the modified code is decoded
 * again), the instruction count at the start of the pass, the epoch that invalidates block links,
 * and the lazy flags saved before a generic instruction (restored when it faults).
 */
final class BlockRunner {
    private static final Logger LOG = LoggerFactory.getLogger(BlockRunner.class);

    /** Times a block that loops onto itself runs again in place before returning to the run loop. */
    private static final int SELF_LOOPS = 32;

    final Cpu cpu;
    final CpuState s;
    final int[] r;
    final Memory m;

    // The memory fast path (see Memory): segments and the RAM pages that the CPL may read and write
    // directly, held here so that an op reaches them in one load.
    private final Segment[] seg;
    /**
     * Per segment register, the base and the highest offsets the fast path may read and write
     * ({@link Memory#fastLimit}, -1 when every access must take the checked path): a snapshot
     * taken by {@link #sync} before blocks run and after generic instructions that may load a
     * segment register or change the CPL (no fast form does).
     */
    private final int[] segBase = new int[6];
    private final long[] readLimit = new long[6], writeLimit = new long[6];
    /**
     * Per segment register (bit i), whether it is flat for reads / writes: base 0, limit 4 GiB and
     * a fast-path type. Then the offset is the linear address and needs no limit check (an access
     * past 4 GiB crosses the top page, which the page check sends to Memory).
     */
    private int flatRead, flatWrite;
    /** Memory.readPages and writePages of the CPL, set with the segment snapshot. */
    private byte[][] readPages, writePages;
    /** CS.limit (near branch targets beyond it raise #GP(0)) and SS.B, with the segment snapshot. */
    int csLimit;
    private boolean stack32;

    /** The block being executed, and whether a write hit it. */
    private Block running;
    boolean runningHit;
    /** Set by an op that ends the block in a way that must not chain (generic control transfer, code write). */
    boolean stop;
    /** Whether the last block ended at a near branch or ran to its end, so that its successor may be chained. */
    boolean chain;
    /** The last block {@link #runChain} ran. */
    Block last;
    /** Index of the op that failed (set by pass for the fault handlers). */
    private int current;
    /** cpu.instructions at the start of the current pass through the block. */
    long base;
    /**
     * The epoch that block links are checked against: a link found in another epoch is not
     * followed. Each fetch privilege (supervisor, user) has an epoch of its own, and the current
     * one is that of the CPL, so that the links found at one privilege come back into use when
     * the CPU returns to it (a system call, an interrupt or a page fault and the IRET after it)
     * while nothing they depend on changed: CS's base, limit and D bit as they were at that
     * privilege, and the translations of the pages code was found in at that privilege
     * ({@link Memory#codeMappingGeneration}). Links never lead from one privilege to the other: a
     * block ends at every instruction that changes the CPL.
     */
    int epoch;
    /** Where new epoch numbers come from. */
    private int epochs;
    /** Per privilege (0 supervisor, 1 user): its epoch and what its links were found under. */
    private final int[] levelEpoch = new int[2], levelCsBase = new int[2], levelCsLimit = new int[2], levelMappings = new int[2];
    private final boolean[] levelCode32 = new boolean[2];
    /** Whether the level's snapshot is taken (after {@link #newEpoch} it is taken at the next entry). */
    private final boolean[] levelKnown = new boolean[2];

    /** Starts new epochs at both privileges: no link found so far is followed any more. */
    void newEpoch() {
        levelEpoch[0] = ++epochs;
        levelEpoch[1] = ++epochs;
        levelKnown[0] = levelKnown[1] = false;
        fetchContextChanged();
    }

    /**
     * After an instruction, an interrupt or a fault that may have changed where code is found (a
     * far transfer, IRET, MOV CR, INVLPG, OUT...): takes the epoch of the CPL's privilege, a new
     * one when CS's base, limit or D bit or the translation of a page that code was found in at
     * that privilege changed since its links were found. A kernel that patches its code INVLPGs a
     * data page, loads CR3 and runs IRET and STI thousands of times without any of that, and a
     * process's system calls and page faults leave its links and the kernel's alone.
     */
    void fetchContextChanged() {
        int l = s.cpl == 3 ? 1 : 0;
        Segment cs = seg[Segment.CS];
        int mappings = m.codeMappingGeneration(l == 1);
        if (!levelKnown[l] || cs.base != levelCsBase[l] || cs.limit != levelCsLimit[l] || cs.big() != levelCode32[l]
                || mappings != levelMappings[l]) {
            if (levelKnown[l]) levelEpoch[l] = ++epochs;
            levelKnown[l] = true;
            levelCsBase[l] = cs.base;
            levelCsLimit[l] = cs.limit;
            levelCode32[l] = cs.big();
            levelMappings[l] = mappings;
        }
        epoch = levelEpoch[l];
    }

    /** Java exceptions caught while decoding or executing (each delivered to the guest as #UD); 0 unless there is a bug. */
    long internalErrors;

    // Lazy flags saved before a generic instruction.
    private int savedOp, savedRes, savedDst, savedSrc, savedKnown;

    BlockRunner(Cpu cpu) {
        this.cpu = cpu;
        this.s = cpu.state;
        this.r = s.gpr;
        this.m = cpu.memory;
        this.seg = s.seg;
    }

    /**
     * Takes the snapshot of the segments and of the CPL's pages that the memory fast path uses:
     * before blocks run (the embedder, an interrupt, a fault or an engine may have changed them)
     * and after generic instructions that may change them (see GenericOp).
     */
    void sync() {
        Segment[] sg = seg;
        int fr = 0, fw = 0;
        // While the alignment check is on, every access goes to Memory, which makes it.
        boolean checked = m.alignmentChecking();
        for (int i = 0; i < 6; i++) {
            Segment g = sg[i];
            segBase[i] = g.base;
            readLimit[i] = checked ? -1 : Memory.fastLimit(g, false);
            writeLimit[i] = checked ? -1 : Memory.fastLimit(g, true);
            if (!checked && Memory.flat(g, false)) fr |= 1 << i;
            if (!checked && Memory.flat(g, true)) fw |= 1 << i;
        }
        flatRead = fr;
        flatWrite = fw;
        readPages = m.readPages(s.cpl);
        writePages = m.writePages(s.cpl);
        csLimit = sg[Segment.CS].limit;
        stack32 = sg[Segment.SS].big();
    }

    /** A near branch: EIP to {@code target} after the CS limit check (as Branches.jump). */
    void jump(int target) {
        if (Integer.compareUnsigned(target, csLimit) > 0) throw Operands.gp0(cpu);
        s.eip = target;
    }

    // Segmented accesses with the same meaning as Memory's: the common case (a plain data segment
    // within its limit, a TLB hit within the page) here, everything else through Memory.

    /**
     * The linear address of a fast-path access of {@code size} bytes at sg:off, or -1 (Memory's
     * checked path): a flat segment's offset needs no limit check and no base (past 4 GiB the
     * access crosses the top page, which the page check sends to Memory).
     */
    private long readAddress(int sg, int off, int size) {
        if ((flatRead >>> sg & 1) != 0) return off & 0xFFFFFFFFL;
        return (off & 0xFFFFFFFFL) + size - 1 <= readLimit[sg] ? (segBase[sg] + off) & 0xFFFFFFFFL : -1;
    }

    /** {@link #readAddress} for writes. */
    private long writeAddress(int sg, int off, int size) {
        if ((flatWrite >>> sg & 1) != 0) return off & 0xFFFFFFFFL;
        return (off & 0xFFFFFFFFL) + size - 1 <= writeLimit[sg] ? (segBase[sg] + off) & 0xFFFFFFFFL : -1;
    }

    int read8(int sg, int off) {
        long a = readAddress(sg, off, 1);
        if (a >= 0) {
            int lin = (int) a;
            byte[] p = readPages[lin >>> 12];
            if (p != null) return ChunkWords.get8(p, lin & 0xFFF);
        }
        return m.read8(sg, off);
    }

    int read16(int sg, int off) {
        long a = readAddress(sg, off, 2);
        if (a >= 0) {
            int lin = (int) a;
            byte[] p = readPages[lin >>> 12];
            if (p != null && (lin & 0xFFF) <= 0xFFE) return ChunkWords.get16(p, lin & 0xFFF);
        }
        return m.read16(sg, off);
    }

    int read32(int sg, int off) {
        long a = readAddress(sg, off, 4);
        if (a >= 0) {
            int lin = (int) a;
            byte[] p = readPages[lin >>> 12];
            if (p != null && (lin & 0xFFF) <= 0xFFC) return ChunkWords.get32(p, lin & 0xFFF);
        }
        return m.read32(sg, off);
    }

    void write8(int sg, int off, int v) {
        long a = writeAddress(sg, off, 1);
        if (a >= 0) {
            int lin = (int) a;
            byte[] p = writePages[lin >>> 12];
            if (p != null) {
                ChunkWords.set8(p, lin & 0xFFF, v);
                return;
            }
        }
        m.write8(sg, off, v);
    }

    void write16(int sg, int off, int v) {
        long a = writeAddress(sg, off, 2);
        if (a >= 0) {
            int lin = (int) a;
            byte[] p = writePages[lin >>> 12];
            if (p != null && (lin & 0xFFF) <= 0xFFE) {
                ChunkWords.set16(p, lin & 0xFFF, v);
                return;
            }
        }
        m.write16(sg, off, v);
    }

    void write32(int sg, int off, int v) {
        long a = writeAddress(sg, off, 4);
        if (a >= 0) {
            int lin = (int) a;
            byte[] p = writePages[lin >>> 12];
            if (p != null && (lin & 0xFFF) <= 0xFFC) {
                ChunkWords.set32(p, lin & 0xFFF, v);
                return;
            }
        }
        m.write32(sg, off, v);
    }

    void blockDropped(Block b) {
        if (b == running) runningHit = true;
    }

    void codeFlushed() {
        if (running != null) runningHit = true;
    }

    /**
     * Runs instructions [0, n) of a block (n is its count, or less to stop early: single-step,
     * interrupt shadow, budget); returns how many retired. A block that branches back to its own
     * start runs again in place, up to {@link #SELF_LOOPS} times within {@code budget}.
     */
    int execute(Block b, int n, long budget) {
        final FastOp[] ops = n < b.count ? b.plain : b.ops;
        final long base0 = cpu.instructions;
        base = base0;
        running = b;
        runningHit = false;
        stop = false;
        int loops = 0;
        int retired;
        while (true) {
            int nx;
            try {
                nx = pass(ops, n);
            } catch (CpuFault f) {
                return faulted(b, ops, f, base0);
            } catch (RuntimeException e) {
                return failed(b, ops, e, base0);
            }
            if (nx >= 0) {
                retired = nx;
                s.eip = nx < b.count ? b.insns[nx].eip : b.endEip;
                chain = nx == b.count;
                break;
            }
            if (nx > FastOp.RESTART) {
                retired = ~nx;
                chain = !stop;
                break;
            }
            // The block branched to its own start (EIP is set): again in place while the budget allows.
            int k = FastOp.RESTART - nx;
            if (++loops < SELF_LOOPS && budget - (base - base0) - k >= b.count) {
                base += k;
                continue;
            }
            retired = k;
            chain = true;
            break;
        }
        running = null;
        long end = base + retired;
        cpu.instructions = end;
        return (int) (end - base0);
    }

    /**
     * Runs block b and then, while each block ends in a way that lets its successor follow, the
     * blocks it leads to (through their links), up to {@code polls} blocks and {@code remaining}
     * instructions, stopping before a block that {@code engine} (null: none) wants offered.
     * Chained blocks cannot change IF, TF, the interrupt shadow, HLT or shutdown (those end a block
     * through the generic path, which does not chain). Returns the instructions retired;
     * {@link #last} is the last block run and {@link #chain} whether its successor may follow.
     */
    long runChain(Block b, long remaining, int polls, BlockCache cache, ExecutionEngine engine) {
        long done = 0;
        while (true) {
            int k = execute(b, remaining < b.count ? (int) remaining : b.count, remaining);
            done += k;
            remaining -= k;
            last = b;
            if (!chain || remaining <= 0 || --polls <= 0) return done;
            Block nb = cache.successor(b, epoch);
            if (nb == null) {
                chain = false; // the run loop looks the block up and delivers the fault
                return done;
            }
            if (engine != null && engine.wants(nb)) return done; // the run loop offers it
            b = nb;
        }
    }

    private int faulted(Block b, FastOp[] ops, CpuFault f, long base0) {
        FastOp op = ops[current];
        int i = op.idx; // the op at a position may run a later instruction (see OpFactory)
        fault(b, op, i);
        deliver(f);
        return (int) (base - base0) + i;
    }

    private int failed(Block b, FastOp[] ops, RuntimeException e, long base0) {
        int i = ops[current].idx;
        fault(b, null, i);
        internalErrors++;
        LOG.error("internal error executing {}", b.insns[i], e);
        raise(CpuFault.UD, CpuFault.NO_ERROR_CODE, Interrupts.EXCEPTION);
        return (int) (base - base0) + i;
    }

    /** PUSH with a 32-bit operand size (as StackOps.push32): the write first, then ESP. */
    void push32(int v) {
        int[] r = this.r;
        int esp = r[CpuState.ESP];
        if (stack32) {
            esp -= 4;
            write32(Segment.SS, esp, v);
        } else {
            esp = (esp & 0xFFFF0000) | ((esp - 4) & 0xFFFF);
            write32(Segment.SS, esp & 0xFFFF, v);
        }
        r[CpuState.ESP] = esp;
    }

    /** POP with a 32-bit operand size (as StackOps.pop32): the read first, then ESP. */
    int pop32() {
        int[] r = this.r;
        int esp = r[CpuState.ESP];
        if (stack32) {
            int v = read32(Segment.SS, esp);
            r[CpuState.ESP] = esp + 4;
            return v;
        }
        int v = read32(Segment.SS, esp & 0xFFFF);
        r[CpuState.ESP] = (esp & 0xFFFF0000) | ((esp + 4) & 0xFFFF);
        return v;
    }

    /**
     * One pass through a block from its first instruction: runs ops until one leaves the block or
     * the next index reaches {@code n}; returns that op's answer. Kept apart (and small) so that
     * only the ops, the limit and this runner are live across the calls; the index of the running
     * op is stored for the fault handler instead.
     */
    private int pass(FastOp[] ops, int n) {
        int i = 0;
        try {
            while (true) {
                int nx = ops[i].run(this);
                if (nx < 0 || nx >= n) return nx;
                i = nx;
            }
        } catch (RuntimeException e) { // the op that failed, for the handlers (a local here, not a store an instruction)
            current = i;
            throw e;
        }
    }

    /** Puts the state back to the start of instruction i, which faulted. */
    private void fault(Block b, FastOp op, int i) {
        DecodedInsn d = b.insns[i];
        cpu.instructions = base + i;
        running = null;
        chain = false;
        s.eip = d.eip;
        // A REP CMPS/SCAS that faults part-way keeps the flags of its last completed iteration.
        if ((op instanceof GenericOp || op instanceof AtomicOp) && d.op != Op.CMPS && d.op != Op.SCAS) restoreFlags();
    }

    /** An op wrote into the running block: stop after instruction idx (which continues at next). */
    int hit(int idx, int next) {
        s.eip = next;
        stop = true;
        return ~(idx + 1);
    }

    void saveFlags() {
        CpuState s = this.s;
        savedOp = s.lfOp;
        savedRes = s.lfRes;
        savedDst = s.lfDst;
        savedSrc = s.lfSrc;
        savedKnown = s.lfKnown;
    }

    private void restoreFlags() {
        CpuState s = this.s;
        s.lfOp = savedOp;
        s.lfRes = savedRes;
        s.lfDst = savedDst;
        s.lfSrc = savedSrc;
        s.lfKnown = savedKnown;
    }

    /** Delivers a fault raised by the instruction at state.eip. */
    void deliver(CpuFault f) {
        int vector = f.vector;
        boolean noCode = !CpuFault.hasErrorCode(vector) || vector == CpuFault.DB || vector == CpuFault.BP || vector == CpuFault.OF;
        raise(vector, noCode ? CpuFault.NO_ERROR_CODE : f.errorCode, Interrupts.EXCEPTION);
    }

    /**
     * Delivers an interrupt or exception, then takes the epoch of the privilege the handler runs
     * at (see {@link #fetchContextChanged}), also when the delivery itself fails.
     */
    void raise(int vector, int errorCode, int kind) {
        try {
            Interrupts.raise(cpu, vector, errorCode, kind);
        } finally {
            fetchContextChanged();
        }
    }
}
