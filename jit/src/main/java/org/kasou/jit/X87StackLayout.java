package org.kasou.jit;

import java.util.ArrayDeque;
import java.util.List;
import org.kasou.isa.DecodedInsn;

/**
 * Where TOP stands at each instruction of a region, relative to TOP at its entry (top0): a
 * data-flow pass over the region's branches, calls and returns. It exists when every path gives
 * each instruction the same offset; then ST(i) is a fixed slot there ({@link X87Locals}).
 */
final class X87StackLayout {
    /** By node index: TOP less top0 before the instruction. */
    final int[] delta;
    /** By node index: instructions that move TOP by an amount known only when they run: the unit leaves after them. */
    final boolean[] barrier;
    /** Slots the unit reads or writes (loaded at entry, written back at exits). */
    final int touched;
    /** TOP - top0 at each entry, as characters offset by 64 (see X87Frame#top0). */
    final String entryDeltas;
    /** For X87Frame#pointers, by node index: EIP, opcode and operand segment of the compiled x87 instructions. */
    final String pointerTable;

    private X87StackLayout(int[] delta, boolean[] barrier, int touched, String entryDeltas, List<Node> nodes) {
        this.delta = delta;
        this.barrier = barrier;
        this.touched = touched;
        this.entryDeltas = entryDeltas;
        StringBuilder t = new StringBuilder();
        for (Node n : nodes) {
            DecodedInsn d = n.d;
            t.append((char) (d.eip >>> 16)).append((char) d.eip).append((char) ((d.opcode & 7) << 8 | d.modrm))
                    .append((char) Math.max(0, d.eaSeg));
        }
        this.pointerTable = t.toString();
    }

    /**
     * The stack layout of a region whose x87 instructions can run in locals, or null: none has a
     * compiled form, one moves TOP by an amount known only when it runs, or two paths reach an
     * instruction with different TOPs. When it exists, the guesses of the region's returns and
     * computed jumps ({@link Node#guesses}) hold only targets with the TOP the jump arrives with.
     */
    static X87StackLayout of(List<Node> nodes, List<Node> entries) {
        boolean any = false;
        for (Node n : nodes) any |= X87Forms.fastForm(n.d) != 0;
        if (!any || entries.isEmpty()) return null;
        int[] delta = new int[nodes.size()];
        boolean[] barrier = new boolean[nodes.size()];
        java.util.Arrays.fill(delta, X87Forms.UNKNOWN);
        ArrayDeque<Node> work = new ArrayDeque<>();
        // From each entry that no earlier one reaches, the branches, calls and fall-throughs first,
        // then the guesses of returns and computed jumps, which only fill what those left open: a
        // guess that would reach its target with another TOP is dropped (the jump leaves the unit
        // there instead), where it used to keep the whole region's x87 instructions out of locals
        // (an interpreter's computed dispatch guesses every head of the region, some of which other
        // paths reach with other TOPs).
        for (Node e : rootsFirst(entries, nodes.size())) {
            if (delta[e.order] != X87Forms.UNKNOWN) continue;
            delta[e.order] = 0;
            work.add(e);
            if (!propagate(delta, barrier, work)) return null;
        }
        // A guess's offset is tried with what follows from it, and taken back with the guess
        // dropped when that meets another offset somewhere.
        boolean more = true;
        while (more) {
            more = false;
            for (Node n : nodes) {
                int out = afterGuessing(n, delta);
                if (out == X87Forms.UNKNOWN) continue;
                for (Node g : n.guesses) {
                    if (!g.compiled() || delta[g.order] != X87Forms.UNKNOWN) continue;
                    int[] deltaBefore = delta.clone();
                    boolean[] barrierBefore = barrier.clone();
                    delta[g.order] = out;
                    work.add(g);
                    if (propagate(delta, barrier, work)) {
                        more = true;
                    } else {
                        work.clear();
                        System.arraycopy(deltaBefore, 0, delta, 0, delta.length);
                        System.arraycopy(barrierBefore, 0, barrier, 0, barrier.length);
                    }
                }
            }
        }
        for (Node n : nodes) {
            int out = afterGuessing(n, delta);
            if (out != X87Forms.UNKNOWN) n.guesses.removeIf(g -> g.compiled() && delta[g.order] != out);
        }
        for (int k = 0; k < delta.length; k++) if (delta[k] == X87Forms.UNKNOWN) delta[k] = 0; // reached from nowhere
        int touched = 0;
        for (Node n : nodes) {
            int form = X87Forms.fastForm(n.d);
            if (form == 0) continue;
            int d = delta[n.order], i = n.d.rm;
            switch (form) {
                case X87Forms.ARITH_ST0: case X87Forms.ARITH_STI: case X87Forms.ARITH_STI_POP: case X87Forms.EXCHANGE:
                case X87Forms.STORE_ST: case X87Forms.STORE_ST_POP: case X87Forms.CONDITIONAL_MOVE:
                    touched |= bit(d) | bit(d + i);
                    break;
                case X87Forms.LOAD_ST:
                    touched |= bit(d + i) | bit(d + 7);
                    break;
                case X87Forms.COMPARE: case X87Forms.COMPARE_EFLAGS: case X87Forms.COMPARE_EFLAGS_POP:
                    touched |= bit(d) | bit(d + comparedWith(n.d)) | (X87Forms.comparePops(n.d) == 2 ? bit(d + 1) : 0);
                    break;
                case X87Forms.STATUS_AX:
                    break;
                case X87Forms.CONSTANT: case X87Forms.LOAD_M32: case X87Forms.LOAD_M64: case X87Forms.LOAD_I32:
                case X87Forms.LOAD_I16: case X87Forms.LOAD_I64:
                    touched |= bit(d + 7);
                    break;
                case X87Forms.LOAD_CONTROL: case X87Forms.STORE_CONTROL:
                    break;
                default: // the memory stores and arithmetic, the unary functions: ST(0)
                    touched |= bit(d);
                    break;
            }
        }
        StringBuilder deltas = new StringBuilder();
        for (Node e : entries) deltas.append((char) (64 + delta[e.order]));
        return new X87StackLayout(delta, barrier, touched, deltas.toString(), nodes);
    }

