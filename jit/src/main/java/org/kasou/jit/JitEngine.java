package org.kasou.jit;

import java.util.ArrayList;
import java.util.List;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.ExecutionEngine;
import org.kasou.cpu.Interpreter;
import org.kasou.cpu.Segment;
import org.kasou.isa.Decoder;
import org.kasou.mem.Memory;
import org.kasou.mem.PhysicalMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JIT as an {@link ExecutionEngine}: counts how often each interpreter block starts, compiles
 * a region from a block that reached the threshold ({@link UnitCompiler}), caches the unit by
 * physical address, EIP, CS base, CS.D and SS.B (32- and 16-bit code, real and protected mode;
 * the unit's CS-limit reach is checked at each entry), and drops units whose bytes are written. The cache is bounded: the oldest unit goes when it is full.
 */
public final class JitEngine implements ExecutionEngine {
    private static final Logger LOG = LoggerFactory.getLogger(JitEngine.class);

    /** Block starts before a block is compiled when nothing else is said. */
    public static final int DEFAULT_THRESHOLD = 500;
    /** Whether a unit that exits to a compiled target continues there without going back to the interpreter. */
    static final boolean CHAIN = !"false".equals(System.getProperty("kasou.jit.chain"));

    /**
     * Units kept at most (-Dkasou.jit.capacity); past it the oldest go. Large programs need many:
     * gcc's cc1 compiling a 200-line file with -O2 -g (5.4 billion instructions) has about 6,000
     * bodies of 20,000 units hot over its run; with room for 8,192 units it evicted 21,000 and
     * compiled them again (74 and 93 s in two runs), with 32,768 or more none (60 and 85 s).
     */
    public static final int DEFAULT_CAPACITY = Integer.getInteger("kasou.jit.capacity", 32_768);
    /** Most guest instructions compiled into one unit (fewer when the method would be too big). */
    static final int MAX_UNIT_INSTRUCTIONS = Integer.getInteger("kasou.jit.unitMax", 64);
    /** Most guest instructions of a unit that holds a switch through a jump table. */
    static final int SWITCH_UNIT_INSTRUCTIONS = Integer.getInteger("kasou.jit.switchUnitMax", 128);

    /** Marks a block whose code the compiler cannot translate. */
    private static final Object REJECTED = new Object();

    private final Cpu cpu;
    private final CpuState s;
    private final Memory mem;
    private final PhysicalMemory physical;
    private final JitRuntime rt;
    private final Decoder decoder = new Decoder();
    private final int threshold;
    /** Instructions within which a block must run threshold times to be compiled (see {@link #RUN_SPACING}). */
    private final long heatWindow;
    /** The guest's instruction count up to which user code needs {@link #START_FACTOR} times the threshold. */
    private long startUntil;
    private final int capacity;
    public final JitStats stats = new JitStats();

    private final UnitCache cache = new UnitCache();
    /** How much of the guest thread's time compiling user code may take (see {@link CompileBudget}). */
    private CompileBudget compileBudget;
    /** The parts of bodies by physical page, for invalidation by code writes. */
    private final org.kasou.cpu.CodePageIndex<Part> byPage = new org.kasou.cpu.CodePageIndex<>();
    /** Threshold from which units hold only code the interpreter ran (below, it has seen too little). */
    static final int MIN_THRESHOLD_FOR_PROFILE = 16;
    /** Most entries one body is compiled with. */
    static final int MAX_ENTRIES = 64;

    /**
     * The bytes [physLo, physEnd) of one page that a body compiled: a write there invalidates the body.
     * Equal only to itself (a body's parts are distinct objects): a record's own equals and hashCode
     * are made at their first call through invokedynamic, whose bootstrap took 20-25 ms of the
     * guest's thread at the first body replaced in every run (dozens of method handles spun).
     */
    record Part(Body body, int physLo, int physEnd) implements org.kasou.cpu.CodePageIndex.Range {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }
    }

    /** The compiled code of a region, shared by the units that enter it at its entries. */
    static final class Body {
        final CompiledCode code;
        final int pagePhys, csBase, maxOffset, physLo, physHi, instructions;
        final boolean code32, stack32;
        final int cpl;
        /** Segment registers the code was compiled as flat for (see UnitCompiler#flatSegs). */
        final int flatSegs;
        /** Whether running it may load a segment register: it holds instructions run through Exec, or announced to hooks. */
        final boolean mayLoadSegments;
        boolean valid = true;
        /** Units of this body still in the cache; at 0 a newer body has taken over all its entries. */
        int cachedUnits;
        /** Its units, one per entry. */
        List<Unit> units = List.of();
        /** Its page groups by the EIP of their first access (PageGroup), or null: a slow exit there is the group's lookup failing. */
        java.util.Map<Integer, PageGroup> groupLeaders;
        /** Candidate entries inside the region, and those left out to keep its control flow reducible (for the log). */
        int candidates, rejected, methodBytes;
        /** Offsets in the entry's page where its compiled instructions start. */
        final java.util.BitSet offsets = new java.util.BitSet(4096);
        /** Its bytes in each page its code comes from, the entry's page first. */
        final List<Part> parts = new ArrayList<>();

        Body(CompiledCode code, Region r, int flatSegs) {
            this.code = code;
            this.pagePhys = r.pagePhys;
            this.csBase = r.csBase;
            this.maxOffset = r.maxOffset;
            this.physLo = r.physLo;
            this.physHi = r.physHi;
            this.instructions = r.instructionCount();
            this.code32 = r.code32;
            this.stack32 = r.stack32;
            this.cpl = r.cpl;
            this.flatSegs = flatSegs;
            for (Node n : r.nodes) {
                if (n.page == 0) offsets.set((r.csBase + n.eip) & 0xFFF);
            }
            for (Region.CodePage p : r.pages) {
                if (p.lo < p.hi) parts.add(new Part(this, p.physAddr + p.lo, p.physAddr + p.hi)); // some pages end up with no code
            }
            this.mayLoadSegments = mayLoadSegments(r.nodes);
            candidates = r.candidatesInside;
            rejected = r.rejectedEntries;
        }

        /**
         * Whether code of these nodes may change what a chain is checked against (segments, mode,
         * CPL, mappings, the flags and state the engine looks at between units): it holds
         * instructions run through Exec other than {@link #keepsChainState} ones, or instructions
         * announced to hooks.
         */
        static boolean mayLoadSegments(List<Node> nodes) {
            for (Node n : nodes) if (n.announced || (n.kind == Kinds.GENERIC && !keepsChainState(n.d.op))) return true;
            return false;
        }

        /**
         * Operations that Exec runs for units but that change none of that: string instructions
         * (not INS and OUTS, which reach devices) and x87 instructions. A fault still leaves the
         * unit, a write over compiled code sets JitRuntime.hit, and a REP that stops early for
         * interrupts leaves to the engine, which looks at them within CHECK_INTERVAL instructions as
         * between any linked units. Units holding them keep their links: before, busybox
         * sha256sum's copy into its block buffer (REP MOVS) and gawk's REP MOVS, REP STOS and x87
         * compares sent each pass through the engine's successor (3.8% and 4.9% of the guest
         * thread, and the engine's loop as much again). REP MOVS and STOS are nearly all the
         * instructions units still run through Exec in perl, sqlite3, lua5.4 and gawk (a scratch
         * count; gawk also runs 0.4 million each of WAIT, SAHF and a SHR form that way).
         */
        static boolean keepsChainState(org.kasou.isa.Op op) {
            switch (op) {
                case MOVS: case CMPS: case SCAS: case LODS: case STOS: case X87:
                    return true;
                default:
                    return false;
            }
        }

        /** Whether it was compiled for code at this CS base with these CS.D and SS.B, at this CPL. */
        boolean fits(int csBase, boolean code32, boolean stack32, int cpl) {
            return this.csBase == csBase && this.code32 == code32 && this.stack32 == stack32 && this.cpl == cpl;
        }

        /** No unit of it may run any more. */
        void invalidate() {
            valid = false;
            for (Unit u : units) u.live = false;
        }

        /** A body with no code, for tests of the cache. */
        Body() {
            this.code = null;
            this.pagePhys = 0;
            this.csBase = 0;
            this.maxOffset = 0;
            this.physLo = 0;
            this.physHi = 0;
            this.instructions = 0;
            this.code32 = true;
            this.stack32 = true;
            this.cpl = 0;
            this.flatSegs = 0;
            this.mayLoadSegments = true;
        }

    }

    /** Whether the segment registers a body takes as flat still are (as the chain state found them). */
    private boolean segmentsFit(Unit unit) {
        return (unit.flatSegs & ~chainFlatSegs) == 0;
    }

    /**
     * One entry into a compiled body: the code at (phys, eip), entry number {@link #entry} of
     * {@link #body}. What going from unit to unit reads of the body is copied here, so that a
     * transition touches one object.
     */
    static final class Unit {
        final Body body;
        final int entry;
        final int phys, eip;
        final CompiledCode code;
        final int instructions, csBase, maxOffset, flatSegs;
        /** CS.D, SS.B and the CPL the body was compiled for, as {@link #mode} packs them. */
        final int mode;
        final boolean mayLoadSegments;
        /** False once its body is invalid (its code written, the cache flushed, or the body dropped). */
        boolean live = true;
        /** The units this one last continued into (chaining), the latest first, or null. */
        Unit next, next2;
        /** The chain state (JitRuntime#chainStamp) {@link #next} was checked in, or NO_STAMP. */
        int nextStamp = NO_STAMP;
        static final int NO_STAMP = -1;

        Unit(Body body, int entry, int phys, int eip) {
            this.body = body;
            this.entry = entry;
            this.phys = phys;
            this.eip = eip;
            this.code = body.code;
            this.instructions = body.instructions;
            this.csBase = body.csBase;
            this.maxOffset = body.maxOffset;
            this.flatSegs = body.flatSegs;
            this.mode = mode(body.code32, body.stack32, body.cpl);
            this.mayLoadSegments = body.mayLoadSegments;
        }

        /** A unit with only a key, for tests of the cache. */
        Unit(int phys, int eip) {
            this(new Body(), 0, phys, eip);
        }

        static int mode(boolean code32, boolean stack32, int cpl) {
            return (code32 ? 1 : 0) | (stack32 ? 2 : 0) | cpl << 2;
        }

        boolean valid() {
            return live;
        }

        /** Whether it was compiled for code at this CS base with these CS.D and SS.B, at this CPL. */
        boolean fits(int csBase, boolean code32, boolean stack32, int cpl) {
            return this.csBase == csBase && this.mode == mode(code32, stack32, cpl);
        }
    }

    public JitEngine(Cpu cpu, int threshold) {
        this(cpu, threshold, DEFAULT_CAPACITY);
    }

    public JitEngine(Cpu cpu, int threshold, int capacity) {
        this.cpu = cpu;
        this.s = cpu.state;
        this.mem = cpu.memory;
        this.physical = cpu.physical;
        this.rt = new JitRuntime(cpu);
        this.threshold = Math.max(0, threshold);
        // Tests that compile everything (low thresholds) get every unit at once.
        this.compileBudget = this.threshold >= MIN_THRESHOLD_FOR_PROFILE ? CompileBudget.standard() : CompileBudget.unlimited();
        this.heatWindow = this.threshold * RUN_SPACING;
        this.startUntil = cpu.instructions + START_INSTRUCTIONS;
        this.capacity = Math.max(1, capacity);
        this.background = BACKGROUND && this.threshold >= MIN_THRESHOLD_FOR_PROFILE;
    }

    // The exceptions units throw, initialized before HotSpot compiles any unit or access helper:
    // the recursion program's C2 code of writeFlat32OrLeave was otherwise thrown away at its first
    // slow write (see ClassPreload#initialize).
    static {
        org.kasou.cpu.ClassPreload.initialize(java.lang.invoke.MethodHandles.lookup(), SlowAccess.class, BudgetExit.class);
    }

    /** Replaces the budget for compiling user code (for tests). */
    void useCompileBudget(CompileBudget budget) {
        compileBudget = budget;
    }

    /** Makes the start's higher threshold for user code last {@code instructions} from now (for tests). */
    void startPhase(long instructions) {
        startUntil = cpu.instructions + instructions;
    }

    /** Creates a JIT and installs it into the CPU's interpreter. */
    public static JitEngine install(Cpu cpu, int threshold) {
        JitEngine e = new JitEngine(cpu, threshold);
        cpu.interpreter().setEngine(e);
        return e;
    }

    /** The JIT of a CPU, or null when it runs without one. */
    public static JitEngine of(Cpu cpu) {
        ExecutionEngine e = cpu.interpreter().engine();
        return e instanceof JitEngine ? (JitEngine) e : null;
    }

    /** The JIT as a {@link java.util.ServiceLoader} service, for code that finds engines on the class path. */
    public static final class Provider implements ExecutionEngine.Provider {
        @Override
        public ExecutionEngine create(Cpu cpu, int threshold) {
            return new JitEngine(cpu, threshold);
        }
    }

    public int threshold() {
        return threshold;
    }

    /**
     * Whether units are generated and loaded on the compiler thread while the interpreter runs
     * their code (the default with -Dkasou.jit.background=true, from a threshold of
     * {@link #MIN_THRESHOLD_FOR_PROFILE} on), or at once on the CPU's thread, which then enters
     * them the moment they are hot: what runs compiled then does not depend on another thread's
     * timing (deterministic runs keep to that).
     */
    public void compileInBackground(boolean on) {
        background = on;
    }

    /** Whether units are compiled on the compiler thread (see {@link #compileInBackground}). */
    public boolean compilesInBackground() {
        return background;
    }

    private boolean background;
    private final PendingCompiles pending = new PendingCompiles();

    /** The regions on their way to the compiler thread (for tests). */
    PendingCompiles pendingCompiles() {
        return pending;
    }

    /**
     * Whether new engines compile in the background (-Dkasou.jit.background=true). Off by default:
     * on a 2-core host HotSpot's own compilers already keep the second core busy, and the compiler
     * thread only took time from them (bench/README, "Units compiled on a thread of their own").
     */
    static final boolean BACKGROUND = Boolean.getBoolean("kasou.jit.background");

    /** The valid bodies whose entries are in a physical page (for tests). */
    List<Body> bodiesInPage(int physPage) {
        List<Body> bodies = new ArrayList<>();
        for (Part p : byPage.entries(physPage)) if (p.body().pagePhys == physPage << 12) bodies.add(p.body());
        return bodies;
    }

    /** The valid bodies with code in a physical page, whatever page their entries are in (for tests). */
    List<Body> bodiesWithCodeIn(int physPage) {
        List<Body> bodies = new ArrayList<>();
        for (Part p : byPage.entries(physPage)) bodies.add(p.body());
        return bodies;
    }

    /** Units in the cache. */
    public int cachedUnits() {
        return cache.size();
    }

    /**
     * A block with a live unit, one that has run often enough to be compiled, or one that a unit
     * compiled from another block of its page holds as an entry. The blocks the interpreter runs
     * on are counted here, as execute counts the blocks offered to it.
     */
    @Override
    public boolean wants(Interpreter.Block b) {
        Object o = b.engineCode;
        if (o instanceof Unit && ((Unit) o).valid()) return true;
        if (o == REJECTED) return false;
        if (heats(b)) return true;
        // A block that held no unit's entry when the cache last grew still holds none: cold code,
        // asked about at every run, skips the cache's probe (most of what this costs there).
        int additions = cache.additions();
        if (b.engineStamp == additions) return false;
        if (cache.get(b.phys(), b.eip()) != null) return true;
        b.engineStamp = additions;
        return false;
    }

    /**
     * A block of kernel code is compiled once it has run {@code threshold} times within
     * {@code threshold} times this many instructions of the guest's: at least once every 10,000
     * instructions on average. Code that gathers its runs slowly (a kernel's initialisation runs
     * much code a few thousand times, once per device, page or table entry) stays in the
     * interpreter, where it costs less than its compiles (bench/README, "Kernel code compiled only
     * when its runs come close together").
     */
    static final long RUN_SPACING = Long.getLong("kasou.jit.runSpacing", 10_000);

    /**
     * User code's blocks that reached the threshold with their runs at most this many instructions
     * apart on average compile whatever the {@link CompileBudget}; the others wait for it. Python's
     * start compiles about 180 units instead of 850, and a Python loop after it ran faster too
     * (fewer units for HotSpot's compilers, so that the loop's own reach C2 sooner); spacings of
     * 5,000 and 10,000 kept more of the start's units (bench/README, "Python, and a budget for compiling").
     */
    static final long HOT_SPACING = Long.getLong("kasou.jit.hotSpacing", 2_000);

    /**
     * Counts a run of b and says whether it has run threshold times within heatWindow instructions.
     * The window holds for kernel code (CPL 0) only: user programs under a kernel and under `kasou
     * run` ran 0-10% slower with it (perl, gawk), their lukewarm code being interpreter handlers and
     * library functions that compiled code keeps coming back through. A paged kernel's block that
     * does not end in a backward jump or branch needs {@link #STRAIGHT_FACTOR} times the runs (at
     * the same spacing). User code that reached its threshold compiles at once when its runs came
     * at most {@link #HOT_SPACING} instructions apart on average, and otherwise when the
     * {@link CompileBudget} allows.
     */
    private boolean heats(Interpreter.Block b) {
        long now = cpu.instructions;
        if (s.cpl != 0) {
            if (b.engineHeat == 0) b.engineHeatSince = now;
            if (b.engineHeat++ < (now < startUntil ? threshold * START_FACTOR : threshold)) return false;
            // Runs that came close together promise many more; slower ones wait for the budget.
            return now - b.engineHeatSince <= (long) threshold * HOT_SPACING || compileBudget.allows();
        }
        // Below the threshold and within the window the factor changes nothing: the block is not
        // looked at there, on the interpreter's path for every kernel block without a unit.
        boolean decides = b.engineHeat >= threshold || now - b.engineHeatSince > heatWindow;
        int factor = decides && (s.cr0 & CpuState.CR0_PG) != 0 && !b.loopsBack() ? STRAIGHT_FACTOR : 1;
        if (now - b.engineHeatSince > heatWindow * factor) {
            b.engineHeatSince = now;
            b.engineHeat = 0;
        }
        return b.engineHeat++ >= threshold * factor;
    }

    /**
     * How many times the threshold's runs a paged kernel's block needs unless it ends in a backward
     * jump or branch (the end of a tight loop, whose every turn counts a run). A unit costs its
     * compile (1-2 ms of the guest's thread), its runs in HotSpot's bytecode interpreter until C1
     * compiles it, and C1's and C2's time on the other core; a kernel's initialisation runs much code
     * (straight code, and loops through few turns, which the interpreter's blocks hold whole since
     * they go on through conditional branches) only some thousands of times, where that does not
     * pay: the random pool's unrolled BLAKE2s became 60 units of 64 instructions that ran at 0-25
     * MIPS while they were compiled and warmed up. Boots to the init marker, alternating: 380 units
     * instead of 765, early initialisation shorter in 9 of 11 pairs (bench/README, "Kernel code
     * compiled after ten times the runs"). Bare programs (no paging) and user code keep the threshold.
     */
    static final int STRAIGHT_FACTOR = Integer.getInteger("kasou.jit.straightFactor", 10);

    /**
     * User code needs {@link #START_FACTOR} times the threshold's runs during the first this many
     * instructions after the engine is made. A program's start (the dynamic loader's relocations,
     * libc's and the program's initialisation) runs many blocks some hundreds to thousands of times
     * and never again, while the JVM itself is still cold: there each unit cost 2-4 ms of the guest's
     * thread to compile and then ran in HotSpot's bytecode interpreter, slower than kasou's
     * interpreter. gawk's `BEGIN {}` (1.7 million instructions) spent 0.41-0.52 s in the guest with
     * the JIT on and 0.20-0.26 s with it off. A loop that is hot at once still compiles after a few
     * thousand turns. 50 million rather than 4: Python's start (40 million instructions, `python3.11
     * -c pass`) 1.89-2.04 s against 2.18-2.39 in five alternating pairs, busybox sh's 300 pipelines
     * 5.1-5.7 against 5.3-6.5; lua5.4, perl, gawk, sqlite3 and Python's loops within noise
     * (bench/README, "Measured and not kept: warm-up knobs").
     */
    static final long START_INSTRUCTIONS = Long.getLong("kasou.jit.startInstructions", 50_000_000);
    static final int START_FACTOR = Integer.getInteger("kasou.jit.startFactor", 10);

    @Override
    public boolean execute(Interpreter.Block b, int budget) {
        if (pending.waiting() && pending.anyDone()) installCompiled();
        CpuState s = this.s;
        if ((s.eflagsRest & org.kasou.cpu.Flags.AC) != 0 && mem.alignmentChecking()) return false; // see successor
        Segment cs = s.seg[Segment.CS];
        boolean code32 = cs.big(), stack32 = s.seg[Segment.SS].big();
        Object o = b.engineCode;
        Unit u;
        if (o instanceof Unit && ((Unit) o).valid() && ((Unit) o).fits(cs.base, code32, stack32, s.cpl)) {
            u = (Unit) o;
        } else {
            if (o == REJECTED || b.code32() != code32) return false;
            u = cache.get(b.phys(), b.eip()); // compiled as an entry of a body for its page
            if (u == null || !u.valid() || !u.fits(cs.base, code32, stack32, s.cpl)) {
                if (o instanceof Unit) { // invalidated or another mode's: count again before recompiling
                    b.engineCode = null;
                    b.engineHeat = 0;
                }
                if (!heats(b)) return false;
                u = compileBlock(b, cs, stack32);
                if (u == null) return false;
            }
            b.engineCode = u;
        }
        if (Integer.compareUnsigned(u.maxOffset, cs.limit) > 0) return false;
        // A unit checks the budget only where it can loop: it may run up to all its instructions
        // before the first check, so it needs that many. With less, the interpreter runs the rest.
        takeChainState();
        if (budget < u.instructions || !segmentsFit(u)) return false;
        return runChain(u, b, budget) > 0;
    }

    /**
     * Runs u and, while each unit leaves where the next may follow at once, the units after it,
     * within {@code budget} instructions; returns the instructions retired.
     *
     * <p>Kept lean, since call-heavy code goes from unit to unit every dozen instructions: the
     * counters are added up once at the end; a unit's link to the one it went to last is taken as
     * it is while the chain state it was checked in holds ({@link Unit#nextStamp}); stops, NMIs
     * and interrupts are looked at every {@link #CHECK_INTERVAL} instructions and after units
     * that run the interpreter's code (code writes need no look: they kill the units they hit).
     * Most exits do not come back here at all: the unit calls the next one itself through the
     * exit's {@link ChainLink}, which this loop fills when an exit returns to it.
     */
    private int runChain(Unit u, Interpreter.Block b, int budget) {
        final long base = cpu.instructions;
        final int budget0 = budget;
        int check = budget - CHECK_INTERVAL; // the budget at the next look at stops and interrupts
        int passes = 0, linked = 0;
        rt.chainEnd = base + budget0;
        try {
            rt.checkAt = CHAIN ? check : Integer.MAX_VALUE;
            while (true) {
                rt.hit = false;
                rt.hops = 0;
                rt.exitLink = null;
                passes++;
                int left = u.code.run(budget, u.entry);
                if (rt.hops != 0) { // units called the next ones themselves (ChainLink)
                    passes += rt.hops;
                    linked += rt.hops;
                    u = rt.last;
                }
                if (rt.slowExit) slowExit(u);
                boolean retired = left != budget;
                budget = left;
                if (!CHAIN || !retired || budget <= 0) break;
                Unit n = u.next;
                int eip = s.eip;
                if (n == null || n.eip != eip || u.nextStamp != rt.chainStamp || !n.live || budget <= check) {
                    n = budget > check ? recent(u, eip) : null;
                    if (n == null) {
                        cpu.instructions = base + (budget0 - budget);
                        check = budget - CHECK_INTERVAL;
                        rt.checkAt = check;
                        n = successor(u);
                        if (n == null) break;
                    }
                }
                if (budget < n.instructions) break;
                ChainLink link = rt.exitLink;
                if (link != null) { // n was checked in this chain state: the exit may go there itself
                    link.unit = n;
                    link.stamp = rt.chainStamp;
                }
                u = n;
            }
        } catch (CpuFault f) {
            budget = rt.faultLeft;
            throw f;
        } catch (RuntimeException e) {
            // A bug, not the guest's doing: the state is at the failing instruction; the guest gets #UD.
            budget = rt.faultLeft;
            LOG.error("internal error in compiled code at {}", Integer.toHexString(s.eip), e);
            if (b.engineCode == u) b.engineCode = REJECTED;
            throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
        } finally {
            cpu.instructions = base + (budget0 - budget);
            stats.entries += passes;
            stats.chained += passes - 1;
            stats.linked += linked;
            stats.instructionsExecuted += budget0 - budget;
        }
        return budget0 - budget;
    }

    /**
     * Exits off a memory access's fast path at one instruction (by linear address) after which its
     * units are compiled again with that instruction calling Memory instead ({@link Node#slowCalls}):
     * an exit and the interpreter's run of the instruction cost about ten times the call, which
     * pays off where the fast path misses rarely (a TLB fill) but not at data that shares a page
     * with code or accesses that cross pages every time.
     */
    static final int SLOW_EXITS_BEFORE_CALLS = Integer.getInteger("kasou.jit.slowExits", 16);
    /** Such exits so far by linear address of the instruction. */
    private final java.util.Map<Integer, Integer> slowExitsAt = new java.util.HashMap<>();

    /**
     * Linear EIPs where a page group's lookup failed (its span across two pages, or its page not
     * mapped for one of its accesses): regions compiled from then on form no group from there to
     * the end of the straight run ({@link Node#noGroup}).
     */
    private final java.util.Set<Integer> noGroupAt = new java.util.HashSet<>();

    /** Unit u left before the instruction at EIP whose access missed the fast path. */
    private void slowExit(Unit u) {
        rt.slowExit = false;
        stats.slowExits++;
        int lin = u.csBase + s.eip;
        PageGroup g = u.body.groupLeaders != null ? u.body.groupLeaders.get(s.eip) : null;
        if (g != null && g.spansTwoPages(s.gpr[g.base])) {
            // A group's span across two pages: the same accesses run at other addresses (another
            // stack depth) where it would cross again, so the body is compiled again at once without
            // that group. (A page not in the TLB yet is counted as any access's miss is.)
            noGroupAt.add(lin);
            compileAgainNow(u.body);
            return;
        }
        if (slowExitsAt.merge(lin, 1, Integer::sum) == SLOW_EXITS_BEFORE_CALLS) compileAgainNow(u.body);
    }

    /** Drops a body for what its exits showed and compiles it again (unless it is gone already). */
    private void compileAgainNow(Body body) {
        if (!body.valid) return;
        drop(body);
        for (Unit x : body.units) cache.remove(x);
        stats.slowRecompiles++;
        if (COMPILE_AGAIN && !body.units.isEmpty()) compileAgain(body.units.get(0));
    }

    /**
     * Compiles a body dropped for its accesses off the fast path again at once, from its first
     * entry, so that the new one has the old one's shape. Left to whichever of its blocks heats
     * first, its code came back as several small bodies that stop at each other's entries: in
     * lua5.4, `lua_geti` became four units that passed into each other at every call.
     */
    static final boolean COMPILE_AGAIN = !"false".equals(System.getProperty("kasou.jit.compileAgain"));

    private void compileAgain(Unit first) {
        Segment cs = s.seg[Segment.CS];
        boolean stack32 = s.seg[Segment.SS].big();
        if (!first.fits(cs.base, cs.big(), stack32, s.cpl)) return;
        for (Interpreter.Block b : cpu.interpreter().blocksInPage(first.phys >>> 12)) {
            if (b.phys() != first.phys || b.eip() != first.eip || b.code32() != cs.big()) continue;
            b.engineCode = null;
            compileBlock(b, cs, stack32);
            return;
        }
    }

    /**
     * Compiles b's code and returns its unit (also b's engine code from then on); or sends it to
     * the compiler thread and returns null, the interpreter running the block meanwhile. A block
     * none of whose code compiles is marked REJECTED.
     */
    private Unit compileBlock(Interpreter.Block b, Segment cs, boolean stack32) {
        // A body of the page on its way: nothing starts, so nothing is charged to the budget (a
        // hot block asks at each of its runs meanwhile, and the charge per unit drained the budget).
        if (background && pending.pendingIn(b.phys() >>> 12)) return null;
        long before = stats.compileNanos;
        try {
            if (background) {
                if (!startCompile(b, cs, stack32)) b.engineCode = REJECTED;
                return null;
            }
            Unit u = unitFor(b, cs, stack32);
            b.engineCode = u != null ? u : REJECTED;
            return u;
        } finally {
            compileBudget.spent(stats.compileNanos - before); // what unitFor or startCompile timed
        }
    }

    /**
     * Marks the region's instructions whose accesses call Memory off the fast path, and those where
     * a page group's lookup failed before (see {@link #slowExit}).
     */
    private void markSlowCalls(Region r, int csBase) {
        if (!noGroupAt.isEmpty()) for (Node n : r.nodes) n.noGroup = n.compiled() && noGroupAt.contains(csBase + n.eip);
        if (slowExitsAt.isEmpty()) return;
        for (Node n : r.nodes) {
            if (n.compiled() && slowExitsAt.getOrDefault(csBase + n.eip, 0) >= SLOW_EXITS_BEFORE_CALLS) n.slowCalls = true;
        }
    }

    /**
     * Instructions between two looks at stops and interrupts while units run one after another.
     * Each look returns the chain of units to this engine's loop and checks everything anew
     * ({@link #successor}); at 512 lua5.4 made 3.3 million of them, at 4,096 0.67 million, for 3%
     * less guest CPU (bench/README, "Fewer looks at interrupts"), and 4,096 instructions are a
     * few microseconds of guest time, far below any timer's period.
     */
    static final int CHECK_INTERVAL = Integer.getInteger("kasou.jit.checkInterval", 4096);

    /**
     * The unit at CS:EIP after {@code u} exited, when running it now is what the interpreter
     * would do: nothing between blocks needs the interpreter (interrupt, stop, shutdown, HLT,
     * single-step, interrupt shadow, a mode the units do not handle), the code page is mapped
     * as when the unit was found (read TLB entry present), the unit is still valid and fits the
     * chain state (then it becomes u's link, stamped with that state).
     */
    private Unit successor(Unit u) {
        CpuState s = this.s;
        if (u.mayLoadSegments) {
            // The interpreter's code may have changed the mode, the segments, the flags or the CPU's state.
            if (s.shutdown || s.halted || s.interruptShadow) return null;
            // Breakpoints (DR7) and RF are matched by the interpreter, one instruction at a time.
            if ((s.dr[7] & 0xFF) != 0 || (s.eflagsRest & org.kasou.cpu.Flags.RF) != 0) return null;
            // Compiled code tests the CPL's TLB bit, without the alignment check: the interpreter has it.
            if ((s.eflagsRest & org.kasou.cpu.Flags.AC) != 0 && mem.alignmentChecking()) return null;
            if ((s.eflagsRest & org.kasou.cpu.Flags.TF) != 0) return null;
            takeChainState();
        }
        if (rt.hit || s.nmiPending || cpu.stopRequested()) return null;
        if ((s.eflagsRest & org.kasou.cpu.Flags.IF) != 0 && cpu.interrupts != null && cpu.interrupts.pending()) return null;
        int eip = s.eip;
        int lin = chainCsBase + eip;
        int e = mem.readTlb()[lin >>> 12];
        if ((e & chainTlbBit) == 0) return null;
        int phys = (e & ~0xFFF) | (lin & 0xFFF);
        Unit n = predicted(u, phys, eip);
        // n becomes u's link only once these hold: a unit compiled while FS was flat, made the link
        // before they were checked, once ran after Linux had given FS its per-CPU base.
        if (n == null || n.csBase != chainCsBase || n.mode != chainMode || !segmentsFit(n)) return null;
        if (Integer.compareUnsigned(n.maxOffset, chainCsLimit) > 0) return null;
        mem.fetchedFrom(lin); // the link to n trusts this translation
        makeNext(u, n);
        // After a unit that may change the chain state the link is looked at again each time, the
        // state taken afresh.
        u.nextStamp = u.mayLoadSegments ? Unit.NO_STAMP : rt.chainStamp;
        rt.remember(n);
        return n;
    }

    /**
     * The unit at eip from {@link JitRuntime#recentUnits} when it was checked in the chain state now, after
     * u, which changes none of it: it becomes u's link. Null when there is none.
     */
    private Unit recent(Unit u, int eip) {
        if (u.mayLoadSegments) return null;
        Unit n = rt.recent(eip);
        if (n == null || !n.live) return null;
        makeNext(u, n);
        u.nextStamp = rt.chainStamp;
        return n;
    }

    /**
     * What the units of a chain were checked against: CS base and limit, CS.D, SS.B and CPL, the
     * CPL's TLB bit, the flat segment registers.
     */
    private int chainCsBase, chainCsLimit, chainMode, chainTlbBit, chainFlatSegs;

    /**
     * Per fetch privilege (0 supervisor, 1 user), the chain state its links were checked in, and
     * its stamp: the state at one privilege keeps its stamp while the CPU is at the other, so that
     * the units' links found in a process come back into use after its system calls, interrupts
     * and page faults, and the kernel's after the process ran, as long as nothing they were checked
     * against changed ({@link Memory#codeMappingGeneration} of that privilege included). A link
     * never leads from one privilege to the other: units that change the CPL have no links.
     */
    private final int[][] levelState = new int[2][6];
    /** Unit.NO_STAMP until the level's state is first taken. */
    private final int[] levelStamp = {Unit.NO_STAMP, Unit.NO_STAMP};
    /** Where new stamps come from. */
    private int stamps;

    private void takeChainState() {
        Segment cs = s.seg[Segment.CS];
        int l = s.cpl == 3 ? 1 : 0;
        chainCsBase = cs.base;
        chainCsLimit = cs.limit;
        chainMode = Unit.mode(cs.big(), s.seg[Segment.SS].big(), s.cpl);
        chainTlbBit = org.kasou.mem.Memory.tlbAccessBit(s.cpl);
        chainFlatSegs = UnitCompiler.flatSegments(s.seg);
        int mappings = mem.codeMappingGeneration(l == 1);
        int[] saved = levelState[l];
        if (levelStamp[l] == Unit.NO_STAMP || saved[0] != chainCsBase || saved[1] != chainCsLimit || saved[2] != chainMode
                || saved[3] != chainTlbBit || saved[4] != mappings || saved[5] != chainFlatSegs) {
            saved[0] = chainCsBase;
            saved[1] = chainCsLimit;
            saved[2] = chainMode;
            saved[3] = chainTlbBit;
            saved[4] = mappings;
            saved[5] = chainFlatSegs;
            stamps = stamps + 1 & Integer.MAX_VALUE; // never Unit.NO_STAMP
            levelStamp[l] = stamps;
        }
        rt.chainStamp = levelStamp[l];
    }

    /** The unit at (phys, eip) after u: one of the two u went to last, else the cache's; null when none is valid. */
    private Unit predicted(Unit u, int phys, int eip) {
        if (isAt(u.next, phys, eip)) return u.next;
        if (isAt(u.next2, phys, eip)) return u.next2; // a RET or an indirect jump alternates between two places often
        Unit n = cache.get(phys, eip);
        return n != null && n.valid() ? n : null;
    }

    private static boolean isAt(Unit n, int phys, int eip) {
        return n != null && n.eip == eip && n.phys == phys && n.valid();
    }

    /** Makes n the unit u goes to next, the one before it the second guess. */
    private static void makeNext(Unit u, Unit n) {
        if (u.next == n) return;
        u.next2 = u.next;
        u.next = n;
    }

    /**
     * Compiles the code at block {@code b} and returns its unit. The body holds the code near b
     * (in b's page) that the interpreter has run, and every block of the page that starts inside
     * it becomes an entry of the same body: jumps between those blocks stay inside one JVM method,
     * and those blocks, when they get hot in turn, need no compilation of their own.
     */
    private Unit unitFor(Interpreter.Block b, Segment cs, boolean stack32) {
        if (!physical.isRam(b.phys() & ~0xFFF)) return null;
        int[] eips = entriesFor(b, cs);
        long t0 = System.nanoTime();
        Body body = compile(b.phys(), eips, pageCodeOf(b, cs, stack32), cs, stack32);
        stats.compileNanos += System.nanoTime() - t0;
        if (body == null) return null;
        Unit result = install(body, b.eip());
        return result != null && result.valid() ? result : null;
    }

    /**
     * Builds the region for b's code and sends it to the compiler thread (see PendingCompiles);
     * false when nothing of it compiles. The interpreter runs the code until the body is installed.
     */
    private boolean startCompile(Interpreter.Block b, Segment cs, boolean stack32) {
        if (!physical.isRam(b.phys() & ~0xFFF)) return false;
        int[] eips = entriesFor(b, cs);
        long t0 = System.nanoTime();
        Integer max = fitHints.remove(b.phys() >>> 12);
        Region r = region(b.phys(), eips, pageCodeOf(b, cs, stack32), cs, stack32, max != null ? max : MAX_UNIT_INSTRUCTIONS,
                max == null, otherPages(cs, stack32));
        stats.compileNanos += System.nanoTime() - t0;
        if (r == null) return false;
        pending.submit(r, b, rt);
        return true;
    }

    /** What the interpreter knows of b's page (see {@link #pageCode}). */
    private PageCode pageCodeOf(Interpreter.Block b, Segment cs, boolean stack32) {
        return pageCode(b.phys() >>> 12, (cs.base + b.eip()) >>> 12, cs, b.code32(), stack32);
    }

    /** Installs the bodies whose classes the compiler thread has made since the last look. */
    void installCompiled() {
        PendingCompiles.Pending p;
        while ((p = pending.poll()) != null) {
            Generated g = p.result;
            stats.compileNanos += g.nanos;
            if (g.loadFailed) stats.loadFailures++;
            if (p.stale) continue; // its code was written meanwhile: compiled again when hot again
            if (g.fit > 0) {
                stats.splits++;
                fitHints.put(p.page, g.fit);
                continue;
            }
            if (g.failed) {
                if (!(p.block.engineCode instanceof Unit)) p.block.engineCode = REJECTED;
                continue;
            }
            install(body(p.region, g), p.region.entryEip);
        }
    }

    /** Instruction limits for the next region of a page whose last method came out too big. */
    private final java.util.Map<Integer, Integer> fitHints = new java.util.HashMap<>();

    /** Puts a new body's units into the cache and its code under watch; returns its unit at eip, if any. */
    private Unit install(Body body, int eip) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("compiled {} at {} for {} entries ({} more inside, {} of them left out as irreducible): {} instructions, {} bytes",
                    Integer.toHexString(body.pagePhys), Integer.toHexString(eip), body.units.size(), body.candidates,
                    body.rejected, body.instructions, body.methodBytes);
        }
        for (Part p : body.parts) {
            byPage.add(p);
            physical.markCode(p.physLo(), p.physEnd() - p.physLo());
        }
        Unit result = null;
        for (Unit u : body.units) {
            body.cachedUnits++;
            Unit old = cache.put(u);
            if (old != null) released(old);
            if (u.eip == eip) result = u;
        }
        while (cache.size() > capacity) {
            released(cache.removeOldest());
            stats.evictions++;
        }
        return result;
    }

    /** The entries to compile b's code with: b first, then the other blocks of the page, hottest first. */
    private int[] entriesFor(Interpreter.Block b, Segment cs) {
        int linPage = (cs.base + b.eip()) >>> 12;
        List<Interpreter.Block> others = new ArrayList<>();
        for (Interpreter.Block x : cpu.interpreter().blocksInPage(b.phys() >>> 12)) {
            // Every block that ran: one left out would later compile this code again for itself.
            if (x.code32() == b.code32() && ((cs.base + x.eip()) >>> 12) == linPage) others.add(x);
        }
        others.sort((x, y) -> Integer.compare(y.engineHeat, x.engineHeat));
        java.util.LinkedHashSet<Integer> eips = new java.util.LinkedHashSet<>();
        eips.add(b.eip());
        for (Interpreter.Block x : others) {
            if (eips.size() == MAX_ENTRIES) break;
            eips.add(x.eip());
        }
        return eips.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Whether regions take in code of other pages (see {@link Region#MAX_PAGES}). */
    static final boolean MULTI_PAGE = !"false".equals(System.getProperty("kasou.jit.multiPage"));

    /** Whether regions exit where another body's entry begins rather than compile that code again. */
    static final boolean STOPS = !"false".equals(System.getProperty("kasou.jit.stops"));

    /**
     * What the interpreter knows of b's page: its decoded instructions, which ran (when the
     * threshold gave it time to see which code runs; below {@link #MIN_THRESHOLD_FOR_PROFILE}
     * everything reachable is compiled) and where the entries of the page's other bodies are:
     * a new region stops there and chains into them, instead of compiling another copy of their
     * code (except small leaf functions, see {@link Region}).
     */
    private PageCode pageCode(int physPage, int linPage, Segment cs, boolean code32, boolean stack32) {
        List<Interpreter.Block> blocks = new ArrayList<>(cpu.interpreter().blocksInPage(physPage));
        blocks.addAll(cpu.interpreter().crossingBlocksInPage(physPage));
        PageCode code = new PageCode(blocks, cs.base, linPage, code32, threshold >= MIN_THRESHOLD_FOR_PROFILE);
        org.kasou.cpu.CpuHooks hooks = cpu.hooks;
        if (hooks != null) {
            code.hooked = lin -> hooks.stepsCode(lin, lin + Region.THUNK_BYTES - 1)
                    || hooks.announcesCode(lin, lin + Region.THUNK_BYTES - 1);
            for (int at = 0; at < 4096; at++) {
                int lin = (linPage << 12) | at;
                if (hooks.stepsCode(lin, lin)) code.watched.set(at);
                else if (hooks.announcesCode(lin, lin)) code.announced.set(at);
            }
        }
        if (!STOPS) return code;
        for (Body x : bodiesInPage(physPage)) {
            if (!x.valid || !x.fits(cs.base, code32, stack32, s.cpl)) continue;
            for (Unit u : x.units) if (cache.get(u.phys, u.eip) == u) code.stops.set(u.phys & 0xFFF);
        }
        return code;
    }

    /** A unit left the cache (replaced or evicted): its body goes when none of its units is left. */
    private void released(Unit u) {
        if (--u.body.cachedUnits <= 0) drop(u.body);
    }

    private Body compile(int phys, int[] eips, PageCode code, Segment cs, boolean stack32) {
        int max = MAX_UNIT_INSTRUCTIONS;
        // Other pages' code, built once for the attempts below (each smaller region may want it).
        Region.PageSource source = otherPages(cs, stack32);
        boolean first = true;
        while (max >= 1) {
            Region r = region(phys, eips, code, cs, stack32, max, first, source);
            first = false;
            if (r == null) return null;
            Generated g = generate(r, rt);
            if (g.loadFailed) stats.loadFailures++;
            if (g.failed) return null;
            if (g.fit > 0) {
                stats.splits++;
                max = g.fit;
                continue;
            }
            return body(r, g);
        }
        return null;
    }

    /** The code of other pages for a region, each page's built once (null: regions stay in their page). */
    private Region.PageSource otherPages(Segment cs, boolean stack32) {
        if (!MULTI_PAGE) return null;
        java.util.Map<Long, PageCode> pages = new java.util.HashMap<>();
        boolean big = cs.big();
        return (physPage, linPage) -> pages.computeIfAbsent((long) physPage << 32 | linPage,
                k -> pageCode(physPage, linPage, cs, big, stack32));
    }

    /**
     * The region to compile for the entries, of at most {@code max} instructions or fewer when
     * that clearly makes a method too big, or more for a switch when {@code mayWiden} (a first
     * attempt, not one after a method came out too big); null when nothing compiles.
     */
    private Region region(int phys, int[] eips, PageCode code, Segment cs, boolean stack32, int max, boolean mayWiden,
            Region.PageSource source) {
        boolean widened = !mayWiden;
        while (max >= 1) {
            Region r = new Region(physical, decoder, eips, code, phys, cs.base, cs.limit, max, mem, s,
                    cs.big(), stack32, source);
            if (r.compiledCount() == 0 || r.entries.isEmpty()) return null;
            if (!widened && r.compiledCount() >= max && r.hasSwitch()) {
                // A switch (an interpreter's dispatch loop) with its cases cut short by the limit would
                // chain from method to method on every case: room for all of them (the byte limit still holds).
                widened = true;
                max = SWITCH_UNIT_INSTRUCTIONS;
                continue;
            }
            int guess = r.compiledCount() * UnitCompiler.MAX_METHOD_BYTES / Math.max(1, estimatedBytes(r));
            if (guess < r.compiledCount() && max > 1) {
                // Clearly too big to fit one method (many instructions through Exec): fewer, before generating.
                stats.splits++;
                max = Math.max(1, Math.min(guess, max - 1));
                continue;
            }
            markSlowCalls(r, cs.base);
            return r;
        }
        return null;
    }

    /**
     * A region's class, generated and loaded: the code; or, when the method came out too big, the
     * instruction limit to try again with ({@link #fit}); or a failure (logged).
     */
    static final class Generated {
        UnitCompiler compiler;
        CompiledCode code;
        int fit;
        boolean failed, loadFailed;
        long nanos;
    }

    /**
     * Generates and loads a region's class. It reads only the region and what the compiler took
     * from the CPU when made, so it may run on another thread than the CPU's.
     */
    static Generated generate(Region r, JitRuntime rt) {
        long t0 = System.nanoTime();
        Generated g = generateUntimed(r, rt);
        g.nanos = System.nanoTime() - t0;
        return g;
    }

    private static Generated generateUntimed(Region r, JitRuntime rt) {
        Generated g = new Generated();
        UnitCompiler c = new UnitCompiler(r);
        g.compiler = c;
        byte[] classFile;
        try {
            classFile = c.generate();
        } catch (RuntimeException e) {
            LOG.warn("cannot compile the code at {}", Integer.toHexString(r.entryEip), e);
            g.failed = true;
            return g;
        }
        // Too big for HotSpot to compile the method, or to inline all of its memory accesses.
        double over = Math.max((double) c.methodBytes / UnitCompiler.MAX_METHOD_BYTES,
                (double) (c.methodBytes + c.inlinedBytes) / InlineBudget.LIMIT);
        if (over > 1) {
            // Scale down by how much too big it was (instructions through Exec are long), so that
            // code of such instructions does not go through several halvings.
            int n = r.compiledCount();
            long fit = (long) (n * 0.9 / over);
            g.fit = (int) Math.min(Math.min(r.maxInstructions() / 2, n - 1), Math.max(1, fit));
            g.failed = g.fit < 1;
            return g;
        }
        org.kasou.isa.DecodedInsn[] insns = new org.kasou.isa.DecodedInsn[r.nodes.size()];
        for (int i = 0; i < insns.length; i++) insns[i] = r.nodes.get(i).d;
        try {
            g.code = c.load(classFile, c.classData(insns, rt));
        } catch (RuntimeException e) { // a class the JVM refuses is a bug here: the interpreter runs the code
            LOG.warn("cannot load the code compiled at {}", Integer.toHexString(r.entryEip), e);
            g.failed = g.loadFailed = true;
        }
        return g;
    }

    /** The body of a region whose class was generated and loaded. */
    private Body body(Region r, Generated g) {
        UnitCompiler c = g.compiler;
        Body body = new Body(g.code, r, c.flatSegs);
        body.methodBytes = c.methodBytes;
        body.units = new ArrayList<>();
        for (int i = 0; i < r.entries.size(); i++) {
            Node e = r.entries.get(i);
            body.units.add(new Unit(body, i, r.pagePhys | ((r.csBase + e.eip) & 0xFFF), e.eip));
        }
        if (LOG.isTraceEnabled()) {
            StringBuilder sb = new StringBuilder();
            for (Node n : r.nodes) {
                sb.append(Integer.toHexString(n.eip)).append(r.entries.contains(n) ? "E" : "").append(n.returnSite ? "R" : "")
                        .append(':').append(n.kind).append(n.fall != null && !n.fall.compiled() ? "/xf" + Integer.toHexString(n.fall.eip) : "")
                        .append(n.target != null && !n.target.compiled() ? "/xt" + Integer.toHexString(n.target.eip) : "").append(' ');
            }
            LOG.trace("region {}: {}", Integer.toHexString(r.entryEip), sb);
        }
        stats.unitsCompiled++;
        for (Node n : r.nodes) {
            if (n.pageGroup == null || n.pageGroup.leader() != n) continue;
            stats.pageGroups++;
            if (body.groupLeaders == null) body.groupLeaders = new java.util.HashMap<>();
            body.groupLeaders.put(n.eip, n.pageGroup);
        }
        if (c.keepsX87InLocals()) stats.x87LocalUnits++;
        if (c.leavesFlagsInState()) stats.flagsInStateUnits++;
        stats.instructionsCompiled += body.instructions;
        return body;
    }

    /** Rough bytecode size of a region's method: an instruction through Exec spills and reloads everything. */
    private static int estimatedBytes(Region r) {
        int bytes = 0;
        for (Node n : r.nodes) bytes += n.kind == Kinds.GENERIC ? 380 : 40;
        return bytes;
    }

    /** Invalidates a body and removes it from the page index (its cache entries are removed by the caller or stay as invalid). */
    private void drop(Body body) {
        body.invalidate();
        for (Part p : body.parts) byPage.remove(p);
    }

    @Override
    public void codeWritten(int physAddr, int size) {
        pending.written(physAddr, size);
        List<Part> written = new ArrayList<>(1);
        byPage.written(physAddr, size, written::add);
        for (Part part : written) {
            Body body = part.body();
            if (!body.valid) continue;
            body.invalidate();
            for (Part p : body.parts) if (p != part) byPage.remove(p); // its parts in other pages
            for (Unit u : body.units) cache.remove(u);
            stats.invalidations++;
            rt.hit = true;
        }
    }

    @Override
    public boolean holdsCode(int physPage) {
        return byPage.holds(physPage) || pending.holds(physPage);
    }

    @Override
    public void flush() {
        pending.flush();
        cache.forEach(u -> u.body.invalidate());
        cache.clear();
        byPage.clear(p -> p.body().invalidate());
        rt.hit = true;
    }
}
