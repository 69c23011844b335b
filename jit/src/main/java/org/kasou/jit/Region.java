package org.kasou.jit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;
import org.kasou.cpu.CpuState;
import org.kasou.mem.Memory;
import org.kasou.mem.PhysicalMemory;

/**
 * The guest code of one compiled unit: the instructions reachable from the entry through
 * fall-through, direct jumps, Jcc and CALL, up to a maximum count, in the entry's 4 KiB page and
 * in up to {@link #MAX_PAGES} - 1 other pages that direct branches and fall-through lead to
 * (a function called in another page, a loop across a page boundary). Instructions the compiler
 * does not translate, targets in further pages and instructions beyond the maximum become exit
 * nodes, where the unit returns to the dispatcher. The entries all lie in the first page.
 */
final class Region {
    /** Most pages one region's code comes from. */
    static final int MAX_PAGES = Integer.getInteger("kasou.jit.maxPages", 4);

    /** Where a region finds what is known of the code of another page: null when it may not use that page. */
    interface PageSource {
        PageCode codeOf(int physPage, int linPage);
    }

    /** One page of the region's code: where it is, what is known of it, and which of its bytes the region compiled. */
    static final class CodePage {
        final int index, linPage, physAddr;
        final PageCode code;
        /**
         * For each byte of the page, 1 + the offset in the page of the instruction that covers it,
         * -1 for the last bytes of an instruction that begins in the page before, or 0.
         */
        final short[] cover = new short[4096];
        /** Offsets of the small functions the region compiles in full (see {@link #inlineLeaf}). */
        final java.util.BitSet inlined = new java.util.BitSet(4096);
        /** Compiled bytes: [lo, hi) as offsets in the page. */
        int lo = Integer.MAX_VALUE, hi = Integer.MIN_VALUE;

        CodePage(int index, int linPage, int physAddr, PageCode code) {
            this.index = index;
            this.linPage = linPage;
            this.physAddr = physAddr;
            this.code = code;
        }
    }

    /** The pages of its code, the entry's first. */
    final List<CodePage> pages = new ArrayList<>();
    private final PageSource otherPages;
    final int entryEip;
    final int csBase;
    final int csLimit;
    /** CS.D and SS.B the unit is compiled for (the default operand and address size, the stack size). */
    final boolean code32, stack32;
    final int pagePhys;
    /** The CPL the unit is compiled for (the TLB permission bit its accesses test). */
    final int cpl;
    final int linPage;
    final Node entry;
    /** The entries, in the order given, that became compiled nodes (the first is {@link #entry} when it compiled). */
    final List<Node> entries = new ArrayList<>();
    /** Compiled nodes in EIP order (the emission order). */
    final List<Node> nodes = new ArrayList<>();
    /** Largest CS offset the unit fetches or branches to (checked against CS.limit at entry). */
    int maxOffset;
    /** Physical byte range of the compiled instructions, [physLo, physHi). */
    int physLo, physHi;

    private final Map<Integer, Node> byEip = new HashMap<>();
    private final PhysicalMemory physical;
    private final Memory memory;
    private final CpuState state;
    private final Decoder decoder;
    private final int maxInstructions;
    /** The interpreter's decoded instructions of the page, what of them ran, and where other bodies begin. */
    private final PageCode page;
    /** Instructions decoded here because no block of the interpreter held them (for tests). */
    int decodedHere;
    /** Exploring from the entries themselves (always compiled). */
    private boolean atEntries;

    /**
     * The code reachable from {@code entryEips[0]}, explored breadth-first so that when the
     * instruction limit cuts the region it keeps the code nearest to the entry. The other EIPs
     * are places the unit may also be entered at (blocks the interpreter has run): those that
     * the region compiles become {@link #entries} too.
     * When {@code page.executed} is given (a bit per byte offset of the page), only instructions
     * starting at a set bit are compiled besides the entry: code the interpreter never ran stays
     * out of the unit (an exit), so that its method holds what runs. The region also exits where
     * {@code page.stops} says another body's entry begins, rather than compiling that code again.
     * Instructions come from the interpreter's blocks ({@code page.insns}) where they hold them.
     */
    Region(PhysicalMemory physical, Decoder decoder, int[] entryEips, PageCode page, int entryPhys, int csBase,
            int csLimit, int maxInstructions, Memory memory, CpuState state, boolean code32, boolean stack32) {
        this(physical, decoder, entryEips, page, entryPhys, csBase, csLimit, maxInstructions, memory, state, code32, stack32, null);
    }

