package org.kasou.cpu;

import java.util.ArrayList;
import java.util.List;
import org.kasou.cpu.exec.Alu;
import org.kasou.cpu.exec.Branches;
import org.kasou.cpu.exec.Conditions;
import org.kasou.cpu.exec.Exec;
import org.kasou.cpu.exec.MulDiv;
import org.kasou.cpu.exec.Operands;
import org.kasou.cpu.exec.Shifts;
import org.kasou.cpu.exec.StackOps;
import org.kasou.cpu.sys.Interrupts;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;
import org.kasou.isa.Handlers;
import org.kasou.isa.InsnForm;
import org.kasou.isa.Op;
import org.kasou.mem.Memory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes guest instructions from pre-decoded blocks.
 *
 * <p>A block is a run of decoded instructions that starts at a given physical address and ends
 * after a control transfer (or an instruction that changes what decoding or interrupt checks
 * depend on), at a page boundary, or after {@link #MAX_BLOCK} instructions; it continues through
 * direct JMPs and CALLs whose target lies in the same page. Blocks are cached in a direct-mapped
 * table keyed by the physical address of their first byte, checked against EIP and CS.D (the
 * only mode bit decoding depends on) and against the CS limit. Each cached block's page is marked
 * as code in {@link org.kasou.mem.PhysicalMemory}; a write there drops the blocks it overlaps
 * (tracked per 64-byte chunk), and a write into the block being executed stops it right after the
 * writing instruction so that the modified code is decoded again.
 *
 * <p>Dispatch is one switch on {@link DecodedInsn#handler}: hot forms (32-bit register and
 * memory moves, ALU ops, INC/DEC, shifts, PUSH/POP, Jcc, JMP, CALL, RET...) run inline, the rest
 * through {@link Exec} on the instruction's {@link org.kasou.isa.Op}. A block that ends at a near
 * branch remembers its successors; while no far transfer, interrupt, fault or mode change happened
 * (an epoch counter), the next block is taken from those links without a lookup, and chained
 * blocks run back to back between polls of interrupts and stop requests.
 *
 * <p>Between blocks the loop checks the budget, stop requests, shutdown, pending external
 * interrupts (IF=1, outside an STI/MOV SS shadow), the single-step trap and HLT. Faults
 * ({@link CpuFault}) restore EIP and the lazy flags of the faulting instruction (instructions
 * change registers only after everything that can fault) and are delivered through
 * {@link Interrupts#raise}.
 */
public final class Interpreter {
    private static final Logger LOG = LoggerFactory.getLogger(Interpreter.class);

    /** Longest block, in instructions. */
    public static final int MAX_BLOCK = 64;
    /** Direct JMP/CALLs a block may follow into their targets. */
    private static final int MAX_FOLLOW = 8;
    /** Blocks run back to back through their links before the run loop looks at interrupts and stop requests. */
    private static final int CHAIN_POLL = 32;
    /** Times a block that loops onto itself runs again in place before returning to the run loop. */
    private static final int SELF_LOOPS = 32;
    private static final int TABLE_BITS = 14;

    private final Cpu cpu;
    private final CpuState s;
    private final Memory mem;
    private final Decoder decoder = new Decoder();

    private final Block[] table = new Block[1 << TABLE_BITS];
    /** Code pages by physical page number, in a two-level table (no boxing on the write path). */
    private final CodePages blocksByPage = new CodePages();

    /** Physical page number to CodePage: 1024 lazily allocated leaves of 1024 entries. */
    private static final class CodePages {
        private final CodePage[][] dir = new CodePage[1024][];
        private final java.util.Set<Integer> used = new java.util.HashSet<>();

        CodePage get(int page) {
            CodePage[] leaf = dir[(page >>> 10) & 0x3FF];
            return leaf == null ? null : leaf[page & 0x3FF];
        }

        CodePage getOrCreate(int page) {
            CodePage[] leaf = dir[(page >>> 10) & 0x3FF];
            if (leaf == null) leaf = dir[(page >>> 10) & 0x3FF] = new CodePage[1024];
            CodePage p = leaf[page & 0x3FF];
            if (p == null) {
                p = leaf[page & 0x3FF] = new CodePage();
                used.add(page & 0xFFFFF);
            }
            return p;
        }

        void remove(int page) {
            CodePage[] leaf = dir[(page >>> 10) & 0x3FF];
            if (leaf != null && leaf[page & 0x3FF] != null) {
                leaf[page & 0x3FF] = null;
                used.remove(Integer.valueOf(page & 0xFFFFF));
            }
        }

        /** Invalidates every block, empties the table and returns the pages that had blocks. */
        List<Integer> clear() {
            List<Integer> pages = new ArrayList<>(used);
            for (int page : pages) {
                CodePage p = dir[(page >>> 10) & 0x3FF][page & 0x3FF];
                for (Block b : p.blocks) b.valid = false;
                dir[(page >>> 10) & 0x3FF][page & 0x3FF] = null;
            }
            used.clear();
            return pages;
        }
    }

    /** The cached blocks of one physical page and which 64-byte chunks of it they cover. */
    private static final class CodePage {
        final List<Block> blocks = new ArrayList<>();
        long chunks;

        void add(Block b) {
            blocks.add(b);
            chunks |= chunkMask(b.physLo, b.physEnd - b.physLo);
        }

        void remove(Block b) {
            blocks.remove(b);
            long m = 0;
            for (Block x : blocks) m |= chunkMask(x.physLo, x.physEnd - x.physLo);
            chunks = m;
        }
    }

    /** Bits of the 64-byte chunks of a page that [addr, addr + size) touches (within one page). */
    private static long chunkMask(int addr, int size) {
        int first = (addr & 0xFFF) >>> 6;
        int last = Math.min(0xFFF, (addr & 0xFFF) + Math.max(size, 1) - 1) >>> 6;
        long hi = last == 63 ? -1L : (1L << (last + 1)) - 1;
        return hi & (-1L << first);
    }
    /** Reused for blocks that must not be cached (first instruction crossing a page). */
    private final Block scratch = new Block();
    private final DecodedInsn[] decodeBuffer = new DecodedInsn[MAX_BLOCK];

    /** Java exceptions caught while decoding or executing (each delivered to the guest as #UD); 0 unless there is a bug. */
    private long internalErrors;

    /** The block being executed, and whether a write hit it. */
    private Block running;
    private boolean runningHit;
    /** Whether the last block ended at a near branch or ran to its end, so that its successor may be chained. */
    private boolean chain;
    /**
     * Bumped whenever CS, the paging mode or the translation may have changed (far transfers,
     * interrupts, faults, MOV CR, INVLPG, OUT, run() entry...): block links from older epochs are
     * ignored.
     */
    private int epoch;

    // Code fetch state for the decoder.
    private final CodeFetcher fetcher = new CodeFetcher();

    // Lazy flags saved before a generic or memory read-modify-write instruction.
    private int savedOp, savedRes, savedDst, savedSrc, savedKnown;

    /** Compiled code offered each block before it is interpreted; null runs everything here. */
    private ExecutionEngine engine;
    /** Most instructions one call into the engine may run, so that interrupts get through. */
    private static final int ENGINE_SLICE = 1 << 16;

    public Interpreter(Cpu cpu) {
        this.cpu = cpu;
        this.s = cpu.state;
        this.mem = cpu.memory;
        for (int i = 0; i < MAX_BLOCK; i++) decodeBuffer[i] = new DecodedInsn();
        for (int i = 0; i < MAX_BLOCK; i++) scratch.insns[i] = new DecodedInsn();
        cpu.physical.setCodeWriteListener(this::codeWritten);
    }

    /** Installs (or with null removes) the engine offered each block before it is interpreted. */
    public void setEngine(ExecutionEngine engine) {
        if (this.engine != null) this.engine.flush();
        this.engine = engine;
    }

    public ExecutionEngine engine() {
        return engine;
    }

    /** A decoded block. */
    public static final class Block {
        /** Owned by the {@link ExecutionEngine}: its code for this block, and a hotness counter. */
        public Object engineCode;
        public int engineHeat;
        int phys;
        int eip;
        boolean code32;
        /** Offset of the block's last byte (for the CS limit check). */
        int lastByte;
        /** Physical byte range [physLo, physEnd) covering every instruction (within one page). */
        int physLo, physEnd;
        int count;
        boolean valid;
        DecodedInsn[] insns = new DecodedInsn[MAX_BLOCK];
        /** Successor blocks seen after this one, valid while {@link #linkEpoch} is the current epoch. */
        Block link0, link1;
        int linkEpoch = -1;

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

        /** Whether the block was decoded for a 32-bit code segment. */
        public boolean code32() {
            return code32;
        }
    }

    /** Reads code bytes through CS for the decoder: execute access, CS limit, same page. */
    private final class CodeFetcher implements Decoder.ByteSource {
        boolean first;
        int page;
        int csBase;
        int csLimit;

        @Override
        public int read(int offset) {
            if (Integer.compareUnsigned(offset, csLimit) > 0) {
                if (first) throw Operands.gp0(cpu);
                return -1;
            }
            int lin = csBase + offset;
            if (!first && (lin >>> 12) != page) return -1;
            return mem.fetch8(lin);
        }
    }

    /**
     * The cached blocks that start in a physical page (address >>> 12), for an engine that
     * compiles the hot code of a page together. The list is the interpreter's own: do not change it.
     */
    public List<Block> blocksInPage(int physPage) {
        CodePage p = blocksByPage.get(physPage & 0xFFFFF);
        return p == null ? List.of() : java.util.Collections.unmodifiableList(p.blocks);
    }

    /** How many Java exceptions guest code has provoked in the interpreter (a bug when not 0). */
    public long internalErrors() {
        return internalErrors;
    }

    /** Drops every decoded block (embedders and tests that rewrite memory or reset state). */
    public void flushCodeCache() {
        java.util.Arrays.fill(table, null);
        for (int page : blocksByPage.clear()) cpu.physical.unmarkCodePage(page);
        epoch++;
        if (running != null) runningHit = true;
        if (engine != null) engine.flush();
    }

    private void codeWritten(int physAddr, int size) {
        int page = physAddr >>> 12;
        ExecutionEngine e = engine;
        if (e != null) e.codeWritten(physAddr, size);
        CodePage cp = blocksByPage.get(page);
        if (cp == null) {
            if (e == null || !e.holdsCode(page)) cpu.physical.unmarkCodePage(page);
            return;
        }
        if ((cp.chunks & chunkMask(physAddr, size)) == 0) return; // data next to code: nothing to drop
        List<Block> list = cp.blocks;
        long lo = physAddr & 0xFFFFFFFFL;
        long hi = lo + size;
        for (int i = list.size() - 1; i >= 0; i--) {
            Block b = list.get(i);
            if (lo < (b.physEnd & 0xFFFFFFFFL) && hi > (b.physLo & 0xFFFFFFFFL)) {
                b.valid = false;
                int slot = slot(b.phys);
                if (table[slot] == b) table[slot] = null;
                list.remove(i);
                if (b == running) runningHit = true;
            }
        }
        if (list.isEmpty()) {
            blocksByPage.remove(page);
            if (e == null || !e.holdsCode(page)) cpu.physical.unmarkCodePage(page);
        } else {
            long m = 0;
            for (Block x : list) m |= chunkMask(x.physLo, x.physEnd - x.physLo);
            cp.chunks = m;
        }
    }

    private static int slot(int phys) {
        return (phys * 0x9E3779B1) >>> (32 - TABLE_BITS);
    }

    // ------------------------------------------------------------------------------------------

    public StopReason run(long maxInstructions) {
        long remaining = maxInstructions;
        epoch++; // the embedder may have changed anything since the last run
        Block next = null;
        while (true) {
            if (s.shutdown) return StopReason.SHUTDOWN;
            if (cpu.stopRequested()) return StopReason.STOP_REQUESTED;
            if (remaining <= 0) return StopReason.BUDGET_EXHAUSTED;
            boolean shadow = s.interruptShadow;
            s.interruptShadow = false;
            int rest = s.eflagsRest;
            if (!shadow && (rest & Flags.IF) != 0) {
                InterruptSource src = cpu.interrupts;
                if (src != null && src.pending()) {
                    int vector = src.acknowledge();
                    s.halted = false;
                    epoch++;
                    next = null;
                    Interrupts.raise(cpu, vector, CpuFault.NO_ERROR_CODE, Interrupts.EXTERNAL);
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
            Block b = next;
            if (b == null) {
                try {
                    b = lookup();
                } catch (CpuFault f) {
                    deliver(f); // fetch or decode fault of the first instruction: EIP is already on it
                    continue;
                } catch (RuntimeException e) {
                    internalErrors++;
                    LOG.error("internal error decoding at {}:{}", Integer.toHexString(s.seg[Segment.CS].selector), Integer.toHexString(s.eip), e);
                    deliverUd();
                    continue;
                }
            }
            if (engine != null && !shadow && !trap && b.valid) {
                long before = cpu.instructions;
                boolean ran;
                try {
                    ran = engine.execute(b, (int) Math.min(remaining, ENGINE_SLICE));
                } catch (CpuFault f) {
                    remaining -= cpu.instructions - before;
                    epoch++;
                    next = null;
                    deliver(f); // the engine left the state at the faulting instruction
                    continue;
                }
                if (ran) {
                    remaining -= cpu.instructions - before;
                    next = null;
                    continue;
                }
            }
            int limit = shadow || trap ? 1 : (int) Math.min(remaining, MAX_BLOCK);
            int done = execute(b, Math.min(limit, b.count), shadow || trap ? 1 : remaining);
            remaining -= done;
            if (chain && !shadow && !trap && engine == null) { // with an engine, every block start is offered to it
                // Chained blocks cannot change IF, TF, the shadow, HLT or shutdown (those end a block
                // through the generic path): only the budget, stop requests and interrupt sources need
                // watching, and those are polled every CHAIN_POLL blocks.
                for (int polls = CHAIN_POLL; chain && remaining > 0 && --polls > 0; ) {
                    Block nb = successor(b);
                    if (nb == null) break;
                    b = nb;
                    remaining -= execute(b, (int) Math.min(remaining, b.count), remaining);
                }
            }
            next = chain ? successor(b) : null;
            if (trap && done == 1 && !s.halted && singleStepTraps(b.insns[0])) {
                // Single-step trap after the instruction (SDM vol. 3, 17.3.1.4).
                s.dr[6] |= 0x4000;
                epoch++;
                next = null;
                Interrupts.raise(cpu, CpuFault.DB, CpuFault.NO_ERROR_CODE, Interrupts.EXCEPTION);
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

    /** The block at CS:EIP after {@code b} ended at a near branch, through b's links when they are current. */
    private Block successor(Block b) {
        int eip = s.eip;
        if (b.linkEpoch == epoch) {
            Block l = b.link0;
            if (l != null && l.eip == eip && l.valid) return l;
            l = b.link1;
            if (l != null && l.eip == eip && l.valid) return l;
        } else {
            b.link0 = null;
            b.link1 = null;
            b.linkEpoch = epoch;
        }
        Block n;
        try {
            n = lookup();
        } catch (RuntimeException e) {
            return null; // the main loop looks it up again and delivers the fault
        }
        if (n.valid && b.valid) {
            if (b.link0 == null || !b.link0.valid) b.link0 = n;
            else b.link1 = n;
        }
        return n;
    }

    private Block lookup() {
        Segment cs = s.seg[Segment.CS];
        int eip = s.eip;
        int lin = cs.base + eip;
        int phys = mem.translateCode(lin);
        boolean code32 = cs.big();
        int slot = slot(phys);
        Block b = table[slot];
        if (b != null && b.phys == phys && b.eip == eip && b.code32 == code32 && b.valid
                && Integer.compareUnsigned(b.lastByte, cs.limit) <= 0) {
            return b;
        }
        return build(eip, lin, phys, code32, slot);
    }

    private Block build(int eip, int lin, int phys, boolean code32, int slot) {
        Segment cs = s.seg[Segment.CS];
        CodeFetcher f = fetcher;
        f.csBase = cs.base;
        f.csLimit = cs.limit;
        f.page = lin >>> 12;
        int n = 0;
        int off = eip;
        int follows = 0;
        boolean crossesPage = false;
        while (n < MAX_BLOCK) {
            DecodedInsn d = decodeBuffer[n];
            f.first = n == 0;
            decoder.decode(d, f, off, code32);
            if (d.status == DecodedInsn.TRUNCATED) break; // continues in the next block
            n++;
            int lastLin = cs.base + d.eip + d.len - 1;
            if ((lastLin >>> 12) != f.page) {
                crossesPage = true;
                break;
            }
            if ((d.handler == Handlers.JMP_REL || d.handler == Handlers.CALL_REL32) && follows < MAX_FOLLOW
                    && d.target != d.eip && ((cs.base + d.target) >>> 12) == f.page
                    && Integer.compareUnsigned(d.target, cs.limit) <= 0) {
                // Continue the block at the target of a direct JMP/CALL in the same page.
                d.handler = d.handler == Handlers.JMP_REL ? Handlers.JMP_INLINE : Handlers.CALL_INLINE32;
                follows++;
                off = d.target;
                continue;
            }
            if (d.handler == Handlers.UD || d.handler == Handlers.GP0 || (d.form != null && d.form.has(InsnForm.END))) break;
            off = d.next;
            if (((cs.base + off) >>> 12) != f.page) break;
        }
        Block b;
        if (crossesPage && n == 1) {
            b = scratch; // not cached: its bytes span two pages
            b.valid = false;
        } else {
            if (crossesPage) n--; // leave the page-crossing instruction to its own block
            b = new Block();
            b.valid = true;
        }
        b.phys = phys;
        b.eip = eip;
        b.code32 = code32;
        b.count = n;
        // The highest offset (for the CS limit check) and the page range the instructions cover.
        int startLin = cs.base + eip;
        int lo = startLin & 0xFFF;
        int hi = lo;
        int maxByte = eip;
        for (int i = 0; i < n; i++) {
            DecodedInsn x = decodeBuffer[i];
            int lastOff = x.eip + x.len - 1;
            if (Integer.compareUnsigned(lastOff, maxByte) > 0) maxByte = lastOff;
            int l = (cs.base + x.eip) & 0xFFF;
            lo = Math.min(lo, l);
            hi = Math.max(hi, l + x.len);
        }
        b.lastByte = maxByte;
        b.physLo = (phys & ~0xFFF) | lo;
        b.physEnd = (phys & ~0xFFF) + Math.min(hi, 0x1000);
        for (int i = 0; i < n; i++) {
            DecodedInsn src = decodeBuffer[i];
            if (b == scratch) {
                decodeBuffer[i] = b.insns[i];
                b.insns[i] = src;
            } else {
                b.insns[i] = src;
                decodeBuffer[i] = new DecodedInsn();
            }
        }
        if (b != scratch) {
            Block old = table[slot];
            if (old != null) {
                old.valid = false; // links to it must not survive its leaving the cache
                CodePage op = blocksByPage.get(old.phys >>> 12);
                if (op != null) {
                    op.remove(old);
                    if (op.blocks.isEmpty()) blocksByPage.remove(old.phys >>> 12);
                }
            }
            table[slot] = b;
            blocksByPage.getOrCreate(phys >>> 12).add(b);
            cpu.physical.markCodePage(phys >>> 12);
        }
        return b;
    }

    /** Runs instructions [0, n) of a block; returns how many retired. */
    private int execute(Block b, int n, long budget) {
        final CpuState s = this.s;
        final int[] r = s.gpr;
        final Memory m = mem;
        final Cpu cpu = this.cpu;
        final DecodedInsn[] insns = b.insns;
        final long base0 = cpu.instructions;
        // base + i is the instruction count; a block that branches back to its own start runs again
        // in place (up to SELF_LOOPS times, within the budget), moving base on.
        long base = base0;
        int loops = 0;
        running = b;
        runningHit = false;
        chain = false;
        int i = 0;
        DecodedInsn d = insns[0];
        try {
            loop:
            while (true) {
                d = insns[i];
                // EIP is stored only where it is needed: branches, the generic path, block exits, faults.
                switch (d.handler) {
                    case Handlers.MOV_RR32:
                        r[d.dstReg] = r[d.srcReg];
                        break;
                    case Handlers.MOV_RI32:
                        r[d.dstReg] = d.imm;
                        break;
                    case Handlers.ADD_RR32:
                        r[d.dstReg] = Alu.add(s, 4, r[d.dstReg], r[d.srcReg]);
                        break;
                    case Handlers.OR_RR32:
                        r[d.dstReg] = Alu.or(s, 4, r[d.dstReg], r[d.srcReg]);
                        break;
                    case Handlers.AND_RR32:
                        r[d.dstReg] = Alu.and(s, 4, r[d.dstReg], r[d.srcReg]);
                        break;
                    case Handlers.SUB_RR32:
                        r[d.dstReg] = Alu.sub(s, 4, r[d.dstReg], r[d.srcReg]);
                        break;
                    case Handlers.XOR_RR32:
                        r[d.dstReg] = Alu.xor(s, 4, r[d.dstReg], r[d.srcReg]);
                        break;
                    case Handlers.CMP_RR32:
                        Alu.cmp(s, 4, r[d.dstReg], r[d.srcReg]);
                        break;
                    case Handlers.ADD_RI32:
                        r[d.dstReg] = Alu.add(s, 4, r[d.dstReg], d.imm);
                        break;
                    case Handlers.OR_RI32:
                        r[d.dstReg] = Alu.or(s, 4, r[d.dstReg], d.imm);
                        break;
                    case Handlers.AND_RI32:
                        r[d.dstReg] = Alu.and(s, 4, r[d.dstReg], d.imm);
                        break;
                    case Handlers.SUB_RI32:
                        r[d.dstReg] = Alu.sub(s, 4, r[d.dstReg], d.imm);
                        break;
                    case Handlers.XOR_RI32:
                        r[d.dstReg] = Alu.xor(s, 4, r[d.dstReg], d.imm);
                        break;
                    case Handlers.CMP_RI32:
                        Alu.cmp(s, 4, r[d.dstReg], d.imm);
                        break;
                    case Handlers.TEST_RR32:
                        Alu.test(s, 4, r[d.dstReg], r[d.srcReg]);
                        break;
                    case Handlers.TEST_RI32:
                        Alu.test(s, 4, r[d.dstReg], d.imm);
                        break;
                    case Handlers.NOP:
                        break;
                    case Handlers.JCC:
                        if (Conditions.test(s, d.cc)) {
                            Branches.jump(cpu, d.target);
                            if (d.target == b.eip && ++loops < SELF_LOOPS && budget - (base - base0) - (i + 1) >= b.count) {
                                base += i + 1;
                                i = 0;
                                continue loop;
                            }
                        } else {
                            s.eip = d.next;
                        }
                        i++;
                        chain = true;
                        break loop;
                    case Handlers.JZ:
                        if (LazyFlags.zf(s)) {
                            Branches.jump(cpu, d.target);
                            if (d.target == b.eip && ++loops < SELF_LOOPS && budget - (base - base0) - (i + 1) >= b.count) {
                                base += i + 1;
                                i = 0;
                                continue loop;
                            }
                        } else {
                            s.eip = d.next;
                        }
                        i++;
                        chain = true;
                        break loop;
                    case Handlers.JNZ:
                        if (!LazyFlags.zf(s)) {
                            Branches.jump(cpu, d.target);
                            if (d.target == b.eip && ++loops < SELF_LOOPS && budget - (base - base0) - (i + 1) >= b.count) {
                                base += i + 1;
                                i = 0;
                                continue loop;
                            }
                        } else {
                            s.eip = d.next;
                        }
                        i++;
                        chain = true;
                        break loop;
                    case Handlers.JMP_INLINE:
                        break; // the target is the next decoded instruction
                    case Handlers.CALL_INLINE32:
                        StackOps.push32(cpu, d.next);
                        if (runningHit) {
                            s.eip = d.target;
                            i++;
                            break loop;
                        }
                        break;
                    case Handlers.JMP_REL:
                        Branches.jump(cpu, d.target);
                        i++;
                        chain = true;
                        break loop;
                    case Handlers.CALL_REL32: {
                        int t = d.target;
                        if (Integer.compareUnsigned(t, s.seg[Segment.CS].limit) > 0) throw Operands.gp0(cpu);
                        StackOps.push32(cpu, d.next);
                        s.eip = t;
                        i++;
                        chain = true;
                        break loop;
                    }
                    case Handlers.RET32: {
                        Segment ss = s.seg[Segment.SS];
                        int esp = r[CpuState.ESP];
                        int t = m.read32(Segment.SS, StackOps.offset(ss, esp));
                        Branches.jump(cpu, t);
                        r[CpuState.ESP] = StackOps.espAdd(ss, esp, 4);
                        i++;
                        chain = true;
                        break loop;
                    }
                    case Handlers.CALL_IND32: {
                        int t = d.dst == DecodedInsn.LOC_REG ? r[d.dstReg] : m.read32(d.eaSeg, Operands.ea(s, d));
                        if (Integer.compareUnsigned(t, s.seg[Segment.CS].limit) > 0) throw Operands.gp0(cpu);
                        StackOps.push32(cpu, d.next);
                        s.eip = t;
                        i++;
                        chain = true;
                        break loop;
                    }
                    case Handlers.JMP_IND32:
                        Branches.jump(cpu, d.dst == DecodedInsn.LOC_REG ? r[d.dstReg] : m.read32(d.eaSeg, Operands.ea(s, d)));
                        i++;
                        chain = true;
                        break loop;
                    case Handlers.RET_IMM32: {
                        Segment ss = s.seg[Segment.SS];
                        int esp = r[CpuState.ESP];
                        int t = m.read32(Segment.SS, StackOps.offset(ss, esp));
                        Branches.jump(cpu, t);
                        r[CpuState.ESP] = StackOps.espAdd(ss, esp, 4 + (d.imm & 0xFFFF));
                        i++;
                        chain = true;
                        break loop;
                    }
                    case Handlers.UD:
                        throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
                    case Handlers.GP0:
                        throw cpu.fault.set(CpuFault.GP, 0);
                    default: {
                        MemoryForm form = MemoryForm.BY_HANDLER[d.handler];
                        if (form != null) {
                            // Compiled apart from this method (see MemoryForm), reached by one virtual call.
                            form.run(cpu, s, m, d);
                        } else {
                            saveFlags();
                            cpu.instructions = base + i;
                            s.eip = d.next;
                            int st = Exec.execute(cpu, d);
                            if (st != Exec.NEXT) {
                                i++;
                                epoch++;
                                break loop;
                            }
                        }
                        if (runningHit) {
                            s.eip = d.next;
                            i++;
                            break loop;
                        }
                        break;
                    }
                }
                if (++i >= n) {
                    s.eip = d.handler == Handlers.JMP_INLINE || d.handler == Handlers.CALL_INLINE32 ? d.target : d.next;
                    chain = i == b.count;
                    break;
                }
            }
        } catch (CpuFault f) {
            cpu.instructions = base + i;
            running = null;
            chain = false;
            epoch++;
            s.eip = d.eip;
            // A REP CMPS/SCAS that faults part-way keeps the flags of its last completed iteration.
            if (d.handler == Handlers.GENERIC && d.op != Op.CMPS && d.op != Op.SCAS) {
                restoreFlags();
            }
            deliver(f);
            return (int) (base - base0) + i;
        } catch (RuntimeException e) {
            cpu.instructions = base + i;
            running = null;
            chain = false;
            epoch++;
            s.eip = d.eip;
            internalErrors++;
            LOG.error("internal error executing {}", d, e);
            deliverUd();
            return (int) (base - base0) + i;
        }
        running = null;
        cpu.instructions = base + i;
        return (int) (base - base0) + i;
    }

    static int alu32(CpuState s, int kind, int a, int b) {
        switch (kind) {
            case 0: return Alu.add(s, 4, a, b);
            case 1: return Alu.or(s, 4, a, b);
            case 2: return Alu.adc(s, 4, a, b);
            case 3: return Alu.sbb(s, 4, a, b);
            case 4: return Alu.and(s, 4, a, b);
            case 5: return Alu.sub(s, 4, a, b);
            case 6: return Alu.xor(s, 4, a, b);
            default: Alu.cmp(s, 4, a, b); return a;
        }
    }

    /** The value of group-1 operation {@code kind} without recording flags (ADC/SBB read CF). */
    static int aluValue32(CpuState s, int kind, int a, int b) {
        switch (kind) {
            case 0: return a + b;
            case 1: return a | b;
            case 2: return a + b + (LazyFlags.cf(s) ? 1 : 0);
            case 3: return a - b - (LazyFlags.cf(s) ? 1 : 0);
            case 4: return a & b;
            case 5: return a - b;
            case 6: return a ^ b;
            default: return a;
        }
    }

    private void saveFlags() {
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
    private void deliver(CpuFault f) {
        int vector = f.vector;
        int error = CpuFault.hasErrorCode(vector) ? f.errorCode : CpuFault.NO_ERROR_CODE;
        if (vector == CpuFault.DB || vector == CpuFault.BP || vector == CpuFault.OF) {
            Interrupts.raise(cpu, vector, CpuFault.NO_ERROR_CODE, Interrupts.EXCEPTION);
        } else {
            Interrupts.raise(cpu, vector, error, Interrupts.EXCEPTION);
        }
    }

    private void deliverUd() {
        Interrupts.raise(cpu, CpuFault.UD, CpuFault.NO_ERROR_CODE, Interrupts.EXCEPTION);
    }
}
