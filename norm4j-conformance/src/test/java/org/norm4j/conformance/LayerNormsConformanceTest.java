package org.norm4j.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.norm4j.conformance.Conformance.arr;
import static org.norm4j.conformance.Conformance.assertConforms;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.conformance.Tf.Arr;
import org.norm4j.conformance.Tf.Composition;
import org.norm4j.conformance.Tf.GradResult;
import org.norm4j.layers.GroupNormalization;
import org.norm4j.layers.InstanceNormalization;
import org.norm4j.layers.Layer;
import org.norm4j.layers.LayerNormalization;
import org.norm4j.layers.RMSNormalization;
import org.norm4j.layers.UnitNormalization;
import org.norm4j.ops.LayerNorms;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * {@code LayerNorms} and the layers built on it against the TensorFlow compositions Keras 3's TensorFlow backend
 * runs, forward and backward (graph-mode gradients of {@code reduce_sum(w * f)} for a random {@code w}, from
 * TensorFlow's gradient registry):
 * <ul>
 *   <li>layer normalization: {@code mean, var = tf.nn.moments(x, axes, keepdims=True); inv = rsqrt(var + eps) *
 *       gamma; y = x * inv + (-mean * inv + beta)}, gamma and beta reshaped to the broadcast shape unless the
 *       axis is the last one; {@code rms_scaling}: {@code var = reduce_variance(x)}, {@code y = x * rsqrt(var +
 *       eps) * gamma};</li>
 *   <li>group normalization: x reshaped to {@code (..., groups, C / groups, ...)}, moments over every non-batch
 *       axis but the groups axis, the same affine with gamma and beta reshaped into the grouped shape, reshaped
 *       back;</li>
 *   <li>RMS normalization: {@code (x * rsqrt(mean(square(x)) + eps)) * scale};</li>
 *   <li>unit normalization: forward against Keras 3.6-3.15 ({@code x * minimum(rsqrt(sum(square(x))), 1 /
 *       eps)}) and Keras master ({@code x * rsqrt(maximum(sum(square(x)), eps^2))}), gradients against master
 *       (finite at a zero slice).</li>
 * </ul>
 * Random ranks 1-4 (2-4 for groups), dims 1-5, axes (negative, unordered, non-trailing), groups (divisors of C or
 * -1), channel axes, epsilons, every combination of center/scale/rms_scaling, float32 and float64; one case in
 * five has ill-conditioned data (mean 1e4 times the standard deviation), recorded under its own label.
 *
 * <p>Tolerances, relative to the largest |value| of TensorFlow's result: forward float64 1e-12, float32 2e-6,
 * plus 8 ulps of the terms Keras's order {@code x * inv + (beta - mean * inv)} cancels (TensorFlow's own rounding
 * there; norm4j computes {@code (x - mean) * inv + beta}, exact where they cancel: slices of one element, data
 * whose mean is far larger than its spread). Backward float64 1e-10, float32 2e-5, relative to at least the
 * natural scale of dx (see {@link #compare}). On ill-conditioned data (offset 1e4 times the spread) TensorFlow's
 * gradients carry the error of its statistics accumulated in the data type: float64 is held to 1e-8, and float32
 * to 2e-5 against TensorFlow run in float64 on the same values (labels "vs tf float64"), its distance to
 * TensorFlow's float32 gradients only bounded by 1e-1. The layers (float32 weights, float32 input)
 * are checked at the float32 tolerances on well-conditioned data.
 */
class LayerNormsConformanceTest {
    private static final int CASES = 240;
    private static final double[] EPSILONS = {1e-3, 1e-5, 1e-6, 1e-7};

    @BeforeAll
    static void requireTf() {
        assumeTrue(Tf.available(), () -> "TensorFlow Java unavailable here: " + Tf.unavailableReason());
    }

    @AfterAll
    static void report() {
        if (Tf.available()) {
            Conformance.report("layer, group, RMS and unit normalization");
        }
    }

    // ---- the ops -------------------------------------------------------------------------------------------

    @Test
    void layerNormalization() {
        Random rnd = new Random(80);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            boolean ill = c % 5 == 4;
            int rank = 1 + rnd.nextInt(4);
            int[] dims = Conformance.randomDims(rnd, rank, 5);
            int[] axes = Conformance.randomAxes(rnd, rank);
            int[] sorted = sortedAxes(axes, rank);
            boolean center = rnd.nextBoolean();
            boolean scale = rnd.nextBoolean();
            boolean rms = rnd.nextInt(4) == 0;
            double eps = EPSILONS[rnd.nextInt(EPSILONS.length)];
            Tensor x = Conformance.data(rnd, dt, ill, dims);
            int[] pd = dimsAt(dims, sorted);
            Tensor gamma = scale || rms ? Tensor.randomNormal(dt, 1, 0.5, rnd.nextLong(), pd) : null;
            Tensor beta = center && !rms ? Tensor.randomNormal(dt, 0, 0.5, rnd.nextLong(), pd) : null;
            boolean reshape = !(sorted.length == 1 && sorted[0] == rank - 1);
            String op = (rms ? "layer_norm rms_scaling " : "layer_norm ") + label(dt, ill);
            double r = 1 / Math.sqrt(x.asType(DType.FLOAT64).variance(sorted).min().item() + eps);
            compare(op, dt, ill, layerNormTf(sorted, reshape ? broadcastShape(dims, sorted) : null, eps, rms),
                    t -> LayerNorms.layerNormalization(t[0], axes, t[1], t[2], eps, rms), rnd, r, x, gamma, beta);
        }
    }

    @Test
    void groupNormalization() {
        Random rnd = new Random(81);
        int[] channels = {1, 2, 3, 4, 6, 8};
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            boolean ill = c % 5 == 4;
            int rank = 2 + rnd.nextInt(3);
            int[] dims = Conformance.randomDims(rnd, rank, 4);
            int axis = 1 + rnd.nextInt(rank - 1);
            int ch = channels[rnd.nextInt(channels.length)];
            dims[axis] = ch;
            List<Integer> divisors = new ArrayList<>(List.of(-1));
            for (int g = 1; g <= ch; g++) {
                if (ch % g == 0) {
                    divisors.add(g);
                }
            }
            int groups = divisors.get(rnd.nextInt(divisors.size()));
            int axisArg = rnd.nextBoolean() ? axis : axis - rank;
            double eps = EPSILONS[rnd.nextInt(EPSILONS.length)];
            Tensor x = Conformance.data(rnd, dt, ill, dims);
            Tensor gamma = rnd.nextBoolean() ? Tensor.randomNormal(dt, 1, 0.5, rnd.nextLong(), ch) : null;
            Tensor beta = rnd.nextBoolean() ? Tensor.randomNormal(dt, 0, 0.5, rnd.nextLong(), ch) : null;
            int g = groups == -1 ? ch : groups;
            double r = 1 / Math.sqrt(groupVariances(x, axis, g).min().item() + eps);
            compare("group_norm " + label(dt, ill), dt, ill, groupNormTf(dims, axis, g, eps),
                    t -> LayerNorms.groupNormalization(t[0], groups, axisArg, t[1], t[2], eps), rnd, r, x, gamma,
                    beta);
        }
    }

    @Test
    void rmsNormalization() {
        Random rnd = new Random(82);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            boolean ill = c % 5 == 4;
            int rank = 1 + rnd.nextInt(4);
            int[] dims = Conformance.randomDims(rnd, rank, 5);
            int[] axes = Conformance.randomAxes(rnd, rank);
            int[] sorted = sortedAxes(axes, rank);
            double eps = EPSILONS[rnd.nextInt(EPSILONS.length)];
            Tensor x = Conformance.data(rnd, dt, ill, dims);
            Tensor scale = rnd.nextInt(4) > 0 ? Tensor.randomNormal(dt, 1, 0.5, rnd.nextLong(), dimsAt(dims, sorted))
                    : null;
            double r = 1 / Math.sqrt(x.asType(DType.FLOAT64).square().mean(sorted).min().item() + eps);
            compare("rms_norm " + label(dt, ill), dt, ill, rmsNormTf(sorted, broadcastShape(dims, sorted), eps),
                    t -> LayerNorms.rmsNormalization(t[0], axes, t[1], eps), rnd, r, x, scale, null);
        }
    }

    @Test
    void unitNormalization() {
        Random rnd = new Random(83);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int rank = 1 + rnd.nextInt(4);
            int[] dims = Conformance.randomDims(rnd, rank, 5);
            int[] axes = rnd.nextInt(4) == 0 ? null : Conformance.randomAxes(rnd, rank);
            int[] sorted = axes == null ? sortedAxes(allAxes(rank), rank) : sortedAxes(axes, rank);
            double eps = new double[] {1e-12, 1e-7, 1e-3}[rnd.nextInt(3)];
            Tensor x = Conformance.data(rnd, dt, c % 5 == 4, dims);
            if (c % 25 == 0) {
                x = x.mul(1e-9); // some norms below the floor
            }
            Tensor y = LayerNorms.unitNormalization(x, axes, eps);
            double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-12;
            assertConforms("unit_norm (keras 3.6) " + dt.pyName(), Tf.evaluate(unitNormTf(sorted, eps, false), arr(x)), y,
                    tol, 1e-30);
            double r = 1 / Math.max(Math.sqrt(x.asType(DType.FLOAT64).square().sum(sorted).min().item()), eps);
            compare("unit_norm " + label(dt, false), dt, false, unitNormTf(sorted, eps, true),
                    t -> LayerNorms.unitNormalization(t[0], axes, eps), rnd, r, x, null, null);
        }
    }

    // ---- the layers (float32 weights, as Keras) ------------------------------------------------------------

    @Test
    void layers() {
        Random rnd = new Random(84);
        for (int c = 0; c < 60; c++) {
            int[] dims = {1 + rnd.nextInt(4), 2 + rnd.nextInt(3), 4};
            Tensor x = Conformance.data(rnd, DType.FLOAT32, false, dims);
            double eps = EPSILONS[rnd.nextInt(EPSILONS.length)];
            boolean center = rnd.nextBoolean();
            boolean scale = rnd.nextBoolean();
            int[] last = {2};
            int[] mid = {1, 2};
            switch (c % 5) {
                case 0 -> compareLayer("LayerNormalization", LayerNormalization.builder().axis(1, -1).epsilon(eps)
                        .center(center).scale(scale).build(), layerNormTf(mid, broadcastShape(dims, mid), eps,
                        false), rnd, x);
                case 1 -> compareLayer("LayerNormalization rms_scaling", LayerNormalization.builder().epsilon(eps)
                        .rmsScaling(true).build(), layerNormTf(last, null, eps, true), rnd, x);
                case 2 -> compareLayer("GroupNormalization", GroupNormalization.builder().groups(2).epsilon(eps)
                        .center(center).scale(scale).build(), groupNormTf(dims, 2, 2, eps), rnd, x);
                case 3 -> compareLayer("InstanceNormalization", new InstanceNormalization(GroupNormalization
                        .builder().axis(1).epsilon(eps).center(center).scale(scale)),
                        groupNormTf(dims, 1, dims[1], eps), rnd, x);
                default -> {
                    compareLayer("RMSNormalization", new RMSNormalization(eps, -1), rmsNormTf(last, null, eps), rnd,
                            x);
                    compareLayer("UnitNormalization", new UnitNormalization(1, 2), unitNormTf(mid, 1e-12, true),
                            rnd, x);
                }
            }
        }
    }

    // ---- comparison --------------------------------------------------------------------------------------

    private interface Op {
        Tensor apply(Tensor[] in);
    }

    /**
     * Forward and every gradient of {@code op(x, p1, p2)} (null parameters stay null) against TensorFlow. The
     * error of dx is relative to at least its natural scale {@code max|w| * max(1, max|p1|) * rMax}, with
     * {@code rMax} the largest inverse standard deviation (or norm) of the case: where dx cancels to zero in
     * exact arithmetic (slices of one element), both sides hold rounding noise of that scale.
     */
    private static void compare(String op, DType dt, boolean ill, Composition tf, Op ours, Random rnd, double rMax,
            Tensor x, Tensor p1, Tensor p2) {
        Tensor w = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), x.shape().dims());
        GradResult expected = Tf.gradients(tf, arr(w), arr(x), p1 == null ? null : arr(p1),
                p2 == null ? null : arr(p2));
        Tensor[] all = {x, p1, p2};
        Tensor[] watched = Arrays.stream(all).filter(t -> t != null).toArray(Tensor[]::new);
        Tensor y;
        Tensor[] g;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(watched);
            y = ours.apply(all);
            g = tape.gradient(y, watched, w);
        }
        boolean f32 = dt == DType.FLOAT32;
        String[] names = {" dx", " dgamma", " dbeta"};
        double gammaMax = Math.max(1, p1 == null ? 1 : p1.abs().max().item());
        double natural = w.abs().max().item() * gammaMax * rMax;
        // Keras's x * inv + (beta - mean * inv) rounds terms of size |x| * |gamma| * rMax before they cancel, so
        // TensorFlow's own result is good to a few ulps of those only (slices of one element, offset data): the
        // floor allows 8 of them on top of the relative tolerance
        double tolY = f32 ? 2e-6 : 1e-12;
        double ulps = 8 * (f32 ? 0x1p-24 : 0x1p-53) * x.abs().max().item() * gammaMax * rMax;
        assertConforms(op + " y", expected.value(), y, tolY, maxAbs(expected.value()) + ulps / tolY);
        for (int i = 0, k = 0; i < all.length; i++) {
            if (all[i] != null) {
                assertConforms(op + names[i], expected.grad(i), g[k++], f32 ? (ill ? 1e-1 : 2e-5) : (ill ? 1e-8 : 1e-10),
                        i == 0 ? natural : 1e-30);
            }
        }
        if (f32 && ill) { // the accurate reference for the gradients: the same values through TensorFlow in float64
            GradResult exact = Tf.gradients(tf, arr(w).withDtype(true), arr(x).withDtype(true),
                    p1 == null ? null : arr(p1).withDtype(true), p2 == null ? null : arr(p2).withDtype(true));
            for (int i = 0, k = 0; i < all.length; i++) {
                if (all[i] != null) {
                    assertConforms(op + names[i] + " vs tf float64", exact.grad(i), g[k++], 2e-5, i == 0 ? natural : 1e-30);
                }
            }
        }
    }

    /** A layer with random float32 weights against the composition: output, input gradient, weight gradients. */
    private static void compareLayer(String name, Layer layer, Composition tf, Random rnd, Tensor x) {
        layer.apply(x);
        List<Variable> ws = layer.trainableWeights();
        Arr[] in = new Arr[3];
        in[0] = arr(x);
        for (Variable v : ws) {
            v.assign(Tensor.randomNormal(DType.FLOAT32, v.name().endsWith("beta") ? 0 : 1, 0.5, rnd.nextLong(),
                    v.shape().dims()));
            in[v.name().endsWith("beta") ? 2 : 1] = arr(v.value());
        }
        Tensor w = Tensor.randomNormal(DType.FLOAT32, 0, 1, rnd.nextLong(), x.shape().dims());
        GradResult expected = Tf.gradients(tf, arr(w), in);
        Tensor y;
        Tensor dx;
        List<Tensor> dw;
        try (GradientTape tape = GradientTape.persistent()) {
            tape.watch(x);
            y = layer.apply(x, true);
            dx = tape.gradient(y, new Tensor[] {x}, w)[0];
            dw = tape.gradient(y, ws, w, GradientTape.UnconnectedGradients.NONE);
        }
        assertConforms("layer " + name + " y", expected.value(), y, 2e-6, 1e-30);
        assertConforms("layer " + name + " dx", expected.grad(0), dx, 2e-5, 1e-30);
        for (int i = 0; i < ws.size(); i++) {
            assertConforms("layer " + name + " d" + ws.get(i).name().replaceAll(".*/", ""),
                    expected.grad(ws.get(i).name().endsWith("beta") ? 2 : 1), dw.get(i), 2e-5, 1e-30);
        }
    }

    // ---- the TensorFlow compositions (Keras 3, TensorFlow backend) -------------------------------------------

    /** Inputs {@code x, gamma|null, beta|null}; {@code bshape} null means gamma/beta broadcast as given. */
    private static Composition layerNormTf(int[] axes, int[] bshape, double eps, boolean rms) {
        return (tf, in) -> {
            Operand<TFloating> x = in.get(0);
            Operand<TFloating> gamma = reshape(tf, in.get(1), bshape);
            Operand<TFloating> beta = reshape(tf, in.get(2), bshape);
            Operand<TInt32> ax = tf.constant(axes);
            Operand<TFloating> mean = tf.math.mean(x, ax, Mean.keepDims(true));
            if (rms) { // keras.ops.var: tf.math.reduce_variance
                Operand<TFloating> var = tf.math.mean(tf.math.square(tf.math.abs(tf.math.sub(x, mean))), ax,
                        Mean.keepDims(true));
                Operand<TFloating> out = tf.math.mul(x, tf.math.rsqrt(tf.math.add(var, constant(tf, x, eps))));
                return gamma == null ? out : tf.math.mul(out, gamma);
            }
            Operand<TFloating> var = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), ax,
                    Mean.keepDims(true));
            return affine(tf, x, mean, var, gamma, beta, eps);
        };
    }

    /** Keras's GroupNormalization: reshape into groups, moments, affine with reshaped gamma/beta, reshape back. */
    private static Composition groupNormTf(int[] dims, int axis, int groups, double eps) {
        int rank = dims.length;
        int[] grouped = new int[rank + 1];
        int[] bshape = new int[rank + 1];
        Arrays.fill(bshape, 1);
        for (int i = 0, j = 0; i < rank; i++, j++) {
            if (i == axis) {
                grouped[j] = groups;
                bshape[j++] = groups;
                grouped[j] = dims[i] / groups;
                bshape[j] = dims[i] / groups;
            } else {
                grouped[j] = dims[i];
            }
        }
        int[] red = new int[rank - 1];
        for (int i = 1, k = 0; i <= rank; i++) {
            if (i != axis) {
                red[k++] = i;
            }
        }
        return (tf, in) -> {
            Operand<TFloating> x = tf.reshape(in.get(0), tf.constant(grouped));
            Operand<TInt32> ax = tf.constant(red);
            Operand<TFloating> mean = tf.math.mean(x, ax, Mean.keepDims(true));
            Operand<TFloating> var = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), ax,
                    Mean.keepDims(true));
            Operand<TFloating> y = affine(tf, x, mean, var, reshape(tf, in.get(1), bshape),
                    reshape(tf, in.get(2), bshape), eps);
            return tf.reshape(y, tf.constant(dims));
        };
    }

    /** Keras's {@code _rms_normalization}: {@code (x * rsqrt(mean(square(x)) + eps)) * scale}. */
    private static Composition rmsNormTf(int[] axes, int[] bshape, double eps) {
        return (tf, in) -> {
            Operand<TFloating> x = in.get(0);
            Operand<TFloating> ms = tf.math.mean(tf.math.square(x), tf.constant(axes), Mean.keepDims(true));
            Operand<TFloating> out = tf.math.mul(x, tf.math.rsqrt(tf.math.add(ms, constant(tf, x, eps))));
            Operand<TFloating> scale = reshape(tf, in.get(1), bshape);
            return scale == null ? out : tf.math.mul(out, scale);
        };
    }

    /** Keras's {@code ops.normalize(x, axis, order=2, epsilon)}: 3.6-3.15 form, or master's ({@code master}). */
    private static Composition unitNormTf(int[] axes, double eps, boolean master) {
        return (tf, in) -> {
            Operand<TFloating> x = in.get(0);
            Operand<TFloating> ss = tf.sum(tf.math.square(x), tf.constant(axes), Sum.keepDims(true));
            Operand<TFloating> inv = master ? tf.math.rsqrt(tf.math.maximum(ss, constant(tf, x, eps * eps)))
                    : tf.math.minimum(tf.math.rsqrt(ss), constant(tf, x, 1.0 / eps));
            return tf.math.mul(x, inv);
        };
    }

    /** {@code inv = rsqrt(var + eps) * gamma; res = -mean * inv + beta; x * inv + res}. */
    private static Operand<TFloating> affine(Ops tf, Operand<TFloating> x, Operand<TFloating> mean,
            Operand<TFloating> var, Operand<TFloating> gamma, Operand<TFloating> beta, double eps) {
        Operand<TFloating> inv = tf.math.rsqrt(tf.math.add(var, constant(tf, x, eps)));
        if (gamma != null) {
            inv = tf.math.mul(inv, gamma);
        }
        Operand<TFloating> res = tf.math.mul(tf.math.neg(mean), inv);
        if (beta != null) {
            res = tf.math.add(res, beta);
        }
        return tf.math.add(tf.math.mul(x, inv), res);
    }

    private static Operand<TFloating> reshape(Ops tf, Operand<TFloating> v, int[] shape) {
        return v == null || shape == null ? v : tf.reshape(v, tf.constant(shape));
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloating> constant(Ops tf, Operand<TFloating> like, double v) {
        return (Operand<TFloating>) (Operand<?>) (TFloat64.class.equals(like.type()) ? tf.constant(v)
                : tf.constant((float) v));
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    /** Variances per (sample, group) of x with channels on {@code axis}, in float64. */
    private static Tensor groupVariances(Tensor x, int axis, int groups) {
        int[] d = x.shape().dims();
        int rest = x.size() / (d[0] * d[axis]);
        int before = 1;
        for (int i = 1; i < axis; i++) {
            before *= d[i];
        }
        Tensor v = x.asType(DType.FLOAT64).reshape(d[0], before, groups, d[axis] / groups, rest / before);
        return v.variance(1, 3, 4);
    }

    private static double maxAbs(Arr a) {
        return Arrays.stream(a.data()).map(Math::abs).max().orElse(0);
    }

    private static String label(DType dt, boolean ill) {
        return dt.pyName() + (ill ? " offset 1e4" : "");
    }

    private static int[] sortedAxes(int[] axes, int rank) {
        return Arrays.stream(axes).map(a -> a < 0 ? a + rank : a).sorted().toArray();
    }

    private static int[] allAxes(int rank) {
        int[] a = new int[rank];
        for (int i = 0; i < rank; i++) {
            a[i] = i;
        }
        return a;
    }

    private static int[] dimsAt(int[] dims, int[] sorted) {
        return Arrays.stream(sorted).map(a -> dims[a]).toArray();
    }

    /** Keras's {@code broadcast_shape}: the dims at the axes, 1 elsewhere. */
    private static int[] broadcastShape(int[] dims, int[] sorted) {
        int[] b = new int[dims.length];
        Arrays.fill(b, 1);
        for (int a : sorted) {
            b[a] = dims[a];
        }
        return b;
    }
}
