package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.TestCpus;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * A CPU runs the interpreter alone until an engine is installed; the CPU tests' support installs
 * the JIT found on the class path when their property is set (how the CPU test suite runs again
 * with it).
 */
class EngineDiscoveryTest {
    @Test
    void aNewCpuHasNoEngine() {
        assertNull(new Cpu(new PhysicalMemory(1 << 16), new IoPortBus()).interpreter().engine());
    }

    @Test
    void thePropertyOfTheTestsInstallsTheJitWithItsThreshold() {
        String old = System.getProperty(TestCpus.THRESHOLD_PROPERTY);
        try {
            System.setProperty(TestCpus.THRESHOLD_PROPERTY, "7");
            JitEngine e = JitEngine.of(TestCpus.create(new PhysicalMemory(1 << 16), new IoPortBus()));
            assertNotNull(e);
            assertEquals(7, e.threshold());
            System.clearProperty(TestCpus.THRESHOLD_PROPERTY);
            assertNull(TestCpus.create(new PhysicalMemory(1 << 16), new IoPortBus()).interpreter().engine());
        } finally {
            if (old != null) System.setProperty(TestCpus.THRESHOLD_PROPERTY, old);
            else System.clearProperty(TestCpus.THRESHOLD_PROPERTY);
        }
    }
}
