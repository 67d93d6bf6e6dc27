package org.norm4j.ops;

import java.util.Arrays;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.GroupedNorm;
import org.norm4j.kernel.Reduce;
import org.norm4j.kernel.ReductionPlan;
import org.norm4j.kernel.Rows;
import org.norm4j.kernel.Rows.Mode;
import org.norm4j.kernel.ShiftedMoments;
import org.norm4j.kernel.Strided;

/**
 * Per-sample normalizations, as Keras 3's TensorFlow backend computes them: {@code keras.ops.layer_normalization},
 * {@code rms_normalization} and {@code normalize} (order 2), plus the math of the {@code GroupNormalization}
 * layer. Each function is one fused op with a closed-form backward pass (see {@link GradientTape}).
 *
 * <ul>
 *   <li>{@link #layerNormalization}: {@code y = (x - mean) * (rsqrt(var + eps) * gamma) + beta} with the
 *       biased variance over {@code axes}; with {@code rmsScaling}, {@code y = x * rsqrt(var + eps) *
 *       gamma} (Keras 3's {@code rms_scaling}: the <em>centred</em> variance, no beta).</li>
 *   <li>{@link #groupNormalization}: the same per (sample, group of channels), gamma and beta per channel.</li>
 *   <li>{@link #rmsNormalization}: {@code y = (x * rsqrt(mean(x^2) + eps)) * scale}.</li>
 *   <li>{@link #unitNormalization}: {@code y = x * rsqrt(max(sum(x^2), eps^2))}: epsilon floors the norm.</li>
 * </ul>
 *
 * <p>Statistics are accumulated in double: two-pass (mean, then centred sum of squares), or for float32 data one
 * read of shifted sums kept only within the bound of {@link ShiftedMoments} (else the exact two passes run; the
 * choice depends on the data only). The centred ops apply
 * them as TensorFlow's fused kernels do, {@code y = (x - mean) * (rsqrt(var + eps) * gamma) + beta}, each step
 * rounded to the input's dtype, with the part of the exact mean that a float32 mean cannot hold folded into the
 * addend: float32 results agree with Keras's {@code x * inv + (beta - mean * inv)} to an ulp or two, and stay
 * accurate on data whose mean is far larger than its spread, where that order cancels (and TensorFlow loses about
 * ulp(mean) / std). Float64 inputs give float64 results. Parameters must have the input's dtype. Results are
 * bit-identical on any number of threads. The backward passes reuse the saved mean and inverse standard
 * deviation: for layer and group normalization, with {@code g = dy * gamma} and {@code xh = (x - mean) * r},
 * {@code dx = r * (g - mean(g) - xh * mean(g * xh))}, {@code dgamma = sum(dy * xh)}, {@code dbeta = sum(dy)};
 * they are first-order only (an outer tape differentiating them fails with a message naming the op).
 */
public final class LayerNorms {
    /** Default epsilon of the Keras {@code LayerNormalization} and {@code GroupNormalization} layers: 1e-3. */
    public static final double LAYER_EPSILON = 1e-3;
    /** Default epsilon of the Keras {@code RMSNormalization} layer: 1e-6. */
    public static final double RMS_EPSILON = 1e-6;
    /** Epsilon of the Keras {@code UnitNormalization} layer: 1e-12 (a floor on the norm). */
    public static final double UNIT_EPSILON = 1e-12;
    /** Default epsilon of {@code keras.ops.layer_normalization} and {@code rms_normalization}: 1e-7. */
    public static final double OPS_EPSILON = 1e-7;

    private enum Kind {
        LAYER("LayerNormalization", Mode.CENTRED), RMS_SCALING("LayerNormalization", Mode.RMS_SCALING),
        GROUP("GroupNormalization", Mode.CENTRED), RMS("RMSNormalization", Mode.RMS),
        UNIT("UnitNormalization", Mode.UNIT);

        final String op;
        final Mode mode;

        Kind(String op, Mode mode) {
            this.op = op;
            this.mode = mode;
        }

        /** Whether the output is centred (mean subtracted, beta added). */
        boolean centred() {
            return mode.centredOutput();
        }
    }

    private LayerNorms() {
    }

    // ---- public API --------------------------------------------------------------------------------

