package org.norm4j.ops;

import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.BinaryOp;
import org.norm4j.kernel.Reduce;
import org.norm4j.kernel.ReductionPlan;
import org.norm4j.kernel.Strided;

/**
 * Reductions over any set of axes ({@code tf.math.reduce_sum}, {@code reduce_mean}, ...). {@code axes} may be
 * negative and {@code null} means all axes; duplicates are rejected. Sums are accumulated in double and the
 * variance is the centred two-pass one (or its shifted single-read equivalent, within the error bound of
 * {@code kernel.ShiftedMoments}), so float32 results are accurate even on data with a large offset.
 * Reducing over zero elements is an error except for {@code sum} (which gives 0). Every reduction is
 * differentiable (see {@link GradientTape}); its backward function is next to it and built from recorded ops.
 */
public final class Reductions {
    private Reductions() {
    }

    /** A reduction's resolved axes, plan, the data in the plan's layout, and the output shape. */
    static final class Prepared {
        final int[] axes;
        final ReductionPlan plan;
        final Object data;
        final Shape outShape;
        final Shape keptShape;
        final DType dtype;

        Prepared(Tensor x, int[] axesArg, boolean keepDims, String axesName) {
            Checks.notNull(x, "x");
            this.axes = x.shape().normalizeAxes(axesArg, axesName);
            this.dtype = x.dtype();
            this.plan = ReductionPlan.of(x.shape().dims(), axes);
            if (plan.permutation != null) {
                Object dst = x.dtype() == DType.FLOAT32 ? new float[x.size()] : new double[x.size()];
                Strided.permute(x.raw(), x.shape().dims(), plan.permutation, dst);
                this.data = dst;
            } else {
                this.data = x.raw();
            }
            this.outShape = x.shape().reduce(axes, keepDims);
            this.keptShape = x.shape().reduce(axes, true);
        }

        /** The sum in the kept-dims shape, as an unrecorded constant. */
        Tensor sumConstant() {
            return fromDoubles(Reduce.sum(data, plan), dtype, keptShape);
        }

        void requireNonEmpty(String op, Tensor x) {
            if (plan.count == 0 && plan.outSize > 0) {
                throw new IllegalArgumentException(op + " over axes " + java.util.Arrays.toString(axes)
                        + " of a tensor of shape " + x.shape() + " reduces zero elements: expected a "
                        + "non-empty reduction");
            }
        }
    }

    static Tensor fromDoubles(double[] v, DType dtype, Shape shape) {
        if (dtype == DType.FLOAT64) {
            return Tensor.wrap(v, shape);
        }
        float[] f = Tensor.newFloats(v.length);
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.wrap(f, shape);
    }

