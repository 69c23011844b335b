package org.kasou.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.kasou.mem.Memory;
import org.kasou.mem.PhysicalMemory;

/**
 * The guest's mapped regions and how they reach physical memory. In the paged modes each mapped
 * page gets a physical frame of its own and a page-table entry whose present and R/W bits carry
 * its permissions, so that the CPU itself raises #PF for unmapped and read-only pages (CR0.WP is
 * set). In real mode a page is its own frame. Page tables live in frames no guest page maps.
 */
final class AddressSpace {
    static final int PAGE = 4096;
    /** pageState bits: mapped, device memory, plus the Perm bits. */
    static final byte MAPPED = 8, DEVICE = 16;
    private static final int PTE_P = 1, PTE_RW = 2, PTE_US = 4, PTE_D = 0x40;

    private final PhysicalMemory phys;
    private final Memory memory;
    private final boolean paged;
    /** The highest address + 1 a RAM region may reach, and a device region. */
    private final long limit, deviceLimit;
    /** MAPPED | perms per guest page. */
    private final byte[] pageState = new byte[1 << 20];
    /** Physical frame number per mapped guest page (paged modes). */
    private final int[] frameOf;
    /** Physical address of the page table per directory entry, 0 when none yet. */
    private final int[] tables = new int[1024];
    private final int directory;
    private final TreeMap<Long, MemoryRegion> regions = new TreeMap<>();
    private int nextFrame;
    /** The next physical frame for device pages in the paged modes: above RAM, never reused. */
    private int nextDeviceFrame;
    private int[] freeFrames = new int[64];
    private int freeCount;
    /** Changes with every map, unmap and protect (snapshots restore only dirty pages while it stays). */
    private long layoutVersion;

    /** {@code unpagedLimit}: the addresses regions may reach without the engine's paging (its physical memory). */
    AddressSpace(PhysicalMemory phys, Memory memory, boolean paged, long unpagedLimit) {
        this.phys = phys;
        this.memory = memory;
        this.paged = paged;
        this.limit = paged ? 1L << 32 : Math.min(phys.ramSize(), unpagedLimit);
        this.deviceLimit = paged ? 1L << 32 : unpagedLimit;
        this.frameOf = paged ? new int[1 << 20] : null;
        this.directory = paged ? allocFrame() << 12 : 0;
        this.nextDeviceFrame = (int) ((phys.ramSize() + PAGE - 1) / PAGE);
    }

    /** Physical address of the page directory (CR3). */
    int directory() {
        return directory;
    }

    long layoutVersion() {
        return layoutVersion;
    }

    List<MemoryRegion> regions() {
        return new ArrayList<>(regions.values());
    }

    int state(int page) {
        return pageState[page];
    }

    boolean mapped(long address) {
        return address >= 0 && address < (1L << 32) && (pageState[(int) (address >>> 12)] & MAPPED) != 0;
    }

    void map(long address, long size, int perms) {
        checkRange(address, size);
        Perm.check(perms);
        checkFree(address, size);
        long pages = size >>> 12;
        if (paged && (long) free() < pages + (pages >>> 10) + 2) {
            throw new IllegalStateException("physical memory exhausted: " + size + " bytes do not fit; give the engine more (EngineOptions.withPhysicalMemory)");
        }
        for (long p = address >>> 12; p < (address + size) >>> 12; p++) {
            int page = (int) p;
            if (paged) {
                int frame = allocFrame();
                phys.zero(frame << 12, PAGE);
                frameOf[page] = frame;
            } else {
                phys.zero(page << 12, PAGE);
            }
            pageState[page] = (byte) (MAPPED | perms);
            writeEntry(page);
        }
        regions.put(address, new MemoryRegion(address, size, perms));
        changed();
    }

    private void checkFree(long address, long size) {
        Map.Entry<Long, MemoryRegion> below = regions.lowerEntry(address + size);
        if (below != null && below.getValue().end() > address) {
            throw new IllegalArgumentException(String.format("[0x%x, 0x%x) overlaps the mapped region %s", address, address + size, below.getValue()));
        }
    }

