package org.kasou.jit;

import java.util.List;

/**
 * Memory accesses of one straight run of a unit at fixed displacements from one base register
 * that no instruction between them changes ({@code [esp+0x30]}, {@code [esp+4]}, {@code [ebp-8]}
 * ...): the first of them looks up the RAM page that all of them fall in, once, and the others
 * use it, where each access would otherwise load its page from the TLB's arrays and test it for
 * null and for the access crossing the page's end. HotSpot cannot do that itself: for it the
 * accesses at different displacements are different pages, and a function's locals and
 * arguments, which i386 code reads and writes all the time, are a dozen such displacements.
 *
 * <p>The lookup ({@link CompiledAccess#groupPage}) gives null when the accesses' span crosses a
 * page or the page is not mapped for the access; then each access takes its own fast path as
 * before. The page cannot change under the group: the TLB's arrays change only where the unit
 * calls into the interpreter's code or Memory (those instructions end a group) or between unit
 * runs (mapping changes end the unit).
 */
final class PageGroup {
    /** The base register. */
    final int base;
    /** The first access's node: the lookup goes before its code. */
    final Node leader;
    /** Lowest displacement and one past the highest byte any member may touch (as if every access were 4 bytes). */
    int lo, hiEnd;
    /** Whether a member writes (then the write page is looked up too). */
    boolean writes;
    int members;

    private PageGroup(int base, Node leader) {
        this.base = base;
        this.leader = leader;
    }

    /** Whether an access of {@code size} bytes at displacement {@code disp} lies in the span the lookup checked. */
    boolean covers(int disp, int size) {
        return disp >= lo && disp + size <= hiEnd;
    }

    /**
     * Sets {@link Node#pageGroup} on the members of groups of two or more accesses, in the straight
     * runs of {@code nodes} (in emission order, {@link Node#head} starting a run), through the
     * segments flat in {@code flatSegments}; {@code fastAccess} says whether a node's accesses take
     * their own fast path (not calls into Memory).
     */
    static void assign(List<Node> nodes, int flatSegments, java.util.function.Predicate<Node> fastAccess) {
        PageGroup[] open = new PageGroup[8];
        for (Node n : nodes) {
            if (n.head || !n.compiled()) close(open);
            if (!n.compiled()) continue;
            org.kasou.isa.DecodedInsn d = n.d;
            boolean member = isMember(n.kind) && d.addrSize == 4 && d.eaBase >= 0 && d.eaIndex < 0
                    && (flatSegments & (1 << d.eaSeg)) != 0 && fastAccess.test(n) && !n.announced;
            if (member) {
                int disp = d.eaDisp;
                PageGroup g = open[d.eaBase];
                // The span must fit in a page for the lookup to find one.
                if (g != null && (long) Math.max(g.hiEnd, disp + 4) - Math.min(g.lo, disp) > 4096) {
                    close(open, d.eaBase);
                    g = null;
                }
                if (g == null) {
                    g = open[d.eaBase] = new PageGroup(d.eaBase, n);
                    g.lo = disp;
                    g.hiEnd = disp + 4;
                } else {
                    g.lo = Math.min(g.lo, disp);
                    g.hiEnd = Math.max(g.hiEnd, disp + 4);
                }
                g.members++;
                g.writes |= Kinds.writesMemory(n.kind, n.aux);
                n.pageGroup = g;
            }
            if (!member && !isHarmless(n.kind) || n.slowCalls || n.announced || Kinds.isBranch(n.kind)) {
                close(open);
                continue;
            }
            int written = UnitCompiler.regsWritten(n);
            for (int r = 0; r < 8; r++) if ((written & (1 << r)) != 0) close(open, r);
        }
        close(open);
    }

    /** Ends the open groups; a group of one access gets no lookup of its own. */
    private static void close(PageGroup[] open) {
        for (int r = 0; r < 8; r++) close(open, r);
    }

    private static void close(PageGroup[] open, int r) {
        PageGroup g = open[r];
        open[r] = null;
        if (g != null && g.members < 2) g.leader.pageGroup = null;
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

    /** Instructions of registers and flags alone, which a group goes on across. */
    private static boolean isHarmless(int kind) {
        switch (kind) {
            case Kinds.MOV_RR: case Kinds.MOV_RI: case Kinds.LEA: case Kinds.ALU_RR: case Kinds.ALU_RI: case Kinds.INC:
            case Kinds.DEC: case Kinds.SHIFT_RI: case Kinds.BYTE_ALU: case Kinds.MUL_R: case Kinds.IMUL_R:
            case Kinds.SETCC_R: case Kinds.CMOV_RR: case Kinds.MOV_RR8: case Kinds.MOVZX_R8: case Kinds.MOVSX_R8:
            case Kinds.NOP: case Kinds.CDQ: case Kinds.NEG_R: case Kinds.NOT_R: case Kinds.MOVX16_R: case Kinds.MOV16_RR:
            case Kinds.MOV16_RI: case Kinds.XCHG_RR: case Kinds.CWDE: case Kinds.MOV_RI8:
                return true;
            default:
                return false;
        }
    }
}
