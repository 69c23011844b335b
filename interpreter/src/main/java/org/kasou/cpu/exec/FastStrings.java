package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.isa.DecodedInsn;

/** Bulk paths for REP MOVS and REP STOS over plain RAM (the common memcpy/memset case). */
final class FastStrings {
    private FastStrings() {}

    /** Runs the whole repeated instruction in bulk when it can; false to fall back to the loop. */
    static boolean tryFast(Cpu cpu, DecodedInsn d, boolean a32) {
        return false;
    }
}
