package org.kasou.jit;

import java.util.List;

/**
 * Memory accesses of one straight run of a unit at fixed displacements from one base register
 * that no instruction between them changes ({@code [esp+0x30]}, {@code [esp+4]}, {@code [ebp-8]}
 * ...): the first of them looks up, once, the RAM page that all of them fall in and the offset of
 * the lowest displacement in it; each access is then that page at that offset plus a constant.
 *
 * <p>The point is less the TLB arrays' loads and tests each access saves than what HotSpot can
 * see: with every access at the same array and the same variable offset plus a different constant,
 * C2 knows which accesses are the same bytes and which are not, so a value written to a local is
 * taken from the register that held it when the code reads it back, and a read is not repeated
 * across writes to other locals. Where each access makes its own lookup C2 cannot tell that
 * {@code [esp+0x30]} and {@code [esp+4]} are different bytes (they might be in different pages),
 * and every write forces every later read back to memory. busybox's sha256sum, whose eight
 * working variables live in its stack frame, took a third less CPU.
 *
 * <p>A run of a loop makes a group of three accesses, a straight run one of six ({@link
 * #MIN_MEMBERS_STRAIGHT}): in a loop the lookup is made again at the same stack depth turn after
 * turn and pays for itself, where a function's straight code runs at any depth. The lookup leaves the unit when the span crosses a
 * page or the page is not in the TLB ({@link CompiledAccess#groupPageOrLeave}); for a span across
 * two pages the engine compiles the body again at once without groups from there on in that run
 * ({@link Node#noGroup}), since the code would cross again at other depths. The page cannot change
 * under the group: the TLB's arrays change only where the unit calls into the interpreter's code or
 * Memory (those instructions end a group) or between unit runs (mapping changes end the unit). A
 * group that writes uses the write page for its reads too (a page the CPL may write it may read).
 */
final class PageGroup {
    /** The base register. */
    final int base;
    /** Lowest displacement and one past the highest byte any member may touch (as if every access were 4 bytes). */
    int lo, hiEnd;
    /** Whether a member writes (then the lookup is of the write page). */
    boolean writes;
    /** The members in order. */
    final java.util.List<Node> members = new java.util.ArrayList<>(4);

    /** Fewest accesses that make the group: {@link #MIN_MEMBERS} or {@link #MIN_MEMBERS_STRAIGHT}. */
    private final int least;

    /**
     * Fewest accesses that make a group in a run of a loop: the lookup costs about what three
     * accesses' own lookups do (the span's two ends, the page's load and test, the offset).
     */
    static final int MIN_MEMBERS = 3;

    /**
     * Fewest accesses that make a group in a run outside loops: a function's straight code runs at
     * every stack depth, and where its span crosses a page the body is compiled again; lua5.4's
     * functions have a few stack accesses a run, where SHA-256's code around its loops has seven
     * to thirty (-Dkasou.jit.groupStraightMin=N).
     */
    static final int MIN_MEMBERS_STRAIGHT = Integer.getInteger("kasou.jit.groupStraightMin", 6);

    private PageGroup(int base, int least) {
        this.base = base;
        this.least = least;
    }

    /** The first access's node: the lookup goes before its code. */
    Node leader() {
        return members.get(0);
    }

    /** Whether the span lies in two pages when the base register holds {@code baseValue}. */
    boolean spansTwoPages(int baseValue) {
        return (((baseValue + lo) ^ (baseValue + hiEnd - 1)) >>> 12) != 0;
    }

    /** Whether an access of {@code size} bytes at displacement {@code disp} lies in the span the lookup checked. */
    boolean covers(int disp, int size) {
        return disp >= lo && disp + size <= hiEnd;
    }

