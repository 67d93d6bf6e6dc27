package org.norm4j.stats;

import java.util.Locale;
import java.util.Objects;

/**
 * Row-wise normalization, scikit-learn's {@code Normalizer(norm=...)}: each row (sample) is divided by its
 * norm, {@code l1} the sum of absolute values, {@code l2} the Euclidean norm, {@code max} the largest absolute
 * value. A row whose norm is below {@code 10 * eps} is left unchanged (scikit-learn's
 * {@code _handle_zeros_in_scale}). Nothing is fitted. Sums use NumPy's pairwise order (eight running sums per
 * block of 8, then combined pairwise), so results match NumPy's to the last bit or within an ulp.
 */
public enum RowNorm {
    /** The sum of absolute values. */
    L1,
    /** The Euclidean norm. */
    L2,
    /** The largest absolute value. */
    MAX;

    /** The lower-case name, {@code "l1"}, {@code "l2"} or {@code "max"}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The norm named {@code name}, case-insensitive.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static RowNorm parse(String name) {
        return EnumNames.parse(values(), name, () ->
                "norm = " + (name == null ? "null" : "'" + name + "'")
                + ": expected l1, l2 or max");
    }

    /** The norm of the {@code n} values {@code x[off + k * step]}. */
    public double norm(double[] x, int off, int step, int n) {
        Objects.requireNonNull(x, "x must not be null");
        if (this == MAX) {
            double m = 0;
            for (int k = 0; k < n; k++) {
                double a = Math.abs(x[off + k * step]);
                m = a > m || a != a ? a : m;
            }
            return m;
        }
        return this == L1 ? pairwise(x, off, step, n, false) : Math.sqrt(pairwise(x, off, step, n, true));
    }

    /**
     * The divisor of a row with this norm: the norm, or 1 where it is below {@code 10 * eps}
     * ({@link ZeroVariancePolicy#SKLEARN}'s spread rule).
     */
    public static double divisor(double norm) {
        return ZeroVariancePolicy.SKLEARN.spreadDivisor(norm);
    }

    /**
     * Normalizes in place the values {@code data[row * stride + columns[k]]} of each of {@code rows} rows.
     */
    public void apply(double[] data, int rows, int stride, int[] columns) {
        Objects.requireNonNull(data, "data must not be null");
        double[] buf = new double[columns.length];
        for (int i = 0; i < rows; i++) {
            int b = i * stride;
            for (int k = 0; k < columns.length; k++) {
                buf[k] = data[b + columns[k]];
            }
            double d = divisor(norm(buf, 0, 1, buf.length));
            for (int k = 0; k < columns.length; k++) {
                data[b + columns[k]] = buf[k] / d;
            }
        }
    }

    /** NumPy's pairwise summation of |x| or x^2 (blocks of 128 halved recursively, 8 running sums inside). */
    private static double pairwise(double[] x, int off, int step, int n, boolean square) {
        if (n < 8) {
            double s = -0.0;
            for (int k = 0; k < n; k++) {
                s += term(x[off + k * step], square);
            }
            return s;
        }
        if (n <= 128) {
            double[] r = new double[8];
            for (int k = 0; k < 8; k++) {
                r[k] = term(x[off + k * step], square);
            }
            int i = 8;
            for (; i < n - n % 8; i += 8) {
                for (int k = 0; k < 8; k++) {
                    r[k] += term(x[off + (i + k) * step], square);
                }
            }
            double s = (r[0] + r[1] + (r[2] + r[3])) + (r[4] + r[5] + (r[6] + r[7]));
            for (; i < n; i++) {
                s += term(x[off + i * step], square);
            }
            return s;
        }
        int half = n / 2;
        half -= half % 8;
        return pairwise(x, off, step, half, square) + pairwise(x, off + half * step, step, n - half, square);
    }

    private static double term(double v, boolean square) {
        return square ? v * v : Math.abs(v);
    }
}
