package org.kasou.jit;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control-flow graph of a region as its compiled method branches (see
 * {@link UnitCompiler}'s terminate and markBudgetChecks): fall-through, Jcc, JMP and CALL inside
 * the region, RET to every return site of the region, and a computed JMP to the targets its
 * table held and to the region's heads. Exits leave the method and are no edges. The method's
 * entry switch is a root with an edge to every entry.
 *
 * <p>It answers one question: whether a set of entries keeps the graph reducible, that is
 * whether every cycle is entered only through one node (its head), which then dominates the
 * cycle. A loop that the entry switch enters in its middle as well as through its head is an
 * irreducible loop, and HotSpot's C2 does not optimise those: a register loop entered that way
 * ran 20 times slower. Entries at loop heads, or anywhere outside loops, are harmless.
 */
final class ControlFlow {
    /** Most guesses a computed JMP compares its target with (as in UnitCompiler). */
    static final int MAX_JMP_GUESSES = 16;

    private final List<Node> nodes;
    private final Map<Node, Integer> index = new IdentityHashMap<>();
    /** Successors of each node, except a computed JMP's guesses among the heads (they depend on the entries). */
    private final int[][] fixed;
    /** Whether a node is a head whatever the entries are (as UnitCompiler.layout decides). */
    private final boolean[] staticHead;
    private final int n;
    /** Roots besides the entries (CALL targets, when only loops within functions count). */
    private final int[] extraRoots;

    /** {@code nodes}: the region's compiled nodes in emission (EIP) order. */
    ControlFlow(List<Node> nodes) {
        this.nodes = nodes;
        this.n = nodes.size();
        for (int i = 0; i < n; i++) index.put(nodes.get(i), i);
        staticHead = staticHeads(nodes);
        Map<Integer, Integer> byEip = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) byEip.put(nodes.get(i).eip, i);
        List<Integer> callTargets = new ArrayList<>();
        fixed = new int[n][];
        for (int i = 0; i < n; i++) {
            Node x = nodes.get(i);
            List<Integer> s = new ArrayList<>(2);
            switch (x.kind) {
                case Kinds.JCC:
                    add(s, x.fall);
                    add(s, x.target);
                    break;
                case Kinds.JMP:
                    add(s, x.target);
                    break;
                case Kinds.CALL: {
                    // Only loops within a function count: a CALL leads to its return site (as if the
                    // callee had returned), its target is a root of its own, and RET leads nowhere.
                    // Cycles through calls and returns (recursion) are no loops C2 could optimise anyway.
                    Integer r = byEip.get(x.d.next);
                    if (r != null) s.add(r);
                    Integer t = x.target != null && x.target.compiled() ? index.get(x.target) : null;
                    if (t != null && !callTargets.contains(t)) callTargets.add(t);
                    break;
                }
                case Kinds.RET: case Kinds.CALL_IND:
                    break;
                case Kinds.JMP_IND:
                    if (x.tableTargets != null) for (Node t : x.tableTargets) add(s, t);
                    break;
                default:
                    add(s, x.fall);
                    break;
            }
            fixed[i] = toArray(s);
        }
        extraRoots = toArray(callTargets);
    }

    /**
     * Which nodes (in emission order) start a segment of straight-line code whatever the entries
     * are: return sites, jump and branch targets, and nodes not reached by falling through from
     * the one before. UnitCompiler's layout and the reducibility check both go by this.
     */
    static boolean[] staticHeads(List<Node> nodes) {
        Map<Node, Integer> preds = new IdentityHashMap<>();
        for (Node x : nodes) {
            if (x.fall != null && x.fall.compiled() && !Kinds.isBranch(x.kind)) preds.merge(x.fall, 1, Integer::sum);
            if (x.fall != null && x.fall.compiled() && x.kind == Kinds.JCC) preds.merge(x.fall, 2, Integer::sum);
            if (x.target != null && x.target.compiled()) preds.merge(x.target, 2, Integer::sum);
            if (x.tableTargets != null) for (Node t : x.tableTargets) preds.merge(t, 2, Integer::sum);
        }
        boolean[] head = new boolean[nodes.size()];
        Node prev = null;
        for (int i = 0; i < head.length; i++) {
            Node x = nodes.get(i);
            boolean fallsIn = prev != null && !Kinds.isBranch(prev.kind) && prev.fall == x;
            head[i] = x.returnSite || !fallsIn || preds.getOrDefault(x, 0) != 1;
            prev = x;
        }
        return head;
    }

    private void add(List<Integer> s, Node t) {
        if (t == null || !t.compiled()) return;
        Integer k = index.get(t);
        if (k != null && !s.contains(k)) s.add(k);
    }

    /** Whether the graph rooted at an entry switch to {@code entries} is reducible. */
    boolean reducible(List<Node> entries) {
        return irreducibleEdges(entries) == 0;
    }

    /**
     * How many retreating edges of the graph rooted at an entry switch to {@code entries} go to a
     * node that does not dominate their source (0: the graph is reducible).
     */
    int irreducibleEdges(List<Node> entries) {
        // Called once per candidate entry of a region (up to 64 times): arrays only, no boxing.
        int root = n;
        boolean[] isEntry = new boolean[n];
        for (Node e : entries) isEntry[index.get(e)] = true;
        int[][] succ = new int[n + 1][];
        for (int i = 0; i < n; i++) {
            succ[i] = nodes.get(i).kind == Kinds.JMP_IND ? jmpGuesses(fixed[i], isEntry) : fixed[i];
        }
        int[] roots = new int[entries.size() + extraRoots.length];
        for (int k = 0; k < entries.size(); k++) roots[k] = index.get(entries.get(k));
        System.arraycopy(extraRoots, 0, roots, entries.size(), extraRoots.length);
        succ[root] = roots;
        // Reverse postorder by an iterative depth-first search.
        int[] rpo = new int[n + 1];
        java.util.Arrays.fill(rpo, -1);
        int[] order = new int[n + 1];
        int count = dfs(succ, root, rpo, order);
        // Predecessors of the reached nodes, packed: those of v are preds[predStart[v] .. predStart[v + 1]).
        int[] predStart = new int[n + 2];
        for (int u = 0; u <= n; u++) {
            if (rpo[u] < 0) continue;
            for (int v : succ[u]) predStart[v + 1]++;
        }
        for (int v = 0; v <= n; v++) predStart[v + 1] += predStart[v];
        int[] preds = new int[predStart[n + 1]];
        int[] fill = java.util.Arrays.copyOf(predStart, n + 1);
        for (int u = 0; u <= n; u++) {
            if (rpo[u] < 0) continue;
            for (int v : succ[u]) preds[fill[v]++] = u;
        }
        // Immediate dominators (Cooper, Harvey and Kennedy: "A Simple, Fast Dominance Algorithm").
        int[] idom = new int[n + 1];
        java.util.Arrays.fill(idom, -1);
        idom[root] = root;
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int k = 1; k < count; k++) {
                int v = order[k];
                int d = -1;
                for (int j = predStart[v]; j < predStart[v + 1]; j++) {
                    int p = preds[j];
                    if (idom[p] < 0) continue;
                    d = d < 0 ? p : intersect(d, p, idom, rpo);
                }
                if (d != idom[v]) {
                    idom[v] = d;
                    changed = true;
                }
            }
        }
        // A retreating edge (to a node no later in reverse postorder) must go to a dominator.
        int bad = 0;
        for (int u = 0; u <= n; u++) {
            if (rpo[u] < 0) continue;
            for (int v : succ[u]) {
                if (rpo[v] <= rpo[u] && !dominates(v, u, idom, root)) bad++;
            }
        }
        return bad;
    }

    /**
     * A computed JMP's successors: the targets its table held, then the heads (entries are heads)
     * in order, {@link #MAX_JMP_GUESSES} at most, as UnitCompiler compares them.
     */
    private int[] jmpGuesses(int[] tableTargets, boolean[] isEntry) {
        int[] g = java.util.Arrays.copyOf(tableTargets, Math.max(tableTargets.length, MAX_JMP_GUESSES));
        int size = tableTargets.length;
        for (int k = 0; k < n && size < MAX_JMP_GUESSES; k++) {
            if ((staticHead[k] || isEntry[k]) && !contains(g, size, k)) g[size++] = k;
        }
        return java.util.Arrays.copyOf(g, Math.min(size, MAX_JMP_GUESSES));
    }

    private static int[] toArray(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        return a;
    }

    private static boolean contains(int[] a, int size, int x) {
        for (int i = 0; i < size; i++) if (a[i] == x) return true;
        return false;
    }

    private int dfs(int[][] succ, int root, int[] rpo, int[] order) {
        int size = succ.length;
        int[] stack = new int[size], next = new int[size];
        boolean[] seen = new boolean[size];
        int[] post = new int[size];
        int posts = 0, sp = 0;
        stack[sp++] = root;
        seen[root] = true;
        while (sp > 0) {
            int u = stack[sp - 1];
            if (next[u] < succ[u].length) {
                int v = succ[u][next[u]++];
                if (!seen[v]) {
                    seen[v] = true;
                    stack[sp++] = v;
                }
            } else {
                sp--;
                post[posts++] = u;
            }
        }
        for (int k = 0; k < posts; k++) {
            int u = post[posts - 1 - k];
            rpo[u] = k;
            order[k] = u;
        }
        return posts;
    }

    private static int intersect(int a, int b, int[] idom, int[] rpo) {
        while (a != b) {
            while (rpo[a] > rpo[b]) a = idom[a];
            while (rpo[b] > rpo[a]) b = idom[b];
        }
        return a;
    }

    private static boolean dominates(int d, int x, int[] idom, int root) {
        while (true) {
            if (x == d) return true;
            if (x == root) return false;
            x = idom[x];
        }
    }
}
