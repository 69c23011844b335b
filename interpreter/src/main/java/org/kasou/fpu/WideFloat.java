package org.kasou.fpu;

import java.math.BigInteger;

/**
 * A real number {@code m * 2^e} kept to {@link #PRECISION} significant bits (truncated), the
 * working precision of the transcendental functions: far more bits than the 64 of a result, so
 * that rounding the approximation gives the correctly rounded value of the function. Immutable;
 * the exponent is unbounded, so tiny and huge operands need no special scaling.
 */
final class WideFloat {
    static final int PRECISION = 256;
    static final WideFloat ZERO = new WideFloat(BigInteger.ZERO, 0);
    static final WideFloat ONE = new WideFloat(BigInteger.ONE, 0);

    final BigInteger m;
    final int e;
    /**
     * Where the true value lies when a series stopped on a term too small to change m: +1 above
     * |m * 2^e| in magnitude, -1 below, 0 unknown or not needed. It decides the rounding of a
     * value that is otherwise exactly representable, sin(x) = x - x^3/6 for a tiny x for one.
     */
    final int tail;

    private WideFloat(BigInteger m, int e) {
        this(m, e, 0);
    }

    private WideFloat(BigInteger m, int e, int tail) {
        this.m = m;
        this.e = e;
        this.tail = tail;
    }

    /** This value, known to lie just above (+1) or below (-1) the true one in magnitude. */
    WideFloat withTail(int magnitudeDirection) {
        return new WideFloat(m, e, magnitudeDirection);
    }

    /** Cuts m to PRECISION bits. */
    static WideFloat of(BigInteger m, int e) {
        int excess = m.bitLength() - PRECISION;
        if (excess > 0) {
            boolean negative = m.signum() < 0;
            BigInteger a = m.abs().shiftRight(excess);
            return new WideFloat(negative ? a.negate() : a, e + excess);
        }
        return new WideFloat(m, e);
    }

    static WideFloat of(long value) {
        return new WideFloat(BigInteger.valueOf(value), 0);
    }

    /** The exact value of a finite register operand (denormals included). */
    static WideFloat of(int se, long sig) {
        BigInteger m = new BigInteger(Long.toUnsignedString(sig));
        if (Ext80.negative(se)) m = m.negate();
        return new WideFloat(m, Ext80.effectiveExponent(se) - Ext80.BIAS - 63);
    }

    int signum() {
        return m.signum();
    }

    /** floor(log2(|this|)) + 1, the position just above the leading bit; meaningless for zero. */
    int top() {
        return e + m.abs().bitLength(); // a negative BigInteger's bitLength is one less at powers of two
    }

    WideFloat negate() {
        return new WideFloat(m.negate(), e, tail);
    }

    WideFloat abs() {
        return m.signum() < 0 ? negate() : this;
    }

    /** this * 2^n. */
    WideFloat scale(int n) {
        return new WideFloat(m, e + n, tail);
    }

    WideFloat add(WideFloat b) {
        if (b.signum() == 0) return this;
        if (signum() == 0) return b;
        // an addend below the other's last bit changes nothing at this precision
        if (top() - b.top() > PRECISION + 8) return this;
        if (b.top() - top() > PRECISION + 8) return b;
        if (e >= b.e) return of(m.shiftLeft(e - b.e).add(b.m), b.e);
        return of(m.add(b.m.shiftLeft(b.e - e)), e);
    }

    WideFloat subtract(WideFloat b) {
        return add(b.negate());
    }

    WideFloat multiply(WideFloat b) {
        return of(m.multiply(b.m), e + b.e);
    }

    /** this / b, b nonzero. */
    WideFloat divide(WideFloat b) {
        if (signum() == 0) return ZERO;
        int shift = PRECISION + 2 + b.m.abs().bitLength() - m.abs().bitLength();
        BigInteger q = shift > 0 ? m.shiftLeft(shift).divide(b.m) : m.divide(b.m);
        return of(q, e - b.e - Math.max(shift, 0));
    }

    WideFloat divide(long k) {
        return divide(of(k));
    }

    /** The square root of a positive value. */
    WideFloat sqrt() {
        int shift = 2 * PRECISION + 2 - m.bitLength();
        if (((e - shift) & 1) != 0) shift++;
        return of(m.shiftLeft(shift).sqrt(), (e - shift) / 2);
    }

    int compareMagnitude(WideFloat b) {
        if (signum() == 0 || b.signum() == 0) return Integer.compare(Math.abs(signum()), Math.abs(b.signum()));
        int t = Integer.compare(top(), b.top());
        if (t != 0) return t;
        int shift = Math.min(e, b.e);
        return m.abs().shiftLeft(e - shift).compareTo(b.m.abs().shiftLeft(b.e - shift));
    }

    /**
     * Rounds to the register format with the control word's rounding mode (precision control
     * does not apply to the transcendental functions). {@code inexact}: the true value is not
     * exactly this one (it lies strictly between this and the next value at PRECISION bits), so
     * the precision exception is raised whatever the rounded bits.
     */
    void round(FpuResult r, boolean inexact) {
        BigInteger a = m.abs();
        int len = a.bitLength();
        long hi, lo;
        if (len <= 128) {
            BigInteger t = a.shiftLeft(128 - len);
            hi = t.shiftRight(64).longValue();
            lo = t.longValue();
        } else {
            BigInteger t = a.shiftRight(len - 128);
            hi = t.shiftRight(64).longValue();
            lo = t.longValue();
            if (a.getLowestSetBit() < len - 128) lo |= 1;
        }
        boolean cutBitsZero = len <= 128 || a.getLowestSetBit() >= len - 128;
        if (inexact && cutBitsZero && tail < 0) { // just below: one unit less, with bits below it
            if (lo == 0) hi--;
            lo--;
        } else if (inexact) {
            lo |= 1;
        }
        Rounding.round(r, m.signum() < 0, e + len - 1 + Ext80.BIAS, hi, lo, 64,
                Rounding.REGISTER_MIN, Rounding.REGISTER_MAX, true);
    }
}
