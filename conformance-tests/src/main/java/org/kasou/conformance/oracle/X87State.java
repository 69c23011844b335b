package org.kasou.conformance.oracle;

import java.util.Arrays;

/** The x87 state as an FSAVE image (32-bit protected-mode layout, SDM vol. 1, 8.1.10). */
public record X87State(byte[] image) {
    public int controlWord() { return u16(0); }
    public int statusWord() { return u16(4); }
    public int tagWord() { return u16(8); }

    /** ST(i) as 10 bytes, little-endian 80-bit extended precision. */
    public byte[] st(int i) {
        return Arrays.copyOfRange(image, 28 + 10 * i, 38 + 10 * i);
    }

    /** ST(i) as text: sign/exponent word and 64-bit significand in hex. */
    public String stHex(int i) {
        StringBuilder b = new StringBuilder();
        for (int k = 37 + 10 * i; k >= 28 + 10 * i; k--) {
            b.append(String.format("%02x", image[k] & 0xFF));
            if (k == 36 + 10 * i) b.append(':');
        }
        return b.toString();
    }

    /**
     * The image without the last instruction and operand pointers (bytes 12-27): this host's
     * FXSAVE, which fills the signal frame, stores them only while an exception is pending.
     */
    public X87State withoutPointers() {
        byte[] b = image.clone();
        Arrays.fill(b, 12, 28, (byte) 0);
        return new X87State(b);
    }

    private int u16(int off) {
        return (image[off] & 0xFF) | (image[off + 1] & 0xFF) << 8;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof X87State x && Arrays.equals(image, x.image);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(image);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(String.format("fcw=%04x fsw=%04x ftw=%04x", controlWord(), statusWord(), tagWord()));
        for (int i = 0; i < 8; i++) b.append(" st").append(i).append('=').append(stHex(i));
        return b.toString();
    }
}