    /**
     * {@code keras.ops.layer_normalization(x, gamma, beta, axis, epsilon)} and the {@code LayerNormalization}
     * layer's math: per position of the other axes, {@code y = (x - mean) * (rsqrt(var + epsilon) * gamma) +
     * beta} (Keras computes {@code inv = rsqrt(var + eps) * gamma; y = x * inv + (beta - mean * inv)}, the same
     * to an ulp or two; see the class comment).
     *
     * @param x input of any rank
     * @param axes the normalized axes (negative allowed, duplicates rejected, order irrelevant); null means all
     * @param gamma scale shaped like {@code x}'s dims at {@code axes} (or that with 1s elsewhere), or null
     * @param beta offset shaped like gamma, or null; must be null when {@code rmsScaling}
     * @param epsilon added to the variance, {@code >= 0}; the layer's default is {@link #LAYER_EPSILON}
     * @param rmsScaling Keras 3's {@code rms_scaling}: {@code y = x * rsqrt(var + eps) * gamma} with the centred
     *     variance and no centring of the output
     */
    public static Tensor layerNormalization(Tensor x, int[] axes, Tensor gamma, Tensor beta, double epsilon,
            boolean rmsScaling) {
        return layerInto(x, axes, gamma, beta, epsilon, rmsScaling, null, false);
    }

    /** {@code keras.ops.layer_normalization(x, axis=axes)}: no gamma or beta, epsilon 1e-7, axes default -1. */
    public static Tensor layerNormalization(Tensor x, int... axes) {
        return layerNormalization(x, axes == null || axes.length == 0 ? new int[] {-1} : axes, null, null,
                OPS_EPSILON, false);
    }

    /**
     * The {@code GroupNormalization} layer's math: the channels along {@code axis} are split into {@code groups}
     * runs of consecutive channels; each (sample, group) is normalized over its channels and every non-batch
     * axis (biased variance), then {@code y = (x - mean) * (rsqrt(var + eps) * gamma[c]) + beta[c]}. Axis 0 is
     * the batch axis. {@code groups = C} is instance normalization, {@code groups = 1} layer
     * normalization over all non-batch axes.
     *
     * @param groups a divisor of the channel count C, or -1 for C
     * @param axis the channel axis: -1 for channels-last, 1 for channels-first
     * @param gamma per-channel scale of shape (C,), or null
     * @param beta per-channel offset of shape (C,), or null
     * @param epsilon added to the variance; the layer's default is {@link #LAYER_EPSILON}
     */
    public static Tensor groupNormalization(Tensor x, int groups, int axis, Tensor gamma, Tensor beta,
            double epsilon) {
        return groupInto(x, groups, axis, gamma, beta, epsilon, null, false);
    }

    /**
     * {@code keras.ops.rms_normalization(x, scale, axis, epsilon)} and the {@code RMSNormalization} layer:
     * {@code y = (x * rsqrt(mean(x^2, axes) + epsilon)) * scale}.
     *
     * @param axes the normalized axes; null means all
     * @param scale shaped like {@code x}'s dims at {@code axes}, or null for 1
     * @param epsilon added to the mean square; the layer's default is {@link #RMS_EPSILON}, the op's 1e-7
     */
    public static Tensor rmsNormalization(Tensor x, int[] axes, Tensor scale, double epsilon) {
        return rmsInto(x, axes, scale, epsilon, null, false);
    }

    // ---- destination variants ----------------------------------------------------------------------

    /**
     * {@link #layerNormalization(Tensor, int[], Tensor, Tensor, double, boolean)} written into {@code out}
     * instead of a new array (same values, bit for bit): it saves allocating and zeroing the output, so a loop
     * that reuses one array avoids that memory traffic. The previous contents of {@code out} are irrelevant; every
     * element is overwritten.
     *
     * @param out a {@code float[]} of length {@code x.size()} for a float32 {@code x}, not {@code x}'s own array
     * @return {@code Tensor.wrap(out, x.shape())}: a view of {@code out}, which changes when the array is reused
     * @throws NullPointerException if {@code out} is null
     * @throws IllegalArgumentException if {@code out} has the wrong length or element type, or is x's array
     * @throws IllegalStateException if a {@link GradientTape} is recording: destination variants are not
     *     recorded (the next call would overwrite the saved output); use the allocating variant inside a tape
     */
    public static Tensor layerNormalization(Tensor x, int[] axes, Tensor gamma, Tensor beta, double epsilon,
            boolean rmsScaling, float[] out) {
        return layerInto(x, axes, gamma, beta, epsilon, rmsScaling, out, true);
    }

