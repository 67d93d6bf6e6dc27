package org.norm4j.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;


/**
 * Test-support oracle: evaluates real TensorFlow (2.18, through TensorFlow Java 1.1.0) ops on plain
 * Java arrays so that conformance tests never touch TensorFlow Java types.
 *
 * <h2>Data</h2>
 * Every tensor is an {@link Arr}: row-major {@code double[]} data, an {@code int[]} shape and a
 * dtype flag. A float32 {@code Arr} holds values that are exactly representable as {@code float}
 * (the factories round, the constructor checks); it is turned into a {@code TFloat32} on the way in
 * and widened back exactly on the way out. The output dtype of every op is the input dtype, as in TF.
 *
 * <h2>Execution</h2>
 * Forward ops run eagerly, op by op, like Python TF 2.x eager code: each public call opens its own
 * {@link EagerSession} and closes it (with every tensor it produced) before returning, so nothing
 * leaks and calls are independent of each other. A small call costs about half a millisecond (a
 * gradient call a few ms) once the native library is loaded; the first call pays a few seconds.
 * Compositions ({@link #moments}, {@link #batchNormalization}, ...) build exactly the op sequence
 * that the named Python function builds, in the same operand order, so rounding matches.
 * TensorFlow errors (bad shapes, unsupported dtypes, ...) surface as {@link TfError}.
 *
 * <h2>Gradients</h2>
 * {@link #gradients(Fn, GradParams, Arr, Arr...)} returns, for one of the {@link Fn} compositions
 * {@code f}, the forward value {@code f(inputs)} and the gradients of {@code reduce_sum(w * f(inputs))}
 * with respect to each input ({@code w == null} means plain {@code reduce_sum(f)}). It builds the
 * forward composition in a {@link Graph} with one placeholder per input and adds the symbolic
 * gradients with {@code Graph.addGradients} (TensorFlow's C++ gradient registry). For the two raw
 * fused ops the gradient function of Python TF is applied instead, on the upstream gradient
 * {@code d loss / d y}: {@code LRNGrad(dy, x, y, same attrs)} (the C++ registry's LRN gradient
 * ignores the op's attributes and silently uses the defaults, a TF bug) and
 * {@code FusedBatchNormGradV3(dy, x, scale, reserve_space_1..3, same attrs)}. The graph runs in a
 * {@link Session} whose Grappler/graph optimizations are switched off, so each kernel runs as
 * it would eagerly under a Python {@code GradientTape}. Inputs per function (gradients come back
 * in the same order; a {@code null} optional input yields a {@code null} gradient):
 * <ul>
 *   <li>{@link Fn#MOMENTS_MEAN}, {@link Fn#MOMENTS_VARIANCE}: {@code x};
 *       params {@link GradParams#moments(int[], boolean)}</li>
 *   <li>{@link Fn#BATCH_NORMALIZATION}: {@code x, mean, variance, offset|null, scale|null};
 *       params {@link GradParams#batchNorm(double)}</li>
 *   <li>{@link Fn#L2_NORMALIZE}: {@code x}; params {@link GradParams#l2Normalize(int[], double)}</li>
 *   <li>{@link Fn#LRN}: {@code x} (rank 4 float32); params {@link GradParams#lrn}</li>
 *   <li>{@link Fn#FUSED_BATCH_NORM_TRAINING}: {@code x, scale, offset} (float32), output {@code y}
 *       of {@code FusedBatchNormV3} with {@code is_training=true}, {@code exponential_avg_factor=1}
 *       and empty mean/variance; params {@link GradParams#fusedBatchNorm(double, String)}</li>
 * </ul>
 *
 * <h2>Example</h2>
 * <pre>{@code
 * assumeTrue(Tf.available(), Tf::unavailableReason);
 * Tf.Moments m = Tf.moments(Tf.Arr.vec32(0, 1, 2, 3, 100), new int[] {0}, false); // 21.2, 1553.3601
 * Tf.GradResult g = Tf.gradients(Tf.Fn.L2_NORMALIZE, Tf.GradParams.l2Normalize(null, 1e-12),
 *         Tf.Arr.vec32(1, 0), Tf.Arr.vec32(3, 4));              // g.grad(0) = [0.128, -0.096]
 * }</pre>
 *
 * <h2>Availability</h2>
 * Guard tests with {@code assumeTrue(Tf.available(), Tf.unavailableReason())}; {@link #available()}
 * never throws, even if the native library (or the TF Java classes) cannot load on this platform:
 * all TF-typed code lives in the package-private class {@code TfImpl}, which is linked only on use.
 */
