package org.kasou.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Guest physical address space: RAM as one flat little-endian byte array, plus memory-mapped I/O
 * regions at 4 KiB granularity. Addresses at or above the RAM size that no device claims read as
 * all ones and ignore writes.
 *
 * <p>Pages can be marked as holding code ({@link #markCodePage}); every write to such a page made
 * through this class (or through {@link Memory}, whose TLB never maps a code page for writing)
 * calls the {@link CodeWriteListener} after storing the bytes. Code that writes {@link #ram}
 * directly bypasses this and must not be used on pages that may hold code.
 */
public final class PhysicalMemory {
    public static final int PAGE_SHIFT = 12;

    static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** pageFlags bits. */
    static final byte PAGE_MMIO = 1, PAGE_CODE = 2;

    public final byte[] ram;
    /** MMIO handler and region base per physical page; allocated by the first {@link #mapMmio}. */
    private MmioHandler[] mmio;
    private int[] mmioBase;
    /** PAGE_MMIO / PAGE_CODE per physical page; 0 for plain RAM (or nothing). */
    final byte[] pageFlags = new byte[1 << 20];
    private CodeWriteListener codeWriteListener;
    /** TLBs that must drop write mappings of a page when it becomes a code page. */
    private final CopyOnWriteArrayList<Memory> tlbs = new CopyOnWriteArrayList<>();

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
        if (mmio == null) {
            mmio = new MmioHandler[1 << 20];
            mmioBase = new int[1 << 20];
        }
        for (long p = Integer.toUnsignedLong(base) >>> PAGE_SHIFT; p < (Integer.toUnsignedLong(base) + size + 0xFFF) >>> PAGE_SHIFT; p++) {
            mmio[(int) p] = handler;
            mmioBase[(int) p] = base;
            pageFlags[(int) p] |= PAGE_MMIO;
        }
        for (Memory m : tlbs) m.flushTlb();
    }

    public void setCodeWriteListener(CodeWriteListener l) {
        this.codeWriteListener = l;
    }

    /** Marks a physical page (address >>> 12) as holding code: writes to it will be reported. */
    public void markCodePage(int physPage) {
        physPage &= 0xFFFFF;
        if ((pageFlags[physPage] & PAGE_CODE) != 0) return;
        pageFlags[physPage] |= PAGE_CODE;
        for (Memory m : tlbs) m.dropWriteMappings(physPage);
    }

    public void unmarkCodePage(int physPage) {
        pageFlags[physPage & 0xFFFFF] &= ~PAGE_CODE;
    }

    public boolean isCodePage(int physPage) {
        return (pageFlags[physPage & 0xFFFFF] & PAGE_CODE) != 0;
    }

    void registerTlb(Memory m) {
        tlbs.add(m);
    }

    /** Whether a physical page is plain RAM, so that callers may read {@link #ram} directly. */
    public boolean isRam(int pa) {
        return Integer.compareUnsigned(pa, ram.length) < 0 && (pageFlags[pa >>> PAGE_SHIFT] & PAGE_MMIO) == 0;
    }

    /** Whether a physical page is RAM that may be written directly (not MMIO, not code). */
    boolean isPlainRam(int pa) {
        return Integer.compareUnsigned(pa, ram.length) < 0 && pageFlags[pa >>> PAGE_SHIFT] == 0;
    }

    public int read8(int pa) {
        if (isRam(pa)) return ram[pa] & 0xFF;
        return slowRead(pa, 1);
    }

    public int read16(int pa) {
        if ((pa & 0xFFF) <= 0xFFE && isRam(pa)) return (short) I16.get(ram, pa) & 0xFFFF;
        if ((pa & 0xFFF) <= 0xFFE && isMmio(pa)) return slowRead(pa, 2);
        return read8(pa) | (read8(pa + 1) << 8);
    }

    public int read32(int pa) {
        if ((pa & 0xFFF) <= 0xFFC && isRam(pa)) return (int) I32.get(ram, pa);
        if ((pa & 0xFFF) <= 0xFFC && isMmio(pa)) return slowRead(pa, 4);
        return read16(pa) | (read16(pa + 2) << 16);
    }

    public void write8(int pa, int v) {
        if (isPlainRam(pa)) ram[pa] = (byte) v;
        else slowWrite(pa, 1, v);
    }

    public void write16(int pa, int v) {
        if ((pa & 0xFFF) <= 0xFFE) {
            if (isPlainRam(pa)) I16.set(ram, pa, (short) v);
            else slowWrite(pa, 2, v);
        } else {
            write8(pa, v);
            write8(pa + 1, v >>> 8);
        }
    }

    public void write32(int pa, int v) {
        if ((pa & 0xFFF) <= 0xFFC) {
            if (isPlainRam(pa)) I32.set(ram, pa, v);
            else slowWrite(pa, 4, v);
        } else {
            write16(pa, v);
            write16(pa + 2, v >>> 16);
        }
    }

    private boolean isMmio(int pa) {
        return (pageFlags[pa >>> PAGE_SHIFT] & PAGE_MMIO) != 0;
    }

    private int slowRead(int pa, int size) {
        MmioHandler h = isMmio(pa) ? mmio[pa >>> PAGE_SHIFT] : null;
        if (h != null) return h.read(pa - mmioBase[pa >>> PAGE_SHIFT], size);
        return size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
    }

    /** A write within one page that is MMIO, code, or outside RAM. */
    private void slowWrite(int pa, int size, int v) {
        MmioHandler h = isMmio(pa) ? mmio[pa >>> PAGE_SHIFT] : null;
        if (h != null) {
            h.write(pa - mmioBase[pa >>> PAGE_SHIFT], size, v);
            return;
        }
        if (Integer.compareUnsigned(pa, ram.length) >= 0) return;
        switch (size) {
            case 1 -> ram[pa] = (byte) v;
            case 2 -> I16.set(ram, pa, (short) v);
            default -> I32.set(ram, pa, v);
        }
        notifyCodeWrite(pa, size);
    }

    private void notifyCodeWrite(int pa, int size) {
        CodeWriteListener l = codeWriteListener;
        if (l != null && (pageFlags[pa >>> PAGE_SHIFT] & PAGE_CODE) != 0) l.codeWritten(pa, size);
    }

    /** Copies bytes into RAM (loaders), reporting writes to code pages like any other write. */
    public void load(int pa, byte[] data, int off, int len) {
        int i = 0;
        while (i < len) {
            int addr = pa + i;
            int chunk = Math.min(len - i, 0x1000 - (addr & 0xFFF));
            if (isPlainRam(addr)) {
                System.arraycopy(data, off + i, ram, addr, chunk);
            } else {
                for (int j = 0; j < chunk; j++) write8(addr + j, data[off + i + j]);
            }
            i += chunk;
        }
    }
}