    /**
     * The entries with those that no other entry's path reaches first: an entry inside another's
     * path (a block boundary after an FLD, say) then takes its offset from that path instead of 0,
     * which the path would contradict.
     */
    private static List<Node> rootsFirst(List<Node> entries, int nodeCount) {
        boolean[] inside = new boolean[nodeCount];
        for (Node e : entries) {
            boolean[] seen = new boolean[nodeCount];
            ArrayDeque<Node> work = new ArrayDeque<>(List.of(e));
            while (!work.isEmpty()) {
                for (Node s : successors(work.poll())) {
                    if (s == null || !s.compiled() || seen[s.order]) continue;
                    seen[s.order] = true;
                    if (s != e) inside[s.order] = true;
                    work.add(s);
                }
            }
        }
        List<Node> ordered = new java.util.ArrayList<>(entries.size());
        for (Node e : entries) if (!inside[e.order]) ordered.add(e);
        for (Node e : entries) if (inside[e.order]) ordered.add(e);
        return ordered;
    }

    /**
     * Carries TOP's offsets from the nodes in {@code work} along branches, calls and fall-throughs
     * (not the guesses of returns and computed jumps); false when two paths reach a node with
     * different offsets or an offset leaves the stack's range.
     */
    private static boolean propagate(int[] delta, boolean[] barrier, ArrayDeque<Node> work) {
        while (!work.isEmpty()) {
            Node n = work.poll();
            int form = X87Forms.fastForm(n.d);
            int effect = form != 0 ? X87Forms.fastEffect(form, n.d) : X87Forms.stackEffect(n.d);
            if (effect == X87Forms.UNKNOWN) { // FNINIT, FLDENV, FRSTOR...: the unit leaves after it
                barrier[n.order] = true;
                continue;
            }
            int out = delta[n.order] + effect;
            if (out < -8 || out > 8) return false;
            for (Node s : successors(n)) {
                if (s == null || !s.compiled()) continue;
                if (delta[s.order] == X87Forms.UNKNOWN) {
                    delta[s.order] = out;
                    work.add(s);
                } else if (delta[s.order] != out) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * TOP's offset with which a return or computed jump n arrives at its guesses, or UNKNOWN when n
     * is neither, has no guesses, or is not reached yet.
     */
    private static int afterGuessing(Node n, int[] delta) {
        if (n.guesses == null || (n.kind != Kinds.RET && n.kind != Kinds.JMP_IND) || delta[n.order] == X87Forms.UNKNOWN) {
            return X87Forms.UNKNOWN;
        }
        return delta[n.order] + X87Forms.stackEffect(n.d);
    }

    /** The nodes n goes on at for sure: not the guesses of a return or a computed jump. */
    private static List<Node> successors(Node n) {
        switch (n.kind) {
            case Kinds.JCC: return java.util.Arrays.asList(n.fall, n.target);
            case Kinds.JMP: case Kinds.CALL: return java.util.Collections.singletonList(n.target);
            case Kinds.RET: case Kinds.JMP_IND: case Kinds.CALL_IND: return List.of();
            default: return java.util.Collections.singletonList(n.fall);
        }
    }

    /** The register a comparison form compares ST(0) with: ST(1) for FCOMPP and FUCOMPP. */
    static int comparedWith(DecodedInsn d) {
        return X87Forms.comparePops(d) == 2 ? 1 : d.rm;
    }

    private static int bit(int x) {
        return 1 << (x & 7);
    }
}