    /** Float64 version of {@link #layerNormalization(Tensor, int[], Tensor, Tensor, double, boolean, float[])}. */
    public static Tensor layerNormalization(Tensor x, int[] axes, Tensor gamma, Tensor beta, double epsilon,
            boolean rmsScaling, double[] out) {
        return layerInto(x, axes, gamma, beta, epsilon, rmsScaling, out, true);
    }

    /**
     * {@link #rmsNormalization(Tensor, int[], Tensor, double)} written into {@code out} (same values, bit for
     * bit; previous contents irrelevant). The returned tensor is a view of {@code out} and changes when the
     * array is reused. Errors as {@link #layerNormalization(Tensor, int[], Tensor, Tensor, double, boolean,
     * float[])}.
     */
    public static Tensor rmsNormalization(Tensor x, int[] axes, Tensor scale, double epsilon, float[] out) {
        return rmsInto(x, axes, scale, epsilon, out, true);
    }

    /** Float64 version of {@link #rmsNormalization(Tensor, int[], Tensor, double, float[])}. */
    public static Tensor rmsNormalization(Tensor x, int[] axes, Tensor scale, double epsilon, double[] out) {
        return rmsInto(x, axes, scale, epsilon, out, true);
    }

    /**
     * {@link #groupNormalization(Tensor, int, int, Tensor, Tensor, double)} written into {@code out} (same
     * values, bit for bit; previous contents irrelevant). The returned tensor is a view of {@code out} and
     * changes when the array is reused. Errors as {@link #layerNormalization(Tensor, int[], Tensor, Tensor,
     * double, boolean, float[])}.
     */
    public static Tensor groupNormalization(Tensor x, int groups, int axis, Tensor gamma, Tensor beta,
            double epsilon, float[] out) {
        return groupInto(x, groups, axis, gamma, beta, epsilon, out, true);
    }

    /** Float64 version of {@link #groupNormalization(Tensor, int, int, Tensor, Tensor, double, float[])}. */
    public static Tensor groupNormalization(Tensor x, int groups, int axis, Tensor gamma, Tensor beta,
            double epsilon, double[] out) {
        return groupInto(x, groups, axis, gamma, beta, epsilon, out, true);
    }

    private static Tensor layerInto(Tensor x, int[] axes, Tensor gamma, Tensor beta, double epsilon,
            boolean rmsScaling, Object out, boolean into) {
        Checks.notNull(x, "x");
        if (into) {
            Checks.destination(out, "out", x, "x", null, null);
        }
        Checks.epsilon(epsilon, "epsilon");
        if (rmsScaling && beta != null) {
            throw new IllegalArgumentException("beta is given with rmsScaling = true: expected beta = null (rms "
                    + "scaling multiplies by gamma only and never centres the output)");
        }
        View v = View.rows(x, axes, "axes");
        checkParam(gamma, "gamma", x, v);
        checkParam(beta, "beta", x, v);
        return run(rmsScaling ? Kind.RMS_SCALING : Kind.LAYER, x, v, gamma, beta, epsilon, out);
    }

    private static Tensor rmsInto(Tensor x, int[] axes, Tensor scale, double epsilon, Object out, boolean into) {
        Checks.notNull(x, "x");
        if (into) {
            Checks.destination(out, "out", x, "x", null, null);
        }
        Checks.epsilon(epsilon, "epsilon");
        View v = View.rows(x, axes, "axes");
        checkParam(scale, "scale", x, v);
        return run(Kind.RMS, x, v, scale, null, epsilon, out);
    }

    private static Tensor groupInto(Tensor x, int groups, int axis, Tensor gamma, Tensor beta, double epsilon,
            Object out, boolean into) {
        Checks.notNull(x, "x");
        if (into) {
            Checks.destination(out, "out", x, "x", null, null);
        }
        Checks.epsilon(epsilon, "epsilon");
        View v = View.groups(x, groups, axis);
        checkParam(gamma, "gamma", x, v);
        checkParam(beta, "beta", x, v);
        return run(Kind.GROUP, x, v, gamma, beta, epsilon, out);
    }

