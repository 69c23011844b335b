package org.kasou.jit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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

    /** Units kept at most. */
    public static final int DEFAULT_CAPACITY = 8192;
    /** Most guest instructions compiled into one unit (fewer when the method would be too big). */
    static final int MAX_UNIT_INSTRUCTIONS = 48;

    /** Marks a block whose code the compiler cannot translate. */
    private static final Object REJECTED = new Object();

    private final Cpu cpu;
    private final CpuState s;
    private final Memory mem;
    private final PhysicalMemory physical;
    private final JitRuntime rt;
    private final Decoder decoder = new Decoder();
    private final int threshold;
    private final int capacity;
    public final JitStats stats = new JitStats();

    private final UnitCache cache = new UnitCache();
    private final Map<Integer, List<Unit>> byPage = new HashMap<>();

    /** A compiled unit and where its code came from. */
    static final class Unit {
        final CompiledCode code;
        final int phys, eip, csBase, maxOffset, physLo, physHi, instructions;
        final boolean code32, stack32;
        final int cpl;
        /** Segment registers the unit was compiled as flat for (see UnitCompiler#flatSegs). */
        int flatSegs;
        boolean valid = true;
        /** The unit this one last continued into (chaining), or null. */
        Unit next;

        Unit(CompiledCode code, Region r, int phys) {
            this.code = code;
            this.phys = phys;
            this.eip = r.entryEip;
            this.csBase = r.csBase;
            this.maxOffset = r.maxOffset;
            this.physLo = r.physLo;
            this.physHi = r.physHi;
            this.instructions = r.compiledCount();
            this.code32 = r.code32;
            this.stack32 = r.stack32;
            this.cpl = r.cpl;
        }

        /** A unit with only a key, for tests of the cache. */
        Unit(int phys, int eip) {
            this.code = null;
            this.phys = phys;
            this.eip = eip;
            this.csBase = 0;
            this.maxOffset = 0;
            this.physLo = 0;
            this.physHi = 0;
            this.instructions = 0;
            this.code32 = true;
            this.stack32 = true;
            this.cpl = 0;
        }

        /** Whether it was compiled for code at this CS base with these CS.D and SS.B, at this CPL. */
        boolean fits(int csBase, boolean code32, boolean stack32, int cpl) {
            return this.csBase == csBase && this.code32 == code32 && this.stack32 == stack32 && this.cpl == cpl;
        }

        /** Whether the segment registers it takes as flat still are. */
        boolean segmentsFit(Segment[] seg) {
            for (int k = 0, m = flatSegs; m != 0; k++, m >>>= 1) {
                if ((m & 1) != 0 && !UnitCompiler.isFlat(seg[k])) return false;
            }
            return true;
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
        this.capacity = Math.max(1, capacity);
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

    /** Found by {@link java.util.ServiceLoader} when {@value ExecutionEngine#THRESHOLD_PROPERTY} is set. */
    public static final class Provider implements ExecutionEngine.Provider {
        @Override
        public ExecutionEngine create(Cpu cpu) {
            String v = System.getProperty(THRESHOLD_PROPERTY, "");
            int t = DEFAULT_THRESHOLD;
            try {
                if (!v.isBlank()) t = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                LOG.warn("ignoring {}={}", THRESHOLD_PROPERTY, v);
            }
            return new JitEngine(cpu, t);
        }
    }

    public int threshold() {
        return threshold;
    }

    /** Units in the cache. */
    public int cachedUnits() {
        return cache.size();
    }

    @Override
    public boolean execute(Interpreter.Block b, int budget) {
        CpuState s = this.s;
        Segment cs = s.seg[Segment.CS];
        boolean code32 = cs.big(), stack32 = s.seg[Segment.SS].big();
        Object o = b.engineCode;
        Unit u;
        if (o instanceof Unit && ((Unit) o).valid && ((Unit) o).fits(cs.base, code32, stack32, s.cpl)) {
            u = (Unit) o;
        } else {
            if (o == REJECTED || b.code32() != code32) return false;
            if (o instanceof Unit) b.engineHeat = 0; // invalidated: count again before recompiling
            if (b.engineHeat++ < threshold) return false;
            u = unitFor(b, cs, stack32);
            if (u == null) {
                b.engineCode = REJECTED;
                return false;
            }
            b.engineCode = u;
        }
        if (Integer.compareUnsigned(u.maxOffset, cs.limit) > 0) return false;
        // A unit checks the budget only where it can loop: it may run up to all its instructions
        // before the first check, so it needs that many. With less, the interpreter runs the rest.
        if (budget < u.instructions || !u.segmentsFit(s.seg)) return false;
        int total = 0;
        while (true) {
            int done = run(u, b, budget);
            total += done;
            budget -= done;
            if (!CHAIN || done == 0 || budget <= 0) break;
            u = successor(u);
            if (u == null || budget < u.instructions || !u.segmentsFit(s.seg)) break;
            stats.chained++;
        }
        return total > 0;
    }

    /**
     * The unit at CS:EIP after {@code u} exited, when running it now is what the interpreter
     * would do: nothing between blocks needs the interpreter (interrupt, stop, shutdown, HLT,
     * single-step, interrupt shadow, a mode the units do not handle), the code page is mapped
     * as when the unit was found (read TLB entry present) and the unit is still valid.
     */
    private Unit successor(Unit u) {
        CpuState s = this.s;
        if (s.shutdown || s.halted || s.interruptShadow || rt.hit) return null;
        if ((s.eflagsRest & (org.kasou.cpu.Flags.TF | org.kasou.cpu.Flags.IF)) != 0) {
            if ((s.eflagsRest & org.kasou.cpu.Flags.TF) != 0) return null;
            if (cpu.interrupts != null && cpu.interrupts.pending()) return null;
        }
        if (cpu.stopRequested()) return null;
        Segment cs = s.seg[Segment.CS];
        boolean code32 = cs.big(), stack32 = s.seg[Segment.SS].big();
        int eip = s.eip;
        int lin = cs.base + eip;
        int e = mem.readTlb()[lin >>> 12];
        if ((e & org.kasou.mem.Memory.tlbAccessBit(s.cpl)) == 0) return null;
        int phys = (e & ~0xFFF) | (lin & 0xFFF);
        Unit n = u.next;
        if (n == null || !n.valid || n.eip != eip || n.phys != phys || !n.fits(cs.base, code32, stack32, s.cpl)) {
            n = cache.get(phys, eip);
            if (n == null || !n.valid || !n.fits(cs.base, code32, stack32, s.cpl)) return null;
            u.next = n;
        }
        if (Integer.compareUnsigned(n.maxOffset, cs.limit) > 0) return null;
        return n;
    }

    /** Runs one unit; returns the instructions it retired. */
    private int run(Unit u, Interpreter.Block b, int budget) {
        rt.hit = false;
        stats.entries++;
        long base = cpu.instructions;
        rt.baseInstructions = base;
        int left;
        try {
            left = u.code.run(s, mem, rt, budget);
        } catch (CpuFault f) {
            int done = budget - rt.faultLeft;
            cpu.instructions = base + done;
            stats.instructionsExecuted += done;
            throw f;
        } catch (RuntimeException e) {
            // A bug, not the guest's doing: the state is at the failing instruction; the guest gets #UD.
            int done = budget - rt.faultLeft;
            cpu.instructions = base + done;
            stats.instructionsExecuted += done;
            LOG.error("internal error in compiled code at {}", Integer.toHexString(s.eip), e);
            if (b.engineCode == u) b.engineCode = REJECTED;
            throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
        }
        int done = budget - left;
        cpu.instructions = base + done;
        stats.instructionsExecuted += done;
        return done;
    }

    private Unit unitFor(Interpreter.Block b, Segment cs, boolean stack32) {
        int phys = b.phys();
        int eip = b.eip();
        Unit u = cache.get(phys, eip);
        if (u != null && u.fits(cs.base, cs.big(), stack32, s.cpl)) return u;
        if (!physical.isRam(phys & ~0xFFF)) return null;
        long t0 = System.nanoTime();
        u = compile(phys, eip, cs, stack32);
        stats.compileNanos += System.nanoTime() - t0;
        if (u == null) return null;
        Unit old = cache.put(u);
        if (old != null) drop(old);
        byPage.computeIfAbsent(phys >>> 12, k -> new ArrayList<>()).add(u);
        physical.markCodePage(phys >>> 12);
        if (cache.size() > capacity) {
            drop(cache.removeOldest());
            stats.evictions++;
        }
        return u;
    }

    private Unit compile(int phys, int eip, Segment cs, boolean stack32) {
        int max = MAX_UNIT_INSTRUCTIONS;
        while (max >= 1) {
            Region r = new Region(physical, decoder, eip, phys, cs.base, cs.limit, max, mem, s, cs.big(), stack32);
            if (r.compiledCount() == 0) return null;
            int guess = r.compiledCount() * UnitCompiler.MAX_METHOD_BYTES / Math.max(1, estimatedBytes(r));
            if (guess < r.compiledCount() && max > 1) {
                // Clearly too big to fit one method (many instructions through Exec): fewer, before generating.
                stats.splits++;
                max = Math.max(1, Math.min(guess, max - 1));
                continue;
            }
            UnitCompiler c = new UnitCompiler(r);
            byte[] classFile;
            try {
                classFile = c.generate();
            } catch (RuntimeException e) {
                LOG.warn("cannot compile the code at {}", Integer.toHexString(eip), e);
                return null;
            }
            if (c.methodBytes > UnitCompiler.MAX_METHOD_BYTES) {
                stats.splits++;
                // Scale down by how much too big it was (instructions through Exec are long), so that
                // code of such instructions does not go through several halvings.
                long fit = (long) r.compiledCount() * UnitCompiler.MAX_METHOD_BYTES * 9 / (10L * c.methodBytes);
                max = (int) Math.min(Math.min(max / 2, r.compiledCount() - 1), Math.max(1, fit));
                continue;
            }
            org.kasou.isa.DecodedInsn[] insns = new org.kasou.isa.DecodedInsn[r.nodes.size()];
            for (int i = 0; i < insns.length; i++) insns[i] = r.nodes.get(i).d;
            Unit u = new Unit(UnitCompiler.load(classFile, insns, c.classData(insns)), r, phys);
            u.flatSegs = c.flatSegs;
            stats.unitsCompiled++;
            stats.instructionsCompiled += u.instructions;
            return u;
        }
        return null;
    }

    /** Rough bytecode size of a region's method: an instruction through Exec spills and reloads everything. */
    private static int estimatedBytes(Region r) {
        int bytes = 0;
        for (Node n : r.nodes) bytes += n.kind == Kinds.GENERIC ? 380 : 40;
        return bytes;
    }

    /** Removes a unit from the page index (the cache entry is removed by the caller). */
    private void drop(Unit u) {
        u.valid = false;
        List<Unit> l = byPage.get(u.phys >>> 12);
        if (l != null) {
            l.remove(u);
            if (l.isEmpty()) byPage.remove(u.phys >>> 12);
        }
    }

    @Override
    public void codeWritten(int physAddr, int size) {
        List<Unit> l = byPage.get(physAddr >>> 12);
        if (l == null) return;
        long lo = physAddr & 0xFFFFFFFFL;
        long hi = lo + size;
        for (int i = l.size() - 1; i >= 0; i--) {
            Unit u = l.get(i);
            if (lo < (u.physHi & 0xFFFFFFFFL) && hi > (u.physLo & 0xFFFFFFFFL)) {
                u.valid = false;
                l.remove(i);
                cache.remove(u);
                stats.invalidations++;
                rt.hit = true;
            }
        }
        if (l.isEmpty()) byPage.remove(physAddr >>> 12);
    }

    @Override
    public boolean holdsCode(int physPage) {
        return byPage.containsKey(physPage);
    }

    @Override
    public void flush() {
        cache.forEach(u -> u.valid = false);
        cache.clear();
        byPage.clear();
        rt.hit = true;
    }
}
