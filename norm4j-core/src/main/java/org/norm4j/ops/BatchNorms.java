package org.norm4j.ops;

import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Channels;
import org.norm4j.kernel.Reduce;
import org.norm4j.kernel.ReductionPlan;
import org.norm4j.kernel.Strided;

/**
 * Batch normalization over any rank with any set of kept ("channel") axes, as single fused ops with
 * hand-written backward passes: the arithmetic behind {@code keras.layers.BatchNormalization}.
 *
 * <p><b>Training</b> ({@link #training}): per channel, the batch mean {@code mu} and the <em>biased</em> batch
 * variance {@code var} over every other axis (two passes or their shifted single-read equivalent, accumulated in
 * double), then
 * {@code y = (x - mu) * (gamma * rsqrt(var + eps)) + beta}, the order of TensorFlow's CPU
 * {@code FusedBatchNormV3} kernel (per-channel constants are rounded to the data's precision as TF rounds
 * them). One deliberate difference for float32: the part of the exact mean that the float32 mean misses,
 * {@code delta}, is folded into the addend ({@code beta - delta * factor}), and {@code x - mu} is exact near the
 * mean, so outputs and gradients stay accurate to float32 rounding on data whose mean is 1e4 times its spread
 * (TF's kernel is off by up to ~1e-2 there); elsewhere the results differ from TF's kernel by at most an ulp or
 * two. Recorded on a {@link GradientTape} as one op whose backward reuses the saved mean and inverse standard
 * deviation {@code r}: with {@code xhat = (x - mu) * r},
 * <pre>
 *   dx     = gamma * r * (dy - mean(dy) - xhat * mean(dy * xhat))
 *   dgamma = sum(dy * xhat),   dbeta = sum(dy)
 * </pre>
 * (plus {@code dmean / N + dvar * 2 (x - mu) / N} when the returned statistics are themselves used).
 *
 * <p><b>Inference</b> ({@link #inference}): gamma, beta and the given mean and variance fold into one multiplier
 * {@code a = rsqrt(variance + eps) * gamma} and one addend {@code b = beta - mean * a} per channel, then a single
 * pass {@code y = x * a + b}: {@code tf.nn.batch_normalization}'s order. Recorded with its simple backward
 * ({@code dx = dy * a}, gradients for the mean, variance, gamma and beta too).
 *
 * <p><b>Axes and parameters.</b> {@code axis} lists the kept axes (negative values count from the end;
 * duplicates and out-of-range values are errors naming the argument). Kept axes that are adjacent (ignoring
 * size-1 axes between them) are processed in place; others are transposed to the end first. Parameters
 * ({@code gamma}, {@code beta}, {@code mean}, {@code variance}) have one value per channel, in row-major order of
 * the kept axes, and any shape holding them: the kept dimensions {@code (H, C)}, the keep-dims shape
 * {@code (1, H, 1, C)}, or a vector {@code (H*C,)}. {@code gamma} and {@code beta} may be null (Keras's
 * {@code scale=False}, {@code center=False}). All tensors share x's dtype.
 *
 * <p><b>One value per channel.</b> A training batch with {@code N = 1} value per channel has variance 0 (never
 * NaN): the output is {@code beta}, and {@code dx} is 0. (PyTorch raises an error here; cuDNN returns NaN.)
 *
 * <p>Work runs on {@link Reduce} and {@link Channels}: fixed blocks merged in a fixed order, so results are
 * bit-identical on any number of threads.
 */
public final class BatchNorms {
    private BatchNorms() {
    }

    /**
     * Output of {@link #training}: the normalized {@code y}, the batch {@code mean} and <em>biased</em> batch
     * {@code variance} (shape: the kept dimensions, x's dtype), and {@code count}, the number of values per
     * channel ({@code N}) for Bessel's correction {@code N / (N - 1)}.
     */
    public record Training(Tensor y, Tensor mean, Tensor variance, long count) {
    }

    /**
     * Training-mode batch normalization with the batch's own statistics; see the class description.
     *
     * @param x the batch, any rank, float32 or float64
     * @param axis the kept (channel) axes, e.g. {@code {-1}} for channels last or {@code {1}} for channels first
     * @param gamma per-channel scale, or null for none
     * @param beta per-channel offset, or null for none
     * @param epsilon added to the variance, {@code >= 0}
     * @throws IllegalArgumentException for bad axes, mismatched parameters, or an empty batch
     */
    public static Training training(Tensor x, int[] axis, Tensor gamma, Tensor beta, double epsilon) {
        return runTraining(x, axis, gamma, beta, epsilon, null);
    }

