package org.kasou.fpu;

import java.util.Random;

/**
 * Random x87 cases biased to the edges: every class of operand (zeros, denormals,
 * pseudo-denormals, unnormals, pseudo-infinities and pseudo-NaNs, infinities, QNaNs, SNaNs, the
 * indefinite), the exponent extremes, significands next to the rounding points of each
 * precision, and control words with every rounding mode, precision (the reserved 01 too) and
 * mask combination.
 */
final class X87CaseGenerator {
    private static final int[] ROUNDING_POINTS = {40, 11, 0};
    private final Random random;
    private int se;
    private long sig;

    X87CaseGenerator(long seed) {
        random = new Random(seed);
    }

    X87Case next(X87TestOp op) {
        int cw = 0x40 | random.nextInt(4) << 10 | new int[] {0, 1, 2, 3}[random.nextInt(4)] << 8
                | (random.nextInt(10) < 7 ? 0x3F : random.nextInt(64));
        byte[] mem = new byte[10];
        java.util.Arrays.fill(mem, (byte) 0xA5);
        operand(op);
        int aSe = se;
        long aSig = sig;
        switch (op) {
            case FSCALE -> scaleFactor();
            case FPREM, FPREM1 -> near(aSe, 140);
            case FADD, FSUB, FMUL, FDIV, FCOM, FUCOM, FCOMI, FUCOMI -> {
                if (random.nextBoolean()) operand(op);
                else near(aSe, 70);
            }
            default -> operand(op);
        }
        if (op.loadsMemory() || op.readsMemoryOperand()) memoryOperand(op, mem);
        return new X87Case(op, cw, aSe & 0xFFFF, aSig, se & 0xFFFF, sig, mem);
    }

    private void operand(X87TestOp op) {
        int sign = random.nextBoolean() ? 0x8000 : 0;
        int kind = random.nextInt(20);
        switch (kind) {
            case 0 -> set(sign, 0);
            case 1 -> set(sign, significand() >>> (1 + random.nextInt(64)));
            case 2 -> set(sign, significand());
            case 3 -> set(sign | 1 + random.nextInt(0x7FFE), significand() >>> 1 + random.nextInt(64));
            case 4 -> set(sign | 0x7FFF, random.nextBoolean() ? 0 : significand() >>> 1);
            case 5 -> set(sign | 0x7FFF, Ext80.INTEGER_BIT);
            case 6 -> set(sign | 0x7FFF, significand() | 0xC000_0000_0000_0000L);
            case 7 -> set(sign | 0x7FFF, (significand() & ~Ext80.QUIET_BIT) | Ext80.INTEGER_BIT | 1L << random.nextInt(62));
            case 8 -> set(0xFFFF, Ext80.INDEFINITE_SIG);
            case 9, 10 -> set(sign | 1 + random.nextInt(0x7FFE), significand());
            case 11 -> set(sign | (random.nextBoolean() ? 1 + random.nextInt(70) : 0x7FFE - random.nextInt(70)), significand());
            case 12 -> set(sign | (random.nextBoolean() ? 1 + random.nextInt(4) : 0x7FFE - random.nextInt(4)), significand());
            default -> set(sign | rangeFor(op), significand());
        }
    }

    /** Exponents where the operation's interesting boundaries are. */
    private int rangeFor(X87TestOp op) {
        int bias = Ext80.BIAS;
        return switch (op) {
            case FSTP_M32 -> bias + pick(-150, -120, 120, 130);
            case FSTP_M64 -> bias + pick(-1080, -1015, 1015, 1030);
            case FISTP_M16 -> bias + random.nextInt(20) - 2;
            case FISTP_M32 -> bias + random.nextInt(36) - 2;
            case FISTP_M64, FBSTP, FRNDINT -> bias + random.nextInt(70) - 4;
            default -> bias + random.nextInt(160) - 80;
        };
    }

    private int pick(int lowFrom, int lowTo, int highFrom, int highTo) {
        return random.nextBoolean() ? lowFrom + random.nextInt(lowTo - lowFrom) : highFrom + random.nextInt(highTo - highFrom);
    }

    private long significand() {
        long s;
        switch (random.nextInt(8)) {
            case 0 -> s = -1L;
            case 1 -> s = Ext80.INTEGER_BIT;
            case 2, 3 -> {
                int k = ROUNDING_POINTS[random.nextInt(3)];
                s = random.nextLong() & (k == 0 ? -1L : -1L << k);
                if (k > 0) {
                    long half = 1L << (k - 1);
                    s |= switch (random.nextInt(4)) {
                        case 0 -> half;
                        case 1 -> half - 1;
                        case 2 -> half + 1;
                        default -> 0;
                    };
                }
            }
            case 4 -> s = random.nextLong() & (-1L << random.nextInt(64));
            default -> s = random.nextLong();
        }
        return s | Ext80.INTEGER_BIT;
    }

    private void near(int aSe, int range) {
        operand(X87TestOp.FADD);
        if (random.nextInt(5) == 0) return;
        int e = random.nextInt(3) == 0 ? (aSe & 0x7FFF) + random.nextInt(5) - 2
                : (aSe & 0x7FFF) - random.nextInt(range) + (range == 70 ? 35 : 4);
        if (e < 1 || e > 0x7FFE) return;
        se = (se & 0x8000) | e;
        sig = significand();
    }

    private void scaleFactor() {
        operand(X87TestOp.FSCALE);
        if (random.nextInt(4) == 0) return;
        int sign = random.nextBoolean() ? 0x8000 : 0;
        se = sign | (Ext80.BIAS + random.nextInt(random.nextBoolean() ? 16 : 22) - 1);
        sig = random.nextBoolean() ? significand() : random.nextLong() | Ext80.INTEGER_BIT;
    }

    private void memoryOperand(X87TestOp op, byte[] mem) {
        long v;
        switch (op) {
            case FLD_M32, FADD_M32, FDIVR_M32, FCOM_M32 -> v = floatBits(8, 23) & 0xFFFF_FFFFL;
            case FLD_M64, FMUL_M64, FSUB_M64 -> v = floatBits(11, 52);
            case FBLD -> {
                v = 0;
                for (int i = 0; i < 16; i++) v |= (long) random.nextInt(10) << (4 * i);
                mem[8] = (byte) (random.nextInt(10) | random.nextInt(10) << 4);
                mem[9] = (byte) (random.nextBoolean() ? 0x80 : 0);
                if (random.nextInt(4) == 0) v >>>= 4 * random.nextInt(16);
            }
            default -> v = random.nextLong() >> random.nextInt(64);
        }
        for (int i = 0; i < 8; i++) mem[i] = (byte) (v >>> (8 * i));
    }

    private long floatBits(int expBits, int fracBits) {
        long sign = random.nextBoolean() ? 1L << (expBits + fracBits) : 0;
        long maxExp = (1L << expBits) - 1;
        long frac = random.nextLong() & ((1L << fracBits) - 1);
        long exp = switch (random.nextInt(6)) {
            case 0 -> 0;
            case 1 -> maxExp;
            default -> random.nextLong() & maxExp;
        };
        if (random.nextInt(8) == 0) frac = 0;
        else if (random.nextInt(4) == 0) frac >>>= random.nextInt(fracBits);
        return sign | exp << fracBits | frac;
    }

    private void set(int se, long sig) {
        this.se = se;
        this.sig = sig;
    }
}
