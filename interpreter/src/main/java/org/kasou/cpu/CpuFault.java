package org.kasou.cpu;

/**
 * A guest exception (fault or trap) raised while executing an instruction. It is preallocated and
 * carries no stack trace: the interpreter catches it, restores the state of the faulting
 * instruction and delivers the exception to the guest. Never escapes the CPU to its caller.
 */
public final class CpuFault extends RuntimeException {
    public static final int DE = 0, DB = 1, NMI = 2, BP = 3, OF = 4, BR = 5, UD = 6, NM = 7, DF = 8,
            TS = 10, NP = 11, SS = 12, GP = 13, PF = 14, MF = 16, AC = 17, MC = 18, XM = 19;

    /** Error code value meaning "this vector pushes no error code". */
    public static final int NO_ERROR_CODE = -1;

    public int vector;
    public int errorCode;

    public CpuFault() {
        super(null, null, false, false);
    }

    /** Fills this preallocated instance and returns it, for {@code throw fault.set(...)}. */
    public CpuFault set(int vector, int errorCode) {
        this.vector = vector;
        this.errorCode = errorCode;
        return this;
    }

    /** Whether the vector pushes an error code in protected mode (SDM vol. 3, table 6-1). */
    public static boolean hasErrorCode(int vector) {
        return vector == DF || (vector >= TS && vector <= PF) || vector == AC;
    }

    @Override
    public String getMessage() {
        return "vector " + vector + (errorCode == NO_ERROR_CODE ? "" : " error " + Integer.toHexString(errorCode));
    }
}
