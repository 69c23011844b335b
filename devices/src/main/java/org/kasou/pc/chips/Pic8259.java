package org.kasou.pc.chips;

/**
 * One 8259A programmable interrupt controller (Intel 8259A data sheet): the initialization words
 * ICW1-ICW4, the operation words OCW1 (mask), OCW2 (EOI and rotation) and OCW3 (IRR/ISR read,
 * poll, special mask), edge- or level-triggered inputs (the EISA ELCR register chooses per line),
 * fixed or rotating priority, auto-EOI and the spurious IRQ 7 when a request vanishes before the
 * acknowledge. {@link PicPair} cascades two of them as in a PC.
 */
public final class Pic8259 {
    private int irr, isr, imr;
    /** Input lines as the devices drive them (for edge detection and level mode). */
    private int lines;
    /** Lines that are level-triggered (ELCR). */
    int levelMask;
    private int vectorBase;
    /** The lowest-priority line; priority goes up from (lowestPriority + 1) & 7. */
    private int lowestPriority = 7;
    private boolean readIsr, autoEoi, rotateOnAutoEoi, specialMask, poll;
    /** Initialization: the next ICW expected (0 when done). */
    private int icwStep;
    private boolean needIcw4, single;
    /** Lines that have slaves (master, ICW3) or this chip's id (slave); kept for the data sheet's sake. */
    private int icw3;

    /** Drives input line {@code irq} (0-7) high or low. */
    public void setLine(int irq, boolean high) {
        int bit = 1 << irq;
        if (high) {
            if ((lines & bit) == 0 || (levelMask & bit) != 0) irr |= bit; // a rising edge, or a level
            lines |= bit;
        } else {
            lines &= ~bit;
            if ((levelMask & bit) != 0) irr &= ~bit; // a level request goes away with the level
        }
    }

    /** The highest-priority line that would be delivered now, or -1. */
    int pendingLine() {
        int req = irr & ~imr;
        if (req == 0) return -1;
        for (int k = 1; k <= 8; k++) {
            int line = (lowestPriority + k) & 7;
            int bit = 1 << line;
            // A request is blocked by a line in service of equal or higher priority (not in special mask mode).
            if (!specialMask && (isr & bit) != 0) return -1;
            if ((req & bit) != 0) return line;
        }
        return -1;
    }

    /** Whether the INT output is asserted. */
    public boolean interruptOutput() {
        return pendingLine() >= 0;
    }

    /**
     * The INTA cycle: moves the highest request into service and returns its line, or -1 when no
     * request is left (a spurious interrupt: the chip answers with its IRQ 7 vector, ISR unchanged).
     */
    int acknowledgeLine() {
        int line = pendingLine();
        if (line < 0) return -1;
        int bit = 1 << line;
        if ((levelMask & bit) == 0) irr &= ~bit; // an edge request is consumed; a level stays while high
        if (autoEoi) {
            if (rotateOnAutoEoi) lowestPriority = line;
        } else {
            isr |= bit;
        }
        return line;
    }

    int vector(int line) {
        return vectorBase + line;
    }

    public int read(int a0) {
        if (poll) {
            poll = false;
            int line = acknowledgeLine();
            return line < 0 ? 0 : 0x80 | line;
        }
        if (a0 == 1) return imr;
        return readIsr ? isr : irr;
    }

    public void write(int a0, int v) {
        v &= 0xFF;
        if (a0 == 0) {
            if ((v & 0x10) != 0) { // ICW1
                icwStep = 2;
                needIcw4 = (v & 1) != 0;
                single = (v & 2) != 0;
                if ((v & 0x08) != 0) levelMask = 0xFF; // LTIM: all lines level-triggered (ELCR is per line)
                imr = 0;
                isr = 0;
                irr &= levelMask & lines;
                lowestPriority = 7;
                specialMask = false;
                readIsr = false;
                autoEoi = false;
                rotateOnAutoEoi = false;
                return;
            }
            if ((v & 0x08) != 0) { // OCW3
                if ((v & 0x04) != 0) poll = true;
                if ((v & 0x02) != 0) readIsr = (v & 1) != 0;
                if ((v & 0x40) != 0) specialMask = (v & 0x20) != 0;
                return;
            }
            ocw2(v);
            return;
        }
        switch (icwStep) {
            case 2:
                vectorBase = v & 0xF8;
                icwStep = single ? (needIcw4 ? 4 : 0) : 3;
                return;
            case 3:
                icw3 = v;
                icwStep = needIcw4 ? 4 : 0;
                return;
            case 4:
                autoEoi = (v & 2) != 0;
                icwStep = 0;
                return;
            default:
                imr = v; // OCW1
        }
    }

    private void ocw2(int v) {
        int cmd = v >>> 5;
        switch (cmd) {
            case 1: { // non-specific EOI: the highest-priority line in service
                int line = highestInService();
                if (line >= 0) isr &= ~(1 << line);
                return;
            }
            case 3: // specific EOI
                isr &= ~(1 << (v & 7));
                return;
            case 5: { // rotate on non-specific EOI
                int line = highestInService();
                if (line >= 0) {
                    isr &= ~(1 << line);
                    lowestPriority = line;
                }
                return;
            }
            case 4:
                rotateOnAutoEoi = true;
                return;
            case 0:
                rotateOnAutoEoi = false;
                return;
            case 7: // rotate on specific EOI
                isr &= ~(1 << (v & 7));
                lowestPriority = v & 7;
                return;
            case 6: // set priority
                lowestPriority = v & 7;
                return;
            default: // 2: no operation
        }
    }

    private int highestInService() {
        for (int k = 1; k <= 8; k++) {
            int line = (lowestPriority + k) & 7;
            if ((isr & (1 << line)) != 0) return line;
        }
        return -1;
    }

    /** ICW3 as written (slave lines on a master, the id on a slave). */
    int icw3() {
        return icw3;
    }
}
