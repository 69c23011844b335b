package org.kasou.pc;

/** A kernel image that cannot be loaded; the message is one line meant for the user. */
public final class KernelLoadException extends Exception {
    public KernelLoadException(String message) {
        super(message);
    }
}
