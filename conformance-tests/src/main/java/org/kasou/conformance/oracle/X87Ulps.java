package org.kasou.conformance.oracle;

/** Distances between x87 register values in units in the last place, for comparing transcendental results. */
public final class X87Ulps {
    private X87Ulps() {}

    /**
     * Units in the last place between two 80-bit values of the same sign (the significand as a
     * 64-bit count within its binade, binades laid end to end); Long.MAX_VALUE for values of
     * different signs, NaNs, infinities or unsupported encodings.
     */
    public static long distance(int aSe, long aSig, int bSe, long bSig) {
        if (aSe == bSe && aSig == bSig) return 0;
        if (((aSe ^ bSe) & 0x8000) != 0 || !ordinary(aSe, aSig) || !ordinary(bSe, bSig)) return Long.MAX_VALUE;
        java.math.BigInteger d = ordinal(aSe, aSig).subtract(ordinal(bSe, bSig)).abs();
        return d.bitLength() < 63 ? d.longValue() : Long.MAX_VALUE;
    }

    /** Finite values whose integer bit matches their exponent (normals, denormals, zeros). */
    private static boolean ordinary(int se, long sig) {
        int e = se & 0x7FFF;
        return e != 0x7FFF && (e == 0 ? sig >= 0 : sig < 0);
    }

    /** The value's position among the representable magnitudes: binade * 2^63 + fraction. */
    private static java.math.BigInteger ordinal(int se, long sig) {
        int e = se & 0x7FFF;
        java.math.BigInteger fraction = java.math.BigInteger.valueOf(sig & Long.MAX_VALUE);
        return java.math.BigInteger.valueOf(e).shiftLeft(63).add(fraction);
    }

    /**
     * Whether two states differ only in C1 of the status word and in register values one ulp apart.
     * Ulp differences of values near each other are exact in a double's 53 bits only when the
     * significands are close, which is checked first.
     */
    public static boolean lastBitOnly(X87State host, X87State kasou) {
        byte[] h = host.image(), k = kasou.image();
        for (int i = 0; i < 28; i++) {
            int mask = i == 5 ? ~0x02 & 0xFF : 0xFF; // status word high byte: bit 9 is C1
            if (((h[i] ^ k[i]) & mask) != 0) return false;
        }
        for (int r = 0; r < 8; r++) {
            int off = 28 + 10 * r;
            long hs = le(h, off, 8), ks = le(k, off, 8);
            int he = (int) le(h, off + 8, 2), ke = (int) le(k, off + 8, 2);
            if (he == ke && hs == ks) continue;
            if (he == ke ? Math.abs(hs - ks) != 1 : !adjacentAcrossBinade(he, hs, ke, ks)) return false;
        }
        return true;
    }

    private static boolean adjacentAcrossBinade(int aSe, long aSig, int bSe, long bSig) {
        if (aSe > bSe) return adjacentAcrossBinade(bSe, bSig, aSe, aSig);
        return ((aSe ^ bSe) & 0x8000) == 0 && bSe == aSe + 1 && aSig == -1L && bSig == Long.MIN_VALUE;
    }

    private static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) v = v << 8 | (b[off + i] & 0xFF);
        return v;
    }
}
