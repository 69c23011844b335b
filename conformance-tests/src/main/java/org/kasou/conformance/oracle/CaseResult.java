package org.kasou.conformance.oracle;

/**
 * The outcome of one test case on one CPU (the host or kasou): final registers and flags, the
 * data region, the x87 state, and the exception that stopped the code if any. On an exception,
 * registers and EIP are those the exception handler would see (the faulting instruction for a
 * fault, the next one for a trap such as INT3 or INTO).
 */
public final class CaseResult {
    /**
     * COMPLETED: the code ran to its end. EXCEPTION: an exception stopped it. TIMEOUT: it did not
     * finish within its time or instruction budget. SHUTDOWN: kasou triple-faulted. CRASH: kasou
     * threw a Java exception (never acceptable: a guest must not crash the emulator).
     */
    public enum Status { COMPLETED, EXCEPTION, TIMEOUT, SHUTDOWN, CRASH }

    public Status status;
    /** The exception vector (CpuFault.DE..) when status is EXCEPTION. */
    public int vector = -1;
    public int errorCode;
    /** The faulting linear address of a #PF. */
    public int faultAddress;
    /** Offset of EIP from the start of the code when the case stopped. */
    public int eipOffset;
    public final int[] gpr = new int[8];
    public int eflags;
    /** Segment selectors ES, CS, SS, DS, FS, GS. */
    public final int[] sreg = new int[6];
    public X87State fpu;
    public byte[] data;
    /** What the host's kernel reported (signal number and si_code), for reports. */
    public int signal, signalCode;
    /** Instructions kasou retired (-1 for the host, which does not count them). */
    public long instructions = -1;
    /** The Java exception of a CRASH. */
    public String detail;

    private static final String[] NAMES = {"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM", "#DF", "9",
        "#TS", "#NP", "#SS", "#GP", "#PF", "15", "#MF", "#AC", "#MC", "#XM"};

    public static String vectorName(int v) {
        return v >= 0 && v < NAMES.length ? NAMES[v] : "vector " + v;
    }

    public String outcome() {
        return switch (status) {
            case COMPLETED -> "completed";
            case TIMEOUT -> "timeout";
            case SHUTDOWN -> "triple fault (shutdown)";
            case CRASH -> "emulator crash: " + detail;
            case EXCEPTION -> vectorName(vector) + (hasErrorCode(vector) ? String.format("(%x)", errorCode) : "")
                    + String.format(" at +%x", eipOffset);
        };
    }

    static boolean hasErrorCode(int v) {
        return v == 8 || (v >= 10 && v <= 14) || v == 17;
    }
}
