package org.kasou.conformance.sst;

/**
 * One SingleStepTests 80286 case: one instruction with the CPU state before and after it, as
 * captured on real hardware. Registers are indexed by {@link #REG_NAMES}.
 */
public final class SstTest {
    /** Register order used by {@link #initialRegs} and {@link #finalRegs}, as named in the JSON. */
    public static final String[] REG_NAMES = {
        "ax", "bx", "cx", "dx", "cs", "ss", "ds", "es", "sp", "bp", "si", "di", "ip", "flags"
    };
    public static final int AX = 0, BX = 1, CX = 2, DX = 3, CS = 4, SS = 5, DS = 6, ES = 7,
            SP = 8, BP = 9, SI = 10, DI = 11, IP = 12, FLAGS = 13;
    public static final int REG_COUNT = REG_NAMES.length;
    /** Marks a register absent from {@code final} (unchanged by the instruction). */
    public static final int UNCHANGED = -1;
    /** {@link #exceptionVector} of a test whose instruction did not fault. */
    public static final int NO_EXCEPTION = -1;

    public final int index;
    public final String name;
    public final byte[] bytes;
    public final int[] initialRegs;
    /** Pairs of (linear address, byte) flattened: address at even index, value at odd. */
    public final int[] initialRam;
    /** Expected register values after the run, {@link #UNCHANGED} where the JSON omits them. */
    public final int[] finalRegs;
    public final int[] finalRam;
    public final int exceptionVector;
    public final int flagAddress;
    public final String hash;

    public SstTest(int index, String name, byte[] bytes, int[] initialRegs, int[] initialRam,
                   int[] finalRegs, int[] finalRam, int exceptionVector, int flagAddress, String hash) {
        this.index = index;
        this.name = name;
        this.bytes = bytes;
        this.initialRegs = initialRegs;
        this.initialRam = initialRam;
        this.finalRegs = finalRegs;
        this.finalRam = finalRam;
        this.exceptionVector = exceptionVector;
        this.flagAddress = flagAddress;
        this.hash = hash;
    }

    /** The expected value of register {@code r} after the run. */
    public int expectedReg(int r) {
        return finalRegs[r] != UNCHANGED ? finalRegs[r] : initialRegs[r];
    }

    /** Number of prefix bytes (segment overrides, LOCK, REP/REPNE) before the opcode. */
    public int prefixCount() {
        int i = 0;
        while (i < bytes.length && isPrefix(bytes[i] & 0xFF)) {
            i++;
        }
        return i;
    }

    public boolean hasPrefix(int prefix) {
        for (int i = 0; i < prefixCount(); i++) {
            if ((bytes[i] & 0xFF) == prefix) {
                return true;
            }
        }
        return false;
    }

    /** The opcode byte after the prefixes. */
    public int opcode() {
        int p = prefixCount();
        return p < bytes.length ? bytes[p] & 0xFF : -1;
    }

    /** The ModRM byte after the opcode (meaningful only for opcodes that have one). */
    public int modrm() {
        int p = prefixCount() + 1;
        return p < bytes.length ? bytes[p] & 0xFF : -1;
    }

    public static boolean isPrefix(int b) {
        return b == 0x26 || b == 0x2E || b == 0x36 || b == 0x3E || b == 0xF0 || b == 0xF2 || b == 0xF3;
    }

    @Override
    public String toString() {
        return "#" + index + " " + name;
    }
}
