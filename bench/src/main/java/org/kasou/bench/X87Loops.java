package org.kasou.bench;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.jit.JitEngine;

/**
 * x87 guest loops as compiled C code has them (doubles in memory, the x87 stack between), each
 * counted down in ECX, over two doubles at DATA (2.25 and 0.5) with the result stored at DATA + 16.
 */
public enum X87Loops {
    /** fld m64; fadd m64; fstp m64; dec ecx; jnz: 5 instructions per iteration. */
    ADD(new byte[] {(byte) 0xDD, 0x06, (byte) 0xDC, 0x46, 0x08, (byte) 0xDD, 0x5E, 0x10, 0x49, 0x75, (byte) 0xF5}, 5, 2.75),
    /** fld m64; fmul m64; fstp m64; dec ecx; jnz. */
    MULTIPLY(new byte[] {(byte) 0xDD, 0x06, (byte) 0xDC, 0x4E, 0x08, (byte) 0xDD, 0x5E, 0x10, 0x49, 0x75, (byte) 0xF5}, 5, 1.125),
    /** fld m64; fdiv m64; fstp m64; dec ecx; jnz. */
    DIVIDE(new byte[] {(byte) 0xDD, 0x06, (byte) 0xDC, 0x76, 0x08, (byte) 0xDD, 0x5E, 0x10, 0x49, 0x75, (byte) 0xF5}, 5, 4.5),
    /** fld m64; fsqrt; fstp m64; dec ecx; jnz. */
    SQUARE_ROOT(new byte[] {(byte) 0xDD, 0x06, (byte) 0xD9, (byte) 0xFA, (byte) 0xDD, 0x5E, 0x10, 0x49, 0x75, (byte) 0xF6}, 5, 1.5),
    /** fld m64; fld m64; fcomip st0, st1; fstp st0; seta al; dec ecx; jnz: 7 instructions (AL = 0.5 > 2.25). */
    COMPARE(new byte[] {(byte) 0xDD, 0x06, (byte) 0xDD, 0x46, 0x08, (byte) 0xDF, (byte) 0xF1, (byte) 0xDD, (byte) 0xD8,
            0x0F, (byte) 0x97, (byte) 0xC0, 0x49, 0x75, (byte) 0xF1}, 7, Double.NaN),
    /** fld m64; fld st0; fmul st0, st1; faddp st1, st0; fxch st0; fstp m64; dec ecx; jnz: 8 instructions (x + x * x). */
    STACK(new byte[] {(byte) 0xDD, 0x06, (byte) 0xD9, (byte) 0xC0, (byte) 0xD8, (byte) 0xC9, (byte) 0xDE, (byte) 0xC1,
            (byte) 0xD9, (byte) 0xC8, (byte) 0xDD, 0x5E, 0x10, 0x49, 0x75, (byte) 0xF0}, 8, 7.3125);

    static final double FIRST = 2.25, SECOND = 0.5;

    private final byte[] code;
    public final int instructionsPerIteration;
    /** What the loop stores at DATA + 16 (NaN: it stores nothing there). */
    public final double result;

    X87Loops(byte[] code, int instructionsPerIteration, double result) {
        this.code = code;
        this.instructionsPerIteration = instructionsPerIteration;
        this.result = result;
    }

    /** A CPU about to run this loop; with {@code jit}, every block is compiled at first sight. */
    public Cpu newCpu(boolean jit) {
        Cpu cpu = GuestLoops.ALU.newCpu();
        if (jit) JitEngine.install(cpu, 0);
        cpu.physical.load(GuestLoops.CODE, code, 0, code.length);
        cpu.physical.write64(GuestLoops.DATA, Double.doubleToRawLongBits(FIRST));
        cpu.physical.write64(GuestLoops.DATA + 8, Double.doubleToRawLongBits(SECOND));
        cpu.state.cr0 |= CpuState.CR0_NE;
        cpu.state.fpu.init(); // as after FNINIT: an empty stack, every exception masked
        cpu.interpreter().flushCodeCache();
        return cpu;
    }

    /** The double the loop stored at DATA + 16. */
    public static double stored(Cpu cpu) {
        long low = cpu.physical.read32(GuestLoops.DATA + 16) & 0xFFFF_FFFFL;
        return Double.longBitsToDouble(low | (long) cpu.physical.read32(GuestLoops.DATA + 20) << 32);
    }
}
