package org.kasou.conformance.oracle;

import org.kasou.cpu.FpuState;

/**
 * kasou's x87 state to and from the FSAVE image the helper exchanges (32-bit protected-mode
 * layout, as Linux writes it into a signal frame: the unused upper halves all ones).
 */
final class FsaveImage {
    private FsaveImage() {}

    static void load(FpuState f, byte[] image) {
        f.setControl(u16(image, 0));
        f.setStatusWord(u16(image, 4));
        f.fip = u32(image, 12);
        f.fcs = u16(image, 16);
        f.fop = u16(image, 18) & 0x7FF;
        f.fdp = u32(image, 20);
        f.fds = u16(image, 24);
        for (int i = 0; i < 8; i++) {
            int phys = f.physical(i);
            long sig = 0;
            for (int k = 7; k >= 0; k--) sig = sig << 8 | (image[28 + 10 * i + k] & 0xFF);
            f.sig[phys] = sig;
            f.se[phys] = u16(image, 36 + 10 * i);
        }
        f.setTagWord(u16(image, 8));
    }

    static byte[] of(FpuState f) {
        byte[] b = new byte[OracleLayout.FSAVE_SIZE];
        put32(b, 0, f.control | 0xFFFF_0000);
        put32(b, 4, f.statusWord() | 0xFFFF_0000);
        put32(b, 8, f.tagWord() | 0xFFFF_0000);
        put32(b, 12, f.fip);
        put32(b, 16, f.fcs | f.fop << 16);
        put32(b, 20, f.fdp);
        put32(b, 24, f.fds | 0xFFFF_0000);
        for (int i = 0; i < 8; i++) {
            long sig = f.stSig(i);
            for (int k = 0; k < 8; k++) b[28 + 10 * i + k] = (byte) (sig >>> (8 * k));
            b[36 + 10 * i] = (byte) f.stSe(i);
            b[37 + 10 * i] = (byte) (f.stSe(i) >>> 8);
        }
        return b;
    }

    private static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static int u32(byte[] b, int off) {
        return u16(b, off) | u16(b, off + 2) << 16;
    }

    private static void put32(byte[] b, int off, int v) {
        for (int k = 0; k < 4; k++) b[off + k] = (byte) (v >>> (8 * k));
    }
}
