package org.kasou.pc.chips;

import org.kasou.io.PortDevice;

/** The reset control register at port 0xCF9 (PIIX3 and later): bit 2 set resets the machine. */
public final class ResetControl implements PortDevice {
    public static final int PORT = 0xCF9;
    private final Runnable reset;
    private int value;

    public ResetControl(Runnable reset) {
        this.reset = reset;
    }

    @Override
    public int in(int port, int size) {
        return value;
    }

    @Override
    public void out(int port, int size, int v) {
        value = v & 0x0A;
        if ((v & 0x04) != 0) reset.run();
    }
}
