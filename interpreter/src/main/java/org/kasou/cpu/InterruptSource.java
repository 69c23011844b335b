package org.kasou.cpu;

/** Where external maskable interrupts come from (the PIC, in a PC). */
public interface InterruptSource {
    /** Whether an interrupt request is pending; polled between instructions when IF is set. */
    boolean pending();

    /** Acknowledges the highest-priority pending request and returns its vector. */
    int acknowledge();
}
