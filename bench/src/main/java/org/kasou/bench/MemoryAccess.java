package org.kasou.bench;

import java.util.concurrent.TimeUnit;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.io.IoPortBus;
import org.kasou.mem.Memory;
import org.kasou.mem.PhysicalMemory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one guest data access on the TLB-hit path: segment checks, the TLB lookup and the
 * RAM access of {@link Memory#read32}/{@link Memory#write32}, with paging off and on. One
 * operation is one access (half reads, half writes) over 64 KiB of flat DS.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MemoryAccess {
    static final int BASE = 0x100000, BYTES = 0x10000;

    @Param({"false", "true"})
    public boolean paging;

    private Memory mem;

    @Setup
    public void setUp() {
        PhysicalMemory phys = new PhysicalMemory(4 << 20);
        Cpu cpu = new Cpu(phys, new IoPortBus());
        CpuState s = cpu.state;
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET;
        for (int r : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) {
            s.seg[r].set(0x10, 0, 0xFFFFFFFF, 0xCF93);
        }
        if (paging) {
            // Identity-map the first 4 MiB with 4 KiB pages: PD at 0x1000, PT at 0x2000.
            phys.write32(0x1000, 0x2000 | 7);
            for (int i = 0; i < 1024; i++) phys.write32(0x2000 + 4 * i, (i << 12) | 7);
            s.cr3 = 0x1000;
            s.cr0 |= CpuState.CR0_PG;
        }
        mem = cpu.memory;
        mem.flushTlb();
    }

    @Benchmark
    @OperationsPerInvocation(BYTES / 4)
    public int readWrite() {
        Memory m = mem;
        int acc = 0;
        for (int off = BASE; off < BASE + BYTES; off += 8) {
            int v = m.read32(Segment.DS, off);
            m.write32(Segment.DS, off + 4, v + 1);
            acc += v;
        }
        return acc;
    }
}
