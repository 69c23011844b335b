package org.kasou.jit;

/**
 * How a compiled unit leaves when its instruction budget runs out at a loop head or a return
 * site: {@link #check} throws the one instance, and the unit's handler for it stores the state
 * and returns.
 *
 * <p>A branch in the unit itself would be profiled per unit: HotSpot compiles a budget check that
 * has never failed in that unit as "never fails", and the first time it does, throws the unit's
 * machine code away and starts the unit over in the bytecode interpreter (each loop head of each
 * unit once). The branch in {@link #check} is profiled once for all units, so after the first
 * budget exhaustion anywhere every unit compiles the exit.
 */
final class BudgetExit extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final BudgetExit INSTANCE = new BudgetExit();

    private BudgetExit() {
        super("the unit's instruction budget ran out", null, false, false);
    }

    /** Throws {@link #INSTANCE} when fewer than {@code needed} instructions are left. */
    static void check(int left, int needed) {
        if (left < needed) throw INSTANCE;
    }
}
