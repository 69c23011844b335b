package org.kasou.linux;

/** Linux i386 signal numbers and names, and which signal each CPU exception becomes. */
final class Signals {
    static final int SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8, SIGKILL = 9, SIGSEGV = 11, SIGPIPE = 13,
            SIGCHLD = 17, SIGXFSZ = 25;
    /** The highest signal number (Linux's _NSIG). */
    static final int NSIG = 64;

    private static final String[] NAMES = {null, "Hangup", "Interrupt", "Quit", "Illegal instruction", "Trace/breakpoint trap",
        "Aborted", "Bus error", "Floating point exception", "Killed", "User defined signal 1", "Segmentation fault",
        "User defined signal 2", "Broken pipe", "Alarm clock", "Terminated", "Stack fault", "Child exited", "Continued",
        "Stopped (signal)", "Stopped", "Stopped (tty input)", "Stopped (tty output)", "Urgent I/O condition",
        "CPU time limit exceeded", "File size limit exceeded", "Virtual timer expired", "Profiling timer expired",
        "Window changed", "I/O possible", "Power failure", "Bad system call"};

    private Signals() {
    }

    static String name(int sig) {
        if (sig >= 34 && sig <= 64) return "Real-time signal " + (sig - 34); // glibc's numbering: two are its own
        return sig > 0 && sig < NAMES.length ? NAMES[sig] : "Unknown signal " + sig;
    }

    /** The signal a CPU exception vector raises in a Linux process (arch/x86/kernel/traps.c). */
    static int forVector(int vector) {
        return switch (vector) {
            case 0, 16, 19 -> SIGFPE;           // #DE, #MF, #XM
            case 1, 3 -> SIGTRAP;               // #DB, #BP
            case 6 -> SIGILL;                   // #UD
            case 17 -> SIGBUS;                  // #AC
            case CpuCore.STOPPED -> SIGKILL;
            default -> SIGSEGV;                 // #GP, #PF, #SS, #NP, #TS, INT n of a kernel vector, shutdown
        };
    }
}