    /** {@code keras.ops.rms_normalization(x, axis=axes)}: no scale, epsilon 1e-7, axes default -1. */
    public static Tensor rmsNormalization(Tensor x, int... axes) {
        return rmsNormalization(x, axes == null || axes.length == 0 ? new int[] {-1} : axes, null, OPS_EPSILON);
    }

    /**
     * {@code keras.ops.normalize(x, axis, order=2, epsilon)} and the {@code UnitNormalization} layer: {@code y =
     * x * rsqrt(max(sum(x^2, axes), epsilon^2))}, i.e. {@code x / max(||x||, epsilon)}. Epsilon bounds the
     * <em>norm</em> ({@code tf.math.l2_normalize} bounds the squared norm). A slice of zeros gives zeros with the
     * finite gradient {@code dy / epsilon}, as Keras master (keras-team/keras#23093).
     *
     * @param axes the normalized axes; null means all
     * @param epsilon the smallest norm divided by; the layer uses {@link #UNIT_EPSILON}, the op 1e-7
     */
    public static Tensor unitNormalization(Tensor x, int[] axes, double epsilon) {
        Checks.notNull(x, "x");
        Checks.epsilon(epsilon, "epsilon");
        return run(Kind.UNIT, x, View.rows(x, axes, "axes"), null, null, epsilon);
    }

    /** The {@code UnitNormalization} layer's math: epsilon 1e-12, axes default -1. */
    public static Tensor unitNormalization(Tensor x, int... axes) {
        return unitNormalization(x, axes == null || axes.length == 0 ? new int[] {-1} : axes, UNIT_EPSILON);
    }

    // ---- forward -------------------------------------------------------------------------------------

    private static Tensor run(Kind kind, Tensor x, View v, Tensor gamma, Tensor beta, double eps) {
        return run(kind, x, v, gamma, beta, eps, null);
    }

    /** The forward pass; {@code dest} is the checked destination array, or null to allocate. */
    private static Tensor run(Kind kind, Tensor x, View v, Tensor gamma, Tensor beta, double eps, Object dest) {
        DType dt = x.dtype();
        Tensor y;
        Saved sv = null;
        if (x.size() == 0) {
            y = dest != null ? v.out(dest, dt, dest) : Tensor.wrapNew(dt, x.shape());
        } else if (v.lastAxis()) {
            sv = new Saved(x.raw(), Rows.Stats.of(v.stats));
            Object out = dest != null ? dest : Tensor.newArray(dt, x.size());
            Rows.forward(kind.mode, sv.data(), v.stats, v.count, eps, raw(gamma), raw(beta), sv.st(), out);
            y = v.out(out, dt, dest);
        } else {
            Object data = v.in(x);
            double[][] st = v.moments(data, kind.mode.centredStats());
            sv = new Saved(data, new Rows.Stats(st[0], st[1], Tensor.newDoubles(v.stats)));
            Object meanT = Tensor.newArray(dt, v.stats);
            Object residual = dt == DType.FLOAT32 ? new float[v.stats] : null;
            Object invT = Tensor.newArray(dt, v.stats);
            for (int s = 0; s < v.stats; s++) {
                Rows.statistic(kind.mode, st[0][s], st[1][s], v.count, eps, s, sv.r(), meanT, residual, invT);
            }
            Object out = dest != null && v.perm == null ? dest
                    : Tensor.newArray(dt, x.size());
            boolean scaleLast = !kind.centred();
            v.kernel.apply(data, meanT, residual, invT, raw(gamma), raw(beta), scaleLast, out);
            y = v.out(out, dt, dest);
        }
        if (GradientTape.anyRecording()) {
            record(kind, x, v, gamma, beta, eps, y, sv);
        }
        return y;
    }

    /** What the backward pass reuses: the input in the kernel's layout and the statistics. */
    private record Saved(Object data, Rows.Stats st) {
        double[] mean() {
            return st.mean();
        }

        double[] second() {
            return st.second();
        }

        double[] r() {
            return st.r();
        }
    }

    // ---- backward ------------------------------------------------------------------------------------

