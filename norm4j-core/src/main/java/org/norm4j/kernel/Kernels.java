package org.norm4j.kernel;

/**
 * The innermost loops of norm4j: plain loops over arrays, offsets and lengths. Kernels never allocate
 * tensors, never check arguments (the ops tier does) and never split work over threads (the
 * {@link Parallel} scheme does). Two implementations exist: {@link ScalarKernels}, the reference, and a
 * Vector API one loaded by {@link KernelProvider} when {@code jdk.incubator.vector} is present.
 *
 * <p>Accumulations ({@code sum*}) are carried in double whatever the element type, so that statistics of
 * float32 data are accurate; an implementation may change the order of additions but must stay within a
 * few double ulps of the scalar reference.
 *
 * <p>Column kernels of the Vector API implementation keep a group of columns in registers over all rows of the
 * block and add the block's sums to {@code acc} once (the scalar loops add every row into {@code acc}); per column
 * the additions are in row order from 0 either way, so where {@code acc} starts at 0 both give the same bits.
 * The column normalize pass ({@code scaleShiftColumns}) holds its per-column constants in registers over
 * cache-sized chunks of rows.
 *
 * <p>Layouts: a <em>row</em> is a contiguous run {@code x[off .. off+n)}. A <em>column block</em> is
 * {@code rows x cols} elements at {@code off} in row-major order; column kernels reduce over the rows and
 * keep one value per column.
 */
public interface Kernels {

    /** A short name for logs and {@link KernelProvider#describe()}. */
    String name();

    // ---- elementwise -------------------------------------------------------------------------------