    /** Sum over {@code axes} ({@code tf.math.reduce_sum}). Gradient: {@code g} broadcast back to x. */
    public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        double[] s = p.plan.count == 0 ? new double[p.plan.outSize] : Reduce.sum(p.data, p.plan);
        Tensor y = fromDoubles(s, x.dtype(), p.outShape);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Sum", y, (g, need) -> new Tensor[] {
                Manipulation.broadcastTo(kept(g, p), x.shape().dims())}, x);
        }
        return y;
    }

    /** Mean over {@code axes} ({@code tf.math.reduce_mean}). Gradient: {@code g / N} broadcast back to x. */
    public static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        p.requireNonEmpty("mean", x);
        double[] s = Reduce.sum(p.data, p.plan);
        for (int i = 0; i < s.length; i++) {
            s[i] /= p.plan.count;
        }
        Tensor y = fromDoubles(s, x.dtype(), p.outShape);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Mean", y, (g, need) -> new Tensor[] {Manipulation.broadcastTo(
                Elementwise.div(kept(g, p), Elementwise.scalarLike(p.plan.count, g)), x.shape().dims())}, x);
        }
        return y;
    }

    /**
     * Maximum over {@code axes} ({@code tf.math.reduce_max}); NaN if any reduced element is NaN. Gradient as
     * TF's: shared equally by the elements equal to the maximum.
     */
    public static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        return extreme(x, axes, keepDims, true);
    }

    /**
     * Minimum over {@code axes} ({@code tf.math.reduce_min}); NaN if any reduced element is NaN. Gradient as
     * TF's: shared equally by the elements equal to the minimum.
     */
    public static Tensor min(Tensor x, int[] axes, boolean keepDims) {
        return extreme(x, axes, keepDims, false);
    }

    private static Tensor extreme(Tensor x, int[] axes, boolean keepDims, boolean max) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        p.requireNonEmpty(max ? "max" : "min", x);
        Tensor y = fromDoubles(Reduce.extreme(p.data, p.plan, max), x.dtype(), p.outShape);
        if (GradientTape.anyRecording()) {
            GradientTape.record(max ? "Max" : "Min", y, (g, need) -> new Tensor[] {extremeBackward(g, x, y, p)}, x);
        }
        return y;
    }

    /** {@code g * (x == y) / count(x == y)}, the mask and count being constants. */
    private static Tensor extremeBackward(Tensor g, Tensor x, Tensor y, Prepared p) {
        Tensor yb = Elementwise.broadcastConstant(Manipulation.reshape(y, p.keptShape.dims()), x.shape());
        Tensor mask = Elementwise.constant(equal(x.toDoubleArray(), yb.toDoubleArray()), x);
        Tensor count = new Prepared(mask, p.axes, true, "axes").sumConstant();
        Tensor share = Elementwise.binary(BinaryOp.DIV, mask, count);
        return Elementwise.mul(kept(g, p), share);
    }

    private static double[] equal(double[] a, double[] b) {
        double[] m = new double[a.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = a[i] == b[i] ? 1 : 0;
        }
        return m;
    }

    /**
     * Biased variance over {@code axes} ({@code tf.math.reduce_variance}). Gradient:
     * {@code g * 2 (x - mean) / N}.
     */
    public static Tensor variance(Tensor x, int[] axes, boolean keepDims) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        Tensor y = fromDoubles(biasedVariance(x, p, "variance"), x.dtype(), p.outShape);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Variance", y, (g, need) -> new Tensor[] {Elementwise.mul(kept(g, p),
                Elementwise.mul(centred(x, p), Elementwise.scalarLike(2.0 / p.plan.count, x)))}, x);
        }
        return y;
    }

    /**
     * Biased standard deviation over {@code axes} ({@code tf.math.reduce_std}). Gradient:
     * {@code g * (x - mean) / (N * std)}, NaN where std is 0 (as in TF).
     */
    public static Tensor std(Tensor x, int[] axes, boolean keepDims) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        double[] m2 = biasedVariance(x, p, "std");
        for (int i = 0; i < m2.length; i++) {
            // float32: round the variance first, as TensorFlow's sqrt(reduce_variance) does
            m2[i] = x.dtype() == DType.FLOAT32 ? Math.sqrt((float) m2[i]) : Math.sqrt(m2[i]);
        }
        Tensor y = fromDoubles(m2, x.dtype(), p.outShape);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Std", y, (g, need) -> new Tensor[] {Elementwise.mul(kept(g, p), Elementwise.div(
                centred(x, p), Elementwise.mul(kept(y, p), Elementwise.scalarLike(p.plan.count, x))))}, x);
        }
        return y;
    }

    /** The biased variance {@code m2 / N} of each output, in double. */
    private static double[] biasedVariance(Tensor x, Prepared p, String op) {
        p.requireNonEmpty(op, x);
        double[] m2 = Reduce.moments(p.data, p.plan)[1];
        for (int i = 0; i < m2.length; i++) {
            m2[i] /= p.plan.count;
        }
        return m2;
    }

    /** {@code t} (shaped like the reduction's output) reshaped to the kept-dims shape; recorded. */
    private static Tensor kept(Tensor t, Prepared p) {
        return Manipulation.reshape(t, p.keptShape.dims());
    }

    /** {@code x - mean(x)} with recorded ops, so that the backward pass can itself be differentiated. */
    private static Tensor centred(Tensor x, Prepared p) {
        return Elementwise.sub(x, mean(x, p.axes, true));
    }
}