    /**
     * Maps device memory: accesses go to {@code device} (offsets from {@code address}), through
     * physical pages of their own above RAM (paged modes) or at the address itself.
     */
    void mapDevice(long address, long size, int perms, org.kasou.mem.MmioHandler device) {
        checkRange(address, size, deviceLimit);
        Perm.check(perms);
        if ((perms & Perm.EXEC) != 0) {
            throw new IllegalArgumentException("device memory cannot hold code: map RAM with map() and write() the code there");
        }
        checkFree(address, size);
        if (paged && (long) nextDeviceFrame + (size >>> 12) > (1L << 20)) {
            throw new IllegalStateException("no physical addresses left for " + size + " bytes of device memory above RAM");
        }
        for (long p = address >>> 12; p < (address + size) >>> 12; p++) {
            int page = (int) p;
            int at = (int) ((p << 12) - address);
            if (paged) {
                int frame = nextDeviceFrame++;
                frameOf[page] = frame;
                phys.mapMmio(frame << 12, PAGE, new org.kasou.mem.MmioHandler() {
                    @Override
                    public int read(int offset, int n) {
                        return device.read(at + offset, n);
                    }

                    @Override
                    public void write(int offset, int n, int value) {
                        device.write(at + offset, n, value);
                    }
                });
            }
            pageState[page] = (byte) (MAPPED | DEVICE | perms);
            writeEntry(page);
        }
        if (!paged) phys.mapMmio((int) address, (int) size, device);
        regions.put(address, new MemoryRegion(address, size, perms, true));
        changed();
    }

    void unmap(long address, long size) {
        checkRange(address, size);
        checkMapped(address, size);
        for (MemoryRegion r : carve(address, address + size)) regions.remove(r.address());
        for (long p = address >>> 12; p < (address + size) >>> 12; p++) {
            int page = (int) p;
            boolean device = (pageState[page] & DEVICE) != 0;
            pageState[page] = 0;
            if (paged) {
                writeEntry(page);
                if (device) phys.unmapMmio(frameOf[page] << 12, PAGE);
                else releaseFrame(frameOf[page]);
                frameOf[page] = 0;
            } else if (device) {
                phys.unmapMmio(page << 12, PAGE);
            }
        }
        changed();
    }

    void protect(long address, long size, int perms) {
        checkRange(address, size);
        Perm.check(perms);
        checkMapped(address, size);
        List<MemoryRegion> inside = carve(address, address + size);
        for (MemoryRegion r : inside) {
            if (r.device() && (perms & Perm.EXEC) != 0) throw new IllegalArgumentException("device memory cannot hold code: " + r);
        }
        for (MemoryRegion r : inside) regions.put(r.address(), new MemoryRegion(r.address(), r.size(), perms, r.device()));
        for (long p = address >>> 12; p < (address + size) >>> 12; p++) {
            pageState[(int) p] = (byte) (MAPPED | (pageState[(int) p] & DEVICE) | perms);
            writeEntry((int) p);
        }
        changed();
    }

    /** Reads guest memory whatever its permissions; every byte must be mapped. */
    void read(long address, byte[] dst, int off, int len) {
        checkMapped(address, len);
        int done = 0;
        while (done < len) {
            long a = address + done;
            int n = (int) Math.min(len - done, PAGE - (a & 0xFFF));
            if ((pageState[(int) (a >>> 12)] & DEVICE) != 0) {
                for (int i = 0; i < n; i++) dst[off + done + i] = (byte) phys.read8(physical(a + i));
            } else {
                phys.copyOut(physical(a), dst, off + done, n);
            }
            done += n;
        }
    }

    /** Writes guest memory whatever its permissions (compiled code of those bytes is dropped). */
    void write(long address, byte[] src, int off, int len) {
        checkMapped(address, len);
        int done = 0;
        while (done < len) {
            long a = address + done;
            int n = (int) Math.min(len - done, PAGE - (a & 0xFFF));
            if ((pageState[(int) (a >>> 12)] & DEVICE) != 0) {
                for (int i = 0; i < n; i++) phys.write8(physical(a + i), src[off + done + i]);
            } else {
                phys.load(physical(a), src, off + done, n);
            }
            markDirty((int) (a >>> 12));
            done += n;
        }
    }

    /** Physical address of a mapped guest address. */
    int physical(long address) {
        int page = (int) (address >>> 12);
        return paged ? (frameOf[page] << 12) | (int) (address & 0xFFF) : (int) address;
    }

