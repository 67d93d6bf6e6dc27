package org.norm4j.stats.sketch;

import java.util.Objects;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;
import org.norm4j.stats.ExactQuantiles;
import org.norm4j.stats.NanPolicy;

/**
 * Approximate per-feature medians and percentiles in bounded memory, one Apache DataSketches KLL sketch
 * ({@code KllDoublesSketch}) per feature: what {@code norm4j fit -m robust} falls back to when the values for
 * {@link ExactQuantiles} exceed the memory budget. The error is in rank: a returned quantile {@code v} for the
 * fraction {@code q} has a true normalized rank within {@code q +- normalizedRankError()} with 99% confidence
 * (about 0.0133 for the default {@code k = 200}, 0.0017 for {@code k = 2000}); the sketch of a feature takes a few
 * KiB whatever the number of values. The values are not interpolated (a quantile is one of the values seen), so
 * even on small data the results differ from NumPy's {@code 'linear'} percentiles.
 */
public final class KllQuantiles {
    /** The default accuracy parameter {@code k} of the sketches. */
    public static final int DEFAULT_K = 200;

    private final int k;
    private final NanPolicy nanPolicy;
    private final KllDoublesSketch[] sketches;
    private final boolean[] sawNaN;

    /**
     * Empty sketches for {@code features} features.
     *
     * @param k the KLL accuracy parameter, in [8, 65535]
     */
    public KllQuantiles(int features, int k, NanPolicy nanPolicy) {
        if (features < 1) {
            throw new IllegalArgumentException("features = " + features + ": expected >= 1");
        }
        if (k < 8 || k > 65535) {
            throw new IllegalArgumentException("k = " + k + ": expected a KLL accuracy parameter in [8, 65535]");
        }
        this.k = k;
        this.nanPolicy = Objects.requireNonNull(nanPolicy, "nanPolicy must not be null");
        this.sketches = new KllDoublesSketch[features];
        for (int j = 0; j < features; j++) {
            sketches[j] = KllDoublesSketch.newHeapInstance(k);
        }
        this.sawNaN = new boolean[features];
    }

    /** Sketches holding every value an exact accumulator kept (to continue in bounded memory). */
    public static KllQuantiles of(ExactQuantiles exact, int k) {
        KllQuantiles q = new KllQuantiles(exact.features(), k, exact.nanPolicy());
        for (int j = 0; j < exact.features(); j++) {
            KllDoublesSketch s = q.sketches[j];
            exact.forEachValue(j, s::update);
            q.sawNaN[j] = exact.sawNaN(j);
        }
        return q;
    }

    /** The accuracy parameter. */
    public int k() {
        return k;
    }

    /** The normalized rank error of a single quantile, at 99% confidence (DataSketches' a priori bound). */
    public double normalizedRankError() {
        return KllDoublesSketch.getNormalizedRankError(k, false);
    }

    /** Adds {@code rows} rows stored row-major in {@code data}. */
    public KllQuantiles update(double[] data, int rows) {
        int f = sketches.length;
        Objects.requireNonNull(data, "data must not be null");
        if (rows < 0 || (long) rows * f > data.length) {
            throw new IllegalArgumentException("rows = " + rows + " with " + f + " features needs " + (long) rows * f
                    + " values but data has " + data.length);
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0, b = i * f; j < f; j++) {
                double v = data[b + j];
                if (v != v) {
                    sawNaN[j] = true;
                } else {
                    sketches[j].update(v);
                }
            }
        }
        return this;
    }

    private boolean undefined(int j) {
        return sketches[j].isEmpty() || sawNaN[j] && nanPolicy == NanPolicy.PROPAGATE;
    }

    /** The approximate {@code q}-th percentile of feature {@code j} (NaN without values). */
    public double percentile(int j, double q) {
        if (!(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("q = " + q + ": expected a percentile in [0, 100]");
        }
        return undefined(j) ? Double.NaN : sketches[j].getQuantile(q / 100, QuantileSearchCriteria.INCLUSIVE);
    }

    /** Per-feature {@link #percentile}s. */
    public double[] percentile(double q) {
        double[] r = new double[sketches.length];
        for (int j = 0; j < r.length; j++) {
            r[j] = percentile(j, q);
        }
        return r;
    }

    /** Per-feature approximate medians. */
    public double[] median() {
        return percentile(50);
    }
}
