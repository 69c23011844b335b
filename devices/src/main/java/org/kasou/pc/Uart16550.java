package org.kasou.pc;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.kasou.io.PortDevice;

/**
 * A 16550A UART for polled output (COM1 at 0x3F8 is the serial console): what the guest sends
 * goes to a host stream at once, so the transmitter is always empty. No input and no interrupts
 * yet (there is no interrupt controller); the loopback mode of the modem control register works,
 * because drivers probe the chip with it. Register map: National Semiconductor PC16550D data sheet.
 */
public final class Uart16550 implements PortDevice {
    public static final int COM1 = 0x3F8;
    public static final int PORT_COUNT = 8;

    private static final int LSR_DATA_READY = 0x01, LSR_THR_EMPTY = 0x20, LSR_TRANSMITTER_EMPTY = 0x40;
    private static final int LCR_DLAB = 0x80;
    private static final int MCR_LOOP = 0x10;

    private final int base;
    private final OutputStream out;
    private int ier, lcr, mcr, scratch, divisor = 12; // 9600 baud
    private boolean fifoEnabled;
    /** The byte received in loopback mode, or -1. */
    private int received = -1;

    public Uart16550(int base, OutputStream out) {
        this.base = base;
        this.out = out;
    }

    @Override
    public int in(int port, int size) {
        switch (port - base) {
            case 0:
                if ((lcr & LCR_DLAB) != 0) return divisor & 0xFF;
                int b = received < 0 ? 0 : received;
                received = -1;
                return b;
            case 1:
                return (lcr & LCR_DLAB) != 0 ? divisor >>> 8 : ier;
            case 2:
                return (fifoEnabled ? 0xC0 : 0) | 0x01; // no interrupt pending
            case 3:
                return lcr;
            case 4:
                return mcr;
            case 5:
                return LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY | (received >= 0 ? LSR_DATA_READY : 0);
            case 6:
                return modemStatus();
            default:
                return scratch;
        }
    }

    @Override
    public void out(int port, int size, int value) {
        int v = value & 0xFF;
        switch (port - base) {
            case 0:
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = (divisor & 0xFF00) | v;
                } else if ((mcr & MCR_LOOP) != 0) {
                    received = v;
                } else {
                    send(v);
                }
                break;
            case 1:
                if ((lcr & LCR_DLAB) != 0) divisor = (divisor & 0xFF) | v << 8;
                else ier = v & 0x0F;
                break;
            case 2:
                fifoEnabled = (v & 1) != 0;
                break;
            case 3:
                lcr = v;
                break;
            case 4:
                mcr = v & 0x1F;
                break;
            case 7:
                scratch = v;
                break;
            default:
                break; // LSR and MSR are read-only
        }
    }

    /** In loopback, DTR, RTS, OUT1 and OUT2 come back as DSR, CTS, RI and DCD; otherwise a modem is "there". */
    private int modemStatus() {
        if ((mcr & MCR_LOOP) == 0) {
            return 0xB0; // DCD, DSR, CTS
        }
        return ((mcr & 1) << 5) | ((mcr & 2) << 3) | ((mcr & 4) << 4) | ((mcr & 8) << 4);
    }

    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("serial output failed", e);
        }
    }

    private void send(int b) {
        try {
            out.write(b);
            if (b == '\n') {
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("serial output failed", e);
        }
    }
}
