package org.kasou.bench;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.StopReason;
import org.kasou.jit.JitEngine;

/**
 * The guest loops of the JIT benchmark: the three of {@link GuestLoops} plus a copy loop and a
 * jump-table (switch) loop, each in a CPU that runs either the interpreter alone or with the JIT.
 */
public enum JitLoops {
    ALU(GuestLoops.ALU, null),
    MEMORY(GuestLoops.MEMORY, null),
    CALL_RETURN(GuestLoops.CALL_RETURN, null),
    /** Copies 256 dwords from DATA to DATA + 0x1000 with loads and stores, again and again: 6 per dword. */
    STRING_COPY(null, new byte[] {
            (byte) 0xBE, 0x00, 0x00, 0x02, 0x00,  // outer: mov esi, 0x20000
            (byte) 0xBF, 0x00, 0x10, 0x02, 0x00,  //        mov edi, 0x21000
            (byte) 0xBA, 0x00, 0x01, 0x00, 0x00,  //        mov edx, 256
            (byte) 0x8B, 0x06,                    // inner: mov eax, [esi]
            (byte) 0x89, 0x07,                    //        mov [edi], eax
            (byte) 0x83, (byte) 0xC6, 0x04,       //        add esi, 4
            (byte) 0x83, (byte) 0xC7, 0x04,       //        add edi, 4
            0x4A,                                 //        dec edx
            0x75, (byte) 0xF3,                    //        jnz inner
            (byte) 0xEB, (byte) 0xE2,             //        jmp outer
    }),
    /** A four-way switch through a jump table: 6 instructions per iteration. */
    SWITCH(null, new byte[] {
            (byte) 0x89, (byte) 0xD8,                            // top: mov eax, ebx
            (byte) 0x83, (byte) 0xE0, 0x03,                      //      and eax, 3
            (byte) 0xFF, 0x24, (byte) 0x85, 0x00, 0x08, 0x02, 0x00, //   jmp [0x20800 + eax*4]
            (byte) 0x83, (byte) 0xC2, 0x01, 0x43, (byte) 0xEB, (byte) 0xEE, // c0: add edx, 1; inc ebx; jmp top
            0x31, (byte) 0xDA, 0x43, (byte) 0xEB, (byte) 0xE9,              // c1: xor edx, ebx; inc ebx; jmp top
            (byte) 0x83, (byte) 0xEA, 0x03, 0x43, (byte) 0xEB, (byte) 0xE3, // c2: sub edx, 3; inc ebx; jmp top
            (byte) 0x83, (byte) 0xCA, 0x05, 0x43, (byte) 0xEB, (byte) 0xDD, // c3: or edx, 5; inc ebx; jmp top
    }),
    /** A loop whose body jumps to the next page and back (two compiled units): 6 instructions per iteration. */
    CROSS_PAGE(null, crossPage());

    private static byte[] crossPage() {
        byte[] c = new byte[0x1000 + 16];
        byte[] first = {
                0x01, (byte) 0xD8,                    // top: add eax, ebx
                0x31, (byte) 0xC2,                    //      xor edx, eax
                (byte) 0xE9, (byte) 0xF7, 0x0F, 0, 0, //      jmp top + 0x1000
        };
        byte[] second = {
                0x43,                                 // top + 0x1000: inc ebx
                (byte) 0x83, (byte) 0xC2, 0x03,       //      add edx, 3
                (byte) 0xE9, (byte) 0xF7, (byte) 0xEF, (byte) 0xFF, (byte) 0xFF, // jmp top
        };
        System.arraycopy(first, 0, c, 0, first.length);
        System.arraycopy(second, 0, c, 0x1000, second.length);
        return c;
    }

    /** Where the warm-up loops go (one per 64 bytes). */
    static final int WARMUP_CODE = 0x90000;
    static final int SWITCH_TABLE = 0x20800;
    static final int[] SWITCH_CASES = {0x0C, 0x12, 0x17, 0x1D};

    private final GuestLoops base;
    private final byte[] code;

    JitLoops(GuestLoops base, byte[] code) {
        this.base = base;
        this.code = code;
    }

    /** A CPU about to run this loop; with {@code jit}, every block is compiled at first sight. */
    public Cpu newCpu(boolean jit) {
        GuestLoops host = base != null ? base : GuestLoops.ALU;
        Cpu cpu = host.newCpu();
        if (jit) JitEngine.install(cpu, 0);
        if (code != null) {
            cpu.physical.load(GuestLoops.CODE, code, 0, code.length);
            for (int i = 0; i < SWITCH_CASES.length; i++) {
                cpu.physical.write32(SWITCH_TABLE + 4 * i, GuestLoops.CODE + SWITCH_CASES[i]);
            }
            cpu.interpreter().flushCodeCache();
        }
        return cpu;
    }

    /**
     * Runs {@code count} different small loops through the same dispatch path first, as a real
     * guest does, so that the benchmark does not measure a call site that has seen one class.
     */
    public static void warmUpManyBlocks(Cpu cpu, int count) {
        int[] saved = cpu.state.gpr.clone();
        int eip = cpu.state.eip;
        for (int i = 0; i < count; i++) {
            int at = WARMUP_CODE + i * 64;
            byte[] loop = {
                    (byte) 0xB9, 50, 0, 0, 0,                               // mov ecx, 50
                    (byte) 0x81, (byte) 0xC0, (byte) i, (byte) (i >> 8), 1, 0, // l: add eax, imm
                    0x31, (byte) 0xC2,                                      // xor edx, eax
                    0x49,                                                   // dec ecx
                    0x75, (byte) 0xF5,                                      // jnz l
                    (byte) 0xF4,                                            // hlt
            };
            cpu.physical.load(at, loop, 0, loop.length);
            cpu.state.eip = at;
            cpu.state.halted = false;
            StopReason r = cpu.run(100_000);
            if (r != StopReason.HALTED) throw new IllegalStateException("warm-up loop " + i + ": " + r);
        }
        cpu.state.halted = false;
        System.arraycopy(saved, 0, cpu.state.gpr, 0, 8);
        cpu.state.eip = eip;
    }
}
