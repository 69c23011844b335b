package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.LazyFlags;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * Random sequences of flag-setting helpers run twice: once with the flags left lazy, once with
 * every flag made explicit (setArith(arith())) after each step. The results and flags must agree
 * at every step, so each helper reads its input flags (ADC's carry, INC's kept CF, RCL, DAA...)
 * correctly from every kind of lazy record the previous helper may have left. The host vectors
 * only start helpers from explicit flags.
 */
class LazyEagerEquivalenceTest {
    private static final int[] EDGES = {0, 1, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, -1};

    private final Cpu lazyCpu = org.kasou.cpu.TestCpus.create(new PhysicalMemory(4096), new IoPortBus());
    private final Cpu eagerCpu = org.kasou.cpu.TestCpus.create(new PhysicalMemory(4096), new IoPortBus());

    @Test
    void lazyAndEagerFlagsAgreeOverRandomSequences() {
        SplittableRandom rnd = new SplittableRandom(7);
        for (int run = 0; run < 2000; run++) {
            long seed = rnd.nextLong();
            SplittableRandom a = new SplittableRandom(seed), b = new SplittableRandom(seed);
            LazyFlags.setArith(lazyCpu.state, 0);
            LazyFlags.setArith(eagerCpu.state, 0);
            for (int step = 0; step < 40; step++) {
                int ra = step(lazyCpu, a);
                int rb = step(eagerCpu, b);
                LazyFlags.setArith(eagerCpu.state, LazyFlags.arith(eagerCpu.state));
                String where = "seed " + seed + " step " + step;
                assertEquals(rb, ra, where);
                assertEquals(LazyFlags.arith(eagerCpu.state), LazyFlags.arith(lazyCpu.state), where);
                assertEquals(eagerCpu.state.gpr[CpuState.EAX], lazyCpu.state.gpr[CpuState.EAX], where);
                for (int cc = 0; cc < 16; cc++) {
                    assertEquals(Conditions.test(eagerCpu.state, cc), Conditions.test(lazyCpu.state, cc), where + " cc " + cc);
                }
            }
        }
    }

    private static int value(SplittableRandom r) {
        return r.nextInt(3) == 0 ? EDGES[r.nextInt(EDGES.length)] : r.nextInt();
    }

    /** One random helper call; returns its result (or a marker for #DE). */
    private static int step(Cpu cpu, SplittableRandom r) {
        CpuState s = cpu.state;
        int size = new int[] {1, 2, 4}[r.nextInt(3)];
        int x = value(r) & LazyFlags.mask(size), y = value(r) & LazyFlags.mask(size);
        int count = r.nextInt(32);
        switch (r.nextInt(24)) {
            case 0: return Alu.add(s, size, x, y);
            case 1: return Alu.adc(s, size, x, y);
            case 2: return Alu.sub(s, size, x, y);
            case 3: return Alu.sbb(s, size, x, y);
            case 4: return Alu.and(s, size, x, y);
            case 5: return Alu.xor(s, size, x, y);
            case 6: Alu.cmp(s, size, x, y); return 0;
            case 7: return Alu.inc(s, size, x);
            case 8: return Alu.dec(s, size, x);
            case 9: return Alu.neg(s, size, x);
            case 10: case 11: return Shifts.shift(s, r.nextInt(8), size, x, count);
            case 12: return size == 1 ? 0 : Shifts.shld(s, size, x, y, count);
            case 13: return size == 1 ? 0 : Shifts.shrd(s, size, x, y, count);
            case 14: s.gpr[CpuState.EAX] = x; MulDiv.mul(s, size, y); return s.gpr[CpuState.EDX];
            case 15: return size == 1 ? 0 : MulDiv.imul(s, size, x, y);
            case 16:
                s.gpr[CpuState.EAX] = x;
                s.gpr[CpuState.EDX] = 0;
                try {
                    MulDiv.div(cpu, size, y);
                } catch (CpuFault f) {
                    return -12345;
                }
                return s.gpr[CpuState.EAX];
            case 17: s.gpr[CpuState.EAX] = x; Bcd.daa(s); return s.gpr[CpuState.EAX];
            case 18: s.gpr[CpuState.EAX] = x; Bcd.das(s); return s.gpr[CpuState.EAX];
            case 19: s.gpr[CpuState.EAX] = x; Bcd.aaa(s); return s.gpr[CpuState.EAX];
            case 20: s.gpr[CpuState.EAX] = x; Bcd.aas(s); return s.gpr[CpuState.EAX];
            case 21: s.gpr[CpuState.EAX] = x; Bcd.aad(s, y & 0xFF); return s.gpr[CpuState.EAX];
            case 22: return size == 1 ? 0 : BitOps.btc(s, size, x, y);
            default: return size == 1 ? 0 : BitOps.bsf(s, size, x, y);
        }
    }
}
