package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.ExecutionEngine;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/** The system property installs the JIT into every new CPU (how the CPU test suite runs with it). */
class EngineDiscoveryTest {
    @Test
    void thePropertyInstallsTheJitWithItsThreshold() {
        String old = System.getProperty(ExecutionEngine.THRESHOLD_PROPERTY);
        try {
            System.setProperty(ExecutionEngine.THRESHOLD_PROPERTY, "7");
            JitEngine e = JitEngine.of(new Cpu(new PhysicalMemory(1 << 16), new IoPortBus()));
            assertNotNull(e);
            assertEquals(7, e.threshold());
            System.clearProperty(ExecutionEngine.THRESHOLD_PROPERTY);
            assertNull(new Cpu(new PhysicalMemory(1 << 16), new IoPortBus()).interpreter().engine());
        } finally {
            if (old != null) System.setProperty(ExecutionEngine.THRESHOLD_PROPERTY, old);
            else System.clearProperty(ExecutionEngine.THRESHOLD_PROPERTY);
        }
    }
}
