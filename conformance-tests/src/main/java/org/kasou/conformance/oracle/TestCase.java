package org.kasou.conformance.oracle;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One oracle test: the initial registers, flags, data-region contents and a code sequence, plus
 * what the generator knows about it (instruction boundaries, flags left undefined).
 */
public final class TestCase {
    /** Bytes written over the filled data region before the case runs. */
    public record Patch(int offset, byte[] bytes) {}

    public final int id;
    /** OracleLayout.MODE_* bits: 16-bit code segment, 16-bit stack segment. */
    public int mode;
    public final int[] gpr = new int[8];
    /** Only CF, PF, AF, ZF, SF, OF and DF are used; IF is always set. */
    public int eflags;
    public int fillSeed;
    public final List<Patch> patches = new ArrayList<>();
    public byte[] code = new byte[0];
    /** An FSAVE image to load before the code, or null for the FNINIT state. */
    public byte[] fpu;

    /** Offset in {@link #code} of each instruction, in order; used for reports and flag masks. */
    public int[] insnOffsets = new int[0];
    /** Per instruction: the arithmetic flags that may be undefined after it executed. */
    public int[] undefinedAfter = new int[0];
    /** Per instruction: the arithmetic flags that may be undefined before it executes. */
    public int[] undefinedBefore = new int[0];
    /** Human-readable text of each instruction (for reports); may be shorter than insnOffsets. */
    public String[] insnText = new String[0];

    public TestCase(int id) {
        this.id = id;
    }

    public void patch(int offset, byte[] bytes) {
        patches.add(new Patch(offset, bytes.clone()));
    }

    public void patch32(int offset, int value) {
        patch(offset, new byte[] {(byte) value, (byte) (value >>> 8), (byte) (value >>> 16), (byte) (value >>> 24)});
    }

    /** The data region as it is when the code starts. */
    public byte[] initialData() {
        byte[] d = new byte[OracleLayout.DATA_SIZE];
        OracleLayout.fill(fillSeed, d);
        for (Patch p : patches) {
            System.arraycopy(p.bytes(), 0, d, p.offset(), p.bytes().length);
        }
        return d;
    }

    /** Index of the instruction starting at a code offset, or -1. */
    public int insnAt(int codeOffset) {
        int i = Arrays.binarySearch(insnOffsets, codeOffset);
        return i >= 0 ? i : -1;
    }
}
