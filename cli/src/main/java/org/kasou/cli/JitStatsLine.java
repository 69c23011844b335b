package org.kasou.cli;

import java.util.Locale;
import org.kasou.jit.JitStats;

/** The `--stats` line about the JIT, the same for `boot` and `run`. */
final class JitStatsLine {
    private JitStatsLine() {}

    static String of(JitStats j, long instructions) {
        return String.format(Locale.ROOT, "kasou: JIT: %,d units compiled (%,d guest instructions) in %.3f s; %.1f%% of instructions"
                + " ran compiled; %,d units invalidated by code writes, %,d evicted; %,d entries into compiled code"
                + " (%,d from unit to unit, %,d of them by a unit's own call); %,d units with the x87 stack in locals, %,d with"
                + " the flags left in the state until they set some;"
                + " %,d exits off a memory access's fast path, %,d units compiled again for them",
                j.unitsCompiled, j.instructionsCompiled, j.compileNanos / 1e9,
                instructions == 0 ? 0.0 : 100.0 * j.instructionsExecuted / instructions, j.invalidations, j.evictions,
                j.entries, j.chained, j.linked, j.x87LocalUnits, j.flagsInStateUnits, j.slowExits, j.slowRecompiles);
    }
}
