package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

import java.math.BigInteger;

/**
 * FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X and FYL2XP1. Each value is computed at
 * {@link WideFloat}'s precision and rounded once by the control word's rounding mode (precision
 * control does not apply), so results are correctly rounded where the host's are within half an
 * ulp or so; operands are reduced by multiples of the hardware's 66-bit pi, special operands and
 * the out-of-range responses follow the host (an AMD CPU), as measured.
 */
public final class Transcendental {
    /** FSIN, FCOS, FSINCOS and FPTAN leave operands of 2^63 or more alone and set C2. */
    private static final int REDUCIBLE_LIMIT = Ext80.BIAS + 63;
    private static final BigInteger HALF_PI66 = Series.PI66.m; // times 2^(PI66.e - 1)

    private Transcendental() {}

    /** FSIN: r = sin(x). */
    public static void sine(FpuResult r, int se, long sig) {
        trigonometric(r, se, sig, SIN);
    }

    /** FCOS: r = cos(x). */
    public static void cosine(FpuResult r, int se, long sig) {
        trigonometric(r, se, sig, COS);
    }

    /**
     * FPTAN: r = tan(x); r.se2/sig2 = 1.0 (or a NaN result again), the value pushed, unless C2 is set (out of range) or
     * the operation stops on an unmasked exception.
     */
    public static void tangent(FpuResult r, int se, long sig) {
        trigonometric(r, se, sig, TAN);
        boolean nan = Ext80.isNaN(r.se, r.sig); // a NaN result (the indefinite included) is pushed again
        r.se2 = nan ? r.se : Ext80.BIAS;
        r.sig2 = nan ? r.sig : Ext80.INTEGER_BIT;
    }

    /** FSINCOS: r = sin(x), r.se2/sig2 = cos(x), the value pushed (as for {@link #tangent}). */
    public static void sineCosine(FpuResult r, int se, long sig) {
        trigonometric(r, se, sig, COS);
        int cosSe = r.se, status = r.status;
        long cosSig = r.sig;
        boolean written = r.written;
        trigonometric(r, se, sig, SIN);
        r.se2 = cosSe;
        r.sig2 = cosSig;
        r.status |= status & ~C1;
        r.written &= written;
    }

    private static final int SIN = 0, COS = 1, TAN = 2;

    private static void trigonometric(FpuResult r, int se, long sig, int function) {
        r.begin(C1 | C2);
        if (Operands.nanOrUnsupported(r, se, sig)) return;
        if (Ext80.isInfinity(se, sig)) {
            r.invalid();
            return;
        }
        if (Ext80.exponent(se) >= REDUCIBLE_LIMIT) {
            r.raise(C2);
            r.set(se, sig);
            return;
        }
        if (!Operands.denormalAllowed(r, se, sig)) return;
        if (Ext80.isZero(se, sig)) {
            if (function == COS) r.set(Ext80.BIAS, Ext80.INTEGER_BIT);
            else r.set(se, sig);
            return;
        }
        WideFloat x = WideFloat.of(se, sig);
        int quadrant = 0;
        WideFloat reduced = x;
        if (x.compareMagnitude(QUARTER_PI66) > 0) {
            // k = nearest(x / (pi66/2)), x - k pi66/2 exactly: both are multiples of 2^-67 here
            int shift = x.e - (Series.PI66.e - 1);
            BigInteger scaled = x.m.shiftLeft(shift);
            BigInteger[] qr = scaled.abs().shiftLeft(1).add(HALF_PI66).divideAndRemainder(HALF_PI66.shiftLeft(1));
            BigInteger k = scaled.signum() < 0 ? qr[0].negate() : qr[0];
            reduced = WideFloat.of(scaled.subtract(k.multiply(HALF_PI66)), Series.PI66.e - 1);
            quadrant = k.intValue() & 3;
        }
        WideFloat value = switch (function) {
            case SIN -> quadrantValue(reduced, quadrant);
            case COS -> quadrantValue(reduced, quadrant + 1);
            default -> tangent(reduced, quadrant);
        };
        value.round(r, true);
    }

    private static final WideFloat QUARTER_PI66 = Series.PI66.scale(-2);

    /** tan(r + q pi/2); for a tiny r, tan(r) = r + r^3/3 lies just above r. */
    private static WideFloat tangent(WideFloat r, int q) {
        if ((q & 1) == 0 && r.top() < -WideFloat.PRECISION / 2) return r.withTail(1);
        return (q & 1) == 0 ? Series.sin(r).divide(Series.cos(r)) : Series.cos(r).divide(Series.sin(r)).negate();
    }

