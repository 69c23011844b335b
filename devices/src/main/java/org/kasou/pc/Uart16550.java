package org.kasou.pc;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.kasou.io.PortDevice;

/**
 * A 16550A UART (National Semiconductor PC16550D data sheet): what the guest sends goes to a host
 * stream at once (the transmitter is always empty again), what the host types arrives through
 * {@link #hostInput} into the receive FIFO (16 bytes, or a 1-byte holding register with the FIFOs
 * off), and the interrupt sources (line status, received data, transmitter empty, modem status)
 * drive the IRQ line through MCR.OUT2, as on a PC's serial card. Loopback mode (MCR bit 4) sends
 * transmitted bytes to the receiver and the modem control lines to the status lines, which drivers
 * use to probe the chip.
 */
public final class Uart16550 implements PortDevice {
    public static final int COM1 = 0x3F8, COM2 = 0x2F8;
    public static final int PORT_COUNT = 8;

    private static final int LSR_DATA_READY = 0x01, LSR_OVERRUN = 0x02, LSR_THR_EMPTY = 0x20, LSR_TRANSMITTER_EMPTY = 0x40;
    private static final int LCR_DLAB = 0x80;
    private static final int MCR_OUT2 = 0x08, MCR_LOOP = 0x10;
    private static final int IER_RDA = 1, IER_THRE = 2, IER_RLS = 4, IER_MSR = 8;
    private static final int FIFO_SIZE = 16;

    /** Where the IRQ line goes: called with the line's new level when it changes. */
    public interface IrqLine {
        void set(boolean high);
    }

    private final int base;
    private final OutputStream out;
    private IrqLine irq = high -> { };
    private int ier, lcr, mcr, scratch, divisor = 12; // 9600 baud
    private boolean fifoEnabled;
    private final byte[] rx = new byte[FIFO_SIZE];
    private int rxHead, rxCount;
    private boolean overrun;
    /** A transmitter-empty interrupt is pending (set when THR empties or ETBEI is enabled; cleared by IIR read or a THR write). */
    private boolean threPending;
    /** Modem status bits 0-3 (delta bits), set when the lines change. */
    private int msrDelta;
    private int lastModemLines;
    private boolean irqLevel;
    /** Bytes from the host, taken into the FIFO by the CPU's thread ({@link #pollInput}). */
    private final ConcurrentLinkedQueue<Byte> hostBytes = new ConcurrentLinkedQueue<>();

    public Uart16550(int base, OutputStream out) {
        this.base = base;
        this.out = out;
        this.lastModemLines = modemLines();
    }

    public void setIrqLine(IrqLine line) {
        this.irq = line;
        update();
    }

    /** Bytes typed on the host: safe from any thread; the guest sees them after the next {@link #pollInput}. */
    public void hostInput(byte b) {
        hostBytes.add(b);
    }

    /** Moves host input into the receive FIFO while there is room (called from the CPU's thread). */
    public void pollInput() {
        if (hostBytes.isEmpty() || (mcr & MCR_LOOP) != 0) return;
        while (rxCount < capacity()) {
            Byte b = hostBytes.poll();
            if (b == null) break;
            push(b);
        }
        update();
    }

    private int capacity() {
        return fifoEnabled ? FIFO_SIZE : 1;
    }

    private void push(int b) {
        if (rxCount == capacity()) {
            overrun = true;
            return;
        }
        rx[(rxHead + rxCount) % FIFO_SIZE] = (byte) b;
        rxCount++;
    }

    private int pop() {
        if (rxCount == 0) return 0;
        int b = rx[rxHead] & 0xFF;
        rxHead = (rxHead + 1) % FIFO_SIZE;
        rxCount--;
        return b;
    }

    /** The interrupt identification: the highest-priority pending source, or 1 (none). */
    private int iir() {
        int id;
        if ((ier & IER_RLS) != 0 && overrun) id = 0x06;
        else if ((ier & IER_RDA) != 0 && rxCount > 0) id = 0x04;
        else if ((ier & IER_THRE) != 0 && threPending) id = 0x02;
        else if ((ier & IER_MSR) != 0 && msrDelta != 0) id = 0x00;
        else id = 0x01;
        return (fifoEnabled ? 0xC0 : 0) | id;
    }

    private void update() {
        boolean level = (iir() & 1) == 0 && (mcr & MCR_OUT2) != 0;
        if (level != irqLevel) {
            irqLevel = level;
            irq.set(level);
        }
    }

    @Override
    public int in(int port, int size) {
        int v;
        switch (port - base) {
            case 0:
                if ((lcr & LCR_DLAB) != 0) return divisor & 0xFF;
                v = pop();
                pollInput();
                break;
            case 1:
                return (lcr & LCR_DLAB) != 0 ? divisor >>> 8 : ier;
            case 2:
                v = iir();
                if ((v & 0x0F) == 0x02) threPending = false; // reading IIR with THRE as its source clears it
                break;
            case 3:
                return lcr;
            case 4:
                return mcr;
            case 5:
                v = LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY | (rxCount > 0 ? LSR_DATA_READY : 0) | (overrun ? LSR_OVERRUN : 0);
                overrun = false;
                break;
            case 6:
                v = modemStatus();
                msrDelta = 0;
                break;
            default:
                return scratch;
        }
        update();
        return v;
    }

    @Override
    public void out(int port, int size, int value) {
        int v = value & 0xFF;
        switch (port - base) {
            case 0:
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = (divisor & 0xFF00) | v;
                    return;
                }
                if ((mcr & MCR_LOOP) != 0) push(v);
                else send(v);
                threPending = true; // sent at once: the holding register is empty again
                break;
            case 1:
                if ((lcr & LCR_DLAB) != 0) {
                    divisor = (divisor & 0xFF) | v << 8;
                    return;
                }
                // Enabling the transmitter-empty interrupt while THR is empty raises it (the 16550A does).
                if ((v & IER_THRE) != 0 && (ier & IER_THRE) == 0) threPending = true;
                ier = v & 0x0F;
                break;
            case 2:
                boolean on = (v & 1) != 0;
                if (on != fifoEnabled || (v & 2) != 0) {
                    rxHead = 0;
                    rxCount = 0;
                }
                fifoEnabled = on;
                break;
            case 3:
                lcr = v;
                return;
            case 4:
                mcr = v & 0x1F;
                int lines = modemLines();
                int changed = lines ^ lastModemLines;
                // Deltas: CTS, DSR, trailing edge of RI, DCD (MSR bits 0-3 for lines 4-7).
                msrDelta |= (changed & 0x10) >> 4 | (changed & 0x20) >> 4 | (changed & lastModemLines & 0x40) >> 4 | (changed & 0x80) >> 4;
                lastModemLines = lines;
                pollInput();
                break;
            case 7:
                scratch = v;
                return;
            default:
                return; // LSR and MSR are read-only
        }
        update();
    }

    /** MSR bits 4-7 (CTS, DSR, RI, DCD): in loopback, RTS, DTR, OUT1 and OUT2; otherwise a modem that is there. */
    private int modemLines() {
        if ((mcr & MCR_LOOP) == 0) return 0xB0; // DCD, DSR, CTS
        return ((mcr & 1) << 5) | ((mcr & 2) << 3) | ((mcr & 4) << 4) | ((mcr & 8) << 4);
    }

    private int modemStatus() {
        return modemLines() | msrDelta;
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
