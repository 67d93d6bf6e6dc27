package org.norm4j.ops;

import java.util.Arrays;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Channels;
import org.norm4j.kernel.LocalResponse;
import org.norm4j.kernel.Reduce;
import org.norm4j.kernel.ReductionPlan;

/**
 * The {@code tf.nn} normalization functions, with TensorFlow's names (in camelCase), argument order,
 * defaults and formulas. See docs/ops.md for the side-by-side table.
 *
 * <ul>
 *   <li>{@link #moments} - {@code tf.nn.moments(x, axes, keepdims)}: mean and biased variance.</li>
 *   <li>{@link #weightedMoments} - {@code tf.nn.weighted_moments(x, axes, frequency_weights, keepdims)}.</li>
 *   <li>{@link #sufficientStatistics} - {@code tf.nn.sufficient_statistics(x, axes, shift, keepdims)}.</li>
 *   <li>{@link #normalizeMoments} - {@code tf.nn.normalize_moments(counts, mean_ss, variance_ss, shift)}.</li>
 *   <li>{@link #batchNormalization} - {@code tf.nn.batch_normalization(x, mean, variance, offset, scale,
 *       variance_epsilon)}.</li>
 *   <li>{@link #fusedBatchNorm} - {@code tf.compat.v1.nn.fused_batch_norm} / raw op {@code FusedBatchNormV3}.</li>
 *   <li>{@link #fusedBatchNormGrad} - raw op {@code FusedBatchNormGradV3}.</li>
 *   <li>{@link #l2Normalize} - {@code tf.math.l2_normalize(x, axis, epsilon=1e-12)}.</li>
 *   <li>{@link #localResponseNormalization} - {@code tf.nn.local_response_normalization(input,
 *       depth_radius=5, bias=1, alpha=1, beta=0.5)}; {@link #localResponseNormalizationGrad} - {@code LRNGrad}.</li>
 *   <li>{@link #standardize} - the seed's {@code (x - mean) / sqrt(variance + keras.backend.epsilon())}.</li>
 * </ul>
 *
 * <p>Differences from TensorFlow, all deliberate: statistics are accumulated in double (float32 results
 * are at least as accurate as TensorFlow's, and far more so on data with a large offset); duplicate axes
 * are an error everywhere (TensorFlow silently drops them in {@code sufficient_statistics}); float64 is
 * accepted by the fused and LRN functions, whose TensorFlow kernels are float32 only.
 *
 * <p>Gradients (see {@link GradientTape}): {@link #moments} and {@link #fusedBatchNorm} are single ops with
 * hand-written backward passes ({@code moments} from recorded ops, {@code fusedBatchNorm} through
 * {@link #fusedBatchNormGrad} with the saved reserve spaces); {@link #localResponseNormalization} goes through
 * {@link #localResponseNormalizationGrad}; the other functions are compositions of recorded ops. The raw gradient
 * ops themselves have no gradient.
 */
public final class Nn {
    /** Keras's {@code backend.epsilon()}: 1e-7. */
    public static final double KERAS_EPSILON = 1e-7;
    /** Default epsilon of {@link #l2Normalize}: 1e-12. */
    public static final double L2_EPSILON = 1e-12;
    /** Default epsilon of {@code tf.compat.v1.nn.fused_batch_norm}: 1e-3. */
    public static final double FUSED_BATCH_NORM_EPSILON = 1e-3;

    private Nn() {
    }

    /** Mean and variance, as returned by {@link #moments} and {@link #normalizeMoments}. */
    public record Moments(Tensor mean, Tensor variance) {
    }

    /** The four outputs of {@link #sufficientStatistics}; {@code shift} may be null. */
    public record SufficientStatistics(Tensor count, Tensor meanSS, Tensor varianceSS, Tensor shift) {
    }

    /**
     * Outputs of {@link #fusedBatchNorm}, named as in {@code FusedBatchNormV3}. In training,
     * {@code batchVariance} is Bessel-corrected ({@code n/(n-1)}, 1 when n = 1) and averaged with the input
     * variance when {@code exponentialAvgFactor != 1}; {@code reserveSpace1} and {@code reserveSpace2} are the
     * batch mean and the <em>biased</em> batch variance that {@link #fusedBatchNormGrad} needs.
     */
    public record FusedBatchNormResult(Tensor y, Tensor batchMean, Tensor batchVariance, Tensor reserveSpace1,
            Tensor reserveSpace2) {
    }

    /** Outputs of {@link #fusedBatchNormGrad}, named as in {@code FusedBatchNormGradV3}. */
    public record FusedBatchNormGradResult(Tensor xBackprop, Tensor scaleBackprop, Tensor offsetBackprop) {
    }

    // ---- moments -----------------------------------------------------------------------------------