    private static void record(Kind kind, Tensor x, View v, Tensor gamma, Tensor beta, double eps, Tensor y,
            Saved sv) {
        Tensor[] inputs = kind == Kind.UNIT ? new Tensor[] {x} : kind == Kind.RMS ? new Tensor[] {x, gamma}
                : new Tensor[] {x, gamma, beta};
        GradientTape.record(kind.op, inputs, new Tensor[] {y}, (g, need) -> {
            Tensor[] d = backward(kind, g[0], x, v, gamma, beta, eps, sv, need);
            Tensor[] out = Arrays.copyOf(d, inputs.length);
            if (GradientTape.anyRecording()) {
                GradientTape.recordNoGradient(kind.op + "Grad", new Tensor[] {g[0], x, gamma, beta}, d[0], d[1],
                        d[2]);
            }
            return out;
        });
    }

    private static Tensor[] backward(Kind kind, Tensor dyT, Tensor x, View v, Tensor gamma, Tensor beta,
            double eps, Saved sv, boolean[] need) {
        DType dt = x.dtype();
        boolean needGamma = gamma != null && need.length > 1 && need[1];
        boolean needBeta = beta != null && need.length > 2 && need[2];
        if (sv == null) { // empty input
            return new Tensor[] {Tensor.zeros(dt, x.shape().dims()), gamma == null ? null
                : Tensor.zeros(dt, gamma.shape().dims()), beta == null ? null : Tensor.zeros(dt, beta.shape().dims())};
        }
        Object dy = v.in(dyT);
        int n = v.stats;
        double[] sumCenter = kind.centred() ? sv.mean() : Tensor.newDoubles(n);
        Tensor dx = null;
        double[][] cs = null;
        double[][] shared = null; // channels-last GroupNorm: the column sums both backward reductions start from
        if (need[0] && v.lastAxis()) {
            cs = needGamma || needBeta ? new double[][] {Tensor.newDoubles(v.count), Tensor.newDoubles(v.count)}
                    : null;
            Object out = Tensor.newArray(dt, x.size());
            Rows.backward(kind.mode, dy, sv.data(), n, v.count, raw(gamma), eps, sv.st(), sumCenter, cs, out);
            dx = v.out(out, dt, null);
        } else if (need[0]) {
            shared = needGamma || needBeta ? v.kernel.sharedColumnSums(dy, sv.data(), sumCenter) : null;
            double[][] sums = v.kernel.sampleSums(dy, sv.data(), raw(gamma), sumCenter, shared);
            double[] ctr = kind == Kind.RMS || kind == Kind.UNIT ? sumCenter : sv.mean();
            double[] b = Tensor.newDoubles(n);
            double[] cc = Tensor.newDoubles(n);
            for (int s = 0; s < n; s++) {
                Rows.gradientFactors(kind.mode, v.count, eps, sv.r()[s], sv.second()[s], sums[0][s], sums[1][s], b, s,
                        cc, s);
            }
            Object out = Tensor.newArray(dt, x.size());
            v.kernel.backward(dy, sv.data(), raw(gamma), sv.r(), ctr, b, cc, out);
            dx = v.out(out, dt, null);
        }
        Tensor dGamma = null;
        Tensor dBeta = null;
        if (needGamma || needBeta) {
            cs = cs != null ? cs : v.kernel.channelSums(dy, sv.data(), sumCenter, sv.r(), shared);
            dGamma = needGamma ? Reductions.fromDoubles(cs[0], dt, gamma.shape()) : null;
            dBeta = needBeta ? Reductions.fromDoubles(cs[1], dt, beta.shape()) : null;
        }
        return new Tensor[] {dx, dGamma, dBeta};
    }

    // ---- layout ----------------------------------------------------------------------------------------

    private static Object raw(Tensor t) {
        return t == null ? null : t.raw();
    }

    private static void checkParam(Tensor p, String name, Tensor x, View v) {
        if (p == null) {
            return;
        }
        Checks.sameDType(x, "x", p, name);
        if (!v.acceptsParam(p.shape().dims())) {
            throw new IllegalArgumentException(name + " has shape " + p.shape() + ": expected " + v.paramShape()
                    + " (" + v.paramWhat + " of x, shape " + x.shape() + ")");
        }
    }

