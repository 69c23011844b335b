package org.kasou.cpu;

import org.kasou.fpu.Ext80;
import org.kasou.fpu.FpuControl;
import org.kasou.fpu.FpuResult;
import org.kasou.fpu.FpuStatus;

/**
 * The x87 register file and its environment (SDM vol. 1, 8.1): eight physical registers as
 * (sign/exponent, significand), TOP, the tag word, control and status words, and the last
 * instruction and data pointers. Stack-relative accessors take i for ST(i).
 */
public final class FpuState {
    public static final int TAG_VALID = 0, TAG_ZERO = 1, TAG_SPECIAL = 2, TAG_EMPTY = 3;
    /** Status-word bits outside what operations produce: TOP (11-13) and busy (15). */
    public static final int TOP_SHIFT = 11, BUSY = 0x8000;
    /** Control-word bits that exist: masks, PC, RC and the 287's infinity control; bit 6 reads as 1. */
    private static final int CONTROL_BITS = 0x1F3F, CONTROL_ONES = 0x40;

    public final int[] se = new int[8];
    public final long[] sig = new long[8];
    /** Two bits per physical register, as in the tag word. */
    public int tags;
    public int top;
    public int control;
    /** The status word without TOP, ES and B, which {@link #statusWord()} adds. */
    public int status;
    /** Last non-control instruction: offset, CS selector and the 11-bit opcode; last memory operand. */
    public int fip, fcs, fop, fdp, fds;
    /** Reused by every operation, so that executing x87 instructions allocates nothing. */
    public final FpuResult result = new FpuResult();

    public FpuState() {
        init();
    }

    /** FNINIT (SDM vol. 2A, FINIT): registers keep their contents but are all tagged empty. */
    public void init() {
        setControl(FpuControl.DEFAULT);
        status = 0;
        top = 0;
        tags = 0xFFFF;
        fip = fcs = fop = fdp = fds = 0;
    }

    /**
     * The state after RESET (SDM vol. 3, table 9-1): registers +0.0 tagged zero, control word
     * 0040H with every exception unmasked, so software starts with FNINIT.
     */
    public void reset() {
        init();
        setControl(0);
        java.util.Arrays.fill(se, 0);
        java.util.Arrays.fill(sig, 0);
        tags = 0x5555;
    }

    public void setControl(int value) {
        control = controlWord(value);
    }

    /** The control word FLDCW makes of a value: bits that do not exist cleared, bit 6 set. */
    public static int controlWord(int value) {
        return (value & CONTROL_BITS) | CONTROL_ONES;
    }

    /** Whether an unmasked exception is pending: ES, which a waiting instruction reports as #MF. */
    public boolean errorPending() {
        return (status & ~control & FpuStatus.EXCEPTIONS) != 0;
    }

    public int statusWord() {
        return statusWord(status, top, control);
    }

    /** The status word of these status bits, TOP and control word: ES and B set while an unmasked exception is pending. */
    public static int statusWord(int status, int top, int control) {
        int sw = (status & ~(FpuStatus.ES | BUSY | 7 << TOP_SHIFT)) | (top & 7) << TOP_SHIFT;
        return (status & ~control & FpuStatus.EXCEPTIONS) != 0 ? sw | FpuStatus.ES | BUSY : sw;
    }

    public void setStatusWord(int value) {
        top = (value >>> TOP_SHIFT) & 7;
        status = value & ~(FpuStatus.ES | BUSY | 7 << TOP_SHIFT) & 0xFFFF;
    }

    /** Physical register number of ST(i). */
    public int physical(int i) {
        return (top + i) & 7;
    }

    public boolean empty(int i) {
        return tag(physical(i)) == TAG_EMPTY;
    }

    public int tag(int phys) {
        return (tags >>> (2 * phys)) & 3;
    }

    public int stSe(int i) {
        return se[physical(i)];
    }

    public long stSig(int i) {
        return sig[physical(i)];
    }

    /** Writes ST(i) and tags it by its contents. */
    public void set(int i, int valueSe, long valueSig) {
        setPhysical(physical(i), valueSe, valueSig);
    }

    public void setPhysical(int phys, int valueSe, long valueSig) {
        se[phys] = valueSe & 0xFFFF;
        sig[phys] = valueSig;
        setTag(phys, tagOf(valueSe, valueSig));
    }

    public void setTag(int phys, int tag) {
        tags = (tags & ~(3 << (2 * phys))) | tag << (2 * phys);
    }

    public void free(int i) {
        setTag(physical(i), TAG_EMPTY);
    }

    public void push(int valueSe, long valueSig) {
        top = (top - 1) & 7;
        set(0, valueSe, valueSig);
    }

    public void pop() {
        free(0);
        top = (top + 1) & 7;
    }

    /** The tag a value gets when written (SDM vol. 1, 8.1.7). */
    public static int tagOf(int valueSe, long valueSig) {
        int e = valueSe & Ext80.EXP_MAX;
        if (e == Ext80.EXP_MAX) return TAG_SPECIAL;
        if (e == 0) return valueSig == 0 ? TAG_ZERO : TAG_SPECIAL;
        return valueSig < 0 ? TAG_VALID : TAG_SPECIAL;
    }

    /** The tag word as FSTENV and FSAVE store it: empty as recorded, the others from the contents. */
    public int tagWord() {
        int w = 0;
        for (int p = 0; p < 8; p++) {
            int t = tag(p) == TAG_EMPTY ? TAG_EMPTY : tagOf(se[p], sig[p]);
            w |= t << (2 * p);
        }
        return w;
    }

    /** Loads a tag word (FLDENV, FRSTOR): only empty or not matters; contents decide the rest. */
    public void setTagWord(int word) {
        for (int p = 0; p < 8; p++) {
            setTag(p, ((word >>> (2 * p)) & 3) == TAG_EMPTY ? TAG_EMPTY : tagOf(se[p], sig[p]));
        }
    }

    /** FXSAVE's abridged tag byte: one bit per physical register, set when not empty. */
    public int abridgedTags() {
        int b = 0;
        for (int p = 0; p < 8; p++) if (tag(p) != TAG_EMPTY) b |= 1 << p;
        return b;
    }

    public void setAbridgedTags(int b) {
        for (int p = 0; p < 8; p++) setTag(p, (b & (1 << p)) != 0 ? tagOf(se[p], sig[p]) : TAG_EMPTY);
    }
}