    /**
     * {@code tf.nn.moments(x, axes, keepdims)}: mean and biased (population) variance over {@code axes}.
     * Two-pass (or, for float32, its shifted single-read equivalent within the bound of {@code
     * kernel.ShiftedMoments}) and accumulated in double, so it stays accurate when the mean is large against the
     * spread.
     */
    public static Moments moments(Tensor x, int[] axes, boolean keepDims) {
        Objects.requireNonNull(axes, "axes must not be null (use all axes explicitly)");
        Reductions.Prepared p = new Reductions.Prepared(x, axes, keepDims, "axes");
        p.requireNonEmpty("moments", x);
        double[][] mm = Reduce.moments(p.data, p.plan);
        double[] var = mm[1];
        for (int i = 0; i < var.length; i++) {
            var[i] /= p.plan.count;
        }
        Tensor mean = Reductions.fromDoubles(mm[0], x.dtype(), p.outShape);
        Tensor variance = Reductions.fromDoubles(var, x.dtype(), p.outShape);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Moments", new Tensor[] {x}, new Tensor[] {mean, variance},
                (g, need) -> new Tensor[] {momentsBackward(g[0], g[1], x, mean, p.keptShape, p.plan.count)});
        }
        return new Moments(mean, variance);
    }

    /**
     * The fused backward of {@link #moments}: {@code dx = dmean / N + dvar * 2 (x - mean) / N}, built from
     * recorded ops; either upstream gradient may be null.
     */
    private static Tensor momentsBackward(Tensor gMean, Tensor gVar, Tensor x, Tensor mean, Shape kept, long n) {
        Tensor dx = null;
        if (gVar != null) {
            Tensor centred = Elementwise.sub(x, Manipulation.reshape(mean, kept.dims()));
            dx = Elementwise.mul(Manipulation.reshape(gVar, kept.dims()),
                    Elementwise.mul(centred, Tensor.scalar(2.0 / n, x.dtype())));
        }
        if (gMean != null) {
            Tensor gm = Elementwise.div(Manipulation.reshape(gMean, kept.dims()), Tensor.scalar(n, x.dtype()));
            dx = dx == null ? Manipulation.broadcastTo(gm, x.shape().dims()) : Elementwise.add(dx, gm);
        }
        return dx;
    }

    /** {@code tf.nn.moments(x, axes)} with {@code keepdims=False}. */
    public static Moments moments(Tensor x, int... axes) {
        return moments(x, axes, false);
    }

    /**
     * {@code tf.nn.weighted_moments(x, axes, frequency_weights, keepdims)}: frequency-weighted mean and
     * biased variance; weights broadcast to {@code x}. Where the total weight is 0 both are 0 (TensorFlow's
     * {@code div_no_nan}).
     */
    public static Moments weightedMoments(Tensor x, int[] axes, Tensor frequencyWeights, boolean keepDims) {
        Checks.notNull(x, "x");
        Checks.notNull(frequencyWeights, "frequencyWeights");
        Objects.requireNonNull(axes, "axes must not be null");
        Checks.sameDType(x, "x", frequencyWeights, "frequencyWeights");
        Shape full = Shape.broadcast(x.shape(), frequencyWeights.shape());
        if (!full.equals(x.shape())) {
            throw new IllegalArgumentException("frequencyWeights of shape " + frequencyWeights.shape()
                    + " broadcast with x " + x.shape() + " to " + full
                    + ": expected weights that broadcast to the shape of x");
        }
        Tensor xd = x.asType(DType.FLOAT64);
        Tensor w = Elementwise.add(frequencyWeights.asType(DType.FLOAT64), Tensor.zeros(DType.FLOAT64,
                x.shape().dims()));
        Tensor wSum = Reductions.sum(w, axes, true);
        Tensor mean = divNoNan(Reductions.sum(Elementwise.mul(w, xd), axes, true), wSum);
        Tensor var = divNoNan(Reductions.sum(Elementwise.mul(w, Elementwise.squaredDifference(xd, mean)), axes,
                true), wSum);
        Shape out = x.shape().reduce(x.shape().normalizeAxes(axes, "axes"), keepDims);
        return new Moments(Manipulation.reshape(mean, out.dims()).asType(x.dtype()),
                Manipulation.reshape(var, out.dims()).asType(x.dtype()));
    }

    /**
     * {@code tf.math.divide_no_nan} for float64 tensors of equal shape; gradient as TF's: {@code div_no_nan(g,
     * b)} and {@code g * div_no_nan(div_no_nan(-a, b), b)}.
     */
    private static Tensor divNoNan(Tensor a, Tensor b) {
        double[] av = a.rawDoubles();
        double[] bv = b.rawDoubles();
        double[] out = Tensor.newDoubles(av.length);
        for (int i = 0; i < out.length; i++) {
            out[i] = bv[i] == 0 ? 0 : av[i] / bv[i];
        }
        Tensor y = Tensor.wrap(out, a.shape());
        if (GradientTape.anyRecording()) {
            GradientTape.record("DivNoNan", y, (g, need) -> new Tensor[] {need[0] ? divNoNan(g, b) : null,
                need[1] ? Elementwise.mul(g, divNoNan(divNoNan(Elementwise.neg(a), b), b)) : null}, a, b);
        }
        return y;
    }

    /**
     * {@code tf.nn.sufficient_statistics(x, axes, shift, keepdims)}: the element count (a scalar of x's
     * dtype), {@code sum(x - shift)} and {@code sum((x - shift)^2)}, or {@code sum(x)} and {@code sum(x^2)}
     * when {@code shift} is null.
     */
    public static SufficientStatistics sufficientStatistics(Tensor x, int[] axes, Tensor shift, boolean keepDims) {
        Checks.notNull(x, "x");
        Objects.requireNonNull(axes, "axes must not be null");
        int[] norm = x.shape().normalizeAxes(axes, "axes");
        long count = 1;
        for (int a : norm) {
            count *= x.shape().dim(a);
        }
        Tensor m;
        Tensor v;
        if (shift != null) {
            Checks.sameDType(x, "x", shift, "shift");
            m = Reductions.sum(Elementwise.sub(x, shift), axes, keepDims);
            v = Reductions.sum(Elementwise.squaredDifference(x, shift), axes, keepDims);
        } else {
            m = Reductions.sum(x, axes, keepDims);
            v = Reductions.sum(Elementwise.square(x), axes, keepDims);
        }
        return new SufficientStatistics(Tensor.scalar(count, x.dtype()), m, v, shift);
    }

    /**
     * {@code tf.nn.normalize_moments(counts, mean_ss, variance_ss, shift)}: {@code mean = mean_ss / counts
     * (+ shift)}, {@code variance = variance_ss / counts - (mean_ss / counts)^2}, evaluated in the inputs'
     * dtype in TensorFlow's order. This one-pass formula is not clamped and loses accuracy when the mean is
     * large against the spread; prefer {@link #moments}.
     */
    public static Moments normalizeMoments(Tensor counts, Tensor meanSS, Tensor varianceSS, Tensor shift) {
        Checks.notNull(counts, "counts");
        Checks.notNull(meanSS, "meanSS");
        Checks.notNull(varianceSS, "varianceSS");
        Checks.sameDType(meanSS, "meanSS", counts, "counts");
        Checks.sameDType(meanSS, "meanSS", varianceSS, "varianceSS");
        Tensor d = Elementwise.reciprocal(counts);
        Tensor sm = Elementwise.mul(meanSS, d);
        Tensor mean = shift == null ? sm : Elementwise.add(sm, shift);
        Tensor variance = Elementwise.sub(Elementwise.mul(varianceSS, d), Elementwise.square(sm));
        return new Moments(mean, variance);
    }

    // ---- batch normalization -----------------------------------------------------------------------

    /**
     * {@code tf.nn.batch_normalization(x, mean, variance, offset, scale, variance_epsilon)} in TensorFlow's
     * order: {@code inv = rsqrt(variance + eps) * scale; y = x * inv + (offset - mean * inv)}. The statistics
     * and parameters broadcast against {@code x}; {@code offset} and {@code scale} may be null. Differentiable
     * with respect to every input: when a recording tape tracks one of them, the final multiply-add runs as
     * recorded ops instead of the fused pass.
     */
    public static Tensor batchNormalization(Tensor x, Tensor mean, Tensor variance, Tensor offset, Tensor scale,
            double varianceEpsilon) {
        Checks.notNull(x, "x");
        Checks.notNull(mean, "mean");
        Checks.notNull(variance, "variance");
        Checks.epsilon(varianceEpsilon, "varianceEpsilon");
        Checks.sameDType(x, "x", mean, "mean");
        Checks.sameDType(x, "x", variance, "variance");
        Tensor inv = Elementwise.rsqrt(Elementwise.add(variance, Tensor.scalar(varianceEpsilon, x.dtype())));
        if (scale != null) {
            Checks.sameDType(x, "x", scale, "scale");
            inv = Elementwise.mul(inv, scale);
        }
        Tensor meanInv = Elementwise.mul(mean, inv);
        Tensor addend;
        if (offset != null) {
            Checks.sameDType(x, "x", offset, "offset");
            addend = Elementwise.sub(offset, meanInv);
        } else {
            addend = Elementwise.neg(meanInv);
        }
        Shape out = Shape.broadcast(Shape.broadcast(x.shape(), inv.shape()), addend.shape());
        int c = x.rank() == 0 ? 1 : x.shape().dim(-1);
        boolean differentiate = GradientTape.anyRecording() && GradientTape.anyTracked(x, inv, addend);
        if (!differentiate && out.equals(x.shape()) && isLastAxisVector(inv, x) && isLastAxisVector(addend, x)) {
            // one fused pass: (x - 0) * inv + addend, bit-identical to x * inv + addend
            Object zero = Tensor.newArray(x.dtype(), c);
            Tensor y = Tensor.wrapNew(x.dtype(), x.shape());
            Channels.scaleShift(x.raw(), x.size() / Math.max(1, c), c, 1, zero, expand(inv, c).raw(),
                    expand(addend, c).raw(), y.raw());
            return y;
        }
        // the composed path: what TF runs, and what a tape differentiates when an input is watched
        return Elementwise.add(Elementwise.mul(x, inv), addend);
    }

    /** True if {@code p} is a per-last-axis parameter for x: shape (..., 1, C) or (C,) or a scalar. */
    private static boolean isLastAxisVector(Tensor p, Tensor x) {
        int[] d = p.shape().dims();
        if (x.rank() == 0 || d.length > x.rank()) {
            return false;
        }
        for (int i = 0; i < d.length - 1; i++) {
            if (d[i] != 1) {
                return false;
            }
        }
        return d.length == 0 || d[d.length - 1] == 1 || d[d.length - 1] == x.shape().dim(-1);
    }

    private static Tensor expand(Tensor p, int c) {
        if (p.size() == c) {
            return p;
        }
        return Elementwise.add(p, Tensor.zeros(p.dtype(), c));
    }

    /**
     * {@code tf.compat.v1.nn.fused_batch_norm(x, scale, offset, mean, variance, epsilon, data_format,
     * is_training, exponential_avg_factor)}, i.e. the raw op {@code FusedBatchNormV3}.
     *
     * <p>Training: {@code y = (x - mu) * (rsqrt(var + eps) * scale) + offset} with the batch mean and biased
     * batch variance per channel; {@code batchMean = (1-f) * mean + f * mu} and {@code batchVariance = (1-f) *
     * variance + f * var * n/(n-1)} (with {@code f = exponentialAvgFactor}; when {@code f == 1}, {@code mean}
     * and {@code variance} may be null). Inference: the given mean and variance are used and passed through.
     * epsilon is never clamped (unlike old Python wrappers that raised it to 1.001e-5).
     *
     * @param x rank-4 (NHWC/NCHW) or rank-5 (NDHWC/NCDHW) data
     * @param scale per-channel gamma, shape (C,)
     * @param offset per-channel beta, shape (C,)
     * @param mean per-channel population mean (C,), or null in training with factor 1
     * @param variance per-channel population variance (C,), or null in training with factor 1
     * @param epsilon added to the variance; {@link #FUSED_BATCH_NORM_EPSILON} in the Python wrapper
     * @param dataFormat "NHWC" (default), "NCHW", "NDHWC" or "NCDHW"
     * @param isTraining batch statistics (true) or the given ones (false)
     * @param exponentialAvgFactor weight of the batch statistics in the running averages, in [0, 1]
     */
    public static FusedBatchNormResult fusedBatchNorm(Tensor x, Tensor scale, Tensor offset, Tensor mean,
            Tensor variance, double epsilon, String dataFormat, boolean isTraining, double exponentialAvgFactor) {
        return runFusedBatchNorm(x, scale, offset, mean, variance, epsilon, dataFormat, isTraining,
                exponentialAvgFactor, null, false);
    }

    /**
     * {@link #fusedBatchNorm(Tensor, Tensor, Tensor, Tensor, Tensor, double, String, boolean, double)} writing
     * {@code y} into {@code yOut} instead of a new array, for loops that reuse one output buffer: a new Java
     * array is zeroed when it is allocated, one more write pass over a large output. Every element of
     * {@code yOut} is written, so its previous contents do not matter. The returned {@code y} is
     * {@code Tensor.wrap(yOut, x.shape())}, a view of the array: it changes when the array is reused. The
     * other outputs are new tensors, as in the allocating variant, and all results are the same bits.
     *
     * @param yOut a {@code float[]} of exactly {@code x.size()} elements, for float32 {@code x}; not x's own
     *     backing array
     * @throws NullPointerException if {@code yOut} is null
     * @throws IllegalArgumentException for the allocating variant's reasons, or a {@code yOut} of the wrong
     *     length or element type, or one that is x's backing array
     * @throws IllegalStateException if a {@link GradientTape} is recording (destination variants are not
     *     recorded; use the allocating variant inside a tape)
     */
    public static FusedBatchNormResult fusedBatchNorm(Tensor x, Tensor scale, Tensor offset, Tensor mean,
            Tensor variance, double epsilon, String dataFormat, boolean isTraining, double exponentialAvgFactor,
            float[] yOut) {
        return runFusedBatchNorm(x, scale, offset, mean, variance, epsilon, dataFormat, isTraining,
                exponentialAvgFactor, yOut, true);
    }

    /**
     * Float64 version of {@link #fusedBatchNorm(Tensor, Tensor, Tensor, Tensor, Tensor, double, String,
     * boolean, double, float[])}: {@code yOut} is a {@code double[]} of {@code x.size()} elements for float64
     * {@code x}; the returned {@code y} is a view of it.
     *
     * @throws NullPointerException if {@code yOut} is null
     * @throws IllegalArgumentException for a {@code yOut} of the wrong length or element type, or x's own array
     * @throws IllegalStateException if a {@link GradientTape} is recording
     */
    public static FusedBatchNormResult fusedBatchNorm(Tensor x, Tensor scale, Tensor offset, Tensor mean,
            Tensor variance, double epsilon, String dataFormat, boolean isTraining, double exponentialAvgFactor,
            double[] yOut) {
        return runFusedBatchNorm(x, scale, offset, mean, variance, epsilon, dataFormat, isTraining,
                exponentialAvgFactor, yOut, true);
    }

    private static FusedBatchNormResult runFusedBatchNorm(Tensor x, Tensor scale, Tensor offset, Tensor mean,
            Tensor variance, double epsilon, String dataFormat, boolean isTraining, double exponentialAvgFactor,
            Object yOut, boolean into) {
        Checks.notNull(x, "x");
        if (into) {
            Checks.destination(yOut, "yOut", x, "x", null, null);
        }
        Checks.notNull(scale, "scale");
        Checks.notNull(offset, "offset");
        Checks.epsilon(epsilon, "epsilon");
        if (!(exponentialAvgFactor >= 0 && exponentialAvgFactor <= 1)) {
            throw new IllegalArgumentException("exponentialAvgFactor = " + exponentialAvgFactor
                    + ": expected a value in [0, 1]");
        }
        DataFormat fmt = DataFormat.parse(dataFormat);
        ChannelView v = ChannelView.of(x, fmt);
        checkChannelParam(scale, "scale", v.channels, x);
        checkChannelParam(offset, "offset", v.channels, x);
        boolean needStats = !isTraining || exponentialAvgFactor != 1.0;
        if (needStats && (mean == null || variance == null)) {
            throw new IllegalArgumentException("mean and variance are null: expected per-channel tensors of shape ("
                    + v.channels + ",) when isTraining is false or exponentialAvgFactor != 1 (got isTraining="
                    + isTraining + ", exponentialAvgFactor=" + exponentialAvgFactor + ")");
        }
        if (mean != null && mean.size() > 0) {
            checkChannelParam(mean, "mean", v.channels, x);
        }
        if (variance != null && variance.size() > 0) {
            checkChannelParam(variance, "variance", v.channels, x);
        }
        ChannelNorm r = new ChannelNorm(x.dtype());
        int c = v.channels;
        double[] mu = Tensor.newDoubles(c);
        double[] var = Tensor.newDoubles(c);
        long n = v.count();
        if (isTraining) {
            if (n == 0) {
                throw new IllegalArgumentException("x of shape " + x.shape()
                        + " has no elements per channel: expected a non-empty batch in training");
            }
            r.batchStatistics(Reduce.moments(x.raw(), v.plan()), n, mu, var);
        } else {
            System.arraycopy(mean.toDoubleArray(), 0, mu, 0, c);
            System.arraycopy(variance.toDoubleArray(), 0, var, 0, c);
        }
        double[] factor = Tensor.newDoubles(c);
        double[] shift = Tensor.newDoubles(c);
        r.normalizeConstants(mu, var, epsilon, scale.toDoubleArray(), offset.toDoubleArray(), null, factor, shift);
        Tensor y = wrapOrNew(yOut, x);
        Channels.scaleShift(x.raw(), v.outer, c, v.inner, r.array(mu), r.array(factor), r.array(shift), y.raw());
        Tensor cShape = Tensor.zeros(x.dtype(), c);
        if (!isTraining) {
            Tensor m = Reductions.fromDoubles(mu, x.dtype(), cShape.shape());
            Tensor vv = Reductions.fromDoubles(var, x.dtype(), cShape.shape());
            return recordFused(new FusedBatchNormResult(y, m, vv, m, vv), x, scale, offset, mean, variance,
                    epsilon, dataFormat, false);
        }
        double adjust = MovingAverages.bessel(n, r.f32);
        double[] bm = Tensor.newDoubles(c);
        double[] bv = Tensor.newDoubles(c);
        double[] m0 = exponentialAvgFactor == 1.0 ? null : mean.toDoubleArray();
        double[] v0 = exponentialAvgFactor == 1.0 ? null : variance.toDoubleArray();
        for (int i = 0; i < c; i++) {
            if (m0 == null) { // TF reads no moving statistics with factor 1
                bm[i] = mu[i];
                bv[i] = r.round(var[i] * adjust);
            } else {
                bm[i] = MovingAverages.tfFused(exponentialAvgFactor, m0[i], mu[i], 1.0, r.f32);
                bv[i] = MovingAverages.tfFused(exponentialAvgFactor, v0[i], var[i], adjust, r.f32);
            }
        }
        return recordFused(new FusedBatchNormResult(y, Reductions.fromDoubles(bm, x.dtype(), cShape.shape()),
                Reductions.fromDoubles(bv, x.dtype(), cShape.shape()),
                Reductions.fromDoubles(mu, x.dtype(), cShape.shape()),
                Reductions.fromDoubles(var, x.dtype(), cShape.shape())), x, scale, offset, mean, variance, epsilon,
                dataFormat, true);
    }

    /**
     * Records {@code FusedBatchNormV3}. Backward, as TF's: {@link #fusedBatchNormGrad} of {@code y}'s gradient
     * with the saved reserve spaces (batch mean and biased variance in training, the given statistics in
     * inference) gives dx, dscale and doffset; the other outputs and the mean and variance inputs carry no
     * gradient (a target built only from them gets zeros).
     */
    private static FusedBatchNormResult recordFused(FusedBatchNormResult r, Tensor x, Tensor scale, Tensor offset,
            Tensor mean, Tensor variance, double epsilon, String dataFormat, boolean isTraining) {
        if (GradientTape.anyRecording()) {
            GradientTape.record("FusedBatchNormV3", new Tensor[] {x, scale, offset, mean, variance},
                new Tensor[] {r.y(), r.batchMean(), r.batchVariance(), r.reserveSpace1(), r.reserveSpace2()},
                (g, need) -> {
                    Tensor dy = g[0] != null ? g[0] : Tensor.zeros(x.dtype(), x.shape().dims());
                    FusedBatchNormGradResult d = fusedBatchNormGrad(dy, x, scale, r.reserveSpace1(),
                            r.reserveSpace2(), epsilon, dataFormat, isTraining);
                    return new Tensor[] {d.xBackprop(), d.scaleBackprop(), d.offsetBackprop(), null, null};
                });
        }
        return r;
    }

    /**
     * {@code fused_batch_norm} with the Python wrapper's defaults: training, epsilon 1e-3, NHWC, factor 1.
     */
    public static FusedBatchNormResult fusedBatchNorm(Tensor x, Tensor scale, Tensor offset) {
        return fusedBatchNorm(x, scale, offset, null, null, FUSED_BATCH_NORM_EPSILON, "NHWC", true, 1.0);
    }

    /**
     * The raw op {@code FusedBatchNormGradV3}: gradients of {@link #fusedBatchNorm}'s {@code y} with respect
     * to x, scale and offset, given the upstream gradient {@code yBackprop}. Pass the forward pass's
     * {@code reserveSpace1} (batch mean) and {@code reserveSpace2} (biased batch variance) in training, or
     * the population mean and variance in inference.
     *
     * <p>Training: {@code dx = scale * r * (dy - mean(dy) - xhat * mean(dy * xhat))} with {@code r = rsqrt(var
     * + eps)}, {@code xhat = (x - mu) * r}; {@code dscale = sum(dy * xhat)}; {@code doffset = sum(dy)}.
     * Inference: {@code dx = dy * scale * r}.
     */
    public static FusedBatchNormGradResult fusedBatchNormGrad(Tensor yBackprop, Tensor x, Tensor scale,
            Tensor reserveSpace1, Tensor reserveSpace2, double epsilon, String dataFormat, boolean isTraining) {
        return runFusedBatchNormGrad(yBackprop, x, scale, reserveSpace1, reserveSpace2, epsilon, dataFormat,
                isTraining, null, false);
    }

    /**
     * {@link #fusedBatchNormGrad(Tensor, Tensor, Tensor, Tensor, Tensor, double, String, boolean)} writing the x
     * gradient into {@code xBackpropOut} instead of a new array (no zeroing pass; every element is written, so
     * the previous contents do not matter). The returned {@code xBackprop} is {@code Tensor.wrap(xBackpropOut,
     * x.shape())}, a view of the array that changes when the array is reused; the scale and offset gradients are
     * new tensors. Same bits as the allocating variant.
     *
     * @param xBackpropOut a {@code float[]} of exactly {@code x.size()} elements, for float32 {@code x}; not the
     *     backing array of {@code x} or {@code yBackprop}
     * @throws NullPointerException if {@code xBackpropOut} is null
     * @throws IllegalArgumentException for the allocating variant's reasons, or an {@code xBackpropOut} of the
     *     wrong length or element type, or one that is x's or yBackprop's backing array
     * @throws IllegalStateException if a {@link GradientTape} is recording (use the allocating variant there)
     */
    public static FusedBatchNormGradResult fusedBatchNormGrad(Tensor yBackprop, Tensor x, Tensor scale,
            Tensor reserveSpace1, Tensor reserveSpace2, double epsilon, String dataFormat, boolean isTraining,
            float[] xBackpropOut) {
        return runFusedBatchNormGrad(yBackprop, x, scale, reserveSpace1, reserveSpace2, epsilon, dataFormat,
                isTraining, xBackpropOut, true);
    }

    /**
     * Float64 version of {@link #fusedBatchNormGrad(Tensor, Tensor, Tensor, Tensor, Tensor, double, String,
     * boolean, float[])}: {@code xBackpropOut} is a {@code double[]} of {@code x.size()} elements.
     *
     * @throws NullPointerException if {@code xBackpropOut} is null
     * @throws IllegalArgumentException for an {@code xBackpropOut} of the wrong length or element type, or the
     *     backing array of x or yBackprop
     * @throws IllegalStateException if a {@link GradientTape} is recording
     */
    public static FusedBatchNormGradResult fusedBatchNormGrad(Tensor yBackprop, Tensor x, Tensor scale,
            Tensor reserveSpace1, Tensor reserveSpace2, double epsilon, String dataFormat, boolean isTraining,
            double[] xBackpropOut) {
        return runFusedBatchNormGrad(yBackprop, x, scale, reserveSpace1, reserveSpace2, epsilon, dataFormat,
                isTraining, xBackpropOut, true);
    }

    private static FusedBatchNormGradResult runFusedBatchNormGrad(Tensor yBackprop, Tensor x, Tensor scale,
            Tensor reserveSpace1, Tensor reserveSpace2, double epsilon, String dataFormat, boolean isTraining,
            Object dxOut, boolean into) {
        Checks.notNull(yBackprop, "yBackprop");
        Checks.notNull(x, "x");
        if (into) {
            Checks.destination(dxOut, "xBackpropOut", x, "x", yBackprop, "yBackprop");
        }
        Checks.notNull(scale, "scale");
        Checks.notNull(reserveSpace1, "reserveSpace1");
        Checks.notNull(reserveSpace2, "reserveSpace2");
        Checks.epsilon(epsilon, "epsilon");
        Checks.sameDType(x, "x", yBackprop, "yBackprop");
        if (!yBackprop.shape().equals(x.shape())) {
            throw new IllegalArgumentException("yBackprop has shape " + yBackprop.shape()
                    + ": expected the shape of x, " + x.shape());
        }
        DataFormat fmt = DataFormat.parse(dataFormat);
        ChannelView v = ChannelView.of(x, fmt);
        int c = v.channels;
        checkChannelParam(scale, "scale", c, x);
        checkChannelParam(reserveSpace1, "reserveSpace1", c, x);
        checkChannelParam(reserveSpace2, "reserveSpace2", c, x);
        ChannelNorm r = new ChannelNorm(x.dtype());
        double[] mu = reserveSpace1.toDoubleArray();
        double[] var = reserveSpace2.toDoubleArray();
        double[][] sums = Reduce.sumAndProductDeviations(yBackprop.raw(), x.raw(), v.plan(), mu); // dy read once
        double[] sumDy = sums[0];
        double[] a = Tensor.newDoubles(c);
        double[] b = Tensor.newDoubles(c);
        double[] cc = Tensor.newDoubles(c);
        double[] dScale = Tensor.newDoubles(c);
        ChannelNorm.backwardConstants(scale.toDoubleArray(), r.inverseStd(var, epsilon), sumDy, sums[1], v.count(),
                isTraining, null, null, mu, a, b, cc, dScale);
        Tensor dx = wrapOrNew(dxOut, x);
        Channels.backward(yBackprop.raw(), x.raw(), v.outer, c, v.inner, r.array(a), r.array(mu), r.array(b),
                r.array(cc), dx.raw());
        Shape cs = Shape.of(c);
        FusedBatchNormGradResult res = new FusedBatchNormGradResult(dx,
                Reductions.fromDoubles(dScale, x.dtype(), cs), Reductions.fromDoubles(sumDy, x.dtype(), cs));
        if (GradientTape.anyRecording()) {
            GradientTape.recordNoGradient("FusedBatchNormGradV3", new Tensor[] {yBackprop, x, scale, reserveSpace1,
                reserveSpace2}, res.xBackprop(), res.scaleBackprop(), res.offsetBackprop());
        }
        return res;
    }

    /** A new zero tensor shaped like x, or {@code out} (x's element type and size, checked) wrapped. */
    private static Tensor wrapOrNew(Object out, Tensor x) {
        if (out == null) {
            return Tensor.wrapNew(x.dtype(), x.shape());
        }
        return out instanceof float[] ? Tensor.wrap((float[]) out, x.shape()) : Tensor.wrap((double[]) out, x.shape());
    }

    private static void checkChannelParam(Tensor p, String name, int channels, Tensor x) {
        Checks.sameDType(x, "x", p, name);
        if (p.rank() != 1 || p.size() != channels) {
            throw new IllegalArgumentException(name + " has shape " + p.shape() + ": expected (" + channels
                    + ",), one value per channel of x " + x.shape());
        }
    }

    /** x viewed as [outer, channels, inner] around the channel axis of a data format. */
    private static final class ChannelView {
        final int outer;
        final int channels;
        final int inner;
        final int[] dims;
        final int axis;

        private ChannelView(int[] dims, int axis) {
            this.dims = dims;
            this.axis = axis;
            int o = Shape.product(dims, 0, axis);
            int in = Shape.product(dims, axis + 1, dims.length);
            this.outer = o;
            this.channels = dims[axis];
            this.inner = in;
        }

        static ChannelView of(Tensor x, DataFormat fmt) {
            if (x.rank() != fmt.rank()) {
                throw new IllegalArgumentException("x has shape " + x.shape() + " (rank " + x.rank()
                        + "): expected rank " + fmt.rank() + " for dataFormat " + fmt);
            }
            return new ChannelView(x.shape().dims(), fmt.channelAxis());
        }

        long count() {
            return (long) outer * inner;
        }

        ReductionPlan plan() {
            int[] axes = new int[dims.length - 1];
            for (int i = 0, j = 0; i < dims.length; i++) {
                if (i != axis) {
                    axes[j++] = i;
                }
            }
            return ReductionPlan.of(dims, axes);
        }
    }

    // ---- l2 and local response normalization --------------------------------------------------------

    /**
     * {@code tf.math.l2_normalize(x, axis, epsilon)}: {@code x * rsqrt(max(sum(x^2, axes), epsilon))}.
     * epsilon bounds the <em>squared</em> norm (Keras's {@code UnitNormalization} bounds the norm).
     *
     * @param axes the axes to normalize over, or null for all
     */
    public static Tensor l2Normalize(Tensor x, int[] axes, double epsilon) {
        Checks.notNull(x, "x");
        Checks.epsilon(epsilon, "epsilon");
        Tensor ss = Reductions.sum(Elementwise.square(x), axes, true);
        Tensor inv = Elementwise.rsqrt(Elementwise.maximum(ss, Tensor.scalar(epsilon, x.dtype())));
        return Elementwise.mul(x, inv);
    }

    /** {@code tf.math.l2_normalize(x, axis)} with epsilon 1e-12; no axes means all. */
    public static Tensor l2Normalize(Tensor x, int... axes) {
        return l2Normalize(x, axes == null || axes.length == 0 ? null : axes, L2_EPSILON);
    }

    /**
     * {@code tf.nn.local_response_normalization(input, depth_radius, bias, alpha, beta)} over the last axis
     * of a rank-4 tensor: {@code x[d] / (bias + alpha * sum_{|k-d| <= r} x[k]^2)^beta}. alpha is not divided
     * by the window size (Caffe and PyTorch divide it).
     */
    public static Tensor localResponseNormalization(Tensor input, int depthRadius, double bias, double alpha,
            double beta) {
        Checks.notNull(input, "input");
        checkLrn(input, depthRadius, bias, alpha, beta);
        Tensor y = Tensor.wrapNew(input.dtype(), input.shape());
        int depth = input.shape().dim(3);
        LocalResponse.forward(input.raw(), input.size() / Math.max(1, depth), depth, depthRadius, bias, alpha,
                beta, y.raw());
        if (GradientTape.anyRecording()) {
            GradientTape.record("LRN", y, (g, need) -> new Tensor[] {
                localResponseNormalizationGrad(g, input, y, depthRadius, bias, alpha, beta)}, input);
        }
        return y;
    }

    /** {@code tf.nn.local_response_normalization} with defaults depth_radius=5, bias=1, alpha=1, beta=0.5. */
    public static Tensor localResponseNormalization(Tensor input) {
        return localResponseNormalization(input, 5, 1.0, 1.0, 0.5);
    }

    /**
     * The raw op {@code LRNGrad(input_grads, input_image, output_image, depth_radius, bias, alpha, beta)}:
     * the gradient of {@link #localResponseNormalization} with respect to its input.
     */
    public static Tensor localResponseNormalizationGrad(Tensor inputGrads, Tensor inputImage, Tensor outputImage,
            int depthRadius, double bias, double alpha, double beta) {
        Checks.notNull(inputGrads, "inputGrads");
        Checks.notNull(inputImage, "inputImage");
        Checks.notNull(outputImage, "outputImage");
        checkLrn(inputImage, depthRadius, bias, alpha, beta);
        Checks.sameDType(inputImage, "inputImage", inputGrads, "inputGrads");
        Checks.sameDType(inputImage, "inputImage", outputImage, "outputImage");
        if (!inputGrads.shape().equals(inputImage.shape()) || !outputImage.shape().equals(inputImage.shape())) {
            throw new IllegalArgumentException("inputGrads " + inputGrads.shape() + ", inputImage "
                    + inputImage.shape() + " and outputImage " + outputImage.shape()
                    + ": expected three tensors of the same shape");
        }
        Tensor dx = Tensor.wrapNew(inputImage.dtype(), inputImage.shape());
        int depth = inputImage.shape().dim(3);
        LocalResponse.backward(inputGrads.raw(), inputImage.raw(), outputImage.raw(),
                inputImage.size() / Math.max(1, depth), depth, depthRadius, bias, alpha, beta, dx.raw());
        if (GradientTape.anyRecording()) {
            GradientTape.recordNoGradient("LRNGrad", new Tensor[] {inputGrads, inputImage, outputImage}, dx);
        }
        return dx;
    }

    private static void checkLrn(Tensor x, int depthRadius, double bias, double alpha, double beta) {
        Checks.rank(x, "input", 4);
        if (depthRadius < 0) {
            throw new IllegalArgumentException("depthRadius = " + depthRadius + ": expected a value >= 0");
        }
        if (!Double.isFinite(bias) || !Double.isFinite(alpha) || !Double.isFinite(beta)) {
            throw new IllegalArgumentException("bias = " + bias + ", alpha = " + alpha + ", beta = " + beta
                    + ": expected finite values");
        }
    }

    // ---- standardize -------------------------------------------------------------------------------

    /**
     * The seed's feature-wise normalization: {@code mean, variance = tf.nn.moments(x, axes=[0])} then
     * {@code (x - mean) / sqrt(variance + keras.backend.epsilon())}, epsilon 1e-7.
     */
    public static Tensor standardize(Tensor x) {
        return standardize(x, new int[] {0}, KERAS_EPSILON);
    }

    /** {@code (x - mean) / sqrt(variance + epsilon)} with the moments taken over {@code axes} (kept dims). */
    public static Tensor standardize(Tensor x, int[] axes, double epsilon) {
        Checks.notNull(x, "x");
        Checks.epsilon(epsilon, "epsilon");
        Moments m = moments(x, axes, true);
        Tensor denom = Elementwise.sqrt(Elementwise.add(m.variance(), Tensor.scalar(epsilon, x.dtype())));
        return Elementwise.div(Elementwise.sub(x, m.mean()), denom);
    }

    /** Formats an int array for messages. */
    static String str(int[] a) {
        return Arrays.toString(a);
    }
}
