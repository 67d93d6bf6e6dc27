package org.norm4j.ops;

import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Reduce;
import org.norm4j.kernel.ReductionPlan;
import org.norm4j.kernel.Strided;

/**
 * Reductions over any set of axes ({@code tf.math.reduce_sum}, {@code reduce_mean}, ...). {@code axes} may be
 * negative and {@code null} means all axes; duplicates are rejected. Sums are accumulated in double and the
 * variance is the centred two-pass one, so float32 results are accurate even on data with a large offset.
 * Reducing over zero elements is an error except for {@code sum} (which gives 0).
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

        Prepared(Tensor x, int[] axesArg, boolean keepDims, String axesName) {
            Checks.notNull(x, "x");
            this.axes = x.shape().normalizeAxes(axesArg, axesName);
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
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.wrap(f, shape);
    }

    /** Sum over {@code axes} ({@code tf.math.reduce_sum}). */
    public static Tensor sum(Tensor x, int[] axes, boolean keepDims) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        double[] s = p.plan.count == 0 ? new double[p.plan.outSize] : Reduce.sum(p.data, p.plan);
        return fromDoubles(s, x.dtype(), p.outShape);
    }

    /** Mean over {@code axes} ({@code tf.math.reduce_mean}). */
    public static Tensor mean(Tensor x, int[] axes, boolean keepDims) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        p.requireNonEmpty("mean", x);
        double[] s = Reduce.sum(p.data, p.plan);
        for (int i = 0; i < s.length; i++) {
            s[i] /= p.plan.count;
        }
        return fromDoubles(s, x.dtype(), p.outShape);
    }

    /** Maximum over {@code axes} ({@code tf.math.reduce_max}); NaN if any reduced element is NaN. */
    public static Tensor max(Tensor x, int[] axes, boolean keepDims) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        p.requireNonEmpty("max", x);
        return fromDoubles(Reduce.extreme(p.data, p.plan, true), x.dtype(), p.outShape);
    }

    /** Minimum over {@code axes} ({@code tf.math.reduce_min}); NaN if any reduced element is NaN. */
    public static Tensor min(Tensor x, int[] axes, boolean keepDims) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        p.requireNonEmpty("min", x);
        return fromDoubles(Reduce.extreme(p.data, p.plan, false), x.dtype(), p.outShape);
    }

    /** Biased variance over {@code axes} ({@code tf.math.reduce_variance}). */
    public static Tensor variance(Tensor x, int[] axes, boolean keepDims) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        p.requireNonEmpty("variance", x);
        double[] m2 = Reduce.moments(p.data, p.plan)[1];
        for (int i = 0; i < m2.length; i++) {
            m2[i] /= p.plan.count;
        }
        return fromDoubles(m2, x.dtype(), p.outShape);
    }

    /** Biased standard deviation over {@code axes} ({@code tf.math.reduce_std}). */
    public static Tensor std(Tensor x, int[] axes, boolean keepDims) {
        Prepared p = new Prepared(x, axes, keepDims, "axes");
        p.requireNonEmpty("std", x);
        double[] m2 = Reduce.moments(p.data, p.plan)[1];
        for (int i = 0; i < m2.length; i++) {
            double v = m2[i] / p.plan.count;
            // float32: round the variance first, as TensorFlow's sqrt(reduce_variance) does
            m2[i] = x.dtype() == DType.FLOAT32 ? Math.sqrt((float) v) : Math.sqrt(v);
        }
        return fromDoubles(m2, x.dtype(), p.outShape);
    }
}
