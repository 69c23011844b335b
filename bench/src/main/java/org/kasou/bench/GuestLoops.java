package org.kasou.bench;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * Small guest loops for measuring the interpreter: each is 32-bit flat protected-mode code that
 * loops (practically) forever, so a run of N instructions always executes exactly N.
 */
public enum GuestLoops {
    /** Register ALU work with a counted loop: 7 instructions per iteration. */
    ALU(new byte[] {
            0x01, (byte) 0xD8,                   // loop: add eax, ebx
            0x31, (byte) 0xC2,                   //       xor edx, eax
            (byte) 0x83, (byte) 0xE6, 0x7F,      //       and esi, 0x7f
            0x09, (byte) 0xD7,                   //       or edi, edx
            0x43,                                //       inc ebx
            0x49,                                //       dec ecx
            0x75, (byte) 0xF3,                   //       jnz loop
    }, 7),
    /** Loads, stores and read-modify-write through [reg+disp8]: 6 instructions per iteration. */
    MEMORY(new byte[] {
            (byte) 0x8B, 0x46, 0x08,             // loop: mov eax, [esi+8]
            0x01, (byte) 0xD8,                   //       add eax, ebx
            (byte) 0x89, 0x46, 0x0C,             //       mov [esi+12], eax
            0x01, 0x46, 0x10,                    //       add [esi+16], eax
            0x49,                                //       dec ecx
            0x75, (byte) 0xF2,                   //       jnz loop
    }, 6),
    /** A near call to a two-instruction function: 5 instructions per iteration. */
    CALL_RETURN(new byte[] {
            (byte) 0xE8, 0x03, 0x00, 0x00, 0x00, // loop: call f
            0x49,                                //       dec ecx
            0x75, (byte) 0xF8,                   //       jnz loop
            0x01, (byte) 0xD8,                   // f:    add eax, ebx
            (byte) 0xC3,                         //       ret
    }, 5);

    public static final int CODE = 0x10000, DATA = 0x20000, STACK_TOP = 0x80000;
    public static final int RAM = 1 << 20;

    private final byte[] code;
    /** Guest instructions per loop iteration (for reference; MIPS counts instructions). */
    public final int instructionsPerIteration;

    GuestLoops(byte[] code, int instructionsPerIteration) {
        this.code = code;
        this.instructionsPerIteration = instructionsPerIteration;
    }

    /** A CPU over {@code ram} in 32-bit protected mode with flat code and data segments, interrupts off. */
    static Cpu flatCpu(PhysicalMemory ram) {
        Cpu cpu = new Cpu(ram, new IoPortBus());
        CpuState s = cpu.state;
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET;
        s.seg[Segment.CS].set(0x08, 0, 0xFFFFFFFF, 0xCF9B);
        for (int r : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) {
            s.seg[r].set(0x10, 0, 0xFFFFFFFF, 0xCF93);
        }
        s.setEflags(0x2);
        return cpu;
    }

    /** A fresh CPU in 32-bit flat protected mode about to run this loop. */
    public Cpu newCpu() {
        PhysicalMemory ram = new PhysicalMemory(RAM);
        ram.load(CODE, code, 0, code.length);
        Cpu cpu = flatCpu(ram);
        CpuState s = cpu.state;
        s.eip = CODE;
        java.util.Arrays.fill(s.gpr, 0);
        s.gpr[CpuState.ESP] = STACK_TOP;
        s.gpr[CpuState.ESI] = DATA;
        s.gpr[CpuState.EBX] = 3;
        rearm(cpu);
        return cpu;
    }

    /** Keeps the loop counter far from zero so the loop never ends within a run. */
    public static void rearm(Cpu cpu) {
        cpu.state.gpr[CpuState.ECX] = 0x7FFFFFFF;
    }

    /** Runs exactly {@code n} instructions; fails loudly if the guest stopped for another reason. */
    public static void run(Cpu cpu, long n) {
        rearm(cpu);
        long before = cpu.instructions;
        StopReason r = cpu.run(n);
        if (r != StopReason.BUDGET_EXHAUSTED || cpu.instructions - before != n) {
            throw new IllegalStateException("guest stopped: " + r + " after " + (cpu.instructions - before)
                    + " instructions at eip " + Integer.toHexString(cpu.state.eip));
        }
    }
}
