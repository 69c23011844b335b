package org.kasou.linux;

/**
 * A system call fails with a Linux errno: thrown inside system call handlers and turned into the
 * negative return value in EAX. Carries no stack trace (it is control flow).
 */
final class LinuxError extends RuntimeException {
    final int errno;
    /**
     * Bytes the call transferred before the error (0: none). A pipe write whose reader went away
     * part-way returns these and still raises SIGPIPE, as Linux's pipe_write does.
     */
    final int done;

    LinuxError(int errno) {
        this(errno, 0);
    }

    LinuxError(int errno, int done) {
        super(null, null, false, false);
        this.errno = errno;
        this.done = done;
    }

    @Override
    public String getMessage() {
        return "errno " + errno;
    }
}
