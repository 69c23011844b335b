package org.kasou.pc.chips;

import java.util.function.LongSupplier;
import org.kasou.io.PortDevice;

/**
 * Port 0x61, system control port B of the PC: bit 0 gates PIT channel 2, bit 1 enables the
 * speaker; reads give those back, the DRAM refresh toggle in bit 4 (every 15.085 us, which BIOSes
 * and Linux's early delay loops watch) and channel 2's output in bit 5.
 */
public final class SystemControlPortB implements PortDevice {
    public static final int PORT = 0x61;
    private static final long REFRESH_NANOS = 15_085;

    private final Pit8254 pit;
    private final LongSupplier clock;
    private int value;

    public SystemControlPortB(Pit8254 pit, LongSupplier clock) {
        this.pit = pit;
        this.clock = clock;
    }

    @Override
    public int in(int port, int size) {
        int refresh = (clock.getAsLong() / REFRESH_NANOS & 1) != 0 ? 0x10 : 0;
        return value & 0x0F | refresh | (pit.out2() ? 0x20 : 0);
    }

    @Override
    public void out(int port, int size, int v) {
        value = v & 0x0F;
        pit.setGate2((v & 1) != 0);
    }
}
