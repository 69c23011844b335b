package org.kasou.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.io.IoPortBus;

/** RAM allocated in page-sized chunks as the guest touches it. */
class LazyRamTest {
    static final int CHUNK = PhysicalMemory.CHUNK_SIZE;

    /** A CPU in flat 32-bit protected mode without paging, over {@code phys}. */
    static Cpu flatCpu(PhysicalMemory phys) {
        Cpu cpu = org.kasou.cpu.TestCpus.create(phys, new IoPortBus());
        CpuState s = cpu.state;
        s.cr0 |= CpuState.CR0_PE;
        s.seg[Segment.CS].set(0x08, 0, 0xFFFFFFFF, 0xC09B);
        for (int sg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) {
            s.seg[sg].set(0x10, 0, 0xFFFFFFFF, 0xC093);
        }
        cpu.memory.setA20(true);
        cpu.memory.flushTlb();
        return cpu;
    }

    @Test
    void untouchedRamReadsAsZerosWithoutBeingAllocated() {
        PhysicalMemory phys = new PhysicalMemory(1 << 30);
        assertEquals(0, phys.allocatedChunks());
        assertEquals(0, phys.read8(0x12345));
        assertEquals(0, phys.read16(0x3FFF_FFFE));
        assertEquals(0, phys.read32(0x2000_0000));
        assertArrayEquals(new byte[3 * CHUNK], phys.copyOut(CHUNK - 5, 3 * CHUNK));
        assertEquals(0, phys.allocatedChunks(), "reads through PhysicalMemory allocate nothing");
        phys.write8(0x12345, 0x5A);
        assertEquals(1, phys.allocatedChunks());
        assertEquals(0x5A, phys.read8(0x12345));
        assertEquals(0, phys.read8(0x12344));
        assertNotNull(phys.chunks[0x12345 >>> PhysicalMemory.CHUNK_SHIFT]);
        assertNull(phys.chunks[(0x12345 >>> PhysicalMemory.CHUNK_SHIFT) - 1]);
    }

    @Test
    void accessesStraddlingAChunkBoundary() {
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        int edge = 3 * CHUNK;
        phys.write32(edge - 2, 0x11223344);
        assertEquals(0x44, phys.read8(edge - 2));
        assertEquals(0x33, phys.read8(edge - 1));
        assertEquals(0x22, phys.read8(edge));
        assertEquals(0x11, phys.read8(edge + 1));
        assertEquals(0x11223344, phys.read32(edge - 2));
        assertEquals(0x2233, phys.read16(edge - 1));
        phys.write16(edge + CHUNK - 1, 0xBEEF);
        assertEquals(0xBEEF, phys.read16(edge + CHUNK - 1));
        assertEquals(3, phys.allocatedChunks());

        Cpu cpu = flatCpu(phys);
        Memory mem = cpu.memory;
        mem.writeLinear32(edge + 2 * CHUNK - 3, 0xCAFEBABE);
        assertEquals(0xCAFEBABE, mem.readLinear32(edge + 2 * CHUNK - 3));
        assertEquals(0xBA, phys.read8(edge + 2 * CHUNK - 2));
        assertEquals(0xCA, phys.read8(edge + 2 * CHUNK));
        mem.writeLinear16(edge - 1, 0x7766);
        assertEquals(0x7766, mem.readLinear16(edge - 1));
        assertEquals(0x7766, phys.read16(edge - 1));
        mem.write32(Segment.DS, edge - 1, 0x01020304);
        assertEquals(0x01020304, mem.read32(Segment.DS, edge - 1));
    }

