// TEMPLATE FloatScalarKernels.java: edit this file; its double twin is generated from it (norm4j-core/pom.xml)
package org.norm4j.kernel;

/**
 * The {@code float} half of {@link ScalarKernels}, the reference kernels: plain Java loops, always available.
 * Elementwise arithmetic stays in the element type, as TensorFlow's does; transcendental functions go through the
 * {@link Math} functions in 64 bits and are rounded once; sums are accumulated in 64 bits. The float half (the
 * template) and the double half (generated from it at build time) hold the kernels whose two versions share a
 * body; {@link ScalarKernels} adds the few that do not. Not meant to be used directly: use {@link ScalarKernels}.
 */
public abstract class FloatScalarKernels implements Kernels {

    /** Subclassed by the generated half only. */
    FloatScalarKernels() {
    }

    // ---- elementwise -------------------------------------------------------------------------------

    /** One float binary operation; public so that other kernels can share its exact semantics. */
    public static float apply(BinaryOp op, float x, float y) {
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            case DIV: return x / y;
            case MAX: return Math.max(x, y);
            case MIN: return Math.min(x, y);
            case POW: return (float) Math.pow(x, y);
            case SQUARED_DIFFERENCE: { float d = x - y; return d * d; }
            default: throw new AssertionError(op);
        }
    }

    /** One float unary operation. */
    public static float apply(UnaryOp op, float x) {
        switch (op) {
            case NEG: return -x;
            case ABS: return Math.abs(x);
            case SQUARE: return x * x;
            case SQRT: return (float) Math.sqrt(x);
            case RSQRT: return (float) (1.0 / Math.sqrt(x));
            case EXP: return (float) Math.exp(x);
            case LOG: return (float) Math.log(x);
            case RECIPROCAL: return 1f / x;
            default: throw new AssertionError(op);
        }
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] c, int co,
            int n) {
        // The switch sits outside the loops so that each loop is a simple, vectorizable body.
        if (as == 1 && bs == 1) {
            switch (op) {
                case ADD: for (int i = 0; i < n; i++) { c[co + i] = a[ao + i] + b[bo + i]; } return;
                case SUB: for (int i = 0; i < n; i++) { c[co + i] = a[ao + i] - b[bo + i]; } return;
                case MUL: for (int i = 0; i < n; i++) { c[co + i] = a[ao + i] * b[bo + i]; } return;
                case DIV: for (int i = 0; i < n; i++) { c[co + i] = a[ao + i] / b[bo + i]; } return;
                default: for (int i = 0; i < n; i++) { c[co + i] = apply(op, a[ao + i], b[bo + i]); } return;
            }
        }
        if (as == 1) {
            float y = b[bo];
            switch (op) {
                case ADD: for (int i = 0; i < n; i++) { c[co + i] = a[ao + i] + y; } return;
                case SUB: for (int i = 0; i < n; i++) { c[co + i] = a[ao + i] - y; } return;
                case MUL: for (int i = 0; i < n; i++) { c[co + i] = a[ao + i] * y; } return;
                case DIV: for (int i = 0; i < n; i++) { c[co + i] = a[ao + i] / y; } return;
                default: for (int i = 0; i < n; i++) { c[co + i] = apply(op, a[ao + i], y); } return;
            }
        }
        for (int i = 0; i < n; i++) {
            c[co + i] = apply(op, a[ao + i * as], b[bo + i * bs]);
        }
    }

    @Override
    public void unary(UnaryOp op, float[] a, int ao, float[] c, int co, int n) {
        switch (op) {
            case NEG: for (int i = 0; i < n; i++) { c[co + i] = -a[ao + i]; } return;
            case SQUARE: for (int i = 0; i < n; i++) { float v = a[ao + i]; c[co + i] = v * v; } return;
            default: for (int i = 0; i < n; i++) { c[co + i] = apply(op, a[ao + i]); } return;
        }
    }

    // ---- row reductions ----------------------------------------------------------------------------

    @Override
    public double sum(float[] x, int off, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    @Override
    public double sumSquaredDeviations(float[] x, int off, int n, double mean) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = x[off + i] - mean;
            s += d * d;
        }
        return s;
    }

    @Override
    public double extreme(float[] x, int off, int n, boolean max) {
        float m = x[off];
        for (int i = 1; i < n; i++) {
            m = max ? Math.max(m, x[off + i]) : Math.min(m, x[off + i]);
        }
        return m;
    }

    // ---- column reductions -------------------------------------------------------------------------

    @Override
    public void sumColumns(float[] x, int off, int rows, int cols, double[] acc, int ao) {
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            for (int j = 0; j < cols; j++) {
                acc[ao + j] += x[base + j];
            }
        }
    }

    @Override
    public void sumSquaredDeviationsColumns(float[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao) {
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            for (int j = 0; j < cols; j++) {
                double d = x[base + j] - mean[mo + j];
                acc[ao + j] += d * d;
            }
        }
    }

    @Override
    public void extremeColumns(float[] x, int off, int rows, int cols, boolean max, double[] acc, int ao) {
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            for (int j = 0; j < cols; j++) {
                acc[ao + j] = max ? Math.max(acc[ao + j], x[base + j]) : Math.min(acc[ao + j], x[base + j]);
            }
        }
    }

    @Override
    public void sumProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean,
            int mo, double[] acc, int ao) {
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            for (int j = 0; j < cols; j++) {
                acc[ao + j] += (double) dy[base + j] * (x[base + j] - mean[mo + j]);
            }
        }
    }

    @Override
    public double sumProductDeviations(float[] dy, float[] x, int off, int n, double mean) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) dy[off + i] * (x[off + i] - mean);
        }
        return s;
    }

    // ---- fused normalize ---------------------------------------------------------------------------

    @Override
    public void scaleShift(float[] x, int off, int n, float center, float scale, float shift, float[] y) {
        for (int i = off, end = off + n; i < end; i++) {
            y[i] = (x[i] - center) * scale + shift;
        }
    }

    @Override
    public void scaleShiftColumns(float[] x, int off, int rows, int cols, float[] center, float[] scale,
            float[] shift, float[] y) {
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            for (int j = 0; j < cols; j++) {
                y[base + j] = (x[base + j] - center[j]) * scale[j] + shift[j];
            }
        }
    }

    @Override
    public void normalizeBackward(float[] dy, float[] x, int off, int n, float a, float center, float b, float c,
            float[] dx) {
        for (int i = off, end = off + n; i < end; i++) {
            dx[i] = (dy[i] - c) * a + (x[i] - center) * b;
        }
    }

    @Override
    public void normalizeBackwardColumns(float[] dy, float[] x, int off, int rows, int cols, float[] a,
            float[] center, float[] b, float[] c, float[] dx) {
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            for (int j = 0; j < cols; j++) {
                dx[base + j] = (dy[base + j] - c[j]) * a[j] + (x[base + j] - center[j]) * b[j];
            }
        }
    }

    // ---- matrix product ----------------------------------------------------------------------------

    @Override
    public void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean transposeA, boolean transposeB,
            int r0, int r1) {
        float[] bkn = b;
        if (transposeB) {
            // op(b) copied as [k, n], then the row loop: the same sums, in an order C2 vectorizes (a dot
            // product per element would be a serial chain of float additions, 1.5x slower than the copy)
            bkn = new float[k * n];
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < k; p++) {
                    bkn[p * n + j] = b[j * k + p];
                }
            }
        }
        if (transposeA) {
            matmulRows(a, 1, m, bkn, c, k, n, r0, r1);
        } else {
            matmulRows(a, k, 1, bkn, c, k, n, r0, r1);
        }
    }

    /** Rows {@code [r0, r1)} of {@code c = A x b}, {@code A[i,p] = a[i*ars + p*acs]}, {@code b} as [k, n]. */
    private static void matmulRows(float[] a, int ars, int acs, float[] b, float[] c, int k, int n, int r0, int r1) {
        for (int i = r0; i < r1; i++) {
            int ci = i * n;
            for (int j = 0; j < n; j++) {
                c[ci + j] = 0f;
            }
            for (int p = 0; p < k; p++) {
                float av = a[i * ars + p * acs];
                int bp = p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += av * b[bp + j];
                }
            }
        }
    }

    // ---- normalization rows ------------------------------------------------------------------------

    @Override
    public void normalizeRowScale(float[] x, int off, int n, float inv, float[] gamma, float[] y) {
        for (int i = 0; i < n; i++) {
            float xr = x[off + i] * inv;
            y[off + i] = gamma == null ? xr : xr * gamma[i];
        }
    }

    @Override
    public void normalizeRowGradSums(float[] dy, float[] x, int off, int n, float[] gamma, double center,
            double[] out, int oo) {
        double sg = 0;
        double sgx = 0;
        for (int i = 0; i < n; i++) {
            double g = gamma == null ? (double) dy[off + i] : (double) dy[off + i] * gamma[i];
            sg += g;
            sgx += g * (x[off + i] - center);
        }
        out[oo] = sg;
        out[oo + 1] = sgx;
    }

    @Override
    public void normalizeRowBackward(float[] dy, float[] x, int off, int n, float[] gamma, double a,
            double center, double b, double c, float[] dx) {
        for (int i = 0; i < n; i++) {
            double g = gamma == null ? (double) dy[off + i] : (double) dy[off + i] * gamma[i];
            dx[off + i] = (float) (g * a + (x[off + i] - center) * b + c);
        }
    }

    @Override
    public void normalizeColumnGradSums(float[] dy, float[] x, int off, int rows, int cols, double[] center,
            double[] weight, int ro, double[] dg, double[] db, int ao) {
        for (int r = 0; r < rows; r++) {
            double ctr = center[ro + r];
            double w = weight[ro + r];
            int base = off + r * cols;
            for (int j = 0; j < cols; j++) {
                double d = dy[base + j];
                dg[ao + j] += (d * (x[base + j] - ctr)) * w;
                db[ao + j] += d;
            }
        }
    }

    @Override
    public void normalizeColumnBackward(float[] dy, float[] x, int off, int rows, int cols, double[] w, double[] a,
            double[] center, double[] b, double[] c, float[] dx) {
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            for (int j = 0; j < cols; j++) {
                dx[base + j] = (float) ((dy[base + j] * w[j]) * a[j] + (x[base + j] - center[j]) * b[j] + c[j]);
            }
        }
    }

    @Override
    public void reluGrad(float[] g, float[] x, float[] dx, int off, int n) {
        for (int i = off, end = off + n; i < end; i++) {
            dx[i] = g[i] * (x[i] > 0 ? 1f : 0f);
        }
    }

    @Override
    public void maxPoolWindow(float[] x, int[] pos, int count, int c, float[] y, int out, int[] arg, int argOut) {
        maxPoolChannels(x, pos, count, 0, c, y, out, arg, argOut);
    }

    /** {@link #maxPoolWindow(float[], int[], int, int, float[], int, int[], int)} for channels {@code [ch0, c)}. */
    public static void maxPoolChannels(float[] x, int[] pos, int count, int ch0, int c, float[] y, int out, int[] arg,
            int argOut) {
        for (int ch = ch0; ch < c; ch++) {
            int best = pos[0] + ch;
            float b = x[best];
            for (int t = 1; t < count; t++) {
                float v = x[pos[t] + ch];
                if (v > b || (v != v && b == b)) {
                    b = v;
                    best = pos[t] + ch;
                }
            }
            y[out + ch] = b;
            arg[argOut + ch] = best;
        }
    }

    // ---- direct convolution ------------------------------------------------------------------------

    @Override
    public void convForward(float[] x, int[] rowBase, int width, int xs, int[] taps, float[] w, int o, float[] y,
            int r0, int r1) {
        for (int r = r0; r < r1; r++) {
            for (int i = 0; i < width; i++) {
                int at = rowBase[r] + i * xs;
                int out = (r * width + i) * o;
                for (int j = 0; j < o; j++) {
                    float s = 0f;
                    for (int p = 0; p < taps.length; p++) {
                        s += x[at + taps[p]] * w[p * o + j];
                    }
                    y[out + j] = s;
                }
            }
        }
    }

    @Override
    public void convFilterGradient(float[] x, int[] rowBase, int width, int xs, int[] taps, float[] dy, int o,
            float[] dw, int p0, int p1) {
        convFilterGradientColumns(x, rowBase, width, xs, taps, dy, o, dw, p0, p1, 0);
    }

    /**
     * {@link #convFilterGradient(float[], int[], int, int, int[], float[], int, float[], int, int)} for the output
     * channels {@code [j0, o)} only.
     */
    public static void convFilterGradientColumns(float[] x, int[] rowBase, int width, int xs, int[] taps,
            float[] dy, int o, float[] dw, int p0, int p1, int j0) {
        for (int p = p0; p < p1; p++) {
            for (int j = j0; j < o; j++) {
                float s = 0f;
                for (int r = 0; r < rowBase.length; r++) {
                    for (int i = 0, at = rowBase[r] + taps[p], q = r * width * o + j; i < width; i++, at += xs,
                            q += o) {
                        s += x[at] * dy[q];
                    }
                }
                dw[p * o + j] = s;
            }
        }
    }
}
