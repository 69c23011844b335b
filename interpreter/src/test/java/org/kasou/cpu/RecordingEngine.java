package org.kasou.cpu;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * An engine for tests of what the interpreter offers: declines every block and records the EIP of
 * each one offered; wants what its predicate says (null: the default answer, every block).
 */
public final class RecordingEngine extends NoCodeEngine {
    public final List<Integer> offered = new ArrayList<>();
    private final Predicate<Interpreter.Block> wanted;
    /** How often the interpreter asked whether it wants a block. */
    public int asked;

    public RecordingEngine(Predicate<Interpreter.Block> wanted) {
        this.wanted = wanted;
    }

    @Override
    public boolean wants(Interpreter.Block b) {
        asked++;
        return wanted == null ? super.wants(b) : wanted.test(b);
    }

    @Override
    public boolean execute(Interpreter.Block b, int budget) {
        offered.add(b.eip());
        return false;
    }
}
