package org.kasou.pc;

import org.kasou.cpu.Cpu;
import org.kasou.io.PortDevice;

/**
 * The exit device on ports 0xF4-0xF7 (QEMU {@code -device isa-debug-exit,iobase=0xf4,iosize=4}):
 * writing value v stops the CPU and the emulator exits with status {@code (v << 1) | 1}.
 */
public final class ExitDevice implements PortDevice {
    public static final int PORT = 0xF4;
    public static final int PORT_COUNT = 4;

    private final Cpu cpu;
    private boolean exited;
    private int status;

    public ExitDevice(Cpu cpu) {
        this.cpu = cpu;
    }

    @Override
    public int in(int port, int size) {
        return 0;
    }

    @Override
    public void out(int port, int size, int value) {
        int v = size == 1 ? value & 0xFF : size == 2 ? value & 0xFFFF : value;
        status = (v << 1) | 1;
        exited = true;
        cpu.requestStop();
    }

    public boolean exited() {
        return exited;
    }

    /** The process exit status the guest asked for; meaningful only when {@link #exited()}. */
    public int status() {
        return status;
    }
}