    /** As above; {@code otherPages} gives the code of other pages the region may take in (null: none). */
    Region(PhysicalMemory physical, Decoder decoder, int[] entryEips, PageCode page, int entryPhys, int csBase,
            int csLimit, int maxInstructions, Memory memory, CpuState state, boolean code32, boolean stack32,
            PageSource otherPages) {
        this.page = page;
        this.otherPages = otherPages;
        int entryEip = entryEips[0];
        this.physical = physical;
        this.memory = memory;
        this.cpl = state.cpl;
        this.state = state;
        this.flatSegments = UnitCompiler.flatSegments(state.seg);
        this.decoder = decoder;
        this.entryEip = entryEip;
        this.csBase = csBase;
        this.csLimit = csLimit;
        this.code32 = code32;
        this.stack32 = stack32;
        this.pagePhys = entryPhys & ~0xFFF;
        this.linPage = (csBase + entryEip) >>> 12;
        pages.add(new CodePage(0, linPage, pagePhys, page));
        this.maxInstructions = maxInstructions;
        java.util.ArrayDeque<Node> work = new java.util.ArrayDeque<>();
        atEntries = true;
        entry = node(entryEip, work);
        atEntries = false;
        while (!work.isEmpty()) {
            Node n = work.poll();
            DecodedInsn d = n.d;
            switch (n.kind) {
                case Kinds.JMP:
                    mayStop = forward(n.eip, d.target);
                    n.target = node(d.target, work);
                    break;
                case Kinds.JCC:
                    mayStop = forward(n.eip, d.target);
                    n.target = node(d.target, work);
                    mayStop = true;
                    n.fall = node(d.next, work);
                    break;
                case Kinds.CALL:
                    inlineLeaf(d.target);
                    n.target = node(d.target, work);
                    Node ret = node(d.next, work);
                    ret.returnSite = true;
                    break;
                case Kinds.RET: case Kinds.CALL_IND:
                    break;
                case Kinds.JMP_IND:
                    mayStop = false;
                    peekJumpTable(n, work);
                    break;
                default:
                    n.fall = node(d.next, work);
                    break;
            }
            mayStop = true;
        }
        maxOffset = entryEip;
        for (Node n : byEip.values()) {
            if (!n.compiled()) continue;
            nodes.add(n);
            int first = (csBase + n.eip) & 0xFFF;
            CodePage p = pages.get(n.page);
            p.lo = Math.min(p.lo, first);
            p.hi = Math.max(p.hi, Math.min(first + n.d.len, 4096));
            if (n.tailPage >= 0) {
                CodePage t = pages.get(n.tailPage);
                t.lo = 0;
                t.hi = Math.max(t.hi, first + n.d.len - 4096);
            }
            maxOffset = maxU(maxOffset, n.eip + n.d.len - 1);
            if (n.kind == Kinds.JMP || n.kind == Kinds.JCC || n.kind == Kinds.CALL) maxOffset = maxU(maxOffset, n.d.target);
            if (n.kind == Kinds.CALL_THUNK) maxOffset = maxU(maxOffset, n.d.target + THUNK_BYTES - 1);
            instructionCount += n.retires();
        }
        nodes.sort((a, b) -> Integer.compareUnsigned(a.eip, b.eip));
        // Entries: the first, then the other given places that ended up compiled in the region, as
        // long as the method's control flow stays reducible (see ControlFlow).
        if (entry.compiled()) {
            entries.add(entry);
            ControlFlow cfg = null;
            int bad = 0;
            for (int i = 1; i < entryEips.length; i++) {
                Node n = byEip.get(entryEips[i]);
                if (n == null || !n.compiled() || entries.contains(n)) continue;
                candidatesInside++;
                if (cfg == null) {
                    cfg = new ControlFlow(nodes);
                    bad = cfg.irreducibleEdges(entries);
                }
                entries.add(n);
                // Kept when it adds no irreducible loop (the code itself may have some already).
                int now = cfg.irreducibleEdges(entries);
                if (now > bad) {
                    entries.remove(entries.size() - 1);
                    rejectedEntries++;
                } else {
                    bad = now;
                }
            }
        }
        physLo = pagePhys + pages.get(0).lo;
        physHi = pagePhys + pages.get(0).hi;
    }

