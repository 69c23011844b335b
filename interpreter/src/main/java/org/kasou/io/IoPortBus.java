package org.kasou.io;

/**
 * The 64 Ki port-I/O space. Unclaimed ports read as all ones and ignore writes, as on a PC.
 */
public final class IoPortBus {
    private final PortDevice[] devices = new PortDevice[0x10000];
    /** Ports whose writes are reported to {@link #watcher} (POST codes and the like), or null. */
    private java.util.BitSet watched;
    private WriteWatcher watcher;

    /** Told of each write to a watched port, whatever device (if any) takes it. */
    public interface WriteWatcher {
        void written(int port, int size, int value);
    }

    /** Reports the writes to {@code ports} to {@code w} (replacing any earlier watch). */
    public void watchWrites(java.util.BitSet ports, WriteWatcher w) {
        this.watched = (java.util.BitSet) ports.clone();
        this.watcher = w;
    }

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
        if (watched != null && watched.get(port & 0xFFFF)) watcher.written(port & 0xFFFF, size, value);
        PortDevice d = devices[port & 0xFFFF];
        if (d != null) {
            d.out(port & 0xFFFF, size, value);
        }
    }
}
