package org.norm4j.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * Exact per-feature medians and percentiles, as NumPy computes them ({@code np.nanmedian},
 * {@code np.nanpercentile} with the default {@code 'linear'} method), over data that arrives in chunks. Every
 * non-missing value is kept (8 bytes each, see {@link #bytes()}), so the caller decides how much data fits its
 * memory budget; merging two accumulators is exact and independent of the order (the values are sorted before
 * any quantile is read). This is what the robust scaler fits.
 *
 * <p>Under {@link NanPolicy#IGNORE} NaN values are skipped (scikit-learn's {@code RobustScaler}); under
 * {@link NanPolicy#PROPAGATE} a feature with a NaN has NaN quantiles.
 */
public final class ExactQuantiles {
    private final int features;
    private final NanPolicy nanPolicy;
    private final double[][] values;
    private final int[] sizes;
    private final boolean[] sawNaN;
    private final boolean[] sorted;

    /** An empty accumulator for {@code features} features. */
    public ExactQuantiles(int features, NanPolicy nanPolicy) {
        if (features < 1) {
            throw new IllegalArgumentException("features = " + features + ": expected >= 1");
        }
        this.features = features;
        this.nanPolicy = Objects.requireNonNull(nanPolicy, "nanPolicy must not be null");
        this.values = new double[features][16];
        this.sizes = new int[features];
        this.sawNaN = new boolean[features];
        this.sorted = new boolean[features];
    }

    /** The number of features. */
    public int features() {
        return features;
    }

    /** Whether NaN propagates into the quantiles or is skipped. */
    public NanPolicy nanPolicy() {
        return nanPolicy;
    }

    /** Whether feature {@code j} saw a NaN. */
    public boolean sawNaN(int j) {
        return sawNaN[j];
    }

    /** Passes every kept value of feature {@code j} to {@code action} (in no particular order). */
    public void forEachValue(int j, java.util.function.DoubleConsumer action) {
        Objects.requireNonNull(action, "action must not be null");
        for (int i = 0; i < sizes[j]; i++) {
            action.accept(values[j][i]);
        }
    }

    /** Per feature, the number of non-missing values kept. */
    public long[] counts() {
        long[] c = new long[features];
        for (int j = 0; j < features; j++) {
            c[j] = sizes[j];
        }
        return c;
    }

    /** The bytes the kept values take (8 per value). */
    public long bytes() {
        long n = 0;
        for (int s : sizes) {
            n += s;
        }
        return 8 * n;
    }

    /** Adds {@code rows} rows stored row-major in {@code data} ({@code rows * features} values). */
    public ExactQuantiles update(double[] data, int rows) {
        Objects.requireNonNull(data, "data must not be null");
        if (rows < 0 || (long) rows * features > data.length) {
            throw new IllegalArgumentException("rows = " + rows + " with " + features + " features needs "
                    + ((long) rows * features) + " values but data has " + data.length);
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0, b = i * features; j < features; j++) {
                add(j, data[b + j]);
            }
        }
        return this;
    }

    private void add(int j, double v) {
        if (v != v) {
            sawNaN[j] = true;
            return;
        }
        if (sizes[j] == values[j].length) {
            if (sizes[j] == Integer.MAX_VALUE - 8) {
                throw new IllegalStateException("feature " + j + " holds " + sizes[j] + " values: expected at most "
                        + (Integer.MAX_VALUE - 8) + " for exact quantiles");
            }
            values[j] = Arrays.copyOf(values[j], (int) Math.min(Integer.MAX_VALUE - 8L, 2L * sizes[j]));
        }
        values[j][sizes[j]++] = v;
        sorted[j] = false;
    }

    /** Adds another accumulator's values (exact; the result does not depend on the order of merges). */
    public ExactQuantiles merge(ExactQuantiles other) {
        Objects.requireNonNull(other, "other must not be null");
        if (other.features != features || other.nanPolicy != nanPolicy) {
            throw new IllegalArgumentException("other has " + other.features + " features and nan_policy "
                    + other.nanPolicy.configName() + ": expected " + features + " and " + nanPolicy.configName());
        }
        for (int j = 0; j < features; j++) {
            for (int i = 0; i < other.sizes[j]; i++) {
                add(j, other.values[j][i]);
            }
            sawNaN[j] |= other.sawNaN[j];
        }
        return this;
    }

    private double[] sortedValues(int j) {
        if (!sorted[j]) {
            Arrays.sort(values[j], 0, sizes[j]);
            sorted[j] = true;
        }
        return values[j];
    }

    private boolean undefined(int j) {
        return sizes[j] == 0 || sawNaN[j] && nanPolicy == NanPolicy.PROPAGATE;
    }

    /**
     * The {@code q}-th percentile of feature {@code j}, NumPy's {@code 'linear'} method: with
     * {@code h = (n - 1) * (q / 100)}, {@code g = h - floor(h)} and the sorted values {@code a = v[floor(h)]},
     * {@code b = v[floor(h) + 1]}, it is {@code a + (b - a) * g} for {@code g < 0.5} and
     * {@code b - (b - a) * (1 - g)} otherwise. NaN for a feature without values.
     */
    public double percentile(int j, double q) {
        if (!(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("q = " + q + ": expected a percentile in [0, 100]");
        }
        if (undefined(j)) {
            return Double.NaN;
        }
        double[] v = sortedValues(j);
        int n = sizes[j];
        double h = (n - 1) * (q / 100);
        if (h >= n - 1) {
            return v[n - 1];
        }
        int i = (int) Math.floor(h);
        double g = h - i;
        double a = v[i];
        double b = v[i + 1];
        double d = b - a;
        return g >= 0.5 ? b - d * (1 - g) : a + d * g;
    }

    /** Per-feature {@link #percentile}s. */
    public double[] percentile(double q) {
        double[] r = new double[features];
        for (int j = 0; j < features; j++) {
            r[j] = percentile(j, q);
        }
        return r;
    }

    /**
     * The median of feature {@code j} as NumPy computes it: the middle value, or the mean {@code (a + b) / 2} of
     * the two middle values. NaN for a feature without values.
     */
    public double median(int j) {
        if (undefined(j)) {
            return Double.NaN;
        }
        double[] v = sortedValues(j);
        int n = sizes[j];
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Per-feature {@link #median}s. */
    public double[] median() {
        double[] r = new double[features];
        for (int j = 0; j < features; j++) {
            r[j] = median(j);
        }
        return r;
    }
}
