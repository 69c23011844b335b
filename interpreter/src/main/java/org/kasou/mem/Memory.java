package org.kasou.mem;

import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;

/**
 * The CPU's view of memory: segmentation (limit and rights checks), then paging through a TLB
 * indexed by virtual page, then physical memory. Faults are thrown as the CPU's preallocated
 * {@link CpuFault}. PLACEHOLDER: flat, no checks, until the MMU lands.
 */
public final class Memory {
    private final CpuState s;
    private final PhysicalMemory phys;
    private final CpuFault fault;

    public Memory(CpuState s, PhysicalMemory phys, CpuFault fault) {
        this.s = s;
        this.phys = phys;
        this.fault = fault;
    }

    public int read8(int seg, int off) { return phys.read8(s.seg[seg].base + off); }
    public int read16(int seg, int off) { return phys.read16(s.seg[seg].base + off); }
    public int read32(int seg, int off) { return phys.read32(s.seg[seg].base + off); }
    public void write8(int seg, int off, int v) { phys.write8(s.seg[seg].base + off, v); }
    public void write16(int seg, int off, int v) { phys.write16(s.seg[seg].base + off, v); }
    public void write32(int seg, int off, int v) { phys.write32(s.seg[seg].base + off, v); }
}
