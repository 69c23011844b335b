package org.kasou.fpu;

import java.math.BigInteger;

/**
 * The elementary functions at {@link WideFloat}'s precision, by Taylor series on small
 * arguments: sine and cosine, e^y - 1, the inverse hyperbolic tangent (for logarithms) and the
 * arctangent. Arguments must already be reduced to where each series converges fast.
 */
final class Series {
    /** pi = 4 (4 atan(1/5) - atan(1/239)) (Machin). */
    static final WideFloat PI = atanSeries(WideFloat.ONE.divide(5)).scale(2)
            .subtract(atanSeries(WideFloat.ONE.divide(239))).scale(2);
    /** ln 2 = 2 atanh(1/3). */
    static final WideFloat LN2 = atanh(WideFloat.ONE.divide(3)).scale(1);
    /**
     * The x87's pi for argument reduction: pi to 66 bits (SDM vol. 1, 8.3.10), the 68-bit value
     * C90FDAA22168C234C (hex) / 2^66 whose last two bits are zero. Measured on the host: the
     * results of FSIN on large operands are those of this reduction.
     */
    static final WideFloat PI66 = WideFloat.of(new BigInteger("C90FDAA22168C234C", 16), -66);

    private Series() {}

    /** Far more terms than any reduced argument needs: a bound that no argument can turn into a hang. */
    private static final int MAX_TERMS = 400;

    /** Whether a term no longer changes a sum at this precision (or the bound on terms is reached). */
    private static boolean negligible(WideFloat term, WideFloat sum, int n) {
        return term.signum() == 0 || n >= MAX_TERMS
                || (sum.signum() != 0 && sum.top() - term.top() > WideFloat.PRECISION + 4);
    }

    /** sin(r), |r| <= 1. */
    static WideFloat sin(WideFloat r) {
        WideFloat r2 = r.multiply(r), term = r, sum = r;
        for (int n = 1; ; n++) {
            term = term.multiply(r2).divide((long) (2 * n) * (2 * n + 1)).negate();
            if (negligible(term, sum, n)) return sum.withTail(term.signum() * sum.signum());
            sum = sum.add(term);
        }
    }

    /** cos(r), |r| <= 1. */
    static WideFloat cos(WideFloat r) {
        WideFloat r2 = r.multiply(r), term = WideFloat.ONE, sum = WideFloat.ONE;
        for (int n = 1; ; n++) {
            term = term.multiply(r2).divide((long) (2 * n - 1) * (2 * n)).negate();
            if (negligible(term, sum, n)) return sum.withTail(term.signum() * sum.signum());
            sum = sum.add(term);
        }
    }

    /** e^y - 1 without cancellation, |y| <= 1. */
    static WideFloat expm1(WideFloat y) {
        WideFloat term = y, sum = y;
        for (int n = 2; ; n++) {
            term = term.multiply(y).divide(n);
            if (negligible(term, sum, n)) return sum.withTail(term.signum() * sum.signum());
            sum = sum.add(term);
        }
    }

    /** atanh(z) = z + z^3/3 + z^5/5 + ..., |z| <= 1/3. */
    static WideFloat atanh(WideFloat z) {
        WideFloat z2 = z.multiply(z), power = z, sum = z;
        for (int n = 1; ; n++) {
            power = power.multiply(z2);
            WideFloat term = power.divide(2 * n + 1);
            if (negligible(term, sum, n)) return sum.withTail(term.signum() * sum.signum());
            sum = sum.add(term);
        }
    }

    /** atan(t) = t - t^3/3 + t^5/5 - ..., |t| small. */
    private static WideFloat atanSeries(WideFloat t) {
        WideFloat t2 = t.multiply(t), power = t, sum = t;
        for (int n = 1; ; n++) {
            power = power.multiply(t2).negate();
            WideFloat term = power.divide(2 * n + 1);
            if (negligible(term, sum, n)) return sum.withTail(term.signum() * sum.signum());
            sum = sum.add(term);
        }
    }

    /** atan(t), |t| <= 1: two halvings, atan(t) = 2 atan(t / (1 + sqrt(1 + t^2))), bring t below tan(pi/16). */
    static WideFloat atan(WideFloat t) {
        for (int i = 0; i < 2; i++) {
            t = t.divide(WideFloat.ONE.add(WideFloat.ONE.add(t.multiply(t)).sqrt()));
        }
        return atanSeries(t).scale(2);
    }

    /**
     * log2(x) for x > 0: the binary exponent plus ln(m)/ln 2 for a significand m in
     * [sqrt(2)/2, sqrt(2)), with ln(m) = 2 atanh((m - 1)/(m + 1)). Exact for powers of two.
     */
    static WideFloat log2(WideFloat x) {
        int k = x.top() - 1; // x = m * 2^k with m in [1, 2)
        WideFloat m = x.scale(-k);
        if (m.compareMagnitude(SQRT2) > 0) {
            m = m.scale(-1);
            k++;
        }
        WideFloat z = m.subtract(WideFloat.ONE).divide(m.add(WideFloat.ONE));
        return WideFloat.of(k).add(atanh(z).scale(1).divide(LN2));
    }

    private static final WideFloat SQRT2 = WideFloat.of(2).sqrt();
}
