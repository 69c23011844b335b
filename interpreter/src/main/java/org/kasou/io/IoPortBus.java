package org.kasou.io;

/**
 * The 64 Ki port-I/O space. Unclaimed ports read as all ones and ignore writes, as on a PC.
 */
public final class IoPortBus {
    private final PortDevice[] devices = new PortDevice[0x10000];

    public void register(int firstPort, int count, PortDevice device) {
        for (int p = firstPort; p < firstPort + count; p++) {
            devices[p & 0xFFFF] = device;
        }
    }

    public int in(int port, int size) {
        PortDevice d = devices[port & 0xFFFF];
        if (d == null) {
            return size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFFFFFF;
        }
        return d.in(port & 0xFFFF, size);
    }

    public void out(int port, int size, int value) {
        PortDevice d = devices[port & 0xFFFF];
        if (d != null) {
            d.out(port & 0xFFFF, size, value);
        }
    }
}