    // ---- dirty pages (the page-table D bits, cleared by each snapshot)

    boolean dirty(int page) {
        return !paged || (phys.read32(entryAddress(page)) & PTE_D) != 0;
    }

    void clearDirty() {
        if (!paged) return;
        for (MemoryRegion r : regions.values()) {
            for (long p = r.address() >>> 12; p < r.end() >>> 12; p++) {
                int a = entryAddress((int) p);
                phys.write32(a, phys.read32(a) & ~PTE_D);
            }
        }
        memory.flushTlb(); // writes must walk again to set D
    }

    private void markDirty(int page) {
        if (!paged) return;
        int a = entryAddress(page);
        phys.write32(a, phys.read32(a) | PTE_D);
    }

    // ---- helpers

    private void changed() {
        layoutVersion++;
        memory.flushTlb();
    }

    private void checkRange(long address, long size) {
        checkRange(address, size, limit);
    }

    private void checkRange(long address, long size, long limit) {
        if ((address & 0xFFF) != 0 || (size & 0xFFF) != 0) {
            throw new IllegalArgumentException(String.format("address 0x%x and size 0x%x must be multiples of 4 KiB (the page size)", address, size));
        }
        if (size <= 0 || address < 0 || address + size > limit) {
            throw new IllegalArgumentException(String.format("[0x%x, +0x%x) is empty or leaves the address space (0 to 0x%x)", address, size, limit));
        }
    }

    private void checkMapped(long address, long len) {
        if (address < 0 || len < 0 || address + len > (1L << 32)) {
            throw new IllegalArgumentException(String.format("[0x%x, +0x%x) leaves the 32-bit address space", address, len));
        }
        for (long p = address >>> 12; p < (address + len + 0xFFF) >>> 12; p++) {
            if ((pageState[(int) p] & MAPPED) == 0) {
                throw new IllegalArgumentException(String.format("memory at 0x%x is not mapped", Math.max(address, p << 12)));
            }
        }
    }

    /** Splits regions at {@code start} and {@code end}; returns those now inside [start, end). */
    private List<MemoryRegion> carve(long start, long end) {
        split(start);
        split(end);
        return new ArrayList<>(regions.subMap(start, true, end, false).values());
    }

    private void split(long at) {
        Map.Entry<Long, MemoryRegion> e = regions.lowerEntry(at);
        if (e == null) return;
        MemoryRegion r = e.getValue();
        if (r.end() <= at) return;
        regions.put(r.address(), new MemoryRegion(r.address(), at - r.address(), r.perms(), r.device()));
        regions.put(at, new MemoryRegion(at, r.end() - at, r.perms(), r.device()));
    }

    private int entryAddress(int page) {
        int table = tables[page >>> 10];
        return table + ((page & 0x3FF) << 2);
    }

    /** Writes the page-table entry of a guest page from its state. */
    private void writeEntry(int page) {
        if (!paged) return;
        int dir = page >>> 10;
        if (tables[dir] == 0) {
            int t = allocFrame() << 12;
            phys.zero(t, PAGE);
            tables[dir] = t;
            phys.write32(directory + dir * 4, t | PTE_P | PTE_RW | PTE_US);
        }
        int st = pageState[page];
        int e = 0;
        if ((st & MAPPED) != 0 && (st & Perm.ALL) != 0) {
            e = (frameOf[page] << 12) | PTE_P | PTE_US | ((st & Perm.WRITE) != 0 ? PTE_RW : 0);
        }
        int a = entryAddress(page);
        phys.write32(a, e | (phys.read32(a) & PTE_D & -(e & PTE_P)));
    }

    private int free() {
        return (int) (phys.ramSize() / PAGE) - nextFrame + freeCount;
    }

    private int allocFrame() {
        if (freeCount > 0) return freeFrames[--freeCount];
        if ((long) nextFrame * PAGE >= phys.ramSize()) {
            throw new IllegalStateException("physical memory exhausted; give the engine more (EngineOptions.withPhysicalMemory)");
        }
        return nextFrame++;
    }

    private void releaseFrame(int frame) {
        if (freeCount == freeFrames.length) freeFrames = java.util.Arrays.copyOf(freeFrames, freeCount * 2);
        freeFrames[freeCount++] = frame;
    }
}