    /**
     * {@link #training(Tensor, int[], Tensor, Tensor, double)} writing {@code y} into {@code yOut} instead of a
     * new array (no zeroing pass; every element is written, so the previous contents do not matter). The
     * returned {@code y} is {@code Tensor.wrap(yOut, x.shape())}, a view of the array that changes when the
     * array is reused; same bits as the allocating variant. Not recorded on a tape.
     *
     * @param yOut a {@code float[]} of exactly {@code x.size()} elements for float32 {@code x}; not x's array
     * @throws NullPointerException if {@code yOut} is null
     * @throws IllegalArgumentException for the allocating variant's reasons, or a {@code yOut} of the wrong
     *     length or element type, or x's own array
     * @throws IllegalStateException if a {@link GradientTape} is recording (use the allocating variant there)
     */
    public static Training training(Tensor x, int[] axis, Tensor gamma, Tensor beta, double epsilon,
            float[] yOut) {
        Checks.notNull(x, "x");
        Checks.destination(yOut, "yOut", x, "x", null, null);
        return runTraining(x, axis, gamma, beta, epsilon, yOut);
    }

    /** Float64 version of {@link #training(Tensor, int[], Tensor, Tensor, double, float[])}. */
    public static Training training(Tensor x, int[] axis, Tensor gamma, Tensor beta, double epsilon,
            double[] yOut) {
        Checks.notNull(x, "x");
        Checks.destination(yOut, "yOut", x, "x", null, null);
        return runTraining(x, axis, gamma, beta, epsilon, yOut);
    }

    /** The training forward; {@code yOut} (checked) receives y, or null for a new array. */
    private static Training runTraining(Tensor x, int[] axis, Tensor gamma, Tensor beta, double epsilon,
            Object yOut) {
        Checks.notNull(x, "x");
        Checks.epsilon(epsilon, "epsilon");
        View v = View.of(x, axis);
        v.checkParam(gamma, "gamma", x);
        v.checkParam(beta, "beta", x);
        long n = v.count();
        if (n == 0 && v.channels > 0) {
            throw new IllegalArgumentException("x of shape " + x.shape() + " has no values per channel for axis "
                    + Nn.str(axis) + ": expected a non-empty batch in training");
        }
        ChannelNorm r = new ChannelNorm(x.dtype());
        int c = v.channels;
        Object data = v.toView(x);
        double[][] mm = c == 0 ? new double[2][0] : Reduce.moments(data, v.plan);
        double[] g = gamma == null ? null : ChannelNorm.doubles(gamma);
        double[] mu = Tensor.newDoubles(c);
        double[] var = Tensor.newDoubles(c);
        double[] factor = Tensor.newDoubles(c);
        double[] shift = Tensor.newDoubles(c);
        r.batchStatistics(mm, n, mu, var);
        r.normalizeConstants(mu, var, epsilon, g, beta == null ? null : ChannelNorm.doubles(beta), mm[0], factor, shift);
        double[] inv = r.inverseStd(var, epsilon);
        Object yData = v.viewArray(yOut, x);
        if (c > 0) {
            Channels.scaleShift(data, v.outer, c, v.inner, r.array(mu), r.array(factor), r.array(shift), yData);
        }
        double[] exactMean = mm[0];
        Tensor y = v.fromView(yData, x, yOut);
        Tensor mean = Reductions.fromDoubles(mu, x.dtype(), v.statShape);
        Tensor variance = Reductions.fromDoubles(var, x.dtype(), v.statShape);
        if (GradientTape.anyRecording()) {
            GradientTape.record("BatchNormTraining", new Tensor[] {x, gamma, beta}, new Tensor[] {y, mean, variance},
                (up, need) -> trainingBackward(up, x, gamma, beta, v, data, mu, exactMean, inv, g, n));
        }
        return new Training(y, mean, variance, n);
    }

