package org.kasou.conformance.sst;

import org.kasou.cpu.Cpu;

/**
 * The few machine controls the runner needs beyond registers and RAM, in one place: the A20
 * gate and dropping cached translations and decoded code between tests.
 */
final class MachineControl {
    private MachineControl() {}

    static void enableA20(Cpu cpu) {
        cpu.memory.setA20(true);
    }

    /** Drops decoded code and TLB entries so that nothing of the previous test survives. */
    static void flushCaches(Cpu cpu) {
        cpu.memory.flushTlb();
    }
}
