package org.kasou.pc.chips;

import org.kasou.io.PortDevice;

/**
 * The PC's coprocessor error logic: FERR# from the CPU (an unmasked x87 exception met with
 * CR0.NE clear) latches IRQ 13 high; a write to port 0xF0 clears the latch, which is what a
 * handler of IRQ 13 does before FNCLEX. Reading the port gives 0xFF (nothing is there to read).
 */
public final class CoprocessorError implements PortDevice {
    public static final int PORT = 0xF0;
    public static final int IRQ = 13;

    private final PicPair pic;
    private boolean latched;

    public CoprocessorError(PicPair pic) {
        this.pic = pic;
    }

    /** FERR# asserted: IRQ 13 rises unless it is already latched. */
    public void signal() {
        if (latched) return;
        latched = true;
        pic.setIrq(IRQ, true);
    }

    public boolean latched() {
        return latched;
    }

    @Override
    public int in(int port, int size) {
        return size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
    }

    @Override
    public void out(int port, int size, int value) {
        if (!latched) return;
        latched = false;
        pic.setIrq(IRQ, false);
    }
}