    /**
     * The backward of {@link #training}: {@code dx = (dy - mean(dy))*a + (x - mu)*bc (+ dmean / N)} per channel
     * with {@code a = gamma r}, {@code bc = -gamma r^3 sum(dy (x-mu)) / N + 2 dvar / N}, {@code mu} the exact
     * (double) batch mean.
     */
    private static Tensor[] trainingBackward(Tensor[] up, Tensor x, Tensor gamma, Tensor beta, View v,
            Object data, double[] mu, double[] exactMean, double[] inv, double[] g, long n) {
        int c = v.channels;
        ChannelNorm r = new ChannelNorm(x.dtype());
        Object dy = up[0] == null ? newArray(x.dtype(), x.size()) : v.toView(up[0]);
        double[][] sums = c == 0 || up[0] == null ? new double[2][c]
                : Reduce.sumAndProductDeviations(dy, data, v.plan, exactMean); // dy read once for both
        double[] sumDy = sums[0];
        double[] sumDyXc = sums[1];
        double[] gMean = up[1] == null ? null : ChannelNorm.doubles(up[1]);
        double[] gVar = up[2] == null ? Tensor.newDoubles(c) : ChannelNorm.doubles(up[2]);
        double[] a = Tensor.newDoubles(c);
        double[] bc = Tensor.newDoubles(c);
        double[] cc = Tensor.newDoubles(c);
        double[] dGamma = Tensor.newDoubles(c);
        ChannelNorm.backwardConstants(g, inv, sumDy, sumDyXc, n, true, gVar, exactMean, mu, a, bc, cc, dGamma);
        Object dxData = newArray(x.dtype(), x.size());
        if (c > 0) {
            Channels.backward(dy, data, v.outer, c, v.inner, r.array(a), r.array(mu), r.array(bc), r.array(cc),
                    dxData);
            if (gMean != null) {
                double[] shift = Tensor.newDoubles(c);
                double[] one = Tensor.newDoubles(c);
                for (int i = 0; i < c; i++) {
                    shift[i] = gMean[i] / n;
                    one[i] = 1;
                }
                Channels.scaleShift(dxData, v.outer, c, v.inner, newArray(x.dtype(), c), r.array(one),
                        r.array(shift), dxData);
            }
        }
        Tensor dx = v.fromView(dxData, x, null);
        Tensor dg = gamma == null ? null : Reductions.fromDoubles(dGamma, x.dtype(), gamma.shape());
        Tensor db = beta == null ? null : Reductions.fromDoubles(sumDy, x.dtype(), beta.shape());
        if (GradientTape.anyRecording()) {
            GradientTape.recordNoGradient("BatchNormTrainingGrad", new Tensor[] {up[0], up[1], up[2], x, gamma},
                    dx, dg, db);
        }
        return new Tensor[] {dx, dg, db};
    }

    /**
     * Inference-mode batch normalization with given statistics (Keras's moving mean and variance): one
     * multiplier and one addend per channel, one pass over x; see the class description.
     *
     * @param x the batch, any rank, float32 or float64
     * @param axis the kept (channel) axes
     * @param mean per-channel mean
     * @param variance per-channel variance
     * @param gamma per-channel scale, or null for none
     * @param beta per-channel offset, or null for none
     * @param epsilon added to the variance, {@code >= 0}
     */
    public static Tensor inference(Tensor x, int[] axis, Tensor mean, Tensor variance, Tensor gamma, Tensor beta,
            double epsilon) {
        return runInference(x, axis, mean, variance, gamma, beta, epsilon, null);
    }

    /**
     * {@link #inference(Tensor, int[], Tensor, Tensor, Tensor, Tensor, double)} writing the result into
     * {@code yOut} (every element written; the returned tensor is a view of the array and changes when it is
     * reused; same bits as the allocating variant). Not recorded on a tape.
     *
     * @param yOut a {@code float[]} of exactly {@code x.size()} elements for float32 {@code x}; not x's array
     * @throws NullPointerException if {@code yOut} is null
     * @throws IllegalArgumentException for the allocating variant's reasons, or a {@code yOut} of the wrong
     *     length or element type, or x's own array
     * @throws IllegalStateException if a {@link GradientTape} is recording (use the allocating variant there)
     */
    public static Tensor inference(Tensor x, int[] axis, Tensor mean, Tensor variance, Tensor gamma, Tensor beta,
            double epsilon, float[] yOut) {
        Checks.notNull(x, "x");
        Checks.destination(yOut, "yOut", x, "x", null, null);
        return runInference(x, axis, mean, variance, gamma, beta, epsilon, yOut);
    }

    /** Float64 version of {@link #inference(Tensor, int[], Tensor, Tensor, Tensor, Tensor, double, float[])}. */
    public static Tensor inference(Tensor x, int[] axis, Tensor mean, Tensor variance, Tensor gamma, Tensor beta,
            double epsilon, double[] yOut) {
        Checks.notNull(x, "x");
        Checks.destination(yOut, "yOut", x, "x", null, null);
        return runInference(x, axis, mean, variance, gamma, beta, epsilon, yOut);
    }

