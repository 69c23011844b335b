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

    /**
     * Between tests: drops TLB entries. Decoded code needs no flush here because every RAM byte a
     * test writes goes through PhysicalMemory, whose code-write listener invalidates stale blocks.
     */
    static void flushTranslations(Cpu cpu) {
        cpu.memory.flushTlb();
    }

    /** After RAM was rewritten behind PhysicalMemory's back: drops TLB entries and decoded code. */
    static void flushAll(Cpu cpu) {
        cpu.memory.flushTlb();
        cpu.interpreter().flushCodeCache();
    }
}