    /**
     * x seen by the kernel: {@code [rows, rowLength]} for the per-sample ops (x permuted to kept-then-normalized
     * axes when the normalized axes are not trailing), {@code [n, p, c, t]} in place for group normalization.
     */
    private static final class View {
        final GroupedNorm kernel;
        final int stats;
        final int count;
        final int[] dims;
        final int[] perm;
        final int[] viewDims;
        final int[] paramDims;
        final int[] broadcastDims;
        final String paramWhat;
        final ReductionPlan plan;
        final int groups;
        final int channels;
        final boolean rowsLayout;

        private View(GroupedNorm kernel, int stats, int count, int[] dims, int[] perm, int[] paramDims,
                int[] broadcastDims, String paramWhat, ReductionPlan plan, int groups, int channels,
                boolean rowsLayout) {
            this.rowsLayout = rowsLayout;
            this.kernel = kernel;
            this.stats = stats;
            this.count = count;
            this.dims = dims;
            this.perm = perm;
            this.viewDims = perm == null ? dims : permuted(dims, perm);
            this.paramDims = paramDims;
            this.broadcastDims = broadcastDims;
            this.paramWhat = paramWhat;
            this.plan = plan;
            this.groups = groups;
            this.channels = channels;
        }

        static View rows(Tensor x, int[] axesArg, String argName) {
            int[] dims = x.shape().dims();
            int[] axes = x.shape().normalizeAxes(axesArg, argName);
            if (axes.length == 0) {
                throw new IllegalArgumentException(argName + " = [] for x of shape " + x.shape()
                        + ": expected at least one axis to normalize over");
            }
            boolean[] red = new boolean[dims.length];
            for (int a : axes) {
                red[a] = true;
            }
            int[] perm = new int[dims.length];
            int k = 0;
            int lastKept = -1;
            int firstReduced = dims.length;
            long rows = 1;
            long len = 1;
            for (int i = 0; i < dims.length; i++) {
                if (!red[i]) {
                    perm[k++] = i;
                    rows *= dims[i];
                    lastKept = dims[i] > 1 ? i : lastKept;
                } else {
                    len *= dims[i];
                    firstReduced = dims[i] > 1 ? Math.min(firstReduced, i) : firstReduced;
                }
            }
            System.arraycopy(axes, 0, perm, k, axes.length);
            int[] paramDims = new int[axes.length];
            int[] bcast = new int[dims.length];
            Arrays.fill(bcast, 1);
            for (int i = 0; i < axes.length; i++) {
                paramDims[i] = dims[axes[i]];
                bcast[axes[i]] = dims[axes[i]];
            }
            int r = (int) rows;
            int l = (int) len;
            return new View(new GroupedNorm(Math.max(r, 1), 1, Math.max(l, 1), 1, 1), r, l, dims,
                    lastKept < firstReduced ? null : perm, paramDims, bcast, "its dims at " + Arrays.toString(axes),
                    ReductionPlan.of(new int[] {r, l}, new int[] {1}), 1, l, true);
        }

        static View groups(Tensor x, int groupsArg, int axisArg) {
            if (x.rank() < 2) {
                throw new IllegalArgumentException("x has shape " + x.shape() + " (rank " + x.rank()
                        + "): expected rank >= 2, (batch, ..., channels, ...)");
            }
            int axis = x.shape().normalizeAxis(axisArg, "axis");
            if (axis == 0) {
                throw new IllegalArgumentException("axis = " + axisArg + " is the batch axis of x " + x.shape()
                        + ": expected the channel axis (-1 for channels-last, 1 for channels-first)");
            }
            int[] dims = x.shape().dims();
            int c = dims[axis];
            if (c < 1) {
                throw new IllegalArgumentException("x " + x.shape() + " has no channels along axis " + axisArg
                        + ": expected a channel dimension >= 1");
            }
            int groups = groupsArg == -1 ? c : groupsArg;
            if (groupsArg == 0 || groupsArg < -1) {
                throw new IllegalArgumentException("groups = " + groupsArg
                        + ": expected a positive number of groups, or -1 for one group per channel");
            }
            if (groups > c) {
                throw new IllegalArgumentException("Number of groups (" + groups + ") cannot be more than the "
                        + "number of channels (" + c + ") of x " + x.shape() + " along axis " + axisArg);
            }
            if (c % groups != 0) {
                throw new IllegalArgumentException("Number of channels (" + c + ") of x " + x.shape()
                        + " is not a multiple of groups = " + groups + ": expected groups to divide it");
            }
            int p = Shape.product(dims, 1, axis);
            int t = Shape.product(dims, axis + 1, dims.length);
            int n = dims[0];
            int[] bcast = new int[dims.length];
            Arrays.fill(bcast, 1);
            bcast[axis] = c;
            ReductionPlan nc = ReductionPlan.of(new int[] {n, p, c, t}, new int[] {1, 3});
            return new View(new GroupedNorm(Math.max(n, 1), Math.max(p, 1), c, Math.max(t, 1), groups),
                    n * groups, p * (c / groups) * t, dims, null, new int[] {c},
                    bcast, "one value per channel along axis " + axisArg, nc, groups, c, false);
        }

