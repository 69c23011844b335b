package org.kasou.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;

/** The benchmark loops compute what they should, so the MIPS figures measure real work. */
class GuestLoopsTest {
    private static final int ITERATIONS = 10_000;

    @Test
    void aluLoop() {
        Cpu cpu = GuestLoops.ALU.newCpu();
        GuestLoops.run(cpu, (long) ITERATIONS * GuestLoops.ALU.instructionsPerIteration);
        int eax = 0, ebx = 3, edx = 0, esi = GuestLoops.DATA, edi = 0;
        for (int i = 0; i < ITERATIONS; i++) {
            eax += ebx;
            edx ^= eax;
            esi &= 0x7F;
            edi |= edx;
            ebx++;
        }
        int[] r = cpu.state.gpr;
        assertEquals(eax, r[CpuState.EAX]);
        assertEquals(ebx, r[CpuState.EBX]);
        assertEquals(edx, r[CpuState.EDX]);
        assertEquals(esi, r[CpuState.ESI]);
        assertEquals(edi, r[CpuState.EDI]);
        assertEquals(0x7FFFFFFF - ITERATIONS, r[CpuState.ECX]);
        assertEquals(GuestLoops.CODE, cpu.state.eip);
    }

    @Test
    void memoryLoop() {
        Cpu cpu = GuestLoops.MEMORY.newCpu();
        cpu.physical.write32(GuestLoops.DATA + 8, 100);
        GuestLoops.run(cpu, (long) ITERATIONS * GuestLoops.MEMORY.instructionsPerIteration);
        assertEquals(103, cpu.state.gpr[CpuState.EAX]);
        assertEquals(103, cpu.physical.read32(GuestLoops.DATA + 12));
        assertEquals(103 * ITERATIONS, cpu.physical.read32(GuestLoops.DATA + 16));
        assertEquals(0x7FFFFFFF - ITERATIONS, cpu.state.gpr[CpuState.ECX]);
    }

    @Test
    void callReturnLoop() {
        Cpu cpu = GuestLoops.CALL_RETURN.newCpu();
        GuestLoops.run(cpu, (long) ITERATIONS * GuestLoops.CALL_RETURN.instructionsPerIteration);
        assertEquals(3 * ITERATIONS, cpu.state.gpr[CpuState.EAX]);
        assertEquals(GuestLoops.STACK_TOP, cpu.state.gpr[CpuState.ESP]);
        assertEquals(GuestLoops.CODE + 5, cpu.physical.read32(GuestLoops.STACK_TOP - 4)); // the pushed return address
        assertEquals(0x7FFFFFFF - ITERATIONS, cpu.state.gpr[CpuState.ECX]);
    }
}
