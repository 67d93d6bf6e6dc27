package org.norm4j.stats;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Objects;
import org.norm4j.Tensor;
import org.norm4j.kernel.Reduce;
import org.norm4j.kernel.ReductionPlan;

/**
 * Per-feature count, mean, centred sum of squares (M2), minimum and maximum, accumulated in float64 over
 * data that arrives in any number of chunks, and mergeable across workers. Chunks are reduced with the
 * two-pass kernels and folded in with the pairwise update of Chan, Golub and LeVeque (1979), so the result
 * is the same, to rounding, whether the data comes at once, in chunks, or as partial states merged in any
 * tree; and it stays accurate when the mean is large against the spread (no E[x^2] - E[x]^2).
 *
 * <p>This is the engine behind Keras-style {@code Normalization.adapt}, the {@code norm4j fit} command and
 * distributed fitting. By default NaN values propagate (the mean, variance, min and max of a feature with a NaN
 * are NaN), as in NumPy and TensorFlow; with {@link NanPolicy#IGNORE} they are skipped, as scikit-learn does,
 * and each feature keeps its own count of non-missing values ({@link #counts()}).
 *
 * <pre>{@code
 * StreamingMoments s = new StreamingMoments(3);
 * s.update(Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}}));
 * s.variance(0);   // population variance, [2.25, 2.25, 2.25]
 * }</pre>
 */
public final class StreamingMoments {
    private static final int MAGIC = 0x4e344d53; // "N4MS"
    private static final int VERSION = 2;

    private final int features;
    private final NanPolicy nanPolicy;
    private long count;
    private final long[] counts;
    private final double[] mean;
    private final double[] m2;
    private final double[] min;
    private final double[] max;

    /**
     * An empty accumulator in which NaN propagates.
     *
     * @param features number of features (columns), {@code >= 1}
     */
    public StreamingMoments(int features) {
        this(features, NanPolicy.PROPAGATE);
    }

    /**
     * An empty accumulator.
     *
     * @param features number of features (columns), {@code >= 1}
     * @param nanPolicy whether NaN propagates (NumPy, TensorFlow) or is skipped (scikit-learn)
     */
    public StreamingMoments(int features, NanPolicy nanPolicy) {
        if (features < 1) {
            throw new IllegalArgumentException("features = " + features + ": expected >= 1");
        }
        this.features = features;
        this.nanPolicy = Objects.requireNonNull(nanPolicy, "nanPolicy must not be null");
        this.counts = new long[features];
        this.mean = new double[features];
        this.m2 = new double[features];
        this.min = new double[features];
        this.max = new double[features];
        Arrays.fill(min, Double.POSITIVE_INFINITY);
        Arrays.fill(max, Double.NEGATIVE_INFINITY);
    }

    /**
     * The saved form of an accumulator: what {@link #state()} returns and {@link #fromState} accepts.
     *
     * @param count rows seen
     * @param counts per feature, the non-missing values seen ({@code count} everywhere under PROPAGATE)
     */
    public record State(long count, long[] counts, double[] mean, double[] m2, double[] min, double[] max,
            NanPolicy nanPolicy) {
        /** A state in which NaN propagates (every feature counts every row). */
        public State(long count, double[] mean, double[] m2, double[] min, double[] max) {
            this(count, filled(Objects.requireNonNull(mean, "mean must not be null").length, count), mean, m2, min,
                    max, NanPolicy.PROPAGATE);
        }

        /**
         * Checks that the arrays are present and of one length, the count is not negative and each per-feature
         * count lies in {@code [0, count]} (equal to it under PROPAGATE).
         */
        public State {
            Objects.requireNonNull(counts, "counts must not be null");
            Objects.requireNonNull(nanPolicy, "nanPolicy must not be null");
            Objects.requireNonNull(mean, "mean must not be null");
            Objects.requireNonNull(m2, "m2 must not be null");
            Objects.requireNonNull(min, "min must not be null");
            Objects.requireNonNull(max, "max must not be null");
            if (count < 0) {
                throw new IllegalArgumentException("count = " + count + ": expected >= 0");
            }
            int f = mean.length;
            if (f < 1 || m2.length != f || min.length != f || max.length != f || counts.length != f) {
                throw new IllegalArgumentException("state arrays have lengths mean=" + mean.length + ", m2="
                        + m2.length + ", min=" + min.length + ", max=" + max.length + ", counts=" + counts.length
                        + ": expected one equal length >= 1");
            }
            for (int j = 0; j < f; j++) {
                if (counts[j] < 0 || counts[j] > count || nanPolicy == NanPolicy.PROPAGATE && counts[j] != count) {
                    throw new IllegalArgumentException("counts[" + j + "] = " + counts[j] + " with count " + count
                            + ": expected " + (nanPolicy == NanPolicy.PROPAGATE ? "count (NaN propagates)"
                            : "a value in [0, count]"));
                }
            }
        }

        private static long[] filled(int n, long v) {
            long[] a = new long[n];
            Arrays.fill(a, v);
            return a;
        }
    }

