package org.kasou.conformance.oracle;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.kasou.isa.InsnForm;
import org.kasou.isa.InstructionTable;
import org.kasou.isa.Op;

/**
 * Oracle cases for the x87, driven by the instruction table: one to four executable x87 forms
 * after an FRSTOR of a random state (control word with every RC, PC and mask setting, random TOP,
 * tags with empty and full stacks, registers biased to the edge classes), memory operands at
 * [EBX + disp32] ([BX + disp16] in 16-bit code) filled with edge values of their format. Deterministic for a seed.
 */
public final class X87CaseGenerator {
    private static final int OPERAND_BASE = 0x1000;
    private static final int SLOT = 0x80;
    private final Random rnd;
    private final List<InsnForm> forms = new ArrayList<>();

    /** Whether some cases run in 16-bit code (one in eight); a 64-bit host helper runs none. */
    private final boolean sixteenBit;

    public X87CaseGenerator(long seed) {
        this(seed, true);
    }

    /** As {@link #X87CaseGenerator(long)}, all cases in 32-bit code unless {@code sixteenBit}. */
    public X87CaseGenerator(long seed, boolean sixteenBit) {
        this.sixteenBit = sixteenBit;
        rnd = new Random(seed);
        for (InsnForm f : InstructionTable.get().forms()) {
            // the escapes D8-DF; FXSAVE's image holds SSE state this CPU does not have (X87FxImageHostTest)
            if (f.op == Op.X87 && !f.has(InsnForm.DECODE_ONLY) && f.map == 0) forms.add(f);
        }
    }

    public List<InsnForm> forms() {
        return forms;
    }

    public TestCase next(int id) {
        TestCase tc = new TestCase(id);
        boolean code16 = rnd.nextInt(8) == 0 && sixteenBit;
        tc.mode = code16 ? OracleLayout.MODE_CODE16 : 0;
        for (int i = 0; i < 8; i++) tc.gpr[i] = rnd.nextInt();
        tc.gpr[3] = OPERAND_BASE; // EBX
        tc.gpr[4] = 0x7000; // ESP
        tc.eflags = rnd.nextInt() & 0x8D5;
        tc.fillSeed = rnd.nextInt();
        tc.fpu = randomState();
        int n = 1 + rnd.nextInt(4);
        byte[] code = new byte[16 * n];
        int len = 0;
        tc.insnOffsets = new int[n];
        tc.undefinedAfter = new int[n];
        tc.undefinedBefore = new int[n];
        tc.insnText = new String[n];
        for (int k = 0; k < n; k++) {
            tc.insnOffsets[k] = len;
            InsnForm f = forms.get(rnd.nextInt(forms.size()));
            if (isTranscendental(f)) { // last: a result one ulp off the host's would spread through the rest
                n = k + 1;
                tc.insnOffsets = java.util.Arrays.copyOf(tc.insnOffsets, n);
                tc.undefinedAfter = java.util.Arrays.copyOf(tc.undefinedAfter, n);
                tc.undefinedBefore = java.util.Arrays.copyOf(tc.undefinedBefore, n);
                tc.insnText = java.util.Arrays.copyOf(tc.insnText, n);
            }
            tc.insnText[k] = f.mnemonic;
            if (f.mod != InsnForm.MOD_REG && rnd.nextInt(4) == 0) code[len++] = 0x66; // the other environment layout
            code[len++] = (byte) f.opcode;
            if (f.mod == InsnForm.MOD_REG) {
                int rm = f.rm >= 0 ? f.rm : rnd.nextInt(8);
                code[len++] = (byte) (0xC0 | f.reg << 3 | rm);
            } else {
                int disp = SLOT * k;
                code[len++] = (byte) (0x80 | f.reg << 3 | (code16 ? 7 : 3));
                code[len++] = (byte) disp;
                code[len++] = (byte) (disp >>> 8);
                if (!code16) {
                    code[len++] = 0;
                    code[len++] = 0;
                }
                tc.patch(OPERAND_BASE + disp, operand(f));
            }
        }
        tc.code = java.util.Arrays.copyOf(code, len);
        return tc;
    }

    /**
     * FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1 (D9 F0-F3, F9, FB, FE, FF): the
     * host does not round them correctly, so their results may differ from kasou's in the last bit
     * ({@link HostDeviation#X87_TRANSCENDENTAL_LAST_BIT}).
     */
    static boolean isTranscendental(InsnForm f) {
        return f.opcode == 0xD9 && f.mod == InsnForm.MOD_REG && f.rm >= 0 && isTranscendentalModrm(0xC0 | f.reg << 3 | f.rm);
    }

    static boolean isTranscendentalModrm(int modrm) {
        return (modrm >= 0xF0 && modrm <= 0xF3) || modrm == 0xF9 || modrm == 0xFB || modrm >= 0xFE;
    }

