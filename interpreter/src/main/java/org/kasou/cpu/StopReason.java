package org.kasou.cpu;

/** Why {@link Cpu#run(long)} returned. */
public enum StopReason {
    /** The instruction budget given to run() was used up. */
    BUDGET_EXHAUSTED,
    /** HLT with interrupts disabled, or with no interrupt source that could wake the CPU. */
    HALTED,
    /** A triple fault: the CPU shut down, as on real hardware. */
    SHUTDOWN,
    /** Someone called {@link Cpu#requestStop()} (the exit device, a debugger, the host). */
    STOP_REQUESTED
}
