package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;

/**
 * Random descriptor tables, IDT, TSS and operands fed to every entry point of the system
 * package: the outcome must always be a completed operation, a CpuFault, or a shutdown; never
 * another Java exception. Seeded and bounded.
 */
class SystemFuzzTest {
    @Test
    void randomSystemStateNeverEscapesAsAJavaException() {
        SplittableRandom rnd = new SplittableRandom(0x6B61736FL);
        SysFixture f = new SysFixture();
        for (int round = 0; round < 300; round++) {
            f.protectedFlat();
            CpuState s = f.s;
            // Scramble the GDT (keeping its first entries usable half of the time), the IDT and the TSS.
            int gdtEntries = 16 + rnd.nextInt(32);
            for (int i = rnd.nextBoolean() ? 12 : 1; i < gdtEntries; i++) f.put(SysFixture.GDT + 8 * i, rnd.nextLong());
            for (int i = 0; i < 64; i++) f.put(SysFixture.IDT + 8 * i, rnd.nextInt(4) == 0 ? rnd.nextLong() : mutateGate(rnd));
            for (int i = 0; i < 26; i++) f.phys.write32(SysFixture.TSS + 4 * i, rnd.nextInt(8) == 0 ? rnd.nextInt() : rnd.nextInt(0x80));
            s.gdtrLimit = gdtEntries * 8 - 1;
            s.idtrLimit = rnd.nextInt(64 * 8);
            s.cpl = rnd.nextInt(4);
            if (s.cpl == 3) {
                s.seg[Segment.CS].set(SysFixture.CODE3, 0, 0xFFFFFFFF, SysFixture.ACC_CODE | 0x61);
                s.seg[Segment.SS].set(SysFixture.DATA3, 0, 0xFFFFFFFF, SysFixture.ACC_DATA | 0x61);
            }
            s.setEflags(Flags.FIXED1 | (rnd.nextInt(4) == 0 ? Flags.NT : 0) | (rnd.nextInt(4) << 12)
                    | (rnd.nextInt(6) == 0 ? Flags.VM : 0));
            if (s.v86()) s.cpl = 3;
            if (rnd.nextInt(3) == 0) s.cr0 &= ~CpuState.CR0_PE;
            s.gpr[CpuState.ESP] = rnd.nextInt(8) == 0 ? rnd.nextInt() : 0x8000 + rnd.nextInt(0x100);
            for (int i = 0; i < 64; i++) f.phys.write32(0x8000 + 4 * i, rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(0x100));
            s.shutdown = false;
            for (int op = 0; op < 20; op++) {
                try {
                    randomOperation(f, rnd);
                } catch (CpuFault expected) {
                    // a guest fault: fine
                } catch (RuntimeException e) {
                    fail("round " + round + " op " + op + ": " + e, e);
                }
            }
        }
    }

    private static long mutateGate(SplittableRandom rnd) {
        int type = new int[] {5, 6, 7, 0xE, 0xF}[rnd.nextInt(5)];
        int sel = rnd.nextInt(0x80);
        return SysFixture.gate(sel, rnd.nextInt(0x10000), type, rnd.nextInt(4)) & (rnd.nextInt(8) == 0 ? ~(1L << 47) : -1L);
    }

    private static void randomOperation(SysFixture f, SplittableRandom rnd) {
        int sel = rnd.nextInt(8) == 0 ? rnd.nextInt(0x10000) : rnd.nextInt(0x80);
        int off = rnd.nextInt(4) == 0 ? rnd.nextInt() : rnd.nextInt(0x2000);
        int opSize = rnd.nextBoolean() ? 4 : 2;
        switch (rnd.nextInt(16)) {
            case 0 -> Interrupts.raise(f.cpu, rnd.nextInt(64), rnd.nextInt(0x10000), rnd.nextInt(4));
            case 1 -> Interrupts.softwareInterrupt(f.cpu, rnd.nextInt(64), off);
            case 2 -> FarTransfer.jmpFar(f.cpu, sel, off, opSize, off);
            case 3 -> FarTransfer.callFar(f.cpu, sel, off, opSize, off);
            case 4 -> FarTransfer.retFar(f.cpu, opSize, rnd.nextInt(16));
            case 5 -> FarTransfer.iret(f.cpu, opSize);
            case 6 -> Segmentation.loadSegment(f.cpu, new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}[rnd.nextInt(5)], sel);
            case 7 -> SystemOps.lldt(f.cpu, sel);
            case 8 -> SystemOps.ltr(f.cpu, sel);
            case 9 -> {
                SystemOps.lar(f.cpu, sel);
                SystemOps.lsl(f.cpu, sel);
                SystemOps.verr(f.cpu, sel);
                SystemOps.verw(f.cpu, sel);
            }
            case 10 -> SystemOps.movToCr(f.cpu, rnd.nextInt(8), rnd.nextInt());
            case 11 -> SystemOps.checkIo(f.cpu, rnd.nextInt(0x10000), 1 << rnd.nextInt(3));
            case 12 -> SystemOps.popf(f.cpu, rnd.nextInt(), opSize);
            case 13 -> f.cpu.memory.read(rnd.nextInt(6), off, 1 << rnd.nextInt(3));
            case 14 -> f.cpu.memory.write(rnd.nextInt(6), off, 1 << rnd.nextInt(3), rnd.nextInt());
            default -> {
                f.s.gpr[CpuState.ECX] = rnd.nextInt(0x200);
                SystemOps.rdmsr(f.cpu);
            }
        }
    }
}
