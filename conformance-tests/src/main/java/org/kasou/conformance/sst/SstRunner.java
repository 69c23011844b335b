package org.kasou.conformance.sst;

import java.util.ArrayList;
import java.util.List;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * Runs SingleStepTests 80286 real-mode tests on one reusable {@link Cpu}: loads the initial
 * registers and RAM, runs until the HLT that ends every test has executed, and compares the
 * registers (FLAGS through the opcode's mask) and every expected RAM byte.
 *
 * <p>The test machine: real mode (CR0.PE=0, segment bases selector*16, 64 KiB limits), the A20
 * gate enabled so that FFFF:xxxx reaches 0x10xxxx, no device on the port bus (reads give all
 * ones, as the capture rig's open bus did). IVT entries that a test does not supply point at
 * sentinel handlers, one HLT per vector, so that an exception the 286 did not raise ends the run
 * at once and says which vector it was.
 */
public final class SstRunner {
    /** 1 MiB + 64 KiB reaches FFFF:FFFF with A20 enabled; rounded up to whole pages. */
    public static final int RAM_BYTES = 0x111000;
    /** Guest instructions allowed per test (REP counts are below 64K; runaway code stops here). */
    public static final long INSTRUCTION_BOUND = 300_000;
    /** The sentinel handler of vector v is the HLT at SENTINEL_SEGMENT:(SENTINEL_OFFSET + v). */
    static final int SENTINEL_SEGMENT = 0xF000;
    static final int SENTINEL_OFFSET = 0xFE00;
    private static final int HLT = 0xF4;
    /** Only bits 0-11 of FLAGS are meaningful in 286 real mode (README: mask bits 12-15). */
    static final int REAL_MODE_FLAGS = 0x0FFF;

    /** SingleStepTests register index to CpuState.gpr index, -1 for segment registers, IP, FLAGS. */
    private static final int[] GPR = {
        CpuState.EAX, CpuState.EBX, CpuState.ECX, CpuState.EDX, -1, -1, -1, -1,
        CpuState.ESP, CpuState.EBP, CpuState.ESI, CpuState.EDI, -1, -1
    };
    private static final int[] SEG = {
        -1, -1, -1, -1, Segment.CS, Segment.SS, Segment.DS, Segment.ES, -1, -1, -1, -1, -1, -1
    };

    private final PhysicalMemory physical = new PhysicalMemory(RAM_BYTES);
    private final Cpu cpu = new Cpu(physical, new IoPortBus());
    /** RAM as every test starts it: zeros, sentinel IVT and sentinel handlers. */
    private final byte[] baseline;

    public SstRunner() {
        for (int v = 0; v < 256; v++) {
            physical.write16(v * 4, SENTINEL_OFFSET + v);
            physical.write16(v * 4 + 2, SENTINEL_SEGMENT);
            physical.write8((SENTINEL_SEGMENT << 4) + SENTINEL_OFFSET + v, HLT);
        }
        baseline = physical.copyOut(0, RAM_BYTES);
        MachineControl.enableA20(cpu);
    }

    public Cpu cpu() {
        return cpu;
    }

    /** Runs one test; {@code flagsMask} comes from the suite metadata for the test's opcode. */
    public SstOutcome run(SstTest t, int flagsMask) {
        return run(t, flagsMask, false);
    }

    /**
     * Runs one test. {@code strict} also checks, after the test's own bytes are put back, that
     * nothing else in RAM changed (a write to an address the 286 did not write), at the cost of
     * comparing all of RAM; the suite uses it to pin down stray writes a file left behind.
     */
    public SstOutcome run(SstTest t, int flagsMask, boolean strict) {
        load(t);
        String stop;
        long before = cpu.instructions;
        try {
            StopReason r = cpu.run(INSTRUCTION_BOUND);
            stop = r.name();
        } catch (RuntimeException | StackOverflowError e) {
            // A guest must never crash the emulator: a Java exception out of run() is a failure.
            stop = "exception: " + e;
        }
        long executed = cpu.instructions - before;
        SstOutcome outcome = compare(t, stop, executed, flagsMask);
        restore(t);
        if (strict) {
            int stray = physical.mismatch(baseline);
            if (stray >= 0) {
                outcome = outcome.with(new SstOutcome.Mismatch(String.format("stray write ram[%05X]", stray),
                        baseline[stray] & 0xFF, physical.read8(stray), 2));
                resetMemory();
            }
        }
        return outcome;
    }

    private void load(SstTest t) {
        CpuState s = cpu.state;
        s.reset();
        int[] r = t.initialRegs;
        for (int i = 0; i < SstTest.REG_COUNT; i++) {
            if (GPR[i] >= 0) {
                s.gpr[GPR[i]] = r[i];
            } else if (SEG[i] >= 0) {
                Segment seg = s.seg[SEG[i]];
                seg.loadReal(r[i]);
                seg.limit = 0xFFFF;
                seg.access = SEG[i] == Segment.CS ? 0x9B : 0x93;
            }
        }
        s.seg[Segment.FS].loadReal(0);
        s.seg[Segment.GS].loadReal(0);
        s.eip = r[SstTest.IP];
        s.setEflags(r[SstTest.FLAGS] & REAL_MODE_FLAGS);
        s.cr0 &= ~(CpuState.CR0_PE | CpuState.CR0_PG);
        s.cpl = 0;
        s.idtrBase = 0;
        s.idtrLimit = 0x3FF;
        MachineControl.flushTranslations(cpu);
        int[] ram = t.initialRam;
        for (int i = 0; i < ram.length; i += 2) {
            physical.write8(ram[i], ram[i + 1]);
        }
    }

    private SstOutcome compare(SstTest t, String stop, long executed, int flagsMask) {
        CpuState s = cpu.state;
        int[] actual = new int[SstTest.REG_COUNT];
        List<SstOutcome.Mismatch> mismatches = null;
        int mask = flagsMask & REAL_MODE_FLAGS;
        for (int i = 0; i < SstTest.REG_COUNT; i++) {
            int a;
            if (GPR[i] >= 0) {
                a = s.gpr[GPR[i]];
            } else if (SEG[i] >= 0) {
                a = s.seg[SEG[i]].selector;
            } else if (i == SstTest.IP) {
                a = s.eip;
            } else {
                a = s.eflags();
            }
            actual[i] = a;
            int expected = t.expectedReg(i);
            boolean same = i == SstTest.FLAGS ? (a & mask) == (expected & mask) : a == expected;
            if (!same) {
                mismatches = add(mismatches, new SstOutcome.Mismatch(SstTest.REG_NAMES[i], expected, a, 4));
            }
            if (SEG[i] >= 0 && s.seg[SEG[i]].base != (s.seg[SEG[i]].selector << 4)) {
                // Real mode keeps base = selector * 16; a stale cache would mislead later accesses.
                mismatches = add(mismatches, new SstOutcome.Mismatch(SstTest.REG_NAMES[i] + ".base",
                        s.seg[SEG[i]].selector << 4, s.seg[SEG[i]].base, 8));
            }
        }
        // The FLAGS image an exception pushed is compared through the same mask as FLAGS. It lies
        // at SS:SP+4 of the handler's stack (IP, CS, FLAGS); the file's flag_address is rounded
        // down to even, which is wrong for an odd SP, so the address is computed here.
        int flagsLo = -1, flagsHi = -1;
        if (t.exceptionVector != SstTest.NO_EXCEPTION) {
            int ssBase = t.expectedReg(SstTest.SS) << 4;
            int sp = t.expectedReg(SstTest.SP);
            flagsLo = ssBase + ((sp + 4) & 0xFFFF);
            flagsHi = ssBase + ((sp + 5) & 0xFFFF);
        }
        int[] ram = t.finalRam;
        for (int i = 0; i < ram.length; i += 2) {
            int a = physical.read8(ram[i]);
            int byteMask = ram[i] == flagsLo ? mask & 0xFF : ram[i] == flagsHi ? mask >>> 8 : 0xFF;
            if ((a & byteMask) != (ram[i + 1] & byteMask)) {
                mismatches = add(mismatches, new SstOutcome.Mismatch(
                        String.format("ram[%05X]", ram[i]), ram[i + 1], a, 2));
            }
        }
        int vector = SstOutcome.NO_VECTOR;
        int sentinel = s.eip - 1 - SENTINEL_OFFSET;
        if (s.seg[Segment.CS].selector == SENTINEL_SEGMENT && sentinel >= 0 && sentinel < 256) {
            vector = sentinel;
        }
        if (!"HALTED".equals(stop) && mismatches == null) {
            mismatches = add(null, new SstOutcome.Mismatch("halt", 1, 0, 1));
        }
        return new SstOutcome(t, stop, executed, vector, actual, mismatches, mask);
    }

    private static List<SstOutcome.Mismatch> add(List<SstOutcome.Mismatch> list, SstOutcome.Mismatch m) {
        List<SstOutcome.Mismatch> l = list == null ? new ArrayList<>(4) : list;
        l.add(m);
        return l;
    }

    /** Puts back the baseline bytes the test wrote or expected written, and the stack frame area. */
    private void restore(SstTest t) {
        restorePairs(t.initialRam);
        restorePairs(t.finalRam);
        int ssBase = t.initialRegs[SstTest.SS] << 4;
        int sp = t.initialRegs[SstTest.SP];
        for (int k = 1; k <= 6; k++) {
            restoreByte(ssBase + ((sp - k) & 0xFFFF));
        }
    }

    private void restorePairs(int[] pairs) {
        for (int i = 0; i < pairs.length; i += 2) {
            restoreByte(pairs[i]);
        }
    }

    private void restoreByte(int addr) {
        if (addr >= 0 && addr < baseline.length && physical.read8(addr) != (baseline[addr] & 0xFF)) {
            physical.write8(addr, baseline[addr]);
        }
    }

    /** Whether RAM differs from the baseline after the per-test restores: some test wrote a stray byte. */
    public boolean memoryDirty() {
        return physical.mismatch(baseline) >= 0;
    }

    /** Brings all of RAM back to the baseline. Cheap enough once per file. */
    public void resetMemory() {
        if (memoryDirty()) {
            physical.load(0, baseline, 0, baseline.length);
            MachineControl.flushAll(cpu);
        }
    }
}
