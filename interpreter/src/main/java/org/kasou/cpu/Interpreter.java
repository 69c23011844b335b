package org.kasou.cpu;

/** PLACEHOLDER until the interpreter lands: executes guest instructions. */
public final class Interpreter {
    private final Cpu cpu;

    public Interpreter(Cpu cpu) {
        this.cpu = cpu;
    }

    public StopReason run(long maxInstructions) {
        throw new UnsupportedOperationException("interpreter not yet implemented");
    }
}