    /** The inference pass; {@code yOut} (checked) receives y, or null for a new array. */
    private static Tensor runInference(Tensor x, int[] axis, Tensor mean, Tensor variance, Tensor gamma,
            Tensor beta, double epsilon, Object yOut) {
        Checks.notNull(x, "x");
        Checks.notNull(mean, "mean");
        Checks.notNull(variance, "variance");
        Checks.epsilon(epsilon, "epsilon");
        View v = View.of(x, axis);
        v.checkParam(mean, "mean", x);
        v.checkParam(variance, "variance", x);
        v.checkParam(gamma, "gamma", x);
        v.checkParam(beta, "beta", x);
        int c = v.channels;
        ChannelNorm r = new ChannelNorm(x.dtype());
        double[] m = ChannelNorm.doubles(mean);
        double[] vv = ChannelNorm.doubles(variance);
        double[] g = gamma == null ? null : ChannelNorm.doubles(gamma);
        double[] b = beta == null ? null : ChannelNorm.doubles(beta);
        double epsR = r.round(epsilon);
        double[] a = Tensor.newDoubles(c);
        double[] shift = Tensor.newDoubles(c);
        for (int i = 0; i < c; i++) {
            double rs = r.round(1.0 / Math.sqrt(r.round(vv[i] + epsR)));
            a[i] = g == null ? rs : r.round(rs * g[i]);
            double meanA = r.round(m[i] * a[i]);
            shift[i] = b == null ? -meanA : r.round(b[i] - meanA);
        }
        Object data = v.toView(x);
        Object yData = v.viewArray(yOut, x);
        if (c > 0) {
            Channels.scaleShift(data, v.outer, c, v.inner, newArray(x.dtype(), c), r.array(a), r.array(shift),
                    yData);
        }
        Tensor y = v.fromView(yData, x, yOut);
        if (GradientTape.anyRecording()) {
            GradientTape.record("BatchNormInference", y,
                (dyT, need) -> inferenceBackward(dyT, x, mean, variance, gamma, beta, v, data, a, epsR),
                x, mean, variance, gamma, beta);
        }
        return y;
    }

    /**
     * The backward of {@link #inference}: {@code dx = dy * a}, {@code dgamma = sum(dy (x-m)) r},
     * {@code dbeta = sum(dy)}, {@code dmean = -sum(dy) a}, {@code dvariance = -gamma r^3 sum(dy (x-m)) / 2}.
     */
    private static Tensor[] inferenceBackward(Tensor dyT, Tensor x, Tensor mean, Tensor variance, Tensor gamma,
            Tensor beta, View v, Object data, double[] a, double epsR) {
        int c = v.channels;
        ChannelNorm r = new ChannelNorm(x.dtype());
        Object dy = v.toView(dyT);
        double[] m = ChannelNorm.doubles(mean);
        double[] vv = ChannelNorm.doubles(variance);
        double[] g = gamma == null ? null : ChannelNorm.doubles(gamma);
        double[][] sums = c == 0 ? new double[2][0] : Reduce.sumAndProductDeviations(dy, data, v.plan, m);
        double[] sumDy = sums[0];
        double[] sumDyXc = sums[1];
        double[] dMean = Tensor.newDoubles(c);
        double[] dVar = Tensor.newDoubles(c);
        double[] dGamma = Tensor.newDoubles(c);
        for (int i = 0; i < c; i++) {
            double rs = 1.0 / Math.sqrt(vv[i] + epsR);
            double gi = g == null ? 1.0 : g[i];
            dGamma[i] = sumDyXc[i] * rs;
            dMean[i] = -sumDy[i] * gi * rs;
            dVar[i] = -0.5 * gi * rs * rs * rs * sumDyXc[i];
        }
        Object dxData = newArray(x.dtype(), x.size());
        if (c > 0) {
            Channels.scaleShift(dy, v.outer, c, v.inner, newArray(x.dtype(), c), r.array(a), newArray(x.dtype(), c),
                    dxData);
        }
        Tensor dx = v.fromView(dxData, x, null);
        Tensor dm = Reductions.fromDoubles(dMean, x.dtype(), mean.shape());
        Tensor dv = Reductions.fromDoubles(dVar, x.dtype(), variance.shape());
        Tensor dg = gamma == null ? null : Reductions.fromDoubles(dGamma, x.dtype(), gamma.shape());
        Tensor db = beta == null ? null : Reductions.fromDoubles(sumDy, x.dtype(), beta.shape());
        if (GradientTape.anyRecording()) {
            GradientTape.recordNoGradient("BatchNormInferenceGrad", new Tensor[] {dyT, x, mean, variance, gamma},
                    dx, dm, dv, dg, db);
        }
        return new Tensor[] {dx, dm, dv, dg, db};
    }

    private static Object newArray(DType dtype, int n) {
        return Tensor.newArray(dtype, n);
    }

