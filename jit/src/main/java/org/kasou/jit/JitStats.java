package org.kasou.jit;

/** Counters of what the JIT did, for --stats. */
public final class JitStats {
    /** Units compiled (including recompilations after invalidation). */
    public long unitsCompiled;
    /** Guest instructions in compiled units. */
    public long instructionsCompiled;
    /** Time spent compiling and loading units, in nanoseconds. */
    public long compileNanos;
    /** Guest instructions retired in compiled code. */
    public long instructionsExecuted;
    /** Entries into compiled code. */
    public long entries;
    /** Entries straight from another unit, without going back to the interpreter. */
    public long chained;
    /** Of those, entries by a unit's own call at its exit ({@link ChainLink}), not through the engine's loop. */
    public long linked;
    /** Units dropped because their code was written. */
    public long invalidations;
    /** Units dropped because the code cache was full. */
    public long evictions;
    /** Units whose first attempt exceeded the method size limit and were compiled smaller. */
    public long splits;
    /** Units compiled with the x87 register stack in locals (X87Locals). */
    public long x87LocalUnits;
    /** Units that leave the lazy flags in the CPU's state until they set flags themselves (no entry's flags read in them). */
    public long flagsInStateUnits;
    /** Times a unit left before an instruction whose memory access missed the fast path (SlowAccess). */
    public long slowExits;
    /** Units dropped to be compiled again with such an instruction calling Memory instead (it left often). */
    public long slowRecompiles;
    /** Groups of accesses that share one page lookup ({@link PageGroup}) in the units compiled. */
    public long pageGroups;
    /** Compiled classes the JVM refused to load (a compiler bug: the interpreter runs that code instead). */
    public long loadFailures;

    /** Adds {@code other}'s counters to these (the JITs of several CPUs, one per guest thread). */
    public void add(JitStats other) {
        unitsCompiled += other.unitsCompiled;
        instructionsCompiled += other.instructionsCompiled;
        compileNanos += other.compileNanos;
        instructionsExecuted += other.instructionsExecuted;
        entries += other.entries;
        chained += other.chained;
        linked += other.linked;
        invalidations += other.invalidations;
        evictions += other.evictions;
        splits += other.splits;
        loadFailures += other.loadFailures;
        x87LocalUnits += other.x87LocalUnits;
        flagsInStateUnits += other.flagsInStateUnits;
        slowExits += other.slowExits;
        slowRecompiles += other.slowRecompiles;
        pageGroups += other.pageGroups;
    }
}