    /**
     * Sets {@link Node#pageGroup} on the members of groups of enough accesses, in the straight runs
     * of {@code nodes} (in emission order, {@link Node#head} starting a run), through the
     * segments flat in {@code flatSegments}, when accesses leave the unit off their fast path
     * ({@code leaveOnSlow}; nodes marked {@link Node#slowCalls} call Memory and end groups).
     */
    static void assign(List<Node> nodes, int flatSegments, boolean leaveOnSlow) {
        boolean[] looping = loopingRuns(nodes);
        PageGroup[] open = new PageGroup[8];
        // After an instruction whose accesses call Memory (or where a group's span crossed a page
        // before), the run forms no more groups: such a call is how a group's first access ends up
        // once its lookup has failed often, and the accesses after it would fail the same way.
        boolean stopped = false;
        int least = MIN_MEMBERS;
        for (Node n : nodes) {
            if (n.head || !n.compiled()) {
                close(open);
                stopped = false;
                least = looping[n.order] ? MIN_MEMBERS : MIN_MEMBERS_STRAIGHT;
            }
            if (!n.compiled()) continue;
            if (n.slowCalls || n.noGroup) stopped = true;
            org.kasou.isa.DecodedInsn d = n.d;
            boolean member = leaveOnSlow && !stopped && isMember(n.kind) && d.addrSize == 4 && d.eaBase >= 0 && d.eaIndex < 0
                    && (flatSegments & (1 << d.eaSeg)) != 0 && !n.announced;
            if (member) {
                int disp = d.eaDisp;
                PageGroup g = open[d.eaBase];
                // The span must fit in a page for the lookup to find one.
                if (g != null && (long) Math.max(g.hiEnd, disp + 4) - Math.min(g.lo, disp) > 4096) {
                    close(open, d.eaBase);
                    g = null;
                }
                if (g == null) {
                    g = open[d.eaBase] = new PageGroup(d.eaBase, least);
                    g.lo = disp;
                    g.hiEnd = disp + 4;
                } else {
                    g.lo = Math.min(g.lo, disp);
                    g.hiEnd = Math.max(g.hiEnd, disp + 4);
                }
                g.members.add(n);
                g.writes |= Kinds.writesMemory(n.kind, n.aux);
                n.pageGroup = g;
            }
            // An instruction that cannot fault touches no memory and calls nothing that changes the
            // TLB's arrays: registers and flags alone, which a group goes on across.
            if (!member && Kinds.faults(n.kind) || n.slowCalls || n.announced || Kinds.isBranch(n.kind)) {
                close(open);
                continue;
            }
            int written = RegisterUse.written(n);
            for (int r = 0; r < 8; r++) if ((written & (1 << r)) != 0) close(open, r);
        }
        close(open);
    }

    /**
     * Per node, whether the straight run it begins (its head) is part of a loop: it begins at the
     * target of a backward branch or a computed jump's guess (where the budget is checked), or it
     * ends in a backward branch (the bottom of a loop whose head is elsewhere).
     */
    private static boolean[] loopingRuns(List<Node> nodes) {
        boolean[] looping = new boolean[nodes.size()];
        int head = 0;
        for (int i = 0; i < nodes.size(); i++) {
            Node n = nodes.get(i);
            if (n.head || !n.compiled()) head = i;
            if (n.budgetCheck) looping[head] = true;
            if ((n.kind == Kinds.JCC || n.kind == Kinds.JMP) && n.target != null && n.target.compiled() && n.target.order <= n.order) {
                looping[head] = true;
            }
        }
        return looping;
    }

    /** Ends the open groups; one of fewer accesses than it needs gets no lookup. */
    private static void close(PageGroup[] open) {
        for (int r = 0; r < 8; r++) close(open, r);
    }

    private static void close(PageGroup[] open, int r) {
        PageGroup g = open[r];
        open[r] = null;
        if (g != null && g.members.size() < g.least) for (Node m : g.members) m.pageGroup = null;
    }

    /** Instructions whose only memory access is one at their effective address, through load and store. */
    private static boolean isMember(int kind) {
        switch (kind) {
            case Kinds.MOV_RM: case Kinds.MOVZX_RM8: case Kinds.MOV_MR: case Kinds.MOV_MI: case Kinds.ALU_RM:
            case Kinds.ALU_MR: case Kinds.ALU_MI: case Kinds.MOV_RM8: case Kinds.MOV_MR8: case Kinds.MOVSX_M8:
            case Kinds.CMP_MI8: case Kinds.MOV_MI8: case Kinds.TEST_M: case Kinds.MOV16_RM: case Kinds.MOV16_MR:
            case Kinds.MOV16_MI: case Kinds.MOVX16_M: case Kinds.CMOV_M:
                return true;
            default:
                return false;
        }
    }
}
