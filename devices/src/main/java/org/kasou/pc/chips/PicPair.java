package org.kasou.pc.chips;

import org.kasou.cpu.InterruptSource;
import org.kasou.io.PortDevice;

/**
 * The PC's two cascaded 8259A controllers: the master at ports 0x20-0x21 (IRQ 0-7), the slave at
 * 0xA0-0xA1 (IRQ 8-15) on the master's line 2, and the EISA edge/level control registers (ELCR) at
 * 0x4D0-0x4D1. It is the CPU's source of external interrupts.
 */
public final class PicPair implements InterruptSource, PortDevice {
    public static final int MASTER = 0x20, SLAVE = 0xA0, ELCR = 0x4D0;
    private static final int CASCADE = 2;

    final Pic8259 master = new Pic8259(), slave = new Pic8259();
    private final int[] elcr = new int[2];
    /**
     * {@link #pending}'s answer, and whether anything may have changed it since (a line, a port
     * access, an acknowledge): the CPU asks between every two compiled units while interrupts are
     * enabled, and the answer changes far less often.
     */
    private boolean pendingNow, changed = true;

    public PicPair() {
        master.levelMask = 1 << CASCADE; // the slave's INT output is a level on the master's line 2
    }

    /** Drives IRQ line {@code irq} (0-15). An edge-triggered line requests on its rising edge. */
    public void setIrq(int irq, boolean high) {
        changed = true;
        if (irq < 8) master.setLine(irq, high);
        else slave.setLine(irq - 8, high);
    }

    /** A pulse on an edge-triggered line: raised and lowered (a timer tick, a received byte). */
    public void pulseIrq(int irq) {
        setIrq(irq, true);
        setIrq(irq, false);
    }

    private void cascade() {
        master.setLine(CASCADE, slave.interruptOutput());
    }

    @Override
    public boolean pending() {
        if (changed) {
            changed = false;
            cascade();
            pendingNow = master.interruptOutput();
        }
        return pendingNow;
    }

    @Override
    public int acknowledge() {
        changed = true;
        cascade();
        int line = master.acknowledgeLine();
        if (line == CASCADE) {
            int s = slave.acknowledgeLine();
            cascade();
            return slave.vector(s < 0 ? 7 : s);
        }
        return master.vector(line < 0 ? 7 : line);
    }

    @Override
    public int in(int port, int size) {
        changed = true; // a read in poll mode acknowledges
        switch (port) {
            case MASTER: case MASTER + 1:
                cascade();
                return master.read(port - MASTER);
            case SLAVE: case SLAVE + 1:
                return slave.read(port - SLAVE);
            case ELCR: case ELCR + 1:
                return elcr[port - ELCR];
            default:
                return 0xFF;
        }
    }

    @Override
    public void out(int port, int size, int value) {
        changed = true;
        switch (port) {
            case MASTER: case MASTER + 1:
                master.write(port - MASTER, value);
                master.levelMask |= 1 << CASCADE;
                return;
            case SLAVE: case SLAVE + 1:
                slave.write(port - SLAVE, value);
                return;
            case ELCR:
                elcr[0] = value & 0xF8; // IRQ 0, 1 and 2 are always edge-triggered
                master.levelMask = elcr[0] | 1 << CASCADE;
                return;
            case ELCR + 1:
                elcr[1] = value & 0xDE; // IRQ 8 and 13 likewise
                slave.levelMask = elcr[1];
                return;
            default:
        }
    }
}
