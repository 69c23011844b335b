package org.kasou.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Guest physical address space: RAM as one flat little-endian byte array, plus memory-mapped I/O
 * regions at 4 KiB granularity. Addresses at or above the RAM size that no device claims read as
 * all ones and ignore writes.
 */
public final class PhysicalMemory {
    public static final int PAGE_SHIFT = 12;

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    public final byte[] ram;
    /** MMIO handler per physical page (null for RAM or nothing). */
    private final MmioHandler[] mmio = new MmioHandler[1 << 20];
    private final int[] mmioBase = new int[1 << 20];

    public PhysicalMemory(int ramBytes) {
        if (ramBytes <= 0 || (ramBytes & 0xFFF) != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + ramBytes);
        }
        this.ram = new byte[ramBytes];
    }

    public int ramSize() {
        return ram.length;
    }

    public void mapMmio(int base, int size, MmioHandler handler) {
        for (long p = Integer.toUnsignedLong(base) >>> PAGE_SHIFT; p < (Integer.toUnsignedLong(base) + size + 0xFFF) >>> PAGE_SHIFT; p++) {
            mmio[(int) p] = handler;
            mmioBase[(int) p] = base;
        }
    }

    /** Whether a physical page is plain RAM, so that callers may access {@link #ram} directly. */
    public boolean isRam(int pa) {
        return Integer.compareUnsigned(pa, ram.length) < 0 && mmio[pa >>> PAGE_SHIFT] == null;
    }

    public int read8(int pa) {
        if (isRam(pa)) return ram[pa] & 0xFF;
        return slowRead(pa, 1);
    }

    public int read16(int pa) {
        if ((pa & 0xFFF) <= 0xFFE && isRam(pa)) return (short) I16.get(ram, pa) & 0xFFFF;
        return read8(pa) | (read8(pa + 1) << 8);
    }

    public int read32(int pa) {
        if ((pa & 0xFFF) <= 0xFFC && isRam(pa)) return (int) I32.get(ram, pa);
        if ((pa & 0xFFF) <= 0xFFC && mmio[pa >>> PAGE_SHIFT] != null) return slowRead(pa, 4);
        return read16(pa) | (read16(pa + 2) << 16);
    }

    public void write8(int pa, int v) {
        if (isRam(pa)) ram[pa] = (byte) v;
        else slowWrite(pa, 1, v);
    }

    public void write16(int pa, int v) {
        if ((pa & 0xFFF) <= 0xFFE && isRam(pa)) I16.set(ram, pa, (short) v);
        else { write8(pa, v); write8(pa + 1, v >>> 8); }
    }

    public void write32(int pa, int v) {
        if ((pa & 0xFFF) <= 0xFFC && isRam(pa)) I32.set(ram, pa, v);
        else if ((pa & 0xFFF) <= 0xFFC && mmio[pa >>> PAGE_SHIFT] != null) slowWrite(pa, 4, v);
        else { write16(pa, v); write16(pa + 2, v >>> 16); }
    }

    private int slowRead(int pa, int size) {
        MmioHandler h = mmio[pa >>> PAGE_SHIFT];
        if (h != null) return h.read(pa - mmioBase[pa >>> PAGE_SHIFT], size);
        return size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
    }

    private void slowWrite(int pa, int size, int v) {
        MmioHandler h = mmio[pa >>> PAGE_SHIFT];
        if (h != null) h.write(pa - mmioBase[pa >>> PAGE_SHIFT], size, v);
    }

    /** Copies bytes into RAM (loaders). */
    public void load(int pa, byte[] data, int off, int len) {
        for (int i = 0; i < len; i++) write8(pa + i, data[off + i]);
    }
}