    /** Whether NaN propagates or is skipped. */
    public NanPolicy nanPolicy() {
        return nanPolicy;
    }

    /** Per feature, the number of non-missing values seen ({@link #count()} everywhere under PROPAGATE). */
    public long[] counts() {
        return counts.clone();
    }

    /** Number of features. */
    public int features() {
        return features;
    }

    /** Number of rows seen. */
    public long count() {
        return count;
    }

    /** Per-feature means (NaN for a feature without values). */
    public double[] mean() {
        double[] m = mean.clone();
        for (int j = 0; j < features; j++) {
            if (counts[j] == 0) {
                m[j] = Double.NaN;
            }
        }
        return m;
    }

    /** Per-feature centred sums of squares. */
    public double[] m2() {
        return m2.clone();
    }

    /** Per-feature minima (+Infinity before any data). */
    public double[] min() {
        return min.clone();
    }

    /** Per-feature maxima (-Infinity before any data). */
    public double[] max() {
        return max.clone();
    }

    /**
     * Per-feature variance {@code M2 / (count - ddof)}: {@code ddof = 0} is the population (biased) variance
     * of Keras, TensorFlow and scikit-learn, {@code ddof = 1} the sample variance of Spark and pandas.
     * NaN when {@code count <= ddof}; {@code count} is the feature's own count of non-missing values.
     */
    public double[] variance(int ddof) {
        if (ddof < 0) {
            throw new IllegalArgumentException("ddof = " + ddof + ": expected >= 0");
        }
        double[] v = new double[features];
        for (int j = 0; j < features; j++) {
            v[j] = counts[j] > ddof ? m2[j] / (counts[j] - ddof) : Double.NaN;
        }
        return v;
    }

    /** Adds one row of {@code features} values (Welford's update). */
    public StreamingMoments update(double[] row) {
        Objects.requireNonNull(row, "row must not be null");
        if (row.length != features) {
            throw new IllegalArgumentException("row has " + row.length + " values: expected " + features);
        }
        count++;
        boolean skip = nanPolicy == NanPolicy.IGNORE;
        for (int j = 0; j < features; j++) {
            if (skip && Double.isNaN(row[j])) {
                continue;
            }
            long n = ++counts[j];
            double d = row[j] - mean[j];
            mean[j] += d / n;
            m2[j] += d * (row[j] - mean[j]);
            min[j] = Math.min(min[j], row[j]);
            max[j] = Math.max(max[j], row[j]);
        }
        return this;
    }

    /**
     * Adds a chunk: a tensor whose trailing dimensions hold the features, e.g. {@code [rows, features]}
     * (any leading dimensions are rows).
     */
    public StreamingMoments update(Tensor chunk) {
        Objects.requireNonNull(chunk, "chunk must not be null");
        if (chunk.size() % features != 0 || chunk.rank() == 0) {
            throw new IllegalArgumentException("chunk of shape " + chunk.shape() + " does not hold rows of "
                    + features + " features: expected a shape like (rows, " + features + ")");
        }
        return updateRaw(chunk.raw(), chunk.size() / features);
    }

    /** Adds {@code rows} rows stored row-major in {@code data} ({@code rows * features} values). */
    public StreamingMoments update(double[] data, int rows) {
        checkChunk(data == null ? -1 : data.length, rows);
        return updateRaw(data, rows);
    }

    /** Adds {@code rows} rows stored row-major in {@code data}. */
    public StreamingMoments update(float[] data, int rows) {
        checkChunk(data == null ? -1 : data.length, rows);
        return updateRaw(data, rows);
    }

    private void checkChunk(int length, int rows) {
        if (length < 0) {
            throw new NullPointerException("data must not be null");
        }
        if (rows < 0 || (long) rows * features > length) {
            throw new IllegalArgumentException("rows = " + rows + " with " + features + " features needs "
                    + ((long) rows * features) + " values but data has " + length);
        }
    }

    private StreamingMoments updateRaw(Object data, int rows) {
        if (rows == 0) {
            return this;
        }
        if (nanPolicy == NanPolicy.IGNORE && hasNaN(data, rows * features)) {
            updateSkippingNaN(data, rows);
            return this;
        }
        ReductionPlan plan = ReductionPlan.of(new int[] {rows, features}, new int[] {0});
        double[][] mm = Reduce.moments(data, plan);
        double[] mn = Reduce.extreme(data, plan, false);
        double[] mx = Reduce.extreme(data, plan, true);
        correct(data, rows, mm[0], mm[1]);
        long[] nb = new long[features];
        Arrays.fill(nb, rows);
        mergeInto(rows, nb, mm[0], mm[1], mn, mx);
        return this;
    }

