package org.kasou.pc;

import org.kasou.io.PortDevice;

/**
 * System control port A at 0x92 (the PS/2 "fast A20" port): bit 1 gates address line 20,
 * writing 1 to bit 0 asks for a fast CPU reset.
 */
public final class SystemControlPortA implements PortDevice {
    public static final int PORT = 0x92;

    /** What the machine does when the guest flips A20 or asks for a reset. */
    public interface Listener {
        void a20(boolean enabled);

        void resetRequested();
    }

    private final Listener listener;
    private int value;

    public SystemControlPortA(Listener listener, boolean a20Enabled) {
        this.listener = listener;
        this.value = a20Enabled ? 2 : 0;
    }

    @Override
    public int in(int port, int size) {
        return value & 0xFF;
    }

    @Override
    public void out(int port, int size, int v) {
        int old = value;
        value = v & 0xFE; // bit 0 reads back as 0: the reset it asks for has happened
        if (((old ^ v) & 2) != 0) {
            listener.a20((v & 2) != 0);
        }
        if ((v & 1) != 0) {
            listener.resetRequested();
        }
    }

    public boolean a20() {
        return (value & 2) != 0;
    }

    /** Back to the state after power-on (the machine's reset): A20 as given, and tells the listener. */
    public void reset(boolean a20Enabled) {
        value = a20Enabled ? 2 : 0;
        listener.a20(a20Enabled);
    }
}
