package org.kasou.pc;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.kasou.io.PortDevice;

/**
 * The debug console on port 0xE9 (QEMU {@code -debugcon}, Bochs' port E9 hack): each byte the
 * guest writes goes to the host stream. Reads return 0xE9, which is how guests detect the port.
 */
public final class DebugConsole implements PortDevice {
    public static final int PORT = 0xE9;

    private final OutputStream out;

    public DebugConsole(OutputStream out) {
        this.out = out;
    }

    @Override
    public int in(int port, int size) {
        return PORT;
    }

    /** Only the low byte is written, whatever the access size, as QEMU's one-byte port does. */
    @Override
    public void out(int port, int size, int value) {
        try {
            out.write(value & 0xFF);
            if ((value & 0xFF) == '\n') {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("debug console output failed", e);
        }
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("debug console output failed", e);
        }
    }
}
