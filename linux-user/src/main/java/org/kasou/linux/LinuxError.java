package org.kasou.linux;

/**
 * A system call fails with a Linux errno: thrown inside system call handlers and turned into the
 * negative return value in EAX. Carries no stack trace (it is control flow).
 */
final class LinuxError extends RuntimeException {
    final int errno;

    LinuxError(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }

    @Override
    public String getMessage() {
        return "errno " + errno;
    }
}
