package org.kasou.jit;

/**
 * How a compiled unit leaves when a memory access misses the fast path (the page is not in the
 * TLB's direct map for the unit's CPL, the access crosses a page, or the page holds MMIO or code):
 * the access methods of {@link CompiledAccess} that end in {@code OrLeave} throw the one instance,
 * and the unit's handler leaves before the instruction, which the interpreter then runs, filling
 * the TLB, faulting or reaching the device as it does for any instruction.
 *
 * <p>So the unit's fast paths hold no calls: a call is a point where every value the unit keeps
 * in registers must be saved, as HotSpot's calling convention saves none across it, and where
 * the whole guest state must be described for the fault handler. Within one compiled method
 * HotSpot turns the throw of this preallocated instance into a jump to the handler.
 */
final class SlowAccess extends RuntimeException {
    private static final long serialVersionUID = 1L;

    static final SlowAccess INSTANCE = new SlowAccess();

    private SlowAccess() {
        super("a memory access left the fast path", null, false, false);
    }
}