    /** sin(r + q pi/2). */
    private static WideFloat quadrantValue(WideFloat r, int q) {
        return switch (q & 3) {
            case 0 -> Series.sin(r);
            case 1 -> Series.cos(r);
            case 2 -> Series.sin(r).negate();
            default -> Series.cos(r).negate();
        };
    }

    /** FPATAN: r = the angle of (x, y), atan(y / x) in the quadrant of the point. */
    public static void arctangent(FpuResult r, int ySe, long ySig, int xSe, long xSig) {
        r.begin();
        if (Operands.nanOrUnsupported(r, xSe, xSig, ySe, ySig)) return;
        if (!Operands.denormalsAllowed(r, xSe, xSig, ySe, ySig)) return;
        int sign = ySe & Ext80.SIGN;
        boolean xNegative = Ext80.negative(xSe);
        boolean yInf = Ext80.isInfinity(ySe, ySig), xInf = Ext80.isInfinity(xSe, xSig);
        boolean yZero = Ext80.isZero(ySe, ySig), xZero = Ext80.isZero(xSe, xSig);
        WideFloat angle;
        if (yInf && xInf) {
            angle = Series.PI.scale(-2);
            if (xNegative) angle = angle.multiply(WideFloat.of(3));
        } else if (yInf || (xZero && !yZero)) {
            angle = Series.PI.scale(-1);
        } else if (yZero || xInf) {
            if (!xNegative) {
                r.setZero(sign);
                return;
            }
            angle = Series.PI;
        } else {
            WideFloat y = WideFloat.of(ySe, ySig).abs(), x = WideFloat.of(xSe, xSig).abs();
            if (y.compareMagnitude(x) <= 0) {
                angle = Series.atan(y.divide(x));
            } else {
                angle = Series.PI.scale(-1).subtract(Series.atan(x.divide(y)));
            }
            if (xNegative) angle = Series.PI.subtract(angle);
        }
        (sign != 0 ? angle.negate() : angle).round(r, true);
    }

    /** F2XM1: r = 2^x - 1 for -1 <= x <= 1; outside that range this host returns x, inexact. */
    public static void power2Minus1(FpuResult r, int se, long sig) {
        r.begin();
        if (Operands.nanOrUnsupported(r, se, sig)) return;
        if (Ext80.isInfinity(se, sig)) {
            r.set(Ext80.negative(se) ? Ext80.SIGN | Ext80.BIAS : se, Ext80.INTEGER_BIT);
            return;
        }
        if (!Operands.denormalAllowed(r, se, sig)) return;
        if (Ext80.isZero(se, sig)) {
            r.set(se, sig);
            return;
        }
        WideFloat x = WideFloat.of(se, sig);
        int c = x.compareMagnitude(WideFloat.ONE);
        if (c > 0) {
            WideFloat.of(se, sig).round(r, false);
            r.raise(PE);
        } else if (c == 0 && Ext80.negative(se)) {
            r.set(Ext80.SIGN | (Ext80.BIAS - 1), Ext80.INTEGER_BIT); // exactly -1/2, though reported inexact
            r.raise(PE);
        } else if (c == 0) {
            // the host's value of 2^1 - 1 lies just below 1: 1 by nearest and up, the number below 1 otherwise
            WideFloat.ONE.subtract(WideFloat.ONE.scale(-200)).round(r, true);
        } else {
            Series.expm1(x.multiply(Series.LN2)).round(r, true);
        }
    }

