package org.norm4j.spark;

import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.norm4j.stats.NanPolicy;

/**
 * Exact order statistics of features too large to bring to the driver: a radix selection over the 64-bit
 * order-preserving key of each double, 16 bits per pass (4 passes). Each pass counts, per feature and per wanted
 * rank, the values whose key starts with the prefix found so far, by their next 16 bits; counts are integers,
 * summed across partitions, so the result is exact and does not depend on the partitioning. Memory: 512 KiB per
 * feature and wanted rank per partition (at most 6 ranks: two each for the median and the two quantiles).
 *
 * <p>The percentiles are then formed from the selected values with NumPy's {@code 'linear'} method, the same
 * arithmetic as {@code org.norm4j.stats.ExactQuantiles}, so the result is the same bits as collecting and
 * sorting everything.
 */
final class RadixQuantiles {
    private static final int BITS = 16;
    private static final int BUCKETS = 1 << BITS;

    private RadixQuantiles() {
    }

    /** The sortable key: the double's bits with the sign bit flipped, or all bits for negatives. */
    static long key(double x) {
        long b = Double.doubleToRawLongBits(x);
        return b ^ ((b >> 63) | Long.MIN_VALUE);
    }

    static double value(long key) {
        long b = key < 0 ? key ^ Long.MIN_VALUE : ~key;
        return Double.longBitsToDouble(b);
    }

    /**
     * The median and the {@code lo}-th and {@code hi}-th percentiles of each feature (rows: median, low, high),
     * NaN where a feature has no values or, under PROPAGATE, had a NaN.
     */
    static double[][] quantiles(SparkStats.Features features, int f, long[] counts, boolean[] nan,
            NanPolicy nanPolicy, double lo, double hi) {
        long[][] ranks = new long[f][];
        for (int j = 0; j < f; j++) {
            long n = counts[j];
            TreeSet<Long> want = new TreeSet<>();
            if (n > 0) {
                want.add((n - 1) / 2);
                want.add(n / 2);
                for (double q : new double[] {lo, hi}) {
                    long i = (long) Math.floor((n - 1) * (q / 100));
                    want.add(Math.min(i, n - 1));
                    want.add(Math.min(i + 1, n - 1));
                }
            }
            ranks[j] = want.stream().mapToLong(Long::longValue).toArray();
        }
        long[][] prefix = new long[f][];
        long[][] remaining = new long[f][];
        for (int j = 0; j < f; j++) {
            prefix[j] = new long[ranks[j].length];
            remaining[j] = ranks[j].clone();
        }
        boolean vector = features.vector();
        for (int pass = 0; pass < 64 / BITS; pass++) {
            int shift = 64 - BITS * (pass + 1);
            long[][] pre = prefix;
            int[] sizes = new int[f];
            for (int j = 0; j < f; j++) {
                sizes[j] = ranks[j].length;
            }
            long[][] hist = features.frame().javaRDD().mapPartitions((Iterator<Row> rows) -> {
                long[][] h = new long[f][];
                for (int j = 0; j < f; j++) {
                    h[j] = new long[sizes[j] * BUCKETS];
                }
                while (rows.hasNext()) {
                    Row r = rows.next();
                    if (vector && r.isNullAt(0)) {
                        continue;
                    }
                    double[] a = vector ? ((Vector) r.get(0)).toArray() : null;
                    for (int j = 0; j < f; j++) {
                        double x = vector ? a[j] : r.isNullAt(j) ? Double.NaN : r.getDouble(j);
                        if (x != x) {
                            continue;
                        }
                        long k = key(x);
                        int bucket = (int) ((k >>> shift) & (BUCKETS - 1));
                        for (int t = 0; t < sizes[j]; t++) {
                            if (shift == 64 - BITS || (k >>> (shift + BITS)) == pre[j][t]) {
                                h[j][t * BUCKETS + bucket]++;
                            }
                        }
                    }
                }
                return List.<long[][]>of(h).iterator();
            }).reduce(RadixQuantiles::add);
            for (int j = 0; j < f; j++) {
                for (int t = 0; t < ranks[j].length; t++) {
                    long below = 0;
                    int bucket = 0;
                    for (; bucket < BUCKETS; bucket++) {
                        long c = hist[j][t * BUCKETS + bucket];
                        if (below + c > remaining[j][t]) {
                            break;
                        }
                        below += c;
                    }
                    remaining[j][t] -= below;
                    prefix[j][t] = (prefix[j][t] << BITS) | bucket;
                }
            }
        }
        double[][] out = new double[3][f];
        for (int j = 0; j < f; j++) {
            long n = counts[j];
            if (n == 0 || nan[j] && nanPolicy == NanPolicy.PROPAGATE) {
                out[0][j] = out[1][j] = out[2][j] = Double.NaN;
                continue;
            }
            long[] rk = ranks[j];
            long[] keys = prefix[j];
            java.util.function.LongToDoubleFunction at = i -> value(keys[java.util.Arrays.binarySearch(rk, i)]);
            out[0][j] = n % 2 == 1 ? at.applyAsDouble(n / 2)
                    : (at.applyAsDouble(n / 2 - 1) + at.applyAsDouble(n / 2)) / 2;
            out[1][j] = percentile(at, n, lo);
            out[2][j] = percentile(at, n, hi);
        }
        return out;
    }

    /** Adds the counts of {@code b} into {@code a} (integer sums: exact in any order). */
    private static long[][] add(long[][] a, long[][] b) {
        for (int j = 0; j < a.length; j++) {
            for (int i = 0; i < a[j].length; i++) {
                a[j][i] += b[j][i];
            }
        }
        return a;
    }

    /** NumPy's linear percentile over the sorted values {@code at(0..n-1)} (as ExactQuantiles computes it). */
    private static double percentile(java.util.function.LongToDoubleFunction at, long n, double q) {
        double h = (n - 1) * (q / 100);
        if (h >= n - 1) {
            return at.applyAsDouble(n - 1);
        }
        long i = (long) Math.floor(h);
        double g = h - i;
        double a = at.applyAsDouble(i);
        double b = at.applyAsDouble(i + 1);
        double d = b - a;
        return g >= 0.5 ? b - d * (1 - g) : a + d * g;
    }
}