    @Test
    void loadAndCopyOutSpanChunks() {
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        byte[] data = new byte[2 * CHUNK + 100];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7 + 1);
        phys.load(CHUNK - 50, data, 0, data.length);
        assertArrayEquals(data, phys.copyOut(CHUNK - 50, data.length));
        assertEquals(4, phys.allocatedChunks());
        assertEquals(-1, phys.mismatch(phys.copyOut(0, 1 << 20)));
        byte[] image = phys.copyOut(0, 1 << 20);
        image[5 * CHUNK + 3] = 1;
        assertEquals(5 * CHUNK + 3, phys.mismatch(image), "an untouched chunk is compared with zeros");
        image[5 * CHUNK + 3] = 0;
        image[CHUNK + 9] ^= 1;
        assertEquals(CHUNK + 9, phys.mismatch(image));
    }

    @Test
    void zeroLeavesUntouchedChunksUnallocated() {
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        phys.write32(2 * CHUNK + 0x100, -1);
        phys.zero(CHUNK, 4 * CHUNK);
        assertEquals(1, phys.allocatedChunks());
        assertEquals(0, phys.read32(2 * CHUNK + 0x100));
    }

    @Test
    void aTlbFillAllocatesTheChunkSoTheFastPathNeverSeesNull() {
        PhysicalMemory phys = new PhysicalMemory(16 << 20);
        Cpu cpu = flatCpu(phys);
        assertEquals(0, cpu.memory.readLinear32(0x00A0_1000));
        assertNotNull(phys.chunks[0xA0_1000 >>> PhysicalMemory.CHUNK_SHIFT]);
        assertEquals(1, phys.allocatedChunks());
        cpu.memory.writeLinear8(0x00A0_1001, 0x42); // now through the TLB's fast path
        assertEquals(0x42, cpu.memory.readLinear8(0x00A0_1001));
        assertEquals(0x42, phys.read8(0x00A0_1001));
        assertEquals(1, phys.allocatedChunks());
    }

    @Test
    void mmioInsideAndAboveRamStillReachesItsDevice() {
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        List<String> log = new ArrayList<>();
        MmioHandler dev = new MmioHandler() {
            @Override
            public int read(int offset, int size) {
                log.add("r" + size + "@" + Integer.toHexString(offset));
                return 0xA5A5A5A5 >>> (32 - 8 * size);
            }

            @Override
            public void write(int offset, int size, int value) {
                log.add("w" + size + "@" + Integer.toHexString(offset) + "=" + Integer.toHexString(value));
            }
        };
        phys.mapMmio(0xA0000, 0x1000, dev);
        phys.mapMmio(0xFEC00000, 0x1000, dev);
        Cpu cpu = flatCpu(phys);
        cpu.memory.writeLinear32(0xA0010, 0x1234);
        assertEquals(0xA5A5, cpu.memory.readLinear16(0xFEC00004));
        assertEquals(0xA5, phys.read8(0xA0FFF));
        assertEquals(List.of("w4@10=1234", "r2@4", "r1@fff"), log);
        assertEquals(0, phys.allocatedChunks(), "MMIO pages take no RAM");
        assertEquals(0xFF, phys.read8(0x100000), "nothing above RAM reads as all ones");
        phys.write8(0x100000, 1);
        assertEquals(0, phys.allocatedChunks());
    }

    @Test
    void writesToCodePagesAreStillReported() {
        PhysicalMemory phys = new PhysicalMemory(1 << 20);
        Cpu cpu = flatCpu(phys);
        List<Integer> written = new ArrayList<>();
        phys.setCodeWriteListener((pa, size) -> written.add(pa));
        cpu.memory.writeLinear8(0x21000, 1); // mapped for writing before it holds code
        phys.markCodePage(0x21);
        cpu.memory.writeLinear8(0x21004, 2);
        phys.write32(0x21008, 3);
        phys.load(0x21010, new byte[] {4}, 0, 1);
        phys.zero(0x21020, 1);
        assertEquals(List.of(0x21004, 0x21008, 0x21010, 0x21020), written);
        assertEquals(2, phys.read8(0x21004));
    }

    @Test
    void ramSizeMustBeAPositiveMultipleOfAPage() {
        assertThrows(IllegalArgumentException.class, () -> new PhysicalMemory(0));
        assertThrows(IllegalArgumentException.class, () -> new PhysicalMemory(-4096));
        assertThrows(IllegalArgumentException.class, () -> new PhysicalMemory(0x10001));
        PhysicalMemory odd = new PhysicalMemory(CHUNK + 0x1000); // a partial last chunk
        odd.write32(CHUNK + 0xFFC, 0x01020304);
        assertEquals(0x01020304, odd.read32(CHUNK + 0xFFC));
        assertEquals(-1, odd.read32(CHUNK + 0x1000));
        assertEquals(CHUNK + 0x1000, odd.ramSize());
        assertThrows(IndexOutOfBoundsException.class, () -> odd.copyOut(CHUNK, 0x1001));
    }
}
