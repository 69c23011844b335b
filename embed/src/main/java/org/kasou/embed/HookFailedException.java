package org.kasou.embed;

/**
 * A hook threw during {@link Engine#run}: the run stopped at the next instruction boundary (the
 * engine stays usable) and this carries the hook's exception as its cause.
 */
public final class HookFailedException extends RuntimeException {
    private final long address;

    HookFailedException(Throwable cause, long address) {
        super(String.format("a hook threw %s; the run stopped at 0x%08x", cause, address), cause);
        this.address = address;
    }

    /** The linear address of the next instruction when the run stopped. */
    public long address() {
        return address;
    }
}