    /**
     * x viewed as {@code [outer, channels, inner]}: in place when the kept axes are adjacent (size-1 axes
     * between them do not count), else after transposing the reduced axes to the front and the kept ones to
     * the end ({@code inner == 1}).
     */
    private static final class View {
        final int outer;
        final int channels;
        final int inner;
        /** Permutation taking x to the view's layout, or null. */
        final int[] perm;
        final int[] dims;
        final Shape statShape;
        final ReductionPlan plan;

        private View(int outer, int channels, int inner, int[] perm, int[] dims, Shape statShape) {
            this.outer = outer;
            this.channels = channels;
            this.inner = inner;
            this.perm = perm;
            this.dims = dims;
            this.statShape = statShape;
            this.plan = ReductionPlan.of(new int[] {outer, channels, inner}, new int[] {0, 2});
        }

        static View of(Tensor x, int[] axis) {
            Objects.requireNonNull(axis, "axis must not be null: expected the kept (channel) axes, e.g. {-1}");
            int[] kept = x.shape().normalizeAxes(axis, "axis");
            int[] dims = x.shape().dims();
            boolean[] isKept = new boolean[dims.length];
            int[] statDims = new int[kept.length];
            int channels = 1;
            for (int i = 0; i < kept.length; i++) {
                isKept[kept[i]] = true;
                statDims[i] = dims[kept[i]];
                channels *= dims[kept[i]];
            }
            Shape stat = Shape.of(statDims);
            if (kept.length == 0) {
                return new View(x.size(), 1, 1, null, dims, stat);
            }
            boolean adjacent = true;
            for (int i = kept[0]; i <= kept[kept.length - 1]; i++) {
                adjacent &= isKept[i] || dims[i] == 1;
            }
            if (adjacent) {
                return new View(Shape.product(dims, 0, kept[0]), channels,
                        Shape.product(dims, kept[kept.length - 1] + 1, dims.length), null, dims, stat);
            }
            int[] perm = new int[dims.length];
            int p = 0;
            int outer = 1;
            for (int i = 0; i < dims.length; i++) {
                if (!isKept[i]) {
                    perm[p++] = i;
                    outer *= dims[i];
                }
            }
            for (int k : kept) {
                perm[p++] = k;
            }
            return new View(outer, channels, 1, perm, dims, stat);
        }

        long count() {
            return (long) outer * inner;
        }

        /** The raw data of a tensor shaped like x, in the view's layout. */
        Object toView(Tensor t) {
            if (perm == null) {
                return t.raw();
            }
            Object dst = newArray(t.dtype(), t.size());
            Strided.permute(t.raw(), dims, perm, dst);
            return dst;
        }

        /**
         * The array an output shaped like x is computed into, in the view's layout: {@code out} itself when the
         * view needs no transpose, else (or when {@code out} is null) a new array.
         */
        Object viewArray(Object out, Tensor x) {
            return perm == null && out != null ? out : newArray(x.dtype(), x.size());
        }

        /**
         * A tensor shaped like x from data in the view's layout ({@link #viewArray}): transposed back into
         * {@code dest} (or a new array when null) if the view is transposed, else {@code data} wrapped.
         */
        Tensor fromView(Object data, Tensor x, Object dest) {
            Object out = data;
            if (perm != null) {
                int[] permuted = new int[dims.length];
                int[] inverse = new int[dims.length];
                for (int i = 0; i < dims.length; i++) {
                    permuted[i] = dims[perm[i]];
                    inverse[perm[i]] = i;
                }
                out = dest != null ? dest : newArray(x.dtype(), x.size());
                Strided.permute(data, permuted, inverse, out);
            }
            return out instanceof float[] ? Tensor.wrap((float[]) out, x.shape())
                    : Tensor.wrap((double[]) out, x.shape());
        }

        /** A per-channel parameter: x's dtype, one value per channel, a shape that only adds or drops 1s. */
        void checkParam(Tensor p, String name, Tensor x) {
            if (p == null) {
                return;
            }
            Checks.sameDType(x, "x", p, name);
            boolean ok = p.size() == channels
                    && (p.rank() == 1 || squeezed(p.shape().dims()).equals(squeezed(statShape.dims())));
            if (!ok) {
                throw new IllegalArgumentException(name + " has shape " + p.shape() + ": expected one value per "
                        + "channel, shape " + statShape + " (the kept axes of x " + x.shape()
                        + "), the same with size-1 axes added, or (" + channels + ",)");
            }
        }

        private static java.util.List<Integer> squeezed(int[] d) {
            java.util.List<Integer> out = new java.util.ArrayList<>();
            for (int v : d) {
                if (v != 1) {
                    out.add(v);
                }
            }
            return out;
        }
    }
}
