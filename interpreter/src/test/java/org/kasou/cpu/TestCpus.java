package org.kasou.cpu;

import java.util.ServiceLoader;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * CPUs for the CPU tests. When the system property {@value #THRESHOLD_PROPERTY} is set (the jit
 * module runs these tests again that way), each CPU gets the execution engine found on the class
 * path with that compile threshold, so that the same tests check the JIT against their expectations.
 */
public final class TestCpus {
    /** Names the compile threshold of the engine to install; unset runs the interpreter alone. */
    public static final String THRESHOLD_PROPERTY = "kasou.jit.threshold";

    private TestCpus() {}

    public static Cpu create(PhysicalMemory physical, IoPortBus io) {
        Cpu cpu = new Cpu(physical, io);
        String threshold = System.getProperty(THRESHOLD_PROPERTY);
        if (threshold != null) {
            for (ExecutionEngine.Provider p : ServiceLoader.load(ExecutionEngine.Provider.class)) {
                cpu.interpreter().setEngine(p.create(cpu, Integer.parseInt(threshold.trim())));
                break;
            }
        }
        return cpu;
    }

    /** Whether the tests run with an execution engine installed. */
    public static boolean withEngine() {
        return System.getProperty(THRESHOLD_PROPERTY) != null;
    }
}
