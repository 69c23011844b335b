package org.kasou.embed;

/** Why {@link Engine#run} returned. */
public enum StopCause {
    /** EIP reached the run's until-address (that instruction did not run). */
    UNTIL_REACHED,
    /** The run's instruction count was used up. */
    COUNT_EXHAUSTED,
    /** The run's time ran out. */
    TIMEOUT,
    /** {@link Engine#stop()} was called, from a hook or another thread. */
    STOPPED,
    /** An exception or interrupt that no hook handled (vector and error code in the result). */
    EXCEPTION,
    /** An access to unmapped memory or against permissions that no hook fixed. */
    INVALID_MEMORY,
    /** HLT: nothing can wake the CPU. */
    HALTED,
    /** A triple fault while the guest's IDT handles exceptions ({@link EngineOptions#withGuestInterrupts}). */
    TRIPLE_FAULT
}