    /**
     * The corrected two-pass formula (Chan, Golub and LeVeque 1983, as scikit-learn's
     * {@code _incremental_mean_and_var}): {@code M2 -= (sum(x - mean))^2 / n}, which removes the error of a mean
     * that is off by its rounding (it matters where the spread is a few ulps of a large mean).
     */
    private void correct(Object data, int rows, double[] mu, double[] m2b) {
        double[] c = new double[features];
        if (data instanceof float[]) {
            float[] f = (float[]) data;
            for (int i = 0, b = 0; i < rows; i++, b += features) {
                for (int j = 0; j < features; j++) {
                    c[j] += f[b + j] - mu[j];
                }
            }
        } else {
            double[] d = (double[]) data;
            for (int i = 0, b = 0; i < rows; i++, b += features) {
                for (int j = 0; j < features; j++) {
                    c[j] += d[b + j] - mu[j];
                }
            }
        }
        for (int j = 0; j < features; j++) {
            double fix = c[j] * c[j] / rows;
            if (fix > 0) { // NaN (propagating) and 0 leave M2 as it is
                m2b[j] = Math.max(0, m2b[j] - fix);
            }
        }
    }

    private static boolean hasNaN(Object data, int n) {
        if (data instanceof float[]) {
            float[] f = (float[]) data;
            for (int i = 0; i < n; i++) {
                if (f[i] != f[i]) {
                    return true;
                }
            }
            return false;
        }
        double[] d = (double[]) data;
        for (int i = 0; i < n; i++) {
            if (d[i] != d[i]) {
                return true;
            }
        }
        return false;
    }

    /** A chunk with NaN under IGNORE: per feature, two passes over its non-missing values, then Chan's merge. */
    private void updateSkippingNaN(Object data, int rows) {
        double[] x;
        if (data instanceof float[]) {
            float[] f = (float[]) data;
            x = new double[rows * features];
            for (int i = 0; i < x.length; i++) {
                x[i] = f[i];
            }
        } else {
            x = (double[]) data;
        }
        long[] n = new long[features];
        double[] sum = new double[features];
        double[] mn = new double[features];
        double[] mx = new double[features];
        Arrays.fill(mn, Double.POSITIVE_INFINITY);
        Arrays.fill(mx, Double.NEGATIVE_INFINITY);
        for (int i = 0; i < rows; i++) {
            for (int j = 0, b = i * features; j < features; j++) {
                double v = x[b + j];
                if (v == v) {
                    n[j]++;
                    sum[j] += v;
                    mn[j] = Math.min(mn[j], v);
                    mx[j] = Math.max(mx[j], v);
                }
            }
        }
        double[] mu = new double[features];
        for (int j = 0; j < features; j++) {
            mu[j] = n[j] == 0 ? 0 : sum[j] / n[j];
        }
        double[] m2b = new double[features];
        double[] corr = new double[features];
        for (int i = 0; i < rows; i++) {
            for (int j = 0, b = i * features; j < features; j++) {
                double v = x[b + j];
                if (v == v) {
                    double d = v - mu[j];
                    m2b[j] += d * d;
                    corr[j] += d;
                }
            }
        }
        for (int j = 0; j < features; j++) { // the corrected two-pass formula (Chan, Golub, LeVeque 1983)
            m2b[j] = n[j] == 0 ? 0 : Math.max(0, m2b[j] - corr[j] * corr[j] / n[j]);
        }
        mergeInto(rows, n, mu, m2b, mn, mx);
    }

    /**
     * Folds another accumulator's state into this one (Chan et al.'s pairwise formula, written symmetrically:
     * {@code mean = mean_a * (n_a / n) + mean_b * (n_b / n)}, {@code M2 = M2_a + M2_b + delta^2 * n_a * n_b / n}),
     * so merging two partial results gives the same bits in either order; merges of three or more parts agree
     * to rounding whatever the tree.
     */
    public StreamingMoments merge(StreamingMoments other) {
        Objects.requireNonNull(other, "other must not be null");
        if (other.features != features) {
            throw new IllegalArgumentException("other has " + other.features + " features: expected "
                    + features);
        }
        if (other.nanPolicy != nanPolicy) {
            throw new IllegalArgumentException("other has nan_policy " + other.nanPolicy.configName()
                    + ": expected " + nanPolicy.configName() + " (the same as this accumulator)");
        }
        if (other.count > 0) {
            mergeInto(other.count, other.counts, other.mean, other.m2, other.min, other.max);
        }
        return this;
    }

