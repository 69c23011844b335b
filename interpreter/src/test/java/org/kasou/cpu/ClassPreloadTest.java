package org.kasou.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.invoke.MethodHandles;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * The classes loaded for the interpreter's dispatch methods before HotSpot's C2 compiles them (so
 * that C2's code has no trap for a class not yet loaded): which ones, and when a CPU loads them.
 */
class ClassPreloadTest {
    @Test
    void theCpusPackagesAreListedAndNothingElse() throws Exception {
        List<String> names = ClassPreload.classNames();
        // Classes that the dispatch methods name only on rare paths (each cost a C2 compile in a boot).
        for (String name : new String[] {"org.kasou.cpu.exec.Exec", "org.kasou.cpu.sys.FarTransfer", "org.kasou.cpu.sys.Interrupts",
                "org.kasou.cpu.exec.Branches", "org.kasou.cpu.exec.X87Exec", "org.kasou.cpu.MemoryOps$XorMR32", "org.kasou.fpu.Arithmetic",
                "org.kasou.isa.Decoder", "org.kasou.mem.Memory"}) {
            assertTrue(names.contains(name), name + " is not among the " + names.size() + " listed");
        }
        ClassLoader loader = ClassPreload.class.getClassLoader();
        for (String name : names) {
            String pkg = name.substring(0, name.lastIndexOf('.'));
            assertTrue(List.of("org.kasou.cpu", "org.kasou.cpu.exec", "org.kasou.cpu.sys", "org.kasou.fpu", "org.kasou.isa", "org.kasou.mem")
                    .contains(pkg), name);
            assertEquals(name, Class.forName(name, false, loader).getName());
        }
    }

    /** Set by {@link Marked}'s static initializer. */
    static boolean markedInitialized;

    static final class Marked {
        static {
            markedInitialized = true;
        }
    }

    @Test
    void initializeRunsAClassesStaticInitializerAtOnce() {
        assertFalse(markedInitialized);
        ClassPreload.initialize(MethodHandles.lookup(), Marked.class);
        assertTrue(markedInitialized);
    }

    @Test
    void aCpuLoadsThemAtItsFirstNewBlockAfterMillionsOfInstructions() {
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        // Real mode at 0x1000: dec ecx (66 49); jnz back to it; jmp ax (to a HLT that no block holds
        // until it is reached: a block goes on through conditional branches and direct jumps).
        int at = 0x1000;
        byte[] code = {0x66, 0x49, 0x75, (byte) 0xFC, (byte) 0xFF, (byte) 0xE0};
        for (int i = 0; i < code.length; i++) phys.write8(at + i, code[i]);
        phys.write8(at + 0x100, 0xF4);
        Cpu cpu = TestCpus.create(phys, new IoPortBus());
        CpuState s = cpu.state;
        s.seg[Segment.CS].set(0, 0, 0xFFFF, 0x9B);
        for (int sg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) s.seg[sg].set(0x2000, 0x20000, 0xFFFF, 0x93);
        s.gpr[CpuState.ESP] = 0xFFF0;
        long turns = ClassPreload.AFTER_INSTRUCTIONS / 2 + 1000;
        s.gpr[CpuState.ECX] = (int) turns;
        s.gpr[CpuState.EAX] = at + 0x100;
        s.eip = at;
        cpu.memory.flushTlb();
        cpu.run(1000);
        assertFalse(cpu.interpreter().classesPreloaded(), "after 1,000 instructions");
        assertEquals(StopReason.HALTED, cpu.run(3 * ClassPreload.AFTER_INSTRUCTIONS));
        assertEquals(2 * turns + 2, cpu.instructions);
        assertTrue(cpu.interpreter().classesPreloaded(), "after " + cpu.instructions + " instructions");
    }
}
