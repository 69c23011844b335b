package org.kasou.pc.chips;

import org.kasou.io.PortDevice;

/**
 * PCI configuration mechanism 1 (PCI Local Bus Specification 3.0, 3.2.2.3.2): the address
 * register at 0xCF8 and the data window at 0xCFC-0xCFF, with the two functions a PC's chipset
 * shows on bus 0 (an i440FX host bridge at 00:00.0 and a PIIX3 ISA bridge at 00:01.0), enough for
 * an operating system to find the bus and enumerate it. Absent functions read as all ones.
 */
public final class PciBus implements PortDevice {
    public static final int ADDRESS = 0xCF8, DATA = 0xCFC;

    private int address;
    /** Configuration spaces by device number on bus 0 (function 0 only), or null. */
    private final byte[][] functions = new byte[32][];

    public PciBus() {
        functions[0] = header(0x8086, 0x1237, 0x06_00_00, 0x00); // 440FX host bridge
        functions[1] = header(0x8086, 0x7000, 0x06_01_00, 0x80); // PIIX3 PCI-to-ISA bridge (multi-function)
    }

    private static byte[] header(int vendor, int device, int classCode, int headerType) {
        byte[] c = new byte[256];
        put(c, 0x00, vendor | device << 16, 4);
        put(c, 0x04, 0x0007, 2); // I/O, memory and bus master enabled, as a BIOS leaves them
        put(c, 0x06, 0x0200, 2); // medium DEVSEL timing
        put(c, 0x08, classCode << 8, 4); // revision 0
        c[0x0E] = (byte) headerType;
        return c;
    }

    private static void put(byte[] c, int at, int v, int size) {
        for (int i = 0; i < size; i++) c[at + i] = (byte) (v >>> (8 * i));
    }

    /** The configuration space the address register selects, or null when nothing answers there. */
    private byte[] selected() {
        if (address >= 0) return null; // the enable bit (31) is clear
        int bus = address >>> 16 & 0xFF, dev = address >>> 11 & 0x1F, fn = address >>> 8 & 7;
        return bus == 0 && fn == 0 ? functions[dev] : null;
    }

    @Override
    public int in(int port, int size) {
        if (port >= ADDRESS && port < DATA) {
            return size == 4 && port == ADDRESS ? address : address >>> (8 * (port - ADDRESS)) & 0xFF;
        }
        byte[] c = selected();
        int at = (address & 0xFC) + (port - DATA);
        if (c == null || at + size > 256) return size == 4 ? -1 : size == 2 ? 0xFFFF : 0xFF;
        int v = 0;
        for (int i = 0; i < size; i++) v |= (c[at + i] & 0xFF) << (8 * i);
        return v;
    }

    @Override
    public void out(int port, int size, int value) {
        if (port >= ADDRESS && port < DATA) {
            if (port == ADDRESS && size == 4) address = value & 0x80FFFFFC;
            return; // byte writes to 0xCF8-0xCFB are not the address register (0xCF9 is the reset control)
        }
        byte[] c = selected();
        int at = (address & 0xFC) + (port - DATA);
        if (c == null) return;
        for (int i = 0; i < size && at + i < 256; i++) {
            int reg = at + i;
            // Writable: the command register, cache line size and latency timer, the interrupt line.
            if (reg == 0x04 || reg == 0x05 || reg == 0x0C || reg == 0x0D || reg == 0x3C) c[reg] = (byte) (value >>> (8 * i));
        }
    }
}
