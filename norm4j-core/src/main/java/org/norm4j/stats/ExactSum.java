package org.norm4j.stats;

import java.io.Serializable;
import java.math.BigInteger;

/**
 * An exact sum of doubles and of squares of doubles: a fixed-point accumulator wide enough to hold every finite
 * double and every square of one without rounding (a "long accumulator"). Because nothing is rounded while
 * adding, the accumulated value does not depend on the order of the additions or on how the data was split and
 * merged: {@code a.add(x); a.add(y)} and {@code b.add(y); c.add(x); b.merge(c)} hold the same number. Rounding
 * happens once, when a result is read ({@link #doubleValue()}, {@link #round}), and is correct (to nearest,
 * ties to even). This is what makes {@link ExactMoments} give the same bits on 1 or N threads, machines or
 * Spark partitions.
 *
 * <p>Representation: the value is {@code sum(limb[i] * 2^(32 i)) * 2^-2148}, one 32-bit digit per {@code long}
 * limb with 31 bits of head room, so an addition touches 3 limbs (5 for a square) and carries are propagated only every
 * 2^29 additions. Bit 0 is the lowest bit of the square of the smallest subnormal ({@code 2^-2148}); the top
 * limbs leave room for 2^63 squares of {@link Double#MAX_VALUE}. Infinite values are counted apart (the sum is
 * then infinite, or NaN for both signs); a NaN makes the sum NaN.
 */
