package org.kasou.jit;

import java.util.BitSet;
import org.kasou.cpu.Interpreter;
import org.kasou.isa.DecodedInsn;

/**
 * What the engine knows about the code of one page when it compiles a region there: the
 * instructions the interpreter has decoded (its blocks' own {@link DecodedInsn} objects, shared
 * read-only: neither side changes them after decoding, and a write to the page drops both the
 * blocks and the bodies), which of them ran, and where other bodies' entries begin.
 */
final class PageCode {
    /** By offset in the page: the interpreter's decoded instruction starting there, or null. */
    final DecodedInsn[] insns = new DecodedInsn[4096];
    /** Offsets where instructions the interpreter ran start, or null to compile all reachable code. */
    final BitSet executed;
    /** Offsets where entries of other valid bodies begin: the region exits there (and chains into them). */
    final BitSet stops = new BitSet(4096);
    /** Offsets an embedder watches ({@link org.kasou.cpu.CpuHooks#stepsCode}): a region always exits before them. */
    final BitSet watched = new BitSet(4096);
    /** Offsets whose instructions the compiled code announces to the embedder ({@link org.kasou.cpu.CpuHooks#announcesCode}). */
    final BitSet announced = new BitSet(4096);
    /**
     * Whether the embedder watches or is told about the code at a linear address (anywhere, not
     * only in this page): such code is not folded into the region. Null when nobody listens.
     */
    java.util.function.IntPredicate hooked;
    /**
     * By offset: the bytes of an instruction the interpreter ran that begins there and ends in the
     * next linear page (its block is in no page's index, so the region compares them with memory).
     */
    final java.util.Map<Integer, byte[]> crossing = new java.util.HashMap<>(4);

    /**
     * The blocks of a page decoded for code at linear page {@code linPage} (CS base {@code csBase})
     * with CS.D {@code code32}; {@code profile}: whether only what ran is compiled.
     */
    PageCode(Iterable<Interpreter.Block> blocks, int csBase, int linPage, boolean code32, boolean profile) {
        executed = profile ? new BitSet(4096) : null;
        for (Interpreter.Block x : blocks) {
            boolean same = x.code32() == code32 && ((csBase + x.eip()) >>> 12) == linPage;
            for (int i = 0; i < x.count(); i++) {
                int at = x.instructionOffsetInPage(i);
                // What ran counts whatever the mode was (as before); the decoded form only when it matches.
                if (executed != null) executed.set(at);
                if (same && insns[at] == null) {
                    insns[at] = x.insn(i);
                    if (x.crossBytes() != null) crossing.put(at, x.crossBytes());
                }
            }
        }
    }
}