    /**
     * {@code c[co+i] = op(a[ao + i*as], b[bo + i*bs])} for {@code i < n}; each stride is 0 (broadcast a
     * single value) or 1.
     */
    void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] c, int co, int n);

    /** Double version of {@link #binary(BinaryOp, float[], int, int, float[], int, int, float[], int, int)}. */
    void binary(BinaryOp op, double[] a, int ao, int as, double[] b, int bo, int bs, double[] c, int co, int n);

    /** {@code c[co+i] = op(a[ao+i])} for {@code i < n}. */
    void unary(UnaryOp op, float[] a, int ao, float[] c, int co, int n);

    /** Double version of {@link #unary(UnaryOp, float[], int, float[], int, int)}. */
    void unary(UnaryOp op, double[] a, int ao, double[] c, int co, int n);

    // ---- row reductions ----------------------------------------------------------------------------

    /** Sum of {@code x[off .. off+n)}, accumulated in double. */
    double sum(float[] x, int off, int n);

    /** Double version of {@link #sum(float[], int, int)}. */
    double sum(double[] x, int off, int n);

    /** {@code sum((x - mean)^2)} over a row, with {@code x - mean} computed in double. */
    double sumSquaredDeviations(float[] x, int off, int n, double mean);

    /** Double version of {@link #sumSquaredDeviations(float[], int, int, double)}. */
    double sumSquaredDeviations(double[] x, int off, int n, double mean);

    /** Maximum ({@code max=true}) or minimum of a non-empty row; NaN if any element is NaN. */
    double extreme(float[] x, int off, int n, boolean max);

    /** Double version of {@link #extreme(float[], int, int, boolean)}. */
    double extreme(double[] x, int off, int n, boolean max);

    /**
     * Shifted sums of a float row, in double, from one read: {@code out[oo] = sum(x[off+i] - shift)} and {@code
     * out[oo+1] = sum((x[off+i] - shift)^2)}, each difference formed in double and its square added by a fused
     * multiply-add ({@link Math#fma}; one rounding per term, and one vector operation fewer). Whether they may stand for the
     * two-pass moments is decided by {@link ShiftedMoments#accurate}; an implementation may reorder additions.
     */
    void shiftedSums(float[] x, int off, int n, double shift, double[] out, int oo);

    // ---- column reductions -------------------------------------------------------------------------

    /** {@code acc[ao+j] += sum over r of x[off + r*cols + j]} for {@code j < cols}. */
    void sumColumns(float[] x, int off, int rows, int cols, double[] acc, int ao);

    /** Double version of {@link #sumColumns(float[], int, int, int, double[], int)}. */
    void sumColumns(double[] x, int off, int rows, int cols, double[] acc, int ao);

    /** {@code acc[ao+j] += sum over r of (x[off + r*cols + j] - mean[mo+j])^2}, differences in double. */
    void sumSquaredDeviationsColumns(float[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao);

    /** Double version of {@link #sumSquaredDeviationsColumns(float[], int, int, int, double[], int, double[], int)}. */
    void sumSquaredDeviationsColumns(double[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao);

    /**
     * Folds the rows into {@code acc} with max ({@code max=true}) or min: {@code acc[ao+j] =
     * op(acc[ao+j], x[off + r*cols + j])}, NaN-propagating. The caller seeds {@code acc}.
     */
    void extremeColumns(float[] x, int off, int rows, int cols, boolean max, double[] acc, int ao);

    /** Double version of {@link #extremeColumns(float[], int, int, int, boolean, double[], int)}. */
    void extremeColumns(double[] x, int off, int rows, int cols, boolean max, double[] acc, int ao);

    /**
     * {@code acc[ao+j] += sum over r of dy[r,j] * (x[r,j] - mean[mo+j])} with both blocks at the same
     * offset {@code off}; the products are formed in double. Used by normalization backward passes.
     */
    void sumProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao);

    /** Double version of {@link #sumProductDeviationsColumns(float[], float[], int, int, int, double[], int, double[], int)}. */
    void sumProductDeviationsColumns(double[] dy, double[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao);

    /**
     * {@link #sumColumns} of {@code dy} into {@code accSum} and {@link #sumProductDeviationsColumns} into
     * {@code accProduct}, from one sweep over the block where the implementation can (the Vector API one keeps
     * both accumulators in registers); each column gets exactly the additions of the two separate calls, in the
     * same order. This default runs the two calls one after the other (the block is still in cache for the
     * second).
     */
    default void sumAndProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean,
            int mo, double[] accSum, double[] accProduct, int ao) {
        sumColumns(dy, off, rows, cols, accSum, ao);
        sumProductDeviationsColumns(dy, x, off, rows, cols, mean, mo, accProduct, ao);
    }

    /** Double version of {@link #sumAndProductDeviationsColumns(float[], float[], int, int, int, double[], int, double[], double[], int)}. */
    default void sumAndProductDeviationsColumns(double[] dy, double[] x, int off, int rows, int cols,
            double[] mean, int mo, double[] accSum, double[] accProduct, int ao) {
        sumColumns(dy, off, rows, cols, accSum, ao);
        sumProductDeviationsColumns(dy, x, off, rows, cols, mean, mo, accProduct, ao);
    }

    /** Row version: {@code sum of dy[i] * (x[i] - mean)} over {@code n} elements at {@code off}. */
    double sumProductDeviations(float[] dy, float[] x, int off, int n, double mean);

    /** Double version of {@link #sumProductDeviations(float[], float[], int, int, double)}. */
    double sumProductDeviations(double[] dy, double[] x, int off, int n, double mean);

    // ---- fused normalize ---------------------------------------------------------------------------

    /**
     * {@code y[off+i] = (x[off+i] - center) * scale + shift} in the element type, each operation rounded
     * (no FMA), for a row sharing one set of constants.
     */
    void scaleShift(float[] x, int off, int n, float center, float scale, float shift, float[] y);

    /** Double version of {@link #scaleShift(float[], int, int, float, float, float, float[])}. */
    void scaleShift(double[] x, int off, int n, double center, double scale, double shift, double[] y);

    /**
     * Column version: {@code y[r,j] = (x[r,j] - center[j]) * scale[j] + shift[j]} for a block at
     * {@code off}; the parameter arrays are indexed from 0.
     */
    void scaleShiftColumns(float[] x, int off, int rows, int cols, float[] center, float[] scale, float[] shift,
            float[] y);

    /** Double version of {@link #scaleShiftColumns(float[], int, int, int, float[], float[], float[], float[])}. */
    void scaleShiftColumns(double[] x, int off, int rows, int cols, double[] center, double[] scale,
            double[] shift, double[] y);

    /**
     * Backward of a normalization, row version: {@code dx[off+i] = (dy[off+i] - c)*a + (x[off+i] - center)*b},
     * each operation rounded (no FMA). With {@code c = mean(dy)} a constant upstream gradient gives exactly 0.
     */
    void normalizeBackward(float[] dy, float[] x, int off, int n, float a, float center, float b, float c,
            float[] dx);

    /** Double version of {@link #normalizeBackward(float[], float[], int, int, float, float, float, float, float[])}. */
    void normalizeBackward(double[] dy, double[] x, int off, int n, double a, double center, double b, double c,
            double[] dx);

    /** Column version of {@code normalizeBackward}; parameter arrays indexed from 0 by column. */
    void normalizeBackwardColumns(float[] dy, float[] x, int off, int rows, int cols, float[] a, float[] center,
            float[] b, float[] c, float[] dx);

    /** Double version of the column {@code normalizeBackward}. */
    void normalizeBackwardColumns(double[] dy, double[] x, int off, int rows, int cols, double[] a,
            double[] center, double[] b, double[] c, double[] dx);

    // ---- normalization rows (last-axis fast path) ----------------------------------------------------

    /**
     * One row of a centred normalization with per-element parameters, each operation rounded to float (no
     * FMA): {@code a = gamma == null ? inv : inv * gamma[i]}, {@code b = (beta == null ? 0 : beta[i]) -
     * residual * a}, {@code y[off+i] = (x[off+i] - mean) * a + b}. Parameters are indexed from 0.
     */
    void normalizeRowAffine(float[] x, int off, int n, float mean, float inv, float residual, float[] gamma,
            float[] beta, float[] y);

    /** Double version (no residual): {@code a = inv * gamma[i]}, {@code y = (x - mean) * a + (beta[i] or 0)}. */
    void normalizeRowAffine(double[] x, int off, int n, double mean, double inv, double[] gamma, double[] beta,
            double[] y);

    /** {@code y[off+i] = (x[off+i] * inv) * gamma[i]}, or {@code x[off+i] * inv} when gamma is null. */
    void normalizeRowScale(float[] x, int off, int n, float inv, float[] gamma, float[] y);

    /** Double version of {@link #normalizeRowScale(float[], int, int, float, float[], float[])}. */
    void normalizeRowScale(double[] x, int off, int n, double inv, double[] gamma, double[] y);

    /**
     * The row sums of a normalization backward pass, in double with {@code g = dy[off+i] * gamma[i]}
     * ({@code dy} when gamma is null): {@code out[oo] = sum(g)}, {@code out[oo+1] = sum(g * (x[off+i] -
     * center))}.
     */
    void normalizeRowGradSums(float[] dy, float[] x, int off, int n, float[] gamma, double center, double[] out,
            int oo);

    /** Double version of {@link #normalizeRowGradSums(float[], float[], int, int, float[], double, double[], int)}. */
    void normalizeRowGradSums(double[] dy, double[] x, int off, int n, double[] gamma, double center,
            double[] out, int oo);

    /**
     * {@code dx[off+i] = (dy[off+i] * gamma[i]) * a + (x[off+i] - center) * b + c}, evaluated in double
     * (each operation rounded, no FMA) and rounded once to float; gamma may be null (factor 1).
     */
    void normalizeRowBackward(float[] dy, float[] x, int off, int n, float[] gamma, double a, double center,
            double b, double c, float[] dx);

    /** Double version of {@link #normalizeRowBackward(float[], float[], int, int, float[], double, double, double, double, float[])}. */
    void normalizeRowBackward(double[] dy, double[] x, int off, int n, double[] gamma, double a, double center,
            double b, double c, double[] dx);

    /**
     * Parameter gradients of a normalization over a block of {@code rows x cols} at {@code off}, one
     * statistic per row: {@code dg[ao+j] += (dy[r,j] * (x[r,j] - center[ro+r])) * weight[ro+r]} and {@code
     * db[ao+j] += dy[r,j]}, in double, rows added in order (vector versions keep one lane per column).
     */
    void normalizeColumnGradSums(float[] dy, float[] x, int off, int rows, int cols, double[] center,
            double[] weight, int ro, double[] dg, double[] db, int ao);

    /** Double version of {@link #normalizeColumnGradSums(float[], float[], int, int, int, double[], double[], int, double[], double[], int)}. */
    void normalizeColumnGradSums(double[] dy, double[] x, int off, int rows, int cols, double[] center,
            double[] weight, int ro, double[] dg, double[] db, int ao);

    /**
     * Column version of {@link #normalizeRowBackward} with per-column constants (parameter arrays indexed from 0
     * by column): {@code dx[r,j] = (dy[r,j] * w[j]) * a[j] + (x[r,j] - center[j]) * b[j] + c[j]}, evaluated in
     * double (each operation rounded, no FMA) and rounded once to float.
     */
    void normalizeColumnBackward(float[] dy, float[] x, int off, int rows, int cols, double[] w, double[] a,
            double[] center, double[] b, double[] c, float[] dx);

    /** Double version of {@link #normalizeColumnBackward(float[], float[], int, int, int, double[], double[], double[], double[], double[], float[])}. */
    void normalizeColumnBackward(double[] dy, double[] x, int off, int rows, int cols, double[] w, double[] a,
            double[] center, double[] b, double[] c, double[] dx);

    // ---- matrix product ----------------------------------------------------------------------------

    /**
     * Rows {@code [r0, r1)} of {@code c = a x b} for row-major {@code a[m,k]}, {@code b[k,n]}, {@code c[m,n]};
     * each output element is accumulated in the element type in increasing {@code k} order.
     */
    default void matmul(float[] a, float[] b, float[] c, int m, int k, int n, int r0, int r1) {
        matmul(a, b, c, m, k, n, false, false, r0, r1);
    }

    /** Double version of {@link #matmul(float[], float[], float[], int, int, int, int, int)}. */
    default void matmul(double[] a, double[] b, double[] c, int m, int k, int n, int r0, int r1) {
        matmul(a, b, c, m, k, n, false, false, r0, r1);
    }

    /**
     * Rows {@code [r0, r1)} of {@code c[m,n] = op(a) x op(b)}, where {@code op(a)} is {@code a[m,k]} as stored,
     * or, with {@code transposeA}, the transpose of the stored {@code a[k,m]}; likewise {@code op(b)} is
     * {@code b[k,n]} or the transpose of the stored {@code b[n,k]}. No transposed copy is made by the
     * caller. Every output element is {@code ((0 + op(a)[i,0]*op(b)[0,j]) + op(a)[i,1]*op(b)[1,j]) + ...}:
     * accumulated in the element type, from zero, in increasing {@code k}, with a separate multiply and add
     * (no fused multiply-add), so all implementations give the same bits.
     */
    void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean transposeA, boolean transposeB,
            int r0, int r1);

    /** Double version of {@link #matmul(float[], float[], float[], int, int, int, boolean, boolean, int, int)}. */
    void matmul(double[] a, double[] b, double[] c, int m, int k, int n, boolean transposeA, boolean transposeB,
            int r0, int r1);

    /**
     * TensorFlow's {@code ReluGrad}: {@code dx[off+i] = g[off+i] * (x[off+i] > 0 ? 1 : 0)} for {@code i < n}, the
     * product with the mask (so a NaN or infinite {@code g} where {@code x} is not above zero gives NaN, and a
     * negative {@code g} there gives {@code -0}); bit-identical in every implementation.
     */
    void reluGrad(float[] g, float[] x, float[] dx, int off, int n);

    /** Double version of {@link #reluGrad(float[], float[], float[], int, int)}. */
    void reluGrad(double[] g, double[] x, double[] dx, int off, int n);

    /**
     * One max-pooling window for channels {@code [0, c)}: over the window's positions {@code pos[0..count)} (flat
     * indices of each position's channel 0, in window order), {@code y[out + ch]} = the first maximum of
     * {@code x[pos[t] + ch]} and {@code arg[argOut + ch]} its flat index (a NaN beats every number and the first NaN
     * stays: TensorFlow's rule for {@code MaxPoolGrad}); {@code count >= 1}. Bit-identical in every implementation.
     */
    void maxPoolWindow(float[] x, int[] pos, int count, int c, float[] y, int out, int[] arg, int argOut);

    /** Double version of {@link #maxPoolWindow(float[], int[], int, int, float[], int, int[], int)}. */
    void maxPoolWindow(double[] x, int[] pos, int count, int c, double[] y, int out, int[] arg, int argOut);

    // ---- direct convolution ------------------------------------------------------------------------

    /**
     * Direct convolution, output rows {@code [r0, r1)}: {@code y[(r*width + i)*o + j] = sum_p x[rowBase[r] +
     * i*xs + taps[p]] * w[p*o + j]} for {@code i < width}, {@code j < o}, {@code p < taps.length}: a product
     * whose left matrix (the patches) is read in place from {@code x} through the tap offsets, never copied.
     * Each output element is accumulated in the element type, from zero, in increasing {@code p}, a separate
     * multiply and add (no FMA): the same bits as {@link #matmul} of the copied patch matrix, in every
     * implementation.
     */
    void convForward(float[] x, int[] rowBase, int width, int xs, int[] taps, float[] w, int o, float[] y, int r0,
            int r1);

    /** Double version of {@link #convForward(float[], int[], int, int, int[], float[], int, float[], int, int)}. */
    void convForward(double[] x, int[] rowBase, int width, int xs, int[] taps, double[] w, int o, double[] y,
            int r0, int r1);

    /**
     * Filter gradient of {@link #convForward}, filter rows {@code [p0, p1)}: {@code dw[p*o + j] = sum over r <
     * rowBase.length, i < width of x[rowBase[r] + i*xs + taps[p]] * dy[(r*width + i)*o + j]}, accumulated in the
     * element type, from zero, in increasing {@code (r, i)}, a separate multiply and add: the same bits as
     * {@link #matmul} of the transposed patch matrix by {@code dy}, in every implementation.
     */
    void convFilterGradient(float[] x, int[] rowBase, int width, int xs, int[] taps, float[] dy, int o, float[] dw,
            int p0, int p1);

    /** Double version of {@link #convFilterGradient(float[], int[], int, int, int[], float[], int, float[], int, int)}. */
    void convFilterGradient(double[] x, int[] rowBase, int width, int xs, int[] taps, double[] dy, int o,
            double[] dw, int p0, int p1);
}