    /** FYL2X: r = y * log2(x). */
    public static void log2Times(FpuResult r, int ySe, long ySig, int xSe, long xSig) {
        r.begin();
        if (Operands.nanOrUnsupported(r, xSe, xSig, ySe, ySig)) return;
        boolean xZero = Ext80.isZero(xSe, xSig), yZero = Ext80.isZero(ySe, ySig);
        boolean xInf = Ext80.isInfinity(xSe, xSig), yInf = Ext80.isInfinity(ySe, ySig);
        if ((Ext80.negative(xSe) && !xZero) || (xZero && yZero) || (xInf && yZero)) {
            r.invalid();
            return;
        }
        int ySign = ySe & Ext80.SIGN;
        if (xZero) { // log2(0) = -infinity; a finite y divides by zero
            if (yInf || r.raiseMaskable(ZE)) r.setInfinity(ySign ^ Ext80.SIGN);
            return;
        }
        boolean xOne = xSe == Ext80.BIAS && xSig == Ext80.INTEGER_BIT;
        if (xOne && yInf) {
            r.invalid();
            return;
        }
        if (!Operands.denormalsAllowed(r, xSe, xSig, ySe, ySig)) return;
        if (xInf) {
            r.setInfinity(ySign);
            return;
        }
        WideFloat log = Series.log2(WideFloat.of(xSe, xSig));
        productWithLog(r, ySe, ySig, yInf, yZero, log, xOne, powerOfTwo(xSe, xSig));
    }

    /** FYL2XP1: r = y * log2(x + 1); for x <= -1 this host returns x, inexact. */
    public static void log2PlusOneTimes(FpuResult r, int ySe, long ySig, int xSe, long xSig) {
        r.begin();
        if (Operands.nanOrUnsupported(r, xSe, xSig, ySe, ySig)) return;
        boolean xZero = Ext80.isZero(xSe, xSig), yZero = Ext80.isZero(ySe, ySig);
        boolean xInf = Ext80.isInfinity(xSe, xSig), yInf = Ext80.isInfinity(ySe, ySig);
        if ((xInf && (Ext80.negative(xSe) || yZero)) || (xZero && yInf)) {
            r.invalid();
            return;
        }
        if (!Operands.denormalsAllowed(r, xSe, xSig, ySe, ySig)) return;
        int ySign = ySe & Ext80.SIGN;
        if (xInf) {
            r.setInfinity(ySign);
            return;
        }
        if (xZero) {
            r.setZero(ySign ^ (xSe & Ext80.SIGN));
            return;
        }
        WideFloat x = WideFloat.of(xSe, xSig);
        if (Ext80.negative(xSe) && x.compareMagnitude(WideFloat.ONE) >= 0) {
            if (yInf || yZero) { // as if log2(1 + x) were a negative number
                if (yInf) r.setInfinity(ySign ^ Ext80.SIGN);
                else r.setZero(ySign ^ Ext80.SIGN);
                return;
            }
            x.round(r, false);
            r.raise(PE);
            return;
        }
        if (x.compareMagnitude(WideFloat.ONE.scale(-2)) < 0) { // ln(1 + x) = 2 atanh(x / (2 + x)), no cancellation
            WideFloat log = Series.atanh(x.divide(x.add(WideFloat.of(2)))).scale(1).divide(Series.LN2);
            productWithLog(r, ySe, ySig, yInf, yZero, log, false, false);
        } else {
            productWithLog(r, ySe, ySig, yInf, yZero, Series.log2(x.add(WideFloat.ONE)), false, onePlusIsPowerOfTwo(x));
        }
    }

    /** y * log for a finite nonzero log (or log2(1) = 0 when {@code logZero}). */
    private static void productWithLog(FpuResult r, int ySe, long ySig, boolean yInf, boolean yZero,
                                       WideFloat log, boolean logZero, boolean logExact) {
        int ySign = ySe & Ext80.SIGN;
        int logSign = logZero || log.signum() > 0 ? 0 : Ext80.SIGN;
        if (yInf) {
            r.setInfinity(ySign ^ logSign);
            return;
        }
        if (yZero || logZero) {
            r.setZero(ySign ^ logSign);
            return;
        }
        WideFloat product = WideFloat.of(ySe, ySig).multiply(log);
        product.round(r, !logExact);
        // reported even when the product is exact (as on the host), and so a denormal one underflows
        if (r.written && (r.status & PE) == 0 && Ext80.exponent(r.se) == 0 && r.sig != 0) r.raise(UE);
        r.raise(PE);
    }

    private static boolean powerOfTwo(int se, long sig) {
        return Long.bitCount(sig) == 1;
    }

    /** Whether 1 + x is a power of two, so that its logarithm is an integer. */
    private static boolean onePlusIsPowerOfTwo(WideFloat x) {
        BigInteger m = x.m;
        int e = x.e;
        BigInteger sum = e >= 0 ? m.shiftLeft(e).add(BigInteger.ONE) : m.add(BigInteger.ONE.shiftLeft(-e));
        return sum.signum() > 0 && sum.bitCount() == 1;
    }
}
