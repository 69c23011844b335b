package org.kasou.pc;

/**
 * How a guest run ended.
 *
 * @param outcome why the machine stopped
 * @param exitStatus the status the guest asked for through the exit device (only for EXITED)
 * @param instructions guest instructions retired during the run
 * @param nanos wall time of the run
 */
public record RunResult(Outcome outcome, int exitStatus, long instructions, long nanos) {

    public enum Outcome {
        /** The guest wrote to the exit device (port 0xF4). */
        EXITED,
        /** HLT with interrupts off, or with nothing that could wake the CPU. */
        HALTED,
        /** A triple fault shut the CPU down. */
        SHUTDOWN,
        /** The guest asked for a reset (port 0x92 bit 0); the machine stops instead. */
        RESET,
        /** The instruction limit given to the run was reached. */
        INSTRUCTION_LIMIT,
        /** The host asked the CPU to stop. */
        STOPPED
    }

    /** Guest instructions per microsecond of wall time, i.e. millions per second. */
    public double mips() {
        return nanos <= 0 ? 0 : instructions * 1000.0 / nanos;
    }
}
