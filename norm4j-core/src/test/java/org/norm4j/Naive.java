package org.norm4j;

/**
 * Deliberately simple float64 reference implementations, written independently of the kernels: index
 * arithmetic per element, no blocking, no vectorization. Tests compare the real ops with these.
 */
public final class Naive {
    private Naive() {
    }

    /** Multi-index of flat index {@code flat} in {@code dims}. */
    public static int[] unravel(int flat, int[] dims) {
        int[] idx = new int[dims.length];
        for (int i = dims.length - 1; i >= 0; i--) {
            idx[i] = flat % dims[i];
            flat /= dims[i];
        }
        return idx;
    }

    /** Flat index of the reduced output position of input index {@code idx} (reduced axes dropped). */
    public static int outIndex(int[] idx, int[] dims, boolean[] reduced) {
        int flat = 0;
        for (int i = 0; i < dims.length; i++) {
            if (!reduced[i]) {
                flat = flat * dims[i] + idx[i];
            }
        }
        return flat;
    }

    /** {sum, count} per output position, over the given (non-negative, distinct) axes. */
    public static double[][] sumAndCount(double[] x, int[] dims, int[] axes) {
        boolean[] red = new boolean[dims.length];
        for (int a : axes) {
            red[a] = true;
        }
        int outSize = 1;
        for (int i = 0; i < dims.length; i++) {
            if (!red[i]) {
                outSize *= dims[i];
            }
        }
        double[] s = new double[outSize];
        double[] c = new double[outSize];
        for (int f = 0; f < x.length; f++) {
            int o = outIndex(unravel(f, dims), dims, red);
            s[o] += x[f];
            c[o] += 1;
        }
        return new double[][] {s, c};
    }

    /** Mean per output position. */
    public static double[] mean(double[] x, int[] dims, int[] axes) {
        double[][] sc = sumAndCount(x, dims, axes);
        for (int i = 0; i < sc[0].length; i++) {
            sc[0][i] /= sc[1][i];
        }
        return sc[0];
    }

    /** Biased variance per output position (two-pass). */
    public static double[] variance(double[] x, int[] dims, int[] axes) {
        double[] m = mean(x, dims, axes);
        boolean[] red = new boolean[dims.length];
        for (int a : axes) {
            red[a] = true;
        }
        double[] s = new double[m.length];
        double[] c = new double[m.length];
        for (int f = 0; f < x.length; f++) {
            int o = outIndex(unravel(f, dims), dims, red);
            double d = x[f] - m[o];
            s[o] += d * d;
            c[o] += 1;
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= c[i];
        }
        return s;
    }

    /** Max (or min) per output position, NaN-propagating. */
    public static double[] extreme(double[] x, int[] dims, int[] axes, boolean max) {
        double[][] sc = sumAndCount(x, dims, axes);
        double[] out = new double[sc[0].length];
        java.util.Arrays.fill(out, max ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        boolean[] red = new boolean[dims.length];
        for (int a : axes) {
            red[a] = true;
        }
        for (int f = 0; f < x.length; f++) {
            int o = outIndex(unravel(f, dims), dims, red);
            out[o] = max ? Math.max(out[o], x[f]) : Math.min(out[o], x[f]);
        }
        return out;
    }

    /** Value of the broadcast operand {@code a} (dims aDims) at output index {@code idx}. */
    public static double broadcastGet(double[] a, int[] aDims, int[] idx) {
        int off = idx.length - aDims.length;
        int flat = 0;
        for (int i = 0; i < aDims.length; i++) {
            int j = aDims[i] == 1 ? 0 : idx[i + off];
            flat = flat * aDims[i] + j;
        }
        return a[flat];
    }

    /** Asserts that every element of {@code actual} is within {@code atol + rtol*|expected|}. */
    public static void assertClose(double[] expected, double[] actual, double atol, double rtol, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": length " + actual.length + ", expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) {
                continue;
            }
            if (e == a) {
                continue;
            }
            if (!(Math.abs(e - a) <= atol + rtol * Math.abs(e))) {
                throw new AssertionError(what + ": element " + i + " is " + a + ", expected " + e + " (atol "
                        + atol + ", rtol " + rtol + ")");
            }
        }
    }

    /** A random shape of the given rank with dims in [1, maxDim]. */
    public static int[] randomDims(java.util.Random rnd, int rank, int maxDim) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = 1 + rnd.nextInt(maxDim);
        }
        return d;
    }

    /** A random non-empty subset of axes of a rank-r tensor, possibly given as negative axes. */
    public static int[] randomAxes(java.util.Random rnd, int r, boolean allowNegative) {
        java.util.List<Integer> list = new java.util.ArrayList<>();
        for (int i = 0; i < r; i++) {
            if (rnd.nextBoolean()) {
                list.add(allowNegative && rnd.nextBoolean() ? i - r : i);
            }
        }
        if (list.isEmpty()) {
            list.add(rnd.nextInt(r));
        }
        java.util.Collections.shuffle(list, rnd);
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Axes in [0, r), sorted. */
    public static int[] normalize(int[] axes, int r) {
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            out[i] = axes[i] < 0 ? axes[i] + r : axes[i];
        }
        java.util.Arrays.sort(out);
        return out;
    }
}