    /** Candidate entries left out because they would have made the control flow irreducible. */
    int rejectedEntries;
    /** Candidate entries (besides the first) that the region compiled. */
    int candidatesInside;

    private static int maxU(int a, int b) {
        return Integer.compareUnsigned(a, b) >= 0 ? a : b;
    }

    /**
     * The segment registers that were flat when the region was built, a bit per register: the
     * unit is generated from what the region saw, on whatever thread, while the CPU goes on.
     */
    final int flatSegments;

    CpuState state() {
        return state;
    }

    Memory memory() {
        return memory;
    }

    /** Whether it holds a jump through a table of several targets in the region (a switch). */
    boolean hasSwitch() {
        for (Node n : nodes) if (n.kind == Kinds.JMP_IND && n.tableTargets != null && n.tableTargets.size() >= 4) return true;
        return false;
    }

    /** Whether any of its compiled bytes lie in [physAddr, physAddr + size). */
    boolean codeOverlaps(int physAddr, int size) {
        for (CodePage p : pages) {
            if (p.lo < p.hi && Integer.compareUnsigned(physAddr, p.physAddr + p.hi) < 0
                    && Integer.compareUnsigned(physAddr + size, p.physAddr + p.lo) > 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether some of its compiled bytes lie in this physical page. */
    boolean hasCodeIn(int physPage) {
        for (CodePage p : pages) if (p.lo < p.hi && p.physAddr >>> 12 == physPage) return true;
        return false;
    }

    /** The most instructions it was allowed. */
    int maxInstructions() {
        return maxInstructions;
    }

    int compiledCount() {
        return nodes.size();
    }

    /** Guest instructions its nodes retire when each runs once (a call of a thunk counts three). */
    int instructionCount() {
        return instructionCount;
    }

    private int instructionCount;

    /** Length of a PIC thunk, MOV reg, [ESP] (8B /r with SIB 24) and RET (C3). */
    static final int THUNK_BYTES = 4;

    /** The thunk's bytes as one little-endian int, for reg: what {@link CompiledAccess#codeIs} compares. */
    static int thunkBytes(int reg) {
        return 0x8B | (0x04 | reg << 3) << 8 | 0x24 << 16 | 0xC3 << 24;
    }

    /**
     * For a 32-bit CALL rel32 whose target holds a PIC thunk now (MOV reg, [ESP]; RET, with reg
     * not ESP), the thunk's register; else -1. The bytes are read through TLB entries already
     * present (nothing faults or changes); the compiled call checks them again each time it runs.
     */
    private int thunkRegister(DecodedInsn d) {
        if (!code32 || !stack32 || d.opSize != 4) return -1;
        int lin = csBase + d.target;
        if ((lin & 0xFFF) > 0x1000 - THUNK_BYTES || Integer.compareUnsigned(d.target + THUNK_BYTES - 1, csLimit) > 0) return -1;
        if (page.hooked != null && page.hooked.test(lin)) return -1;
        int physPage = ramPageNow(lin >>> 12);
        if (physPage < 0) return -1;
        int bytes = physical.read32(physPage | (lin & 0xFFF));
        int reg = (bytes >>> 11) & 7;
        return reg != org.kasou.cpu.CpuState.ESP && bytes == thunkBytes(reg) ? reg : -1;
    }

    /** The node at {@code eip}, decoding and queueing it when it is new. */
    private Node node(int eip, java.util.ArrayDeque<Node> work) {
        Node n = byEip.get(eip);
        if (n != null) {
            // Left out at another body's entry by an edge that may stop there, and now reached by
            // one that may not (a loop's back edge): compiled after all, or the loop would leave
            // the unit on every turn, whichever edge the exploration happened to take first.
            if (mayStop || !stoppedAt.remove(eip)) return n;
        } else {
            n = new Node(eip);
            byEip.put(eip, n);
        }
        if (compiledSoFar >= maxInstructions) return n;
        int lin = csBase + eip;
        if (Integer.compareUnsigned(eip, csLimit) > 0) return n;
        CodePage p = atEntries ? pages.get(0) : pageOf(lin >>> 12);
        if (p == null || p.linPage != (lin >>> 12)) return n;
        PageCode page = p.code;
        short[] cover = p.cover;
        int at = lin & 0xFFF;
        if (cover[at] != 0) return n; // inside another instruction
        if (page.watched.get(at)) return n; // the embedder's hooks see it, in the interpreter
        if (page.executed != null && !atEntries && !page.executed.get(at)) return n; // never ran: left to the interpreter
        if (!atEntries && mayStop && page.stops.get(at) && !p.inlined.get(at)) { // another body's entry: continue there
            stoppedAt.add(eip);
            return n;
        }
        DecodedInsn d = page.insns[at];
        if (d == null || d.eip != eip || d.code32 != code32 || d.status != DecodedInsn.OK) {
            d = new DecodedInsn();
            // Near the page's end the instruction may go on in the next page: its bytes there are
            // fetched from it (the page is kept when the instruction does cross).
            int pagesBefore = pages.size();
            if (at > 4096 - Decoder.MAX_LENGTH) nextPage(lin);
            decoder.decode(d, this::fetch, eip, code32);
            if (pages.size() > pagesBefore && (d.status != DecodedInsn.OK || at + d.len <= 4096)) pages.remove(pagesBefore);
            org.kasou.isa.HandlerSelector.select(d);
            decodedHere++;
        }
        if (d.status != DecodedInsn.OK) return n;
        if (!code32 && eip + d.len > 0x10000) return n; // IP wraps inside it: left to the interpreter
        if (Integer.compareUnsigned(eip + d.len - 1, csLimit) > 0) return n;
        // An instruction that ends in the next linear page takes that page in too (its mapping is
        // checked each time before the instruction runs), so that a loop through it stays compiled.
        int inPage = Math.min(d.len, 4096 - at);
        CodePage tail = null;
        if (inPage < d.len) {
            tail = nextPage(lin);
            if (tail == null) return n;
            for (int i = 0; i < d.len - inPage; i++) if (tail.cover[i] != 0) return n;
            if (d == page.insns[at]) { // decoded by the interpreter: from these bytes?
                byte[] bytes = page.crossing.get(at);
                if (bytes == null || bytes.length != d.len) return n;
                for (int i = 0; i < d.len; i++) if (fetch(eip + i) != (bytes[i] & 0xFF)) return n;
            }
        }
        for (int i = 0; i < inPage; i++) if (cover[at + i] != 0) return n;
        int kind = Kinds.forStack(Kinds.classify(d, n), d, stack32);
        if (kind < 0) return n;
        if (kind == Kinds.CALL) {
            int reg = thunkRegister(d);
            if (reg >= 0) {
                kind = Kinds.CALL_THUNK;
                n.aux = reg;
            }
        }
        for (int i = 0; i < inPage; i++) cover[at + i] = (short) (at + 1);
        if (tail != null) {
            for (int i = 0; i < d.len - inPage; i++) tail.cover[i] = -1; // covered from the page before
            n.tailPage = tail.index;
        }
        n.d = d;
        n.kind = kind;
        n.page = p.index;
        n.announced = page.announced.get(at);
        compiledSoFar++;
        work.add(n);
        return n;
    }

    private int compiledSoFar;
    /** EIPs left out only because another body's entry begins there (see {@link #mayStop}). */
    private final java.util.Set<Integer> stoppedAt = new java.util.HashSet<>();

    /**
     * The physical address of the RAM page that linear page lp maps to for the CPL, from a TLB
     * entry already present (nothing faults or changes), or -1: what compiled code checks again
     * at run time before it relies on code there.
     */
    private int ramPageNow(int lp) {
        int e = memory.readTlb()[lp];
        if ((e & Memory.tlbAccessBit(cpl)) == 0) return -1;
        int phys = e & ~0xFFF;
        return physical.isRam(phys) ? phys : -1;
    }

    /** {@link #pageOf} the linear page after lin's, or null (also after the last page of 4 GiB). */
    private CodePage nextPage(int lin) {
        return (lin >>> 12) == 0xFFFFF ? null : pageOf((lin >>> 12) + 1);
    }

    /**
     * The region's page for linear page lp: the entry's, one taken in already, or a new one when
     * there is room, the TLB maps lp now for the CPL (nothing faults or changes) to RAM, and the
     * engine knows its code. Null when the code there stays out.
     */
    private CodePage pageOf(int lp) {
        for (CodePage p : pages) if (p.linPage == lp) return p;
        if (otherPages == null || pages.size() >= MAX_PAGES) return null;
        int phys = ramPageNow(lp);
        if (phys < 0) return null;
        PageCode code = otherPages.codeOf(phys >>> 12, lp);
        if (code == null) return null;
        CodePage p = new CodePage(pages.size(), lp, phys, code);
        pages.add(p);
        return p;
    }

    /**
     * Whether the edge being explored may end at another body's entry ({@link PageCode#stops}):
     * forward branches, fall-through, calls and returns may; a backward branch (it closes a loop)
     * and a computed jump's targets (a switch) may not, so that a loop or a switch is not split
     * over two methods that chain into each other on every iteration.
     */
    private boolean mayStop = true;
    static final boolean STOP_BACKWARD = Boolean.getBoolean("kasou.jit.stopBackward");

    private static boolean forward(int from, int to) {
        return STOP_BACKWARD || Integer.compareUnsigned(to, from) > 0;
    }

    /** Most instructions of a function called from the region that it compiles even where other bodies have entries. */
    static final int MAX_LEAF = Integer.getInteger("kasou.jit.leafMax", 16);

    /**
     * A small function that calls nothing (its code that ran, up to its RETs: at most
     * {@link #MAX_LEAF} instructions) is compiled into the caller's region even when it is
     * another body's entry: a call and a return between two methods cost more than its copy.
     */
    private void inlineLeaf(int target) {
        int first = (csBase + target) & 0xFFF;
        int leafPage = (csBase + target) >>> 12;
        CodePage p = pageOf(leafPage);
        if (p == null || p.inlined.get(first)) return;
        PageCode page = p.code;
        java.util.BitSet seen = new java.util.BitSet(4096);
        java.util.ArrayDeque<Integer> work = new java.util.ArrayDeque<>();
        work.add(target);
        int count = 0;
        while (!work.isEmpty()) {
            int eip = work.poll();
            int lin = csBase + eip;
            if ((lin >>> 12) != leafPage) return;
            int at = lin & 0xFFF;
            if (seen.get(at)) continue;
            seen.set(at);
            if (page.executed != null && !page.executed.get(at)) continue; // never ran: an exit
            DecodedInsn d = page.insns[at];
            if (d == null || d.eip != eip || ++count > MAX_LEAF) return;
            Node probe = new Node(eip);
            int kind = Kinds.classify(d, probe);
            switch (kind) {
                case Kinds.RET: break;
                case Kinds.JMP: work.add(d.target); break;
                case Kinds.JCC: work.add(d.target); work.add(d.next); break;
                case Kinds.CALL: case Kinds.JMP_IND: case Kinds.CALL_IND: case -1: return; // not a leaf, or it leaves the unit
                default: work.add(d.next); break;
            }
        }
        p.inlined.or(seen);
    }

    /**
     * For JMP [table + index*4], reads up to 16 entries of the table as it is now (only through
     * TLB entries already present, so nothing faults or changes) and adds the targets in this page
     * to the region; the compiled jump compares its target with them before leaving the unit.
     */
    private void peekJumpTable(Node n, java.util.ArrayDeque<Node> work) {
        DecodedInsn d = n.d;
        if (d.dst != DecodedInsn.LOC_MEM || d.eaBase >= 0 || d.eaIndex < 0 || d.eaScale != 2) return;
        int table = state.seg[d.eaSeg].base + d.eaDisp;
        int[] tlb = memory.readTlb();
        n.tableTargets = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            int lin = table + 4 * i;
            if ((lin & 0xFFF) > 0xFFC) break;
            int e = tlb[lin >>> 12];
            if (e == 0) break;
            int pa = (e & ~0xFFF) | (lin & 0xFFF);
            if (!physical.isRam(pa)) break;
            int t = physical.read32(pa);
            if (((csBase + t) >>> 12) != linPage) continue;
            Node target = node(t, work);
            if (target.compiled() && !n.tableTargets.contains(target)) n.tableTargets.add(target);
        }
    }

    /** Code bytes straight from physical memory, in the region's pages. */
    private int fetch(int offset) {
        if (Integer.compareUnsigned(offset, csLimit) > 0) return -1;
        int lin = csBase + offset;
        for (CodePage p : pages) if (p.linPage == (lin >>> 12)) return physical.read8(p.physAddr | (lin & 0xFFF));
        return -1;
    }
}
