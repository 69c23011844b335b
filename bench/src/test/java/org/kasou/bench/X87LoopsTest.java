package org.kasou.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.fpu.FpuStatus;

/** The x87 benchmark loops compute what they should, on both engines, so their MIPS measure real work. */
class X87LoopsTest {
    private static final int ITERATIONS = 5_000;

    @ParameterizedTest
    @EnumSource(X87Loops.class)
    void interpreter(X87Loops loop) {
        check(loop, false);
    }

    @ParameterizedTest
    @EnumSource(X87Loops.class)
    void jit(X87Loops loop) {
        check(loop, true);
    }

    private static void check(X87Loops loop, boolean jit) {
        Cpu cpu = loop.newCpu(jit);
        GuestLoops.run(cpu, (long) ITERATIONS * loop.instructionsPerIteration);
        assertEquals(GuestLoops.CODE, cpu.state.eip);
        assertEquals(0x7FFFFFFF - ITERATIONS, cpu.state.gpr[CpuState.ECX]);
        assertEquals(0, cpu.state.fpu.top, "the loop leaves the x87 stack as it found it");
        assertEquals(0, cpu.state.fpu.status & FpuStatus.SF, "no stack fault");
        if (Double.isNaN(loop.result)) assertEquals(0, cpu.state.gpr[CpuState.EAX] & 0xFF, "0.5 > 2.25 is false");
        else assertEquals(loop.result, X87Loops.stored(cpu));
    }
}
