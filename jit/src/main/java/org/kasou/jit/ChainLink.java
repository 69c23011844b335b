package org.kasou.jit;

/**
 * One exit of a compiled body and the unit it last continued into. At such an exit the unit
 * calls that unit's code itself, from a call site of its own, instead of returning to the
 * engine's loop, whose single call site sees every unit and whose indirect branch the host CPU
 * predicts badly. The engine fills the link the first time it finds the unit that follows
 * (after all of its own checks); the unit follows it only while everything those checks looked
 * at still holds ({@link #follow}).
 */
final class ChainLink {
    /** The unit this exit went to, or null before the engine found one. */
    JitEngine.Unit unit;
    /** The chain state (JitRuntime#chainStamp) {@link #unit} was checked in. */
    int stamp = JitEngine.Unit.NO_STAMP;

    /** Hops from unit to unit in one call of a unit by the engine: each is a JVM frame, so they are bounded. */
    static final int MAX_HOPS = Integer.getInteger("kasou.jit.hops", 16);

    /**
     * The unit that the exit through {@code link} to {@code eip}, with {@code left} instructions of
     * budget, continues into now; null when the unit must return to the engine (then the link is
     * the one the engine fills). What is checked is what the engine's loop checks between units
     * linked in the same chain state: the next unit (the link's, else the one the engine found last
     * at this EIP) still valid and at this EIP, the chain state unchanged, no code write seen, the
     * budget above the next look at stops and interrupts and covering the next unit's instructions.
     */
    static JitEngine.Unit follow(ChainLink link, JitRuntime rt, int left, int eip) {
        JitEngine.Unit n = link.unit;
        if (n == null || n.eip != eip || link.stamp != rt.chainStamp) {
            n = rt.recent(eip); // a RET or a computed jump goes to many places: the one the engine found last there
        }
        if (n != null && hop(n, rt, left)) return n;
        rt.exitLink = link;
        return null;
    }

    /**
     * Whether n, the unit at the exit's EIP in this chain state, may run now as the next hop (valid,
     * no code write seen, the budget above the next look at stops and interrupts and covering its
     * instructions, hops to spare); counts the hop when it may.
     */
    private static boolean hop(JitEngine.Unit n, JitRuntime rt, int left) {
        if (!n.live || left <= rt.checkAt || left < n.instructions || rt.hops >= MAX_HOPS || rt.hit) return false;
        rt.hops++;
        rt.last = n;
        return true;
    }

    /**
     * Whether units' exits to a fixed EIP call {@link #followDirect} instead of {@link #follow}: on
     * where HotSpot is told not to inline {@link #followMiss} (the launcher does both, through
     * {@code -Dkasou.jit.missOutOfLine=true} and {@code -XX:CompileCommand=dontinline}); without
     * that C2 would inline followMiss and follow behind it, and the units' code would grow instead.
     * Read when a unit is generated.
     */
    static boolean missOutOfLine = Boolean.getBoolean("kasou.jit.missOutOfLine");

    /**
     * {@link #follow} for an exit to a fixed EIP (a jump, a branch, a call): the unit it went to last
     * is nearly always the one to follow, so only that is looked at here, and anything else (the
     * first pass, a unit gone, a new chain state, the budget or the hops at their end) goes to
     * follow out of line. At each such exit C2 then compiles this check alone, not follow's second
     * chance through the engine's recent units as well: the recursion program's units came to 11%
     * less machine code (417 against 468 kB in 84 C2 compiles), sqlite3 to 8% less guest CPU.
     */
    static JitEngine.Unit followDirect(ChainLink link, JitRuntime rt, int left, int eip) {
        JitEngine.Unit n = link.unit;
        if (n != null && n.eip == eip && link.stamp == rt.chainStamp && hop(n, rt, left)) return n;
        return followMiss(link, rt, left, eip);
    }

    /**
     * {@link #follow} out of line, for {@link #followDirect}'s misses: the launcher asks HotSpot not
     * to inline it (`-XX:CompileCommand=dontinline`), so that each exit's machine code holds only
     * the check of its last unit.
     */
    static JitEngine.Unit followMiss(ChainLink link, JitRuntime rt, int left, int eip) {
        return follow(link, rt, left, eip);
    }

    /**
     * Runs {@code n} (from {@link #follow}) with {@code left} instructions of budget and returns what
     * it leaves, or returns {@code left} when n is null. For exits to a computed EIP, which lead to
     * many units in turn: HotSpot inlines this at the exit, so the call keeps an inline cache of
     * its own there, but reads this method's type profile, shared by all units, instead of the
     * unit's own, which would make C2 guard the call by one unit's class and recompile the whole
     * unit each time another comes.
     */
    static int enter(JitEngine.Unit n, int left) {
        return n == null ? left : n.code.run(left, n.entry);
    }
}