    /** Bytes for a memory operand: an edge value of the form's format, or a whole saved state. */
    private byte[] operand(InsnForm f) {
        byte[] b = new byte[108];
        int group = f.opcode & 7;
        boolean floating = group == 0 || group == 4 || (group == 1 && f.reg < 4) || (group == 5 && f.reg < 4)
                || (group == 3 && f.reg >= 4);
        if ((group == 1 || group == 5) && f.reg == 4) return randomState(); // FLDENV reads the start of it
        if (floating) {
            int se = randomSe();
            long sig = randomSig(se);
            long bits = switch (group) {
                case 0, 1 -> narrow(se, sig, 8, 23);
                case 4, 5 -> narrow(se, sig, 11, 52);
                default -> sig;
            };
            put(b, 0, bits, 8);
            put(b, 8, se, 2);
        } else if (group == 7 && (f.reg == 4 || f.reg == 6)) {
            for (int i = 0; i < 9; i++) b[i] = (byte) (rnd.nextInt(10) | rnd.nextInt(10) << 4);
            b[9] = (byte) (rnd.nextBoolean() ? 0x80 : 0);
        } else {
            long v = switch (rnd.nextInt(4)) {
                case 0 -> rnd.nextInt(200) - 100;
                case 1 -> (1L << rnd.nextInt(64)) + rnd.nextInt(3) - 1;
                case 2 -> -(1L << rnd.nextInt(64)) + rnd.nextInt(3) - 1;
                default -> rnd.nextLong();
            };
            put(b, 0, v, 8);
        }
        return java.util.Arrays.copyOf(b, f.reg == 4 || f.reg == 6 ? 108 : 10);
    }

    /** A float of {@code expBits}/{@code fracBits} with the value's sign, exponent class and top significand bits. */
    private long narrow(int se, long sig, int expBits, int fracBits) {
        long sign = (se & 0x8000) != 0 ? 1 : 0;
        int maxExp = (1 << expBits) - 1;
        int e = se & 0x7FFF;
        long exp;
        if (e == 0x7FFF) exp = maxExp;
        else if (e == 0) exp = 0;
        else exp = switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> maxExp;
            case 2 -> 1 + rnd.nextInt(3);
            case 3 -> maxExp - 1 - rnd.nextInt(3);
            default -> (maxExp >> 1) + rnd.nextInt(41) - 20;
        };
        long frac = (sig >>> (63 - fracBits)) & ((1L << fracBits) - 1);
        if (exp == maxExp && rnd.nextBoolean()) frac = rnd.nextBoolean() ? 0 : 1L << (fracBits - 1);
        return sign << (expBits + fracBits) | exp << fracBits | frac;
    }

    /** A random x87 state as an FSAVE image (32-bit layout), biased as the cases' initial states are. */
    public byte[] randomFsaveState() {
        return randomState();
    }

    /** A state for FRSTOR: control, status and tag words and the eight registers. */
    private byte[] randomState() {
        byte[] b = new byte[108];
        int masks = rnd.nextInt(4) == 0 ? rnd.nextInt(64) : 0x3F;
        int cw = masks | rnd.nextInt(4) << 8 | rnd.nextInt(4) << 10 | 0x40;
        int flags = rnd.nextInt(3) == 0 ? rnd.nextInt(128) : 0;
        if (rnd.nextInt(8) != 0) flags &= masks | 0x40; // mostly nothing pending
        int sw = flags | rnd.nextInt(8) << 11 | (rnd.nextInt(16) & 0xF) * 0x100 & 0x4700;
        int tw = 0;
        int fill = rnd.nextInt(4);
        for (int p = 0; p < 8; p++) {
            boolean empty = switch (fill) {
                case 0 -> true;
                case 1 -> false;
                default -> rnd.nextInt(3) == 0;
            };
            tw |= (empty ? 3 : 0) << (2 * p);
        }
        put(b, 0, cw | 0xFFFF0000L, 4);
        put(b, 4, sw | 0xFFFF0000L, 4);
        put(b, 8, tw | 0xFFFF0000L, 4);
        for (int i = 0; i < 8; i++) {
            int se = randomSe();
            put(b, 28 + 10 * i, randomSig(se), 8);
            put(b, 36 + 10 * i, se, 2);
        }
        return b;
    }

    private int randomSe() {
        int sign = rnd.nextBoolean() ? 0x8000 : 0;
        int e = switch (rnd.nextInt(10)) {
            case 0 -> 0;
            case 1 -> 0x7FFF;
            case 2 -> 1 + rnd.nextInt(4);
            case 3 -> 0x7FFE - rnd.nextInt(4);
            case 4 -> 0x3FFF + 64 + rnd.nextInt(5) - 2; // near the integer conversion limits
            case 5 -> 0x3FFF - 16383 + 15360 + rnd.nextInt(40) - 20; // near double's denormal range
            case 6 -> 0x3FFF + 14 + rnd.nextInt(20);
            default -> 0x3FFF + rnd.nextInt(64) - 32;
        };
        return sign | e;
    }

    private long randomSig(int se) {
        long sig = switch (rnd.nextInt(8)) {
            case 0 -> Long.MIN_VALUE;
            case 1 -> -1L;
            case 2 -> Long.MIN_VALUE | (rnd.nextLong() & 0xFFFF_FFFF_FF00_0000L); // exact in a double
            case 3 -> Long.MIN_VALUE | (rnd.nextLong() & 0xFFFF_FF00_0000_0000L) | 0x80_0000_0000L; // a float tie
            case 4 -> Long.MIN_VALUE | (rnd.nextLong() & ~0x7FFL) | 0x400L; // a double tie
            case 5 -> 0xC000_0000_0000_0000L;
            default -> Long.MIN_VALUE | rnd.nextLong();
        };
        int r = rnd.nextInt(16);
        if (r == 0) sig &= Long.MAX_VALUE; // unnormal, pseudo-denormal's partner, pseudo-NaN
        else if (r == 1 && (se & 0x7FFF) == 0) sig = rnd.nextBoolean() ? 0 : sig & Long.MAX_VALUE;
        return sig;
    }

    private static void put(byte[] b, int off, long v, int n) {
        for (int k = 0; k < n; k++) b[off + k] = (byte) (v >>> (8 * k));
    }
}
