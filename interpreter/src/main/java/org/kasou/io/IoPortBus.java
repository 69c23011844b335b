package org.kasou.io;

/**
 * The 64 Ki port-I/O space. Unclaimed ports read as all ones and ignore writes, as on a PC.
 */
public final class IoPortBus {
    /** The device of each port; null until the first one is registered (a CPU without devices needs no 256 KiB table). */
    private PortDevice[] devices;
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
        if (devices == null) devices = new PortDevice[0x10000];
        for (int p = firstPort; p < firstPort + count; p++) {
            devices[p & 0xFFFF] = device;
        }
    }

    /** Port accesses made and host time spent in them, counted while {@link #countTime} is on. */
    private boolean timing;
    private long accesses, nanos;

    /** Counts the accesses and the host time spent in the devices' port handlers from now on (or no longer). */
    public void countTime(boolean on) {
        timing = on;
    }

    /** Port reads and writes made while {@link #countTime} was on. */
    public long accesses() {
        return accesses;
    }

    /** Host nanoseconds spent in port accesses while {@link #countTime} was on. */
    public long nanos() {
        return nanos;
    }

    public int in(int port, int size) {
        if (!timing) return read(port, size);
        long t0 = System.nanoTime();
        try {
            return read(port, size);
        } finally {
            accesses++;
            nanos += System.nanoTime() - t0;
        }
    }

    public void out(int port, int size, int value) {
        if (!timing) {
            write(port, size, value);
            return;
        }
        long t0 = System.nanoTime();
        try {
            write(port, size, value);
        } finally {
            accesses++;
            nanos += System.nanoTime() - t0;
        }
    }

    private int read(int port, int size) {
        PortDevice d = devices == null ? null : devices[port & 0xFFFF];
        if (d == null) {
            return size == 1 ? 0xFF : size == 2 ? 0xFFFF : 0xFFFFFFFF;
        }
        return d.in(port & 0xFFFF, size);
    }

    private void write(int port, int size, int value) {
        if (watched != null && watched.get(port & 0xFFFF)) watcher.written(port & 0xFFFF, size, value);
        PortDevice d = devices == null ? null : devices[port & 0xFFFF];
        if (d != null) {
            d.out(port & 0xFFFF, size, value);
        }
    }
}