public final class ExactSum implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The exponent of bit 0: the accumulator counts units of {@code 2^-2148}. */
    public static final int UNIT_EXPONENT = -2148;
    private static final int LIMBS = 138;
    private static final long MASK = 0xFFFFFFFFL;
    private static final int CARRY_EVERY = 1 << 29;

    private final long[] limb = new long[LIMBS];
    private int pending;
    private long positiveInfinities;
    private long negativeInfinities;
    private boolean nan;

    /** Adds {@code x} exactly. */
    public ExactSum add(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int e = exponent(bits);
        if (e == 0x7FF) {
            special(x, false);
            return this;
        }
        long m = mantissa(bits);
        if (m == 0) {
            return this;
        }
        // x = m * 2^(e - 1075) = m * 2^(e + 1073) units
        int pos = e + 1073;
        int i = pos >>> 5;
        int sh = pos & 31;
        int r = 32 - sh;
        long c0 = m & MASK;
        long c1 = m >>> 32; // < 2^21: its shifted pieces end in limb i + 2
        long p0 = (c0 << sh) & MASK;
        long p1 = (c0 >>> r) + ((c1 << sh) & MASK);
        long p2 = c1 >>> r;
        if (bits < 0) {
            limb[i] -= p0;
            limb[i + 1] -= p1;
            limb[i + 2] -= p2;
        } else {
            limb[i] += p0;
            limb[i + 1] += p1;
            limb[i + 2] += p2;
        }
        if (++pending >= CARRY_EVERY) {
            carry();
        }
        return this;
    }

    /** Adds {@code x * x} exactly (the square is formed in integer arithmetic, never rounded). */
    public ExactSum addSquare(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int e = exponent(bits);
        if (e == 0x7FF) {
            special(x, true);
            return this;
        }
        long m = mantissa(bits);
        if (m == 0) {
            return this;
        }
        // x^2 = m^2 * 2^(2e - 2150) = m^2 * 2^(2e - 2) units; m^2 has at most 106 bits
        long lo = m * m;
        long hi = Math.multiplyHigh(m, m);
        deposit(2 * e - 2, lo & MASK, lo >>> 32, hi & MASK, hi >>> 32);
        return this;
    }

    /** The biased exponent of a double, 1 for subnormals (and zero), 0x7FF for infinities and NaN. */
    private static int exponent(long bits) {
        int e = (int) (bits >>> 52) & 0x7FF;
        return e == 0 ? 1 : e;
    }

    /** The integer significand: {@code |x| = m * 2^(exponent - 1075)}; 0 for a zero. */
    private static long mantissa(long bits) {
        long m = bits & 0xFFFFFFFFFFFFFL;
        return ((bits >>> 52) & 0x7FF) == 0 ? m : m | (1L << 52);
    }

    private void special(double x, boolean square) {
        if (x != x) {
            nan = true;
        } else if (x > 0 || square) {
            positiveInfinities++;
        } else {
            negativeInfinities++;
        }
    }

    /** Adds the integer {@code c0 + c1 2^32 + c2 2^64 + c3 2^96} shifted left by {@code pos}. */
    private void deposit(int pos, long c0, long c1, long c2, long c3) {
        int i = pos >>> 5;
        int s = pos & 31;
        int r = 32 - s;
        // each c < 2^32; (c << s) & MASK and c >>> r are its two 32-bit pieces (c >>> 32 == 0 for s == 0)
        limb[i] += (c0 << s) & MASK;
        limb[i + 1] += (c0 >>> r) + ((c1 << s) & MASK);
        limb[i + 2] += (c1 >>> r) + ((c2 << s) & MASK);
        limb[i + 3] += (c2 >>> r) + ((c3 << s) & MASK);
        limb[i + 4] += c3 >>> r;
        if (++pending >= CARRY_EVERY) {
            carry();
        }
    }

    /** Propagates carries: every limb but the top one back into {@code [0, 2^32)}. */
    private void carry() {
        for (int i = 0; i < LIMBS - 1; i++) {
            long c = limb[i] >> 32;
            limb[i] -= c << 32;
            limb[i + 1] += c;
        }
        pending = 0;
    }

    /** Adds the value held by {@code other} exactly; {@code other} is left unchanged. */
    public ExactSum merge(ExactSum other) {
        carry();
        long[] o = other.limb.clone();
        for (int i = 0; i < LIMBS - 1; i++) {
            long c = o[i] >> 32;
            o[i] -= c << 32;
            o[i + 1] += c;
        }
        for (int i = 0; i < LIMBS; i++) {
            limb[i] += o[i];
        }
        carry();
        positiveInfinities += other.positiveInfinities;
        negativeInfinities += other.negativeInfinities;
        nan |= other.nan;
        return this;
    }

    /** Whether the sum is finite (no NaN and no infinity was added). */
    public boolean isFinite() {
        return !nan && positiveInfinities == 0 && negativeInfinities == 0;
    }

    /** The sum where it is not finite: NaN, or an infinity; 0 where it is finite. */
    private double nonFinite() {
        if (nan || (positiveInfinities > 0 && negativeInfinities > 0)) {
            return Double.NaN;
        }
        return positiveInfinities > 0 ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
    }

    /** The exact finite part of the sum as an integer count of {@code 2^-2148} units. */
    public BigInteger units() {
        carry();
        BigInteger v = BigInteger.valueOf(limb[LIMBS - 1]);
        for (int i = LIMBS - 2; i >= 0; i--) {
            v = v.shiftLeft(32).add(BigInteger.valueOf(limb[i]));
        }
        return v;
    }

    /** The sum, correctly rounded to the nearest double (ties to even). */
    public double doubleValue() {
        if (!isFinite()) {
            return nonFinite();
        }
        return round(units(), BigInteger.ONE, UNIT_EXPONENT);
    }

    /**
     * The sum divided by {@code n}, correctly rounded: the exact quotient, rounded once.
     *
     * @throws IllegalArgumentException unless {@code n > 0}
     */
    public double divide(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("n = " + n + ": expected a count > 0");
        }
        if (!isFinite()) {
            return nonFinite();
        }
        return round(units(), BigInteger.valueOf(n), UNIT_EXPONENT);
    }

    /**
     * {@code p / q * 2^exp} correctly rounded to the nearest double, ties to even (overflow gives an infinity,
     * underflow a subnormal or a signed zero).
     *
     * @throws IllegalArgumentException unless {@code q > 0}
     */
    public static double round(BigInteger p, BigInteger q, int exp) {
        if (q.signum() <= 0) {
            throw new IllegalArgumentException("q = " + q + ": expected a denominator > 0");
        }
        if (p.signum() == 0) {
            return 0.0;
        }
        boolean negative = p.signum() < 0;
        BigInteger a = p.abs();
        // scale so the integer quotient has at least 55 bits; the remainder becomes a sticky bit below them
        int k = Math.max(0, 55 + q.bitLength() - a.bitLength());
        BigInteger[] qr = a.shiftLeft(k).divideAndRemainder(q);
        BigInteger n = qr[0].shiftLeft(1);
        if (qr[1].signum() != 0) {
            n = n.setBit(0);
        }
        double r = roundInteger(n, exp - k - 1);
        return negative ? -r : r;
    }

    /** {@code n * 2^exp} for {@code n > 0} with at least 56 bits, correctly rounded. */
    private static double roundInteger(BigInteger n, int exp) {
        int len = n.bitLength();
        // the value's binary exponent is len - 1 + exp; its last kept bit is 52 places lower, or at 2^-1074
        int keepFrom = Math.max(len - 53, -1074 - exp);
        if (keepFrom <= 0) {
            return Math.scalb(n.doubleValue(), exp); // exact: n fits in 53 bits and the result is representable
        }
        BigInteger kept = n.shiftRight(keepFrom);
        int cmp = n.subtract(kept.shiftLeft(keepFrom)).shiftLeft(1).compareTo(BigInteger.ONE.shiftLeft(keepFrom));
        long mant = kept.longValueExact();
        if (cmp > 0 || (cmp == 0 && (mant & 1) == 1)) {
            mant++;
        }
        int e = exp + keepFrom;
        if (e > 1023) {
            return Double.POSITIVE_INFINITY;
        }
        // mant <= 2^53 and mant * 2^e is representable (or overflows to infinity): scalb is exact
        return Math.scalb((double) mant, e);
    }
}
