package org.kasou.jit;

import org.kasou.isa.DecodedInsn;

/** One guest instruction of a region, or (when not compiled) a place where the region exits. */
final class Node {
    final int eip;
    /** The decoded instruction (the interpreter's, or decoded for the region: read only); null for exit nodes. */
    DecodedInsn d;
    /** {@link Kinds} constant, or -1 for an exit node (the interpreter runs what is there). */
    int kind = -1;
    /** ALU operation (0 ADD .. 7 CMP, 8 TEST), condition code, or a thunk's register, per kind. */
    int aux;
    /** Successors: the next instruction and the branch target (null when there is none). */
    Node fall, target;
    /** JMP through a table: the targets found in the table when the unit was compiled (guesses, checked at run time). */
    java.util.List<Node> tableTargets;

    // Filled in by the compiler.
    int order = -1;
    /** Which of the region's pages it is in ({@link Region#pages}). */
    int page;
    /** For an instruction whose last bytes lie in the next linear page: that page's index in {@link Region#pages}, else -1. */
    int tailPage = -1;
    boolean head;
    /**
     * Whether the budget is checked before it: it can be reached again without passing a check
     * (a backward branch or a computed jump leads to it), so that every path between two checks
     * runs fewer instructions than the unit holds.
     */
    boolean budgetCheck;
    /** For a computed JMP or RET: the unit's nodes its target is compared with before it exits. */
    java.util.List<Node> guesses;
    int segPos, segLen;
    int liveIn, liveOut;
    boolean returnSite;
    /** The embedder's hooks are told before it runs ({@link PageCode#announced}). */
    boolean announced;
    /**
     * Its memory accesses call {@link org.kasou.mem.Memory} off the fast path instead of leaving
     * the unit: it left often enough that way before ({@link JitEngine#slowExit}).
     */
    boolean slowCalls;
    /** The accesses sharing one page lookup that its access belongs to, or null ({@link PageGroup}). */
    PageGroup pageGroup;
    /** A page group's lookup failed here before: no group starts here or later in its straight run. */
    boolean noGroup;

    Node(int eip) {
        this.eip = eip;
    }

    boolean compiled() {
        return kind >= 0;
    }

    /** Guest instructions it retires when it runs through: a call of a thunk is three. */
    int retires() {
        return kind == Kinds.CALL_THUNK ? 3 : 1;
    }
}
