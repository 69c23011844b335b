package org.kasou.conformance.oracle;

import java.util.Random;

/**
 * Operand values biased toward the edges where arithmetic goes wrong: 0, 1, -1, the sign
 * boundaries, values next to a carry or an overflow, single bits, and plain random values.
 */
final class EdgeValues {
    private final Random rnd;

    EdgeValues(Random rnd) {
        this.rnd = rnd;
    }

    /** A value of {@code size} bytes (1, 2 or 4), zero-extended to an int. */
    int value(int size) {
        int bits = size * 8;
        int mask = bits == 32 ? -1 : (1 << bits) - 1;
        int sign = 1 << (bits - 1);
        int v;
        switch (rnd.nextInt(16)) {
            case 0: v = 0; break;
            case 1: v = 1; break;
            case 2: v = -1; break;
            case 3: v = sign; break;          // most negative
            case 4: v = sign - 1; break;      // most positive
            case 5: v = sign + 1; break;
            case 6: v = -2; break;
            case 7: v = 1 << rnd.nextInt(bits); break;
            case 8: v = ~(1 << rnd.nextInt(bits)); break;
            case 9: v = rnd.nextInt(16); break;
            case 10: v = -rnd.nextInt(16); break;
            case 11: v = (rnd.nextInt(16) * 0x11111111) ; break; // repeated nibbles (BCD-ish)
            case 12: v = rnd.nextInt(10) | rnd.nextInt(10) << 4; break; // packed BCD byte
            default: v = rnd.nextInt(); break;
        }
        return v & mask;
    }

    /** A 32-bit register value whose low {@code size} bytes are an edge value, the rest random. */
    int register(int size) {
        if (size >= 4) return value(4);
        int mask = size == 1 ? 0xFF : 0xFFFF;
        int upper = rnd.nextInt(4) == 0 ? 0 : rnd.nextInt();
        return (upper & ~mask) | value(size);
    }

    /** A shift or rotate count: the interesting ones around the operand width, then random. */
    int shiftCount() {
        int[] interesting = {0, 1, 2, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 0xFF};
        return rnd.nextInt(3) == 0 ? rnd.nextInt(256) : interesting[rnd.nextInt(interesting.length)];
    }

    /** A signed displacement of {@code size} bytes (1 or 4, or 2 for 16-bit addressing). */
    int displacement(int size) {
        int v = switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> 1;
            case 2 -> -1;
            case 3 -> size == 1 ? 0x7F : 0x7FFF;
            case 4 -> size == 1 ? -0x80 : -0x8000;
            default -> rnd.nextInt(1 << 16) - (1 << 15);
        };
        return size == 1 ? (byte) v : size == 2 ? (short) v : v;
    }
}