    private void mergeInto(long rows, long[] nbs, double[] meanB, double[] m2B, double[] minB, double[] maxB) {
        for (int j = 0; j < features; j++) {
            long na = counts[j];
            long nb = nbs[j];
            long n = na + nb;
            if (nb == 0) {
                continue;
            }
            if (na == 0) {
                mean[j] = meanB[j];
                m2[j] = m2B[j];
            } else {
                // symmetric in the two sides, so a.merge(b) and b.merge(a) agree to the bit
                double delta = meanB[j] - mean[j];
                double m2New = m2[j] + m2B[j] + delta * delta * ((double) na * nb / n);
                if (delta != 0) { // equal means (a constant feature) stay exact
                    mean[j] = mean[j] * ((double) na / n) + meanB[j] * ((double) nb / n);
                }
                m2[j] = m2New;
            }
            min[j] = Math.min(min[j], minB[j]);
            max[j] = Math.max(max[j], maxB[j]);
            counts[j] = n;
        }
        count += rows;
    }

    /** A copy of the state, for saving. */
    public State state() {
        return new State(count, counts.clone(), mean.clone(), m2.clone(), min.clone(), max.clone(), nanPolicy);
    }

    /** An accumulator restored from a saved state. */
    public static StreamingMoments fromState(State s) {
        Objects.requireNonNull(s, "state must not be null");
        StreamingMoments m = new StreamingMoments(s.mean().length, s.nanPolicy());
        m.count = s.count();
        System.arraycopy(s.counts(), 0, m.counts, 0, m.features);
        System.arraycopy(s.mean(), 0, m.mean, 0, m.features);
        System.arraycopy(s.m2(), 0, m.m2, 0, m.features);
        System.arraycopy(s.min(), 0, m.min, 0, m.features);
        System.arraycopy(s.max(), 0, m.max, 0, m.features);
        return m;
    }

    /**
     * The state as bytes, exact to the bit: magic, version 2, count, features, the NaN policy (0 propagate,
     * 1 ignore), the per-feature counts, then mean, m2, min and max.
     */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(24 + 40 * features);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeLong(count);
            out.writeInt(features);
            out.writeInt(nanPolicy.ordinal());
            for (long c : counts) {
                out.writeLong(c);
            }
            for (double[] a : new double[][] {mean, m2, min, max}) {
                for (double v : a) {
                    out.writeDouble(v);
                }
            }
        } catch (IOException e) {
            throw new AssertionError("in-memory stream", e);
        }
        return bytes.toByteArray();
    }

    /**
     * Restores an accumulator written by {@link #toBytes()} (version 2, or version 1 of earlier releases:
     * NaN propagating, no per-feature counts).
     *
     * @throws IllegalArgumentException on a wrong magic number, an unknown version, truncated bytes or an
     *     inconsistent state
     */
    public static StreamingMoments fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes must not be null");
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new IllegalArgumentException(String.format(
                        "magic number 0x%08x: expected 0x%08x (not a StreamingMoments state)", magic, MAGIC));
            }
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new IllegalArgumentException("state version " + version + ": expected 1 or " + VERSION);
            }
            long count = in.readLong();
            int f = in.readInt();
            long expected = version == 1 ? (long) f * 32 + 20 : (long) f * 40 + 24;
            if (f < 1 || expected != bytes.length) {
                throw new IllegalArgumentException("state declares " + f + " features but has " + bytes.length
                        + " bytes: expected " + expected);
            }
            NanPolicy policy = NanPolicy.PROPAGATE;
            long[] counts = new long[f];
            Arrays.fill(counts, count);
            if (version > 1) {
                int p = in.readInt();
                if (p < 0 || p >= NanPolicy.values().length) {
                    throw new IllegalArgumentException("state NaN policy " + p + ": expected 0 (propagate) or 1 "
                            + "(ignore)");
                }
                policy = NanPolicy.values()[p];
                for (int j = 0; j < f; j++) {
                    counts[j] = in.readLong();
                }
            }
            double[][] arrays = new double[4][f];
            for (double[] a : arrays) {
                for (int j = 0; j < f; j++) {
                    a[j] = in.readDouble();
                }
            }
            return fromState(new State(count, counts, arrays[0], arrays[1], arrays[2], arrays[3], policy));
        } catch (IOException e) {
            throw new IllegalArgumentException("state bytes are truncated (" + bytes.length + " bytes)", e);
        }
    }

    @Override
    public String toString() {
        return "StreamingMoments[features=" + features + ", count=" + count + ", mean=" + Arrays.toString(mean())
                + ", variance=" + Arrays.toString(variance(0)) + "]";
    }
}
