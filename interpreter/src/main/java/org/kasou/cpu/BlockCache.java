package org.kasou.cpu;

import java.util.List;
import org.kasou.cpu.Interpreter.Block;
import org.kasou.cpu.exec.Operands;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;
import org.kasou.isa.HandlerSelector;
import org.kasou.isa.Handlers;
import org.kasou.isa.InsnForm;
import org.kasou.isa.Op;
import org.kasou.mem.Memory;

/**
 * Builds decoded blocks and keeps them: a direct-mapped table keyed by the physical address of a
 * block's first byte (checked against EIP, CS.D and the CS limit), a {@link CodePageIndex} of the
 * pages they came from (marked as code in {@link org.kasou.mem.PhysicalMemory}, so that writes
 * there drop the blocks they overlap), and the links from a block to the successors it was seen
 * to branch to.
 *
 * <p>A block is a run of decoded instructions that starts at a given physical address and ends
 * after an unconditional control transfer (or an instruction that changes what decoding or
 * interrupt checks depend on), at a page boundary, or after {@link #MAX_BLOCK} instructions; it
 * continues through direct JMPs and CALLs whose target lies in the same page, and past
 * conditional branches (which leave it when taken). Each instruction's form is chosen
 * once here ({@link HandlerSelector}) and turned into the {@link FastOp} that runs it
 * ({@link OpFactory}).
 */
final class BlockCache {
    /** Longest block, in instructions. */
    static final int MAX_BLOCK = 64;
    /** Direct JMP/CALLs a block may follow into their targets. */
    private static final int MAX_FOLLOW = 8;
    /**
     * 256 Ki slots (1 MB of references). With 64 Ki, a Linux guest running fork and exec in a loop
     * decoded each of its ~15,000 kernel blocks about 18 times over 300 iterations, the blocks of
     * the fork, exec and exit paths pushing each other out (and each new block's JIT count started
     * again); a shell loop of 300 `/bin/true` took 6.3-6.6 s instead of 7.1-8.3 s (four alternating
     * pairs), a trivial guest's peak memory 1.8 MB more.
     */
    private static final int TABLE_BITS = 18;
    /**
     * Ways of a set: the blocks whose addresses hash to one set. With two, three hot blocks of one
     * set pushed each other out at every turn: a guest of 8,192 small functions called in a loop
     * (bench/tools/many-blocks.py) had 55 such sets and decoded 286,000 blocks for 22,679 distinct
     * ones. More ways cost a lookup that misses more probes, and lookups are rare next to links.
     */
    static final int WAYS = 4;

    private final Cpu cpu;
    private final CpuState s;
    private final Memory mem;
    private final Decoder decoder = new Decoder();
    private final CodeFetcher fetcher = new CodeFetcher();
    private final Block[] table = org.kasou.mem.SpareTables.take(Block[].class, 1 << TABLE_BITS);
    /** The blocks of a set that move a way down as a new one comes (see {@link #build}). */
    private final Block[] moving = new Block[WAYS - 1];
    private final CodePageIndex<Block> pages = new CodePageIndex<>();
    private final DecodedInsn[] decodeBuffer = new DecodedInsn[MAX_BLOCK];
    /** Blocks decoded so far. */
    long built;
    /** Whether this cache has had ClassPreload run (at the first block built after ClassPreload.AFTER_INSTRUCTIONS). */
    boolean preloaded;
    /** Lookups in the table: blocks reached without a link (or through one that no longer holds). */
    long lookups;
    /**
     * Whether blocks go on past conditional branches everywhere: without an engine. One counts
     * block starts, and blocks of code it may compile end at each branch (see {@link #goesThroughBranches}).
     */
    boolean throughBranches = true;
    /** Whether blocks run through the fast forms (false: every instruction on the generic path, for tests). */
    boolean fastForms = true;

