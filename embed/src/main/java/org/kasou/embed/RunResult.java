package org.kasou.embed;

/**
 * How a run ended. {@code address} is the linear address of the next instruction (EIP with the CS
 * base); {@code instructions} how many instructions retired in the run. For
 * {@link StopCause#EXCEPTION}: {@code vector} and {@code errorCode} (-1 when the vector has none),
 * EIP on the faulting instruction. For {@link StopCause#INVALID_MEMORY}: {@code faultAddress} and
 * {@code access}. Unused fields are -1 or null.
 */
public record RunResult(StopCause cause, long address, long instructions, int vector, int errorCode,
        long faultAddress, Hooks.InvalidAccess access) {

    static RunResult of(StopCause cause, long address, long instructions) {
        return new RunResult(cause, address, instructions, -1, -1, -1, null);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(cause.name()).append(String.format(" at 0x%08x after %d instructions", address, instructions));
        if (cause == StopCause.EXCEPTION) b.append(" (vector ").append(vector).append(errorCode >= 0 ? ", error code 0x" + Integer.toHexString(errorCode) : "").append(')');
        if (cause == StopCause.INVALID_MEMORY) b.append(String.format(" (%s at 0x%08x)", access, faultAddress));
        return b.toString();
    }
}
