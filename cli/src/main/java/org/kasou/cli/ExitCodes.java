package org.kasou.cli;

/**
 * Process exit statuses. Even numbers above 2 so that they never look like an exit device
 * status, which is always odd.
 */
final class ExitCodes {
    static final int OK = 0;
    static final int BAD_FILE = 1;
    static final int USAGE = 2;
    static final int TRIPLE_FAULT = 4;
    static final int INSTRUCTION_LIMIT = 6;
    static final int RESET = 8;
    /** The guest touched more RAM than the Java heap holds. */
    static final int OUT_OF_MEMORY = 10;
    /** A Linux guest printed the end of a kernel panic (it would spin forever). */
    static final int GUEST_PANIC = 12;
    static final int INTERRUPTED = 130;
    static final int INTERNAL_ERROR = 70;

    private ExitCodes() {
    }
}