    BlockCache(Cpu cpu) {
        this.cpu = cpu;
        this.s = cpu.state;
        this.mem = cpu.memory;
        for (int i = 0; i < MAX_BLOCK; i++) decodeBuffer[i] = new DecodedInsn();
        ClassPreload.initialize(java.lang.invoke.MethodHandles.lookup(), ClassPreload.class); // build() calls it
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

    List<Block> blocksInPage(int physPage) {
        return pages.entries(physPage);
    }

    /**
     * Blocks whose one instruction crosses into the next page, by the physical page they begin
     * in. They are in no page's index (see {@link #sameBytes}); an engine that compiles one
     * compares its bytes first.
     */
    private final java.util.Map<Integer, List<Block>> crossing = new java.util.HashMap<>();

    /** The valid page-crossing blocks that begin in a physical page. */
    List<Block> crossingBlocksInPage(int physPage) {
        List<Block> blocks = crossing.get(physPage);
        if (blocks == null) return List.of();
        blocks.removeIf(b -> !b.valid);
        return List.copyOf(blocks);
    }

    boolean holdsPage(int physPage) {
        return pages.holds(physPage);
    }

    /** The CPU is gone for good: the table goes to the next CPU (see SpareTables). */
    void release() {
        org.kasou.mem.SpareTables.give(table);
    }

    /** Drops every block; returns the pages that held blocks. */
    List<Integer> clear() {
        java.util.Arrays.fill(table, null);
        for (List<Block> blocks : crossing.values()) for (Block b : blocks) b.valid = false;
        crossing.clear();
        return pages.clear(b -> b.valid = false);
    }

    /**
     * Bytes of a code page were written: drops the blocks they overlap (and tells the runner when
     * it is executing one). Returns whether the page still holds blocks.
     */
    boolean written(int physAddr, int size, BlockRunner runner) {
        return pages.written(physAddr, size, b -> {
            b.valid = false;
            int set = slot(b.phys);
            for (int w = 0; w < WAYS; w++) if (table[set + w] == b) table[set + w] = null;
            runner.blockDropped(b);
        });
    }

    /** A block leaves the table: links to it must not survive that. */
    private void leave(Block b) {
        b.valid = false;
        if (b.crossBytes == null) pages.remove(b);
    }

    /**
     * The first slot of the set for a block at phys; its {@link #WAYS} ways are the slots from
     * there. Several ways, so that hot blocks whose addresses hash alike do not take each other's
     * place on every turn of a loop (each then decoded again, and never hot enough for an engine).
     */
    static int slot(int phys) {
        return ((phys * 0x9E3779B1) >>> (32 - TABLE_BITS)) & -WAYS;
    }

    /**
     * The block at CS:EIP after {@code b} ended at a near branch, through b's links when they are
     * current: two links (a Jcc's two successors), and for blocks that leave to more places (RET,
     * indirect JMP and CALL) a small table of further successors by EIP.
     */
    Block successor(Block b, int epoch) {
        int eip = s.eip;
        if (b.linkEpoch == epoch) {
            Block l = b.link0;
            if (l != null && l.eip == eip && l.valid) return l;
            l = b.link1;
            if (l != null && l.eip == eip && l.valid) return l;
            Block[] more = b.moreLinks;
            if (more != null) {
                l = more[moreSlot(eip)];
                if (l != null && l.eip == eip && l.valid) return l;
            }
        }
        return successorSlow(b, epoch);
    }

    private static int moreSlot(int eip) {
        return (eip ^ (eip >>> 6)) & (MORE_LINKS - 1);
    }

    private static final int MORE_LINKS = 16;

    private Block successorSlow(Block b, int epoch) {
        if (b.linkEpoch != epoch) {
            b.link0 = null;
            b.link1 = null;
            if (b.moreLinks != null) java.util.Arrays.fill(b.moreLinks, null);
            b.linkEpoch = epoch;
        }
        Block n;
        int cr2 = s.cr2;
        try {
            n = lookup();
        } catch (RuntimeException e) {
            // The run loop looks it up again and delivers the fault, if it gets there (the budget
            // may end first): until then the failed fetch must leave no trace.
            s.cr2 = cr2;
            return null;
        }
        if (n.valid && b.valid && n.crossBytes == null) { // a page-crossing block is checked at each lookup
            if (b.link0 == null || !b.link0.valid) {
                b.link0 = n;
            } else if (b.link1 == null || !b.link1.valid) {
                b.link1 = n;
            } else {
                if (b.moreLinks == null) b.moreLinks = new Block[MORE_LINKS];
                b.moreLinks[moreSlot(n.eip)] = n;
            }
        }
        return n;
    }

    /**
     * Whether the block being built goes on past conditional branches: always without an engine;
     * with one, in a paged kernel's code (CPL 0 with paging on). The engine compiles kernel code
     * only where its runs come close together (loops); the rest, a kernel's fork, exec and page
     * fault paths among it, runs here, where blocks ending at every branch took 39 million passes
     * instead of 23 million for 300 runs of a program under Linux. The regions of code without
     * paging (bare programs) and of user programs came out worse with such blocks (bench/README,
     * "Blocks through conditional branches").
     */
    private boolean goesThroughBranches() {
        return throughBranches || (s.cpl == 0 && s.paging());
    }

    /** The block at CS:EIP, decoded now if it is not cached. */
    Block lookup() {
        lookups++;
        Segment cs = s.seg[Segment.CS];
        int eip = s.eip;
        int lin = cs.base + eip;
        int phys = mem.translateCode(lin);
        boolean code32 = cs.big();
        int set = slot(phys);
        for (int w = 0; w < WAYS; w++) {
            Block b = table[set + w];
            if (b != null && holds(b, phys, eip, code32, cs, lin)) return b;
        }
        return build(eip, lin, phys, code32, set);
    }

    /** Whether b is the valid block for CS:EIP at phys (linear lin) as the CPU stands now. */
    private boolean holds(Block b, int phys, int eip, boolean code32, Segment cs, int lin) {
        return b.phys == phys && b.eip == eip && b.code32 == code32 && b.valid
                && Integer.compareUnsigned(b.lastByte, cs.limit) <= 0 && (b.crossBytes == null || sameBytes(b.crossBytes, lin));
    }

    /**
     * Whether the bytes at lin are still those of a page-crossing block. Such a block is in no
     * page's index (its second page may map anywhere, or change): its bytes are compared instead,
     * read through the TLB as the fetch reads them, a page fault included.
     */
    private boolean sameBytes(byte[] bytes, int lin) {
        for (int i = 0; i < bytes.length; i++) {
            if ((byte) mem.fetch8(lin + i) != bytes[i]) return false;
        }
        return true;
    }

    /**
     * Decoded instructions for the blocks to come, made in bursts: a block keeps its decoded
     * instructions (112 bytes each) for the rare users of its decoded form (generic ops, the
     * JIT, faults), and made one at a time they would lie between the blocks' ops and arrays, which
     * passes read, spreading those over five times the memory.
     */
    private final DecodedInsn[] spares = new DecodedInsn[SPARE_BURST];
    private int nextSpare = SPARE_BURST;

    private static final int SPARE_BURST = 512;

    private DecodedInsn spareInsn() {
        if (nextSpare == SPARE_BURST) {
            for (int i = 0; i < SPARE_BURST; i++) spares[i] = new DecodedInsn();
            nextSpare = 0;
        }
        DecodedInsn d = spares[nextSpare];
        spares[nextSpare++] = null; // handed out once: the block owns it now
        return d;
    }

    /** Whether last is a direct jump, branch or LOOP to the block's start (eip) or to code up to 4 KiB before it. */
    private static boolean jumpsBack(DecodedInsn last, int eip) {
        Op op = last.op;
        boolean direct = op == Op.JCC || op == Op.JMP || op == Op.LOOP || op == Op.LOOPE || op == Op.LOOPNE;
        return direct && Integer.compareUnsigned(last.target, eip) <= 0 && eip - last.target < 4096;
    }

    private Block build(int eip, int lin, int phys, boolean code32, int set) {
        Segment cs = s.seg[Segment.CS];
        CodeFetcher f = fetcher;
        f.csBase = cs.base;
        f.csLimit = cs.limit;
        f.page = lin >>> 12;
        int n = 0;
        int off = eip;
        int follows = 0;
        boolean crossesPage = false;
        boolean through = goesThroughBranches();
        while (n < MAX_BLOCK) {
            DecodedInsn d = decodeBuffer[n];
            f.first = n == 0;
            decoder.decode(d, f, off, code32);
            if (d.status == DecodedInsn.TRUNCATED) break; // continues in the next block
            HandlerSelector.select(d);
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
            if (d.handler == Handlers.UD || d.handler == Handlers.GP0) break;
            // A conditional branch leaves the block only when taken: the block goes on with the
            // instruction after it (one pass then runs through branches that compiled code
            // mostly does not take, instead of ending a block and looking up the next at each).
            if (d.form != null && d.form.has(InsnForm.END) && !(through && OpFactory.isJcc(d))) break;
            off = d.next;
            if (((cs.base + off) >>> 12) != f.page) break;
        }
        // A first instruction that crosses a page makes a block of its own, checked by its bytes
        // at each lookup (see sameBytes); one further in is left to its own block.
        boolean crossing = crossesPage && n == 1;
        if (crossesPage && !crossing) n--;
        Block b = new Block();
        built++;
        if (!preloaded && cpu.instructions >= ClassPreload.AFTER_INSTRUCTIONS) {
            preloaded = true;
            ClassPreload.once();
        }
        b.valid = true;
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
        b.insns = new DecodedInsn[n];
        for (int i = 0; i < n; i++) {
            b.insns[i] = decodeBuffer[i];
            decodeBuffer[i] = spareInsn();
        }
        if (crossing) {
            b.crossBytes = new byte[b.insns[0].len];
            for (int i = 0; i < b.crossBytes.length; i++) b.crossBytes[i] = (byte) mem.fetch8(startLin + i);
        }
        DecodedInsn last = b.insns[n - 1];
        b.endEip = last.handler == Handlers.JMP_INLINE || last.handler == Handlers.CALL_INLINE32 ? last.target : last.next;
        b.loopsBack = jumpsBack(last, eip);
        OpFactory.build(b, fastForms);
        // The new block takes the first way and the set's other valid blocks move a way down, in
        // the order they came; one in the last way leaves, and so does a block of the same place
        // (decoded for another CS.D or limit).
        int kept = 0;
        for (int w = 0; w < WAYS; w++) {
            Block old = table[set + w];
            if (old == null) continue;
            if (!old.valid || (old.phys == phys && old.eip == eip) || kept == WAYS - 1) {
                leave(old);
            } else {
                moving[kept++] = old;
            }
        }
        table[set] = b;
        for (int w = 1; w < WAYS; w++) {
            table[set + w] = w <= kept ? moving[w - 1] : null;
            moving[w - 1] = null;
        }
        if (!crossing) {
            pages.add(b);
            cpu.physical.markCode(b.physLo, b.physEnd - b.physLo);
        } else {
            List<Block> others = this.crossing.computeIfAbsent(phys >>> 12, k -> new java.util.ArrayList<>());
            others.removeIf(x -> !x.valid);
            others.add(b);
        }
        return b;
    }
}