public final class Tf {

    private Tf() {}

    // ------------------------------------------------------------------ data types

    /**
     * A dense row-major tensor: {@code data.length} equals the product of {@code shape} (1 for a
     * scalar, whose shape is {@code int[0]}). Float32 values must be exact floats. Arrays are
     * copied on construction; equality is by value.
     */
    public record Arr(double[] data, int[] shape, boolean float64) {
        public Arr {
            Objects.requireNonNull(data, "data");
            Objects.requireNonNull(shape, "shape");
            data = data.clone();
            shape = shape.clone();
            long n = 1;
            for (int d : shape) {
                if (d < 0) throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
                n *= d;
            }
            if (n != data.length) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs " + n
                        + " values, got " + data.length);
            }
            if (!float64) {
                for (double v : data) {
                    if ((double) (float) v != v && !Double.isNaN(v)) {
                        throw new IllegalArgumentException("not an exact float32 value: " + v + " (use Arr.f32)");
                    }
                }
            }
        }

        /** Float32 tensor of the given shape; values are rounded to float. */
        public static Arr f32(int[] shape, double... data) {
            double[] r = new double[data.length];
            for (int i = 0; i < r.length; i++) r[i] = (float) data[i];
            return new Arr(r, shape, false);
        }

        /** Float64 tensor of the given shape. */
        public static Arr f64(int[] shape, double... data) { return new Arr(data, shape, true); }

        /** Float32 vector (rounded to float). */
        public static Arr vec32(double... data) { return f32(new int[] {data.length}, data); }

        /** Float64 vector. */
        public static Arr vec64(double... data) { return f64(new int[] {data.length}, data); }

        /** Float32 scalar (rounded to float). */
        public static Arr scalar32(double v) { return f32(new int[0], v); }

        /** Float64 scalar. */
        public static Arr scalar64(double v) { return f64(new int[0], v); }

        /** Tensor of the given dtype and shape filled with {@code v} (rounded to float for float32). */
        public static Arr filled(boolean float64, double v, int... shape) {
            int n = 1;
            for (int d : shape) n *= d;
            double[] r = new double[n];
            Arrays.fill(r, float64 ? v : (float) v);
            return new Arr(r, shape, float64);
        }

        /** Same values in the other dtype (float64 to float32 rounds to nearest, like TF's Cast). */
        public Arr withDtype(boolean toFloat64) {
            if (toFloat64 == float64) return this;
            return toFloat64 ? new Arr(data, shape, true) : f32(shape, data);
        }

        public int rank() { return shape.length; }

        public int size() { return data.length; }

        /** The element at a multi-index (row-major). */
        public double get(int... index) {
            if (index.length != shape.length) throw new IllegalArgumentException("rank mismatch");
            int flat = 0;
            for (int i = 0; i < index.length; i++) {
                if (index[i] < 0 || index[i] >= shape[i]) throw new IndexOutOfBoundsException(Arrays.toString(index));
                flat = flat * shape[i] + index[i];
            }
            return data[flat];
        }

        /** The data as floats (exact for float32 arrays). */
        public float[] toFloats() {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) data[i];
            return f;
        }

        @Override public boolean equals(Object o) {
            return o instanceof Arr a && a.float64 == float64 && Arrays.equals(a.shape, shape)
                    && Arrays.equals(a.data, data);
        }

        @Override public int hashCode() {
            return 31 * (31 * Arrays.hashCode(data) + Arrays.hashCode(shape)) + Boolean.hashCode(float64);
        }

        @Override public String toString() {
            return (float64 ? "f64" : "f32") + Arrays.toString(shape) + Arrays.toString(data);
        }
    }

    /** Result of {@link #moments} and {@link #weightedMoments}; also of {@link #normalizeMoments}. */
    public record Moments(Arr mean, Arr variance) {}

    /** Result of {@link #sufficientStatistics}: scalar {@code count} in x's dtype, and the sums. */
    public record SufficientStats(Arr count, Arr meanSS, Arr varianceSS) {}

    /** The first five outputs of {@code FusedBatchNormV3} ({@code reserve_space_3} is omitted). */
    public record FusedBatchNormResult(Arr y, Arr batchMean, Arr batchVariance, Arr reserveSpace1,
            Arr reserveSpace2) {}

    /** The first three outputs of {@code FusedBatchNormGradV3}. */
    public record FusedBatchNormGradResult(Arr xBackprop, Arr scaleBackprop, Arr offsetBackprop) {}

    /** Thrown when TensorFlow rejects an op (wraps the TF Java exception, message preserved). */
    public static final class TfError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TfError(Throwable cause) { super(cause.getMessage(), cause); }
    }

    // ------------------------------------------------------------------ availability

    private static final class Probe {
        static final String REASON = probe();

        private static String probe() {
            try {
                TfImpl.smokeRun();
                return null;
            } catch (VirtualMachineError e) {
                throw e;
            } catch (Throwable t) { // UnsatisfiedLinkError, ExceptionInInitializerError, NoClassDefFoundError, ...
                return t.toString();
            }
        }
    }

    /** True if the TensorFlow runtime loads and runs here. Never throws (except VM errors like OOM). */
    public static boolean available() {
        try {
            return Probe.REASON == null;
        } catch (LinkageError e) { // Probe itself failed to initialize
            return false;
        }
    }

    /** Why {@link #available()} is false, or {@code null} when it is true. */
    public static String unavailableReason() {
        try {
            return Probe.REASON;
        } catch (LinkageError e) {
            return e.toString();
        }
    }

    /** The TensorFlow runtime version string, e.g. {@code "2.18.0"}. */
    public static String version() { return TfImpl.version(); }

    // ------------------------------------------------------------------ elementwise

    /** Element-wise ops, dispatched in TfImpl. */
    enum Op { ADD, SUB, MUL, DIV, MAXIMUM, MINIMUM, POW, MATMUL, NEG, SQUARE, SQRT, RSQRT, EXP, LOG, ABS }

    /** {@code tf.math.add} (broadcasting). */
    public static Arr add(Arr a, Arr b) { return TfImpl.binary(Op.ADD, a, b); }

    /** {@code tf.math.subtract} (broadcasting). */
    public static Arr sub(Arr a, Arr b) { return TfImpl.binary(Op.SUB, a, b); }

    /** {@code tf.math.multiply} (broadcasting). */
    public static Arr mul(Arr a, Arr b) { return TfImpl.binary(Op.MUL, a, b); }

    /** {@code tf.math.divide} for floats, i.e. the {@code RealDiv} op (broadcasting). */
    public static Arr div(Arr a, Arr b) { return TfImpl.binary(Op.DIV, a, b); }

    /** {@code tf.math.maximum} (broadcasting; NaN in either operand gives NaN). */
    public static Arr maximum(Arr a, Arr b) { return TfImpl.binary(Op.MAXIMUM, a, b); }

    /** {@code tf.math.minimum} (broadcasting; NaN in either operand gives NaN). */
    public static Arr minimum(Arr a, Arr b) { return TfImpl.binary(Op.MINIMUM, a, b); }

    /** {@code tf.math.pow} (broadcasting). */
    public static Arr pow(Arr a, Arr b) { return TfImpl.binary(Op.POW, a, b); }

    /** {@code tf.math.negative}. */
    public static Arr neg(Arr a) { return TfImpl.unary(Op.NEG, a); }

    /** {@code tf.math.square}. */
    public static Arr square(Arr a) { return TfImpl.unary(Op.SQUARE, a); }

    /** {@code tf.math.sqrt}. */
    public static Arr sqrt(Arr a) { return TfImpl.unary(Op.SQRT, a); }

    /** {@code tf.math.rsqrt}. */
    public static Arr rsqrt(Arr a) { return TfImpl.unary(Op.RSQRT, a); }

    /** {@code tf.math.exp}. */
    public static Arr exp(Arr a) { return TfImpl.unary(Op.EXP, a); }

    /** {@code tf.math.log}. */
    public static Arr log(Arr a) { return TfImpl.unary(Op.LOG, a); }

    /** {@code tf.math.abs}. */
    public static Arr abs(Arr a) { return TfImpl.unary(Op.ABS, a); }

    // ------------------------------------------------------------------ reductions

    /** Reductions, dispatched in TfImpl. */
    enum Reduction { SUM, MEAN, MAX, MIN, VARIANCE, STD }

    /**
     * {@code tf.math.reduce_sum(x, axes, keepdims)}; {@code axes} may be negative, {@code null}
     * means all axes (Python {@code axis=None}); an empty array reduces nothing.
     */
    public static Arr reduceSum(Arr x, int[] axes, boolean keepDims) {
        return TfImpl.reduce(Reduction.SUM, x, axes, keepDims);
    }

    /** {@code tf.math.reduce_mean}; axes as in {@link #reduceSum}. Empty reductions give NaN. */
    public static Arr reduceMean(Arr x, int[] axes, boolean keepDims) {
        return TfImpl.reduce(Reduction.MEAN, x, axes, keepDims);
    }

    /** {@code tf.math.reduce_max}; axes as in {@link #reduceSum}. Any NaN gives NaN; empty gives -inf. */
    public static Arr reduceMax(Arr x, int[] axes, boolean keepDims) {
        return TfImpl.reduce(Reduction.MAX, x, axes, keepDims);
    }

    /** {@code tf.math.reduce_min}; axes as in {@link #reduceSum}. Any NaN gives NaN; empty gives +inf. */
    public static Arr reduceMin(Arr x, int[] axes, boolean keepDims) {
        return TfImpl.reduce(Reduction.MIN, x, axes, keepDims);
    }

    /**
     * {@code tf.math.reduce_variance}: {@code Mean(SquaredDifference(x, StopGradient(Mean(x, axes,
     * keepdims=True))), axes, keepdims)} (numerically identical to Python's {@code Square(x - mean)}).
     */
    public static Arr reduceVariance(Arr x, int[] axes, boolean keepDims) {
        return TfImpl.reduce(Reduction.VARIANCE, x, axes, keepDims);
    }

    /** {@code tf.math.reduce_std}: {@code Sqrt} of {@link #reduceVariance}. */
    public static Arr reduceStd(Arr x, int[] axes, boolean keepDims) {
        return TfImpl.reduce(Reduction.STD, x, axes, keepDims);
    }

    // ------------------------------------------------------------------ linear algebra

    /** {@code tf.linalg.matmul} of two rank-2 tensors. */
    public static Arr matmul(Arr a, Arr b) {
        if (a.rank() != 2 || b.rank() != 2) throw new IllegalArgumentException("matmul needs rank-2 inputs");
        return TfImpl.binary(Op.MATMUL, a, b);
    }

    /** {@code tf.transpose(x, perm)}. */
    public static Arr transpose(Arr x, int... perm) { return TfImpl.transpose(x, perm); }

    // ------------------------------------------------------------------ tf.nn compositions

    /**
     * {@code tf.nn.moments(x, axes, keepdims)}: {@code mean = Mean(x, axes, keep_dims=True)},
     * {@code variance = Mean(SquaredDifference(x, StopGradient(mean)), axes, keep_dims=True)}, then
     * both are {@code Squeeze}d on {@code axes} unless {@code keepDims} (note: like Python, an
     * empty {@code axes} then squeezes every size-1 dimension). {@code axes} must not be null.
     */
    public static Moments moments(Arr x, int[] axes, boolean keepDims) { return TfImpl.moments(x, axes, keepDims); }

    /**
     * {@code tf.nn.weighted_moments(x, axes, frequency_weights=w, keepdims)}:
     * {@code W = Sum(w + ZerosLike(x))}, {@code mean = DivNoNan(Sum(w * x), W)},
     * {@code variance = DivNoNan(Sum(w * SquaredDifference(x, mean)), W)} (sums with keep_dims=True),
     * squeezed on {@code axes} unless {@code keepDims}. {@code w} is cast to x's dtype like Python.
     */
    public static Moments weightedMoments(Arr x, int[] axes, Arr w, boolean keepDims) {
        return TfImpl.weightedMoments(x, axes, w.withDtype(x.float64()), keepDims);
    }

    /**
     * {@code tf.nn.sufficient_statistics(x, axes, shift, keepdims)}: {@code count} is the product of
     * the reduced dimensions as a scalar of x's dtype; {@code meanSS = Sum(x - shift)} (or
     * {@code Sum(x)}), {@code varianceSS = Sum(SquaredDifference(x, shift))} (or {@code Sum(Square(x))}).
     * {@code shift} may be null.
     */
    public static SufficientStats sufficientStatistics(Arr x, int[] axes, Arr shift, boolean keepDims) {
        double count = 1;
        for (int a : axes) count *= x.shape()[a < 0 ? a + x.rank() : a];
        Arr countArr = x.float64() ? Arr.scalar64(count) : Arr.scalar32(count);
        Arr[] ss = TfImpl.sufficientSums(x, axes, shift, keepDims);
        return new SufficientStats(countArr, ss[0], ss[1]);
    }

    /**
     * {@code tf.nn.normalize_moments(counts, mean_ss, variance_ss, shift)}: {@code d = Reciprocal(counts)},
     * {@code sm = meanSS * d}, {@code mean = sm + shift} (or {@code sm}),
     * {@code variance = varianceSS * d - Square(sm)}. {@code shift} may be null.
     */
    public static Moments normalizeMoments(Arr counts, Arr meanSS, Arr varianceSS, Arr shift) {
        return TfImpl.normalizeMoments(counts, meanSS, varianceSS, shift);
    }

    /**
     * {@code tf.nn.batch_normalization(x, mean, variance, offset, scale, variance_epsilon)} in TF's
     * exact order: {@code inv = Rsqrt(variance + eps)}; {@code inv = inv * scale} if scale is given;
     * {@code y = x * inv + (offset - mean * inv)}, or {@code x * inv + (-mean) * inv} without offset.
     * {@code eps} is rounded to variance's dtype; {@code offset} and {@code scale} may be null.
     */
    public static Arr batchNormalization(Arr x, Arr mean, Arr variance, Arr offset, Arr scale, double eps) {
        return TfImpl.batchNormalization(x, mean, variance, offset, scale, eps);
    }

    /**
     * {@code tf.math.l2_normalize(x, axis, epsilon)}:
     * {@code x * Rsqrt(Maximum(Sum(Square(x), axes, keepdims=True), eps))}; {@code axes == null}
     * means all axes; {@code eps} is rounded to x's dtype. Python's default epsilon is {@code 1e-12}.
     */
    public static Arr l2Normalize(Arr x, int[] axes, double eps) { return TfImpl.l2Normalize(x, axes, eps); }

    /**
     * The raw {@code FusedBatchNormV3} op (Python {@code tf.raw_ops.FusedBatchNormV3}; what
     * {@code tf.compat.v1.nn.fused_batch_norm} calls). All attributes are set explicitly; unlike
     * the Python wrapper, {@code eps} is NOT raised to the 1.001e-5 minimum. {@code mean} and
     * {@code variance} may be null, which passes empty {@code [0]}-shaped float32 tensors as Python
     * does when training with {@code exponentialAvgFactor == 1}. x: float32 only (TF accepts
     * half/bfloat16/float; float64 is rejected with {@link TfError}); the rest float32.
     * {@code dataFormat} is {@code "NHWC"}, {@code "NCHW"}, {@code "NDHWC"} or {@code "NCDHW"}.
     * Training mode returns the Bessel-corrected batch variance (n/(n-1)) in {@code batchVariance}
     * (blended with {@code variance} when the factor is not 1) and the biased one in
     * {@code reserveSpace2}.
     */
    public static FusedBatchNormResult fusedBatchNorm(Arr x, Arr scale, Arr offset, Arr mean, Arr variance,
            double eps, double exponentialAvgFactor, String dataFormat, boolean isTraining) {
        return TfImpl.fusedBatchNorm(x, scale, offset, mean, variance, eps, exponentialAvgFactor, dataFormat,
                isTraining);
    }

    /**
     * The raw {@code FusedBatchNormGradV3} op with an empty float32 {@code reserve_space_3}. In
     * training mode pass the {@code reserveSpace1/2} of {@link #fusedBatchNorm} (batch mean and
     * biased batch variance); in inference mode pass the population mean and variance.
     */
    public static FusedBatchNormGradResult fusedBatchNormGrad(Arr dy, Arr x, Arr scale, Arr reserveSpace1,
            Arr reserveSpace2, double eps, String dataFormat, boolean isTraining) {
        return TfImpl.fusedBatchNormGrad(dy, x, scale, reserveSpace1, reserveSpace2, eps, dataFormat, isTraining);
    }

    /**
     * {@code tf.nn.local_response_normalization} (the {@code LRN} op) on a rank-4 NHWC float32 tensor,
     * normalizing over the last axis: {@code x / (bias + alpha * sqr_sum) ** beta}. Python defaults:
     * depth_radius 5, bias 1, alpha 1, beta 0.5. Attributes are floats (double args are rounded).
     */
    public static Arr lrn(Arr x, int depthRadius, double bias, double alpha, double beta) {
        return TfImpl.lrn(x, depthRadius, bias, alpha, beta);
    }

    /** The {@code LRNGrad} op: gradient {@code dy} at input {@code x} whose LRN output is {@code y}. */
    public static Arr lrnGrad(Arr dy, Arr x, Arr y, int depthRadius, double bias, double alpha, double beta) {
        return TfImpl.lrnGrad(dy, x, y, depthRadius, bias, alpha, beta);
    }

    // ------------------------------------------------------------------ gradients

    /** Differentiable compositions supported by {@link #gradients}; see the class javadoc. */
    public enum Fn {
        /** {@code tf.nn.moments(...)[0]}; inputs {@code x}. */
        MOMENTS_MEAN(1),
        /** {@code tf.nn.moments(...)[1]}; inputs {@code x}. */
        MOMENTS_VARIANCE(1),
        /** {@code tf.nn.batch_normalization}; inputs {@code x, mean, variance, offset|null, scale|null}. */
        BATCH_NORMALIZATION(5),
        /** {@code tf.math.l2_normalize}; inputs {@code x}. */
        L2_NORMALIZE(1),
        /** {@code tf.nn.local_response_normalization}; inputs {@code x}. */
        LRN(1),
        /** Output {@code y} of training-mode {@code FusedBatchNormV3}; inputs {@code x, scale, offset}. */
        FUSED_BATCH_NORM_TRAINING(3);

        final int arity;

        Fn(int arity) { this.arity = arity; }
    }

    /**
     * Non-tensor parameters of a {@link Fn}; build with the factory for the function. Unused fields
     * are ignored.
     *
     * @param axes       reduction axes (moments: required; l2Normalize: null means all)
     * @param keepDims   moments: keep reduced dimensions
     * @param eps        batchNorm / l2Normalize / fusedBatchNorm epsilon
     * @param depthRadius LRN depth radius
     * @param bias       LRN bias
     * @param alpha      LRN alpha
     * @param beta       LRN beta
     * @param dataFormat fusedBatchNorm data format
     */
    public record GradParams(int[] axes, boolean keepDims, double eps, int depthRadius, double bias,
            double alpha, double beta, String dataFormat) {
        public static GradParams moments(int[] axes, boolean keepDims) {
            return new GradParams(axes, keepDims, 0, 0, 0, 0, 0, null);
        }

        public static GradParams batchNorm(double eps) { return new GradParams(null, false, eps, 0, 0, 0, 0, null); }

        public static GradParams l2Normalize(int[] axes, double eps) {
            return new GradParams(axes, false, eps, 0, 0, 0, 0, null);
        }

        public static GradParams lrn(int depthRadius, double bias, double alpha, double beta) {
            return new GradParams(null, false, 0, depthRadius, bias, alpha, beta, null);
        }

        public static GradParams fusedBatchNorm(double eps, String dataFormat) {
            return new GradParams(null, false, eps, 0, 0, 0, 0, dataFormat);
        }
    }

    /**
     * Result of {@link #gradients}: the forward {@code value = f(inputs)} and {@code grads[i] =
     * d reduce_sum(w * f) / d inputs[i]} ({@code null} where {@code inputs[i]} was null).
     */
    public record GradResult(Arr value, Arr[] grads) {
        public Arr grad(int i) { return grads[i]; }
    }

    /**
     * Gradients of {@code reduce_sum(w * f(inputs))} (graph mode, graph optimizations off; see the
     * class javadoc). {@code w} broadcasts against {@code f}'s output; null means all ones.
     * {@code inputs} follow the order listed in {@link Fn}; trailing optional inputs may be omitted.
     */
    public static GradResult gradients(Fn fn, GradParams p, Arr w, Arr... inputs) {
        if (inputs.length > fn.arity || inputs.length == 0 || inputs[0] == null) {
            throw new IllegalArgumentException(fn + " takes " + fn.arity + " inputs, got " + inputs.length);
        }
        Arr[] in = Arrays.copyOf(inputs, fn.arity);
        if (fn == Fn.FUSED_BATCH_NORM_TRAINING && (in[1] == null || in[2] == null)) {
            throw new IllegalArgumentException("FUSED_BATCH_NORM_TRAINING needs x, scale and offset");
        }
        return TfImpl.gradients(fn, p, w, in);
    }

    /**
     * A composition of TF ops built by the caller (for functions with no {@link Fn}); {@code in} holds one
     * operand per input, null for a null input. Its code touches TF Java types: call it after {@link #available()}.
     */
    @FunctionalInterface
    public interface Composition { Operand<TFloating> build(Ops tf, List<Operand<TFloating>> in); }

    /** The value of a {@link Composition}, run eagerly op by op (inputs may be null). */
    public static Arr evaluate(Composition f, Arr... inputs) { return TfImpl.evaluate(f, inputs); }

    /** {@link #gradients(Fn, GradParams, Arr, Arr...)} for a {@link Composition}: value and input gradients. */
    public static GradResult gradients(Composition f, Arr w, Arr... inputs) { return TfImpl.composed(f, w, inputs); }

    // ------------------------------------------------------------------ implementation
}