        private static int[] permuted(int[] dims, int[] perm) {
            int[] out = new int[dims.length];
            for (int i = 0; i < dims.length; i++) {
                out[i] = dims[perm[i]];
            }
            return out;
        }

        /** Whether each statistic is one contiguous row of x's own array (the last-axis fast path). */
        boolean lastAxis() {
            return rowsLayout && perm == null;
        }

        boolean acceptsParam(int[] d) {
            return Arrays.equals(d, paramDims) || Arrays.equals(d, broadcastDims);
        }

        String paramShape() {
            return Shape.of(paramDims).toString();
        }

        /** x's data in the kernel's layout (a permuted copy, or x's own array). */
        Object in(Tensor t) {
            if (perm == null) {
                return t.raw();
            }
            Object dst = Tensor.newArray(t.dtype(), t.size());
            Strided.permute(t.raw(), dims, perm, dst);
            return dst;
        }

        /** A result in the kernel's layout, as a tensor of x's shape; permuted into {@code dest} when given. */
        Tensor out(Object data, DType dt, Object dest) {
            Object back = data;
            if (perm != null && data != dest) {
                int[] inverse = new int[perm.length];
                for (int i = 0; i < perm.length; i++) {
                    inverse[perm[i]] = i;
                }
                int size = dt == DType.FLOAT32 ? ((float[]) data).length : ((double[]) data).length;
                back = dest != null ? dest : Tensor.newArray(dt, size);
                Strided.permute(data, viewDims, inverse, back);
            }
            return dt == DType.FLOAT32 ? Tensor.wrap((float[]) back, Shape.of(dims))
                    : Tensor.wrap((double[]) back, Shape.of(dims));
        }

        /**
         * Per statistic: {@code {mean, centred sum of squares}} when {@code centred}, else {@code {zeros, sum of
         * squares}}; in double, through {@link Reduce} (one read of the data; see {@link Reduce#moments}).
         */
        double[][] moments(Object data, boolean centred) {
            if (rowsLayout) {
                if (centred) {
                    return Reduce.moments(data, plan);
                }
                return new double[][] {Tensor.newDoubles(stats),
                    Reduce.sumSquaredDeviations(data, plan, Tensor.newDoubles(stats))};
            }
            // group normalization: moments per (sample, channel) from one read (Reduce.moments), merged per
            // (sample, group) in channel order with the exact pairwise formula M2 = sum(M2_c + n_c (mean_c -
            // mean)^2); every channel has the same count
            Object nc = data;
            if (plan.permutation != null) {
                int size = plan.outSize * plan.count;
                nc = Tensor.newArray(data instanceof float[] ? DType.FLOAT32 : DType.FLOAT64, size);
                Strided.permute(data, plan.dims(), plan.permutation, nc);
            }
            double[][] perChannel = Reduce.moments(nc, plan);
            int perGroup = channels / groups;
            double[] mean = Tensor.newDoubles(stats);
            double[] m2 = Tensor.newDoubles(stats);
            for (int i = 0; i < perChannel[0].length; i++) {
                mean[(i / channels) * groups + (i % channels) / perGroup] += perChannel[0][i];
            }
            for (int s = 0; s < stats; s++) {
                mean[s] /= perGroup;
            }
            double n = plan.count;
            for (int i = 0; i < perChannel[0].length; i++) {
                int s = (i / channels) * groups + (i % channels) / perGroup;
                double d = perChannel[0][i] - mean[s];
                m2[s] += perChannel[1][i] + n * d * d;
            }
            return new double[][] {mean, m2};
        }
    }

}
