package org.norm4j.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * Fitted per-feature scaling, applied or inverted one value at a time in float64, with scikit-learn's
 * arithmetic (the same operations in the same order, so the results agree to the last bit where the fitted
 * statistics do). This is the one implementation of the scaling rules: {@code norm4j transform}, the Java API
 * and the {@code Normalization} layer's divisor all come here.
 *
 * <table>
 *   <caption>Methods</caption>
 *   <tr><th>method</th><th>forward</th><th>inverse</th><th>as in scikit-learn</th></tr>
 *   <tr><td>{@link #standard standard}</td><td>{@code (x - mean) / scale}</td><td>{@code y * scale + mean}</td>
 *       <td>{@code StandardScaler(with_mean, with_std)}</td></tr>
 *   <tr><td>{@link #minMax minmax}</td><td>{@code x * scale + min_}, then clipped to the range if
 *       {@code clip}</td><td>{@code (y - min_) / scale}</td><td>{@code MinMaxScaler(feature_range, clip)},
 *       {@code scale = (hi - lo) / (max - min)}, {@code min_ = lo - min * scale}</td></tr>
 *   <tr><td>{@link #maxAbs maxabs}</td><td>{@code x / max|x|}</td><td>{@code y * max|x|}</td>
 *       <td>{@code MaxAbsScaler}</td></tr>
 *   <tr><td>{@link #robust robust}</td><td>{@code (x - median) / (q_hi - q_lo)}</td>
 *       <td>{@code y * scale + median}</td><td>{@code RobustScaler(with_centering, with_scaling,
 *       quantile_range, unit_variance)}</td></tr>
 * </table>
 *
 * <p>A constant feature's divisor comes from the {@link ZeroVariancePolicy}; where it is Spark's multiplier 0 the
 * forward output is {@code (x - center) * 0} (or the middle of the range for minmax) and the inverse gives back
 * the center (the min for minmax). NaN stays NaN in both directions.
 */
public final class FeatureScaler {
    private static final byte NORMAL = 0;
    private static final byte ZERO = 1;
    private static final byte MIDDLE = 2;

    private final double[] center;
    private final double[] scale;
    private final byte[] mode;
    private final boolean centered;
    private final boolean affine;
    private final boolean clip;
    private final double lo;
    private final double hi;

    private FeatureScaler(double[] center, double[] scale, byte[] mode, boolean centered, boolean affine,
            boolean clip, double lo, double hi) {
        this.center = center;
        this.scale = scale;
        this.mode = mode;
        this.centered = centered;
        this.affine = affine;
        this.clip = clip;
        this.lo = lo;
        this.hi = hi;
    }

    /**
     * scikit-learn's {@code StandardScaler}: {@code (x - mean) / scale} with the policy's divisor of
     * {@link ZeroVariancePolicy#standardDivisor}.
     *
     * @param mean per-feature means
     * @param variance per-feature variances (of the estimator the caller chose)
     * @param counts per-feature counts of non-missing values (used by the SKLEARN constant-feature test)
     * @param withMean subtract the mean (scikit-learn's {@code with_mean}, default true)
     * @param withStd divide by the scale (scikit-learn's {@code with_std}, default true)
     */
    public static FeatureScaler standard(double[] mean, double[] variance, long[] counts, boolean withMean,
            boolean withStd, ZeroVariancePolicy policy) {
        int f = check(mean, "mean", variance, "variance");
        Objects.requireNonNull(counts, "counts must not be null");
        if (counts.length != f) {
            throw new IllegalArgumentException("counts has " + counts.length + " entries: expected " + f);
        }
        Objects.requireNonNull(policy, "policy must not be null");
        double[] c = withMean ? mean.clone() : new double[f];
        double[] s = new double[f];
        byte[] m = new byte[f];
        for (int j = 0; j < f; j++) {
            s[j] = withStd ? policy.standardDivisor(variance[j], mean[j], counts[j]) : 1.0;
            if (s[j] == 0) {
                m[j] = ZERO;
            }
        }
        return new FeatureScaler(c, s, m, withMean, false, false, 0, 0);
    }

    /**
     * scikit-learn's {@code MinMaxScaler(feature_range=(lo, hi), clip)}: {@code x * scale + min_} with
     * {@code scale = (hi - lo) / divisor(max - min)} and {@code min_ = lo - min * scale}; where the policy gives
     * Spark's multiplier 0 the output is the middle of the range, {@code 0.5 * (hi - lo) + lo}.
     *
     * @throws IllegalArgumentException unless {@code lo < hi}, both finite
     */
    public static FeatureScaler minMax(double[] min, double[] max, double lo, double hi, boolean clip,
            ZeroVariancePolicy policy) {
        int f = check(min, "min", max, "max");
        Objects.requireNonNull(policy, "policy must not be null");
        if (!(lo < hi) || Double.isInfinite(lo) || Double.isInfinite(hi)) {
            throw new IllegalArgumentException("feature_range = (" + lo + ", " + hi + "): expected finite lo < hi "
                    + "(minimum of desired feature range must be smaller than maximum)");
        }
        double[] offset = new double[f];
        double[] s = new double[f];
        byte[] m = new byte[f];
        for (int j = 0; j < f; j++) {
            double d = policy.spreadDivisor(max[j] - min[j]);
            if (d == 0) {
                m[j] = MIDDLE;
                s[j] = 1.0;
                offset[j] = min[j];
            } else {
                s[j] = (hi - lo) / d;
                offset[j] = lo - min[j] * s[j];
            }
        }
        return new FeatureScaler(offset, s, m, true, true, clip, lo, hi);
    }

    /** scikit-learn's {@code MaxAbsScaler}: {@code x / divisor(max(|min|, |max|))}. */
    public static FeatureScaler maxAbs(double[] min, double[] max, ZeroVariancePolicy policy) {
        int f = check(min, "min", max, "max");
        Objects.requireNonNull(policy, "policy must not be null");
        double[] s = new double[f];
        byte[] m = new byte[f];
        for (int j = 0; j < f; j++) {
            s[j] = policy.spreadDivisor(Math.max(Math.abs(min[j]), Math.abs(max[j])));
            if (s[j] == 0) {
                m[j] = ZERO;
            }
        }
        return new FeatureScaler(new double[f], s, m, false, false, false, 0, 0);
    }

    /**
     * scikit-learn's {@code RobustScaler}: {@code (x - median) / divisor(q_hi - q_lo)}, the divisor further
     * divided by {@code Phi^-1(q_hi / 100) - Phi^-1(q_lo / 100)} with {@code unitVariance}.
     *
     * @param median per-feature medians (ignored without centering; may then be null)
     * @param qLow per-feature lower quantiles (ignored without scaling; may then be null)
     * @param qHigh per-feature upper quantiles
     * @param quantileRange the percentiles {@code (q_lo, q_hi)}, {@code 0 <= q_lo < q_hi <= 100}
     */
    public static FeatureScaler robust(double[] median, double[] qLow, double[] qHigh, double[] quantileRange,
            boolean withCentering, boolean withScaling, boolean unitVariance, ZeroVariancePolicy policy) {
        Objects.requireNonNull(policy, "policy must not be null");
        checkQuantileRange(quantileRange);
        int f = withScaling ? check(qLow, "q_low", qHigh, "q_high")
                : check(median, "median", median, "median");
        if (withCentering && withScaling && median.length != f) {
            throw new IllegalArgumentException("median has " + median.length + " entries: expected " + f);
        }
        double[] c = withCentering ? median.clone() : new double[f];
        double[] s = new double[f];
        byte[] m = new byte[f];
        double adjust = unitVariance ? NormalQuantile.ppf(quantileRange[1] / 100.0)
                - NormalQuantile.ppf(quantileRange[0] / 100.0) : 1.0;
        for (int j = 0; j < f; j++) {
            if (!withScaling) {
                s[j] = 1.0;
                continue;
            }
            s[j] = policy.spreadDivisor(qHigh[j] - qLow[j]);
            if (s[j] == 0) {
                m[j] = ZERO;
            } else if (unitVariance) {
                s[j] = s[j] / adjust;
            }
        }
        return new FeatureScaler(c, s, m, withCentering, false, false, 0, 0);
    }

    /**
     * Checks a quantile range {@code (q_lo, q_hi)} in percent.
     *
     * @throws IllegalArgumentException unless it has two entries with {@code 0 <= q_lo < q_hi <= 100}
     */
    public static void checkQuantileRange(double[] quantileRange) {
        Objects.requireNonNull(quantileRange, "quantileRange must not be null");
        if (quantileRange.length != 2 || !(0 <= quantileRange[0] && quantileRange[0] < quantileRange[1]
                && quantileRange[1] <= 100)) {
            throw new IllegalArgumentException("quantile_range = " + Arrays.toString(quantileRange)
                    + ": expected (q_lo, q_hi) with 0 <= q_lo < q_hi <= 100");
        }
    }

    private static int check(double[] a, String an, double[] b, String bn) {
        Objects.requireNonNull(a, an + " must not be null");
        Objects.requireNonNull(b, bn + " must not be null");
        if (a.length != b.length || a.length == 0) {
            throw new IllegalArgumentException(an + " has " + a.length + " entries and " + bn + " " + b.length
                    + ": expected one equal length >= 1");
        }
        return a.length;
    }

    /** The number of features. */
    public int features() {
        return scale.length;
    }

    /**
     * Per-feature centers subtracted before dividing (the mean, the median; 0 where not centering); for
     * minmax, scikit-learn's {@code min_}, added after multiplying.
     */
    public double[] center() {
        return center.clone();
    }

    /**
     * Per-feature divisors (standard, maxabs, robust: scikit-learn's {@code scale_}) or, for minmax, multipliers
     * (its {@code scale_}); 0 marks Spark's multiplier 0.
     */
    public double[] scale() {
        double[] s = scale.clone();
        for (int j = 0; j < s.length; j++) {
            if (mode[j] != NORMAL) {
                s[j] = 0;
            }
        }
        return s;
    }

    /** Transforms the value {@code x} of feature {@code j}. */
    public double apply(int j, double x) {
        if (mode[j] != NORMAL) {
            if (mode[j] == MIDDLE) {
                return x == x ? 0.5 * (hi - lo) + lo : x;
            }
            return (x - center[j]) * 0.0;
        }
        if (affine) {
            double y = x * scale[j] + center[j];
            return clip ? Math.min(Math.max(y, lo), hi) : y;
        }
        return centered ? (x - center[j]) / scale[j] : x / scale[j];
    }

    /** Undoes {@link #apply} for the value {@code y} of feature {@code j}. */
    public double invert(int j, double y) {
        if (mode[j] != NORMAL) {
            return center[j] + y * 0.0; // the center (the min for minmax), NaN for an infinite or NaN y
        }
        if (affine) {
            return (y - center[j]) / scale[j];
        }
        return centered ? y * scale[j] + center[j] : y * scale[j];
    }

    /**
     * Transforms (or inverts) {@code rows} rows of {@code data} in place: row-major with {@code stride} values
     * per row, where feature {@code j} is at column {@code columns[j]}.
     */
    public void apply(double[] data, int rows, int stride, int[] columns, boolean inverse) {
        Objects.requireNonNull(data, "data must not be null");
        if (columns.length != features()) {
            throw new IllegalArgumentException("columns has " + columns.length + " entries: expected "
                    + features());
        }
        if ((long) rows * stride > data.length) {
            throw new IllegalArgumentException(rows + " rows of " + stride + " values need " + (long) rows * stride
                    + " but data has " + data.length);
        }
        for (int i = 0; i < rows; i++) {
            int b = i * stride;
            for (int j = 0; j < columns.length; j++) {
                int k = b + columns[j];
                data[k] = inverse ? invert(j, data[k]) : apply(j, data[k]);
            }
        }
    }
}
