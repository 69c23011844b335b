package org.kasou.linux;

/**
 * A system call that a signal cut short (it returned one of the kernel's ERESTART codes), as
 * Linux's signal code settles it: with a handler to run, ERESTARTSYS is carried out again when
 * the handler has SA_RESTART and fails with EINTR otherwise, ERESTARTNOINTR is always carried
 * out again, ERESTARTNOHAND and ERESTART_RESTARTBLOCK fail with EINTR; with no handler to run,
 * every one is carried out again. Carrying out again means returning to the INT 0x80 with EAX
 * back at the call's number. A call made through SYSENTER fails with EINTR instead: without a
 * vDSO the instruction to return to is not known.
 */
final class Restart {
    private final int code, nr;
    private final boolean int80;

    private Restart(int code, int nr, boolean int80) {
        this.code = code;
        this.nr = nr;
        this.int80 = int80;
    }

    /** The restart that result {@code r} of call {@code nr} asks for, or null when it is a plain result. */
    static Restart of(int r, int nr, boolean int80) {
        int code = -r;
        if (code != Errno.ERESTARTSYS && code != Errno.ERESTARTNOINTR && code != Errno.ERESTARTNOHAND && code != Errno.ERESTART_RESTARTBLOCK) {
            return null;
        }
        return new Restart(code, nr, int80);
    }

    /** A handler with {@code flags} is about to run. */
    void beforeHandler(CpuCore core, int flags) {
        boolean again = code == Errno.ERESTARTNOINTR || (code == Errno.ERESTARTSYS && (flags & SignalState.SA_RESTART) != 0);
        if (again) callAgain(core);
        else core.setReg(0, -Errno.EINTR);
    }

    /** No handler runs. */
    void withoutHandler(CpuCore core) {
        callAgain(core);
    }

    private void callAgain(CpuCore core) {
        if (!int80) {
            core.setReg(0, -Errno.EINTR);
            return;
        }
        core.setReg(0, nr);
        core.setUserEntryFromTrap(core.userEip() - 2, core.userEsp(), core.userEflags());
    }
}
