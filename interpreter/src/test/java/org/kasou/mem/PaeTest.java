package org.kasou.mem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.sys.SysFixture;
import org.kasou.cpu.sys.SystemOps;

/** PAE paging (SDM vol. 3, 4.4): PDPTEs, 64-bit entries, 2 MiB pages. */
class PaeTest {
    static final int PDPT = 0x20000, PD = 0x21000, PT = 0x22000;
    static final int P = 1, RW = 2, US = 4, A = 0x20, D = 0x40, PS = 0x80;

    SysFixture f;
    PhysicalMemory phys;
    Memory mem;
    CpuState s;

    void put64(int pa, long v) {
        phys.write32(pa, (int) v);
        phys.write32(pa + 4, (int) (v >>> 32));
    }

    @BeforeEach
    void setUp() {
        f = new SysFixture();
        f.protectedFlat();
        phys = f.phys;
        mem = f.cpu.memory;
        s = f.s;
        put64(PDPT, PD | P);                      // 0-1 GiB
        put64(PD, PT | P | RW | US);              // 0-2 MiB through PT
        put64(PD + 8, 0x200000 | P | RW | PS);    // 2-4 MiB: one 2 MiB page at physical 2 MiB
        for (int i = 0; i < 512; i++) put64(PT + 8 * i, (i << 12) | P | RW | US); // identity
        SystemOps.movToCr(f.cpu, 4, CpuState.CR4_PAE);
        SystemOps.movToCr(f.cpu, 3, PDPT);
        SystemOps.movToCr(f.cpu, 0, s.cr0 | CpuState.CR0_PG);
    }

    @Test
    void fourKilobyteAndTwoMegabytePages() {
        put64(PT + 8 * 5, 0x7000 | P | RW | US); // linear 0x5000 -> physical 0x7000
        phys.write32(0x7123, 0x12345678);
        assertEquals(0x12345678, mem.readLinear32(0x5123));
        assertEquals(A, phys.read32(PT + 8 * 5) & (A | D));
        mem.writeLinear8(0x5000, 1);
        assertEquals(A | D, phys.read32(PT + 8 * 5) & (A | D));
        assertEquals(0, phys.read32(PT + 8 * 5 + 4), "the high dword of the entry is left alone");
        phys.write32(0x212344, 0xABCD);
        assertEquals(0xABCD, mem.readSystem32(0x212344));
        assertEquals(A, phys.read32(PD + 8) & (A | D));
    }

    @Test
    void notPresentPdpteFaults() {
        f.assertFault(CpuFault.PF, 0, () -> mem.readSystem8(0x40000123));
        assertEquals(0x40000123, s.cr2);
        s.cpl = 3;
        f.assertFault(CpuFault.PF, Memory.PF_U | Memory.PF_P, () -> mem.readLinear8(0x200000), "2 MiB page without U/S");
    }

    @Test
    void pdptesAreCachedUntilCr3IsLoaded() {
        put64(PDPT, 0); // the in-memory PDPTE goes away...
        mem.flushTlb();
        assertEquals(phys.read8(0x5000), mem.readSystem8(0x5000), "...but the cached one still translates");
        SystemOps.movToCr(f.cpu, 3, PDPT);
        f.assertFault(CpuFault.PF, 0, () -> mem.readSystem8(0x5000));
    }

    @Test
    void reservedPdpteBitsMakeTheCr3LoadFail() {
        put64(PDPT + 8, PD | P | RW); // R/W is reserved in a PAE PDPTE
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.movToCr(f.cpu, 3, PDPT));
        assertEquals(PDPT, s.cr3);
        put64(PDPT + 8, PD | P | (1L << 40)); // above MAXPHYADDR (36)
        f.assertFault(CpuFault.GP, 0, () -> SystemOps.movToCr(f.cpu, 3, PDPT));
        put64(PDPT + 8, 0xFFFFFFFEL); // not present: anything goes
        SystemOps.movToCr(f.cpu, 3, PDPT);
    }

    @Test
    void cpuidAdvertisesPae() {
        s.gpr[CpuState.EAX] = 1;
        SystemOps.cpuid(f.cpu);
        assertTrue((s.gpr[CpuState.EDX] & (1 << 6)) != 0);
    }
}
