package org.norm4j.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.norm4j.conformance.Conformance.arr;
import static org.norm4j.conformance.Conformance.assertConforms;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.conformance.Tf.Arr;
import org.norm4j.conformance.Tf.Fn;
import org.norm4j.conformance.Tf.GradParams;
import org.norm4j.ops.Nn;

/**
 * norm4j's GradientTape against TensorFlow's graph-mode gradients ({@code Graph.addGradients}) of the
 * normalization functions: the gradient of {@code sum(w * f(inputs))} with respect to every input, on random
 * shapes, axes and both dtypes (the fused and LRN ops are float32 only in TensorFlow).
 *
 * <p>Tolerance relative to the largest |gradient| of each input: float32 1e-4 (TensorFlow's float gradients
 * of compositions accumulate rounding through several ops), float64 1e-10.
 */
class GradientConformanceTest {
    private static final int CASES = 120;

    @BeforeAll
    static void requireTf() {
        assumeTrue(Tf.available(), () -> "TensorFlow Java unavailable here: " + Tf.unavailableReason());
    }

    @AfterAll
    static void report() {
        if (Tf.available()) {
            Conformance.report("gradients (GradientTape vs TensorFlow graph gradients)");
        }
    }

    private static double tol(DType dt) {
        return dt == DType.FLOAT32 ? 1e-4 : 1e-10;
    }

    /** Gradients of sum(w * f(args)) w.r.t. every non-null arg, through norm4j's tape. */
    private static Tensor[] tapeGradients(Function<Tensor[], Tensor> f, Tensor w, Tensor... args) {
        try (GradientTape tape = new GradientTape()) {
            for (Tensor a : args) {
                if (a != null) {
                    tape.watch(a);
                }
            }
            Tensor loss = f.apply(args).mul(w).sum();
            Tensor[] present = java.util.Arrays.stream(args).filter(java.util.Objects::nonNull)
                    .toArray(Tensor[]::new);
            Tensor[] g = tape.gradient(loss, present);
            Tensor[] out = new Tensor[args.length];
            for (int i = 0, j = 0; i < args.length; i++) {
                out[i] = args[i] == null ? null : g[j++];
            }
            return out;
        }
    }

    private static void compare(String op, Tf.GradResult tf, Tensor[] ours, DType dt) {
        compare(op, tf, ours, dt, 1e-30);
    }

    /** {@code floor}: the scale of the gradient's terms where it cancels to near zero. */
    private static void compare(String op, Tf.GradResult tf, Tensor[] ours, DType dt, double floor) {
        for (int i = 0; i < ours.length; i++) {
            if (ours[i] != null && tf.grad(i) != null) {
                assertConforms(op + " d/input" + i + " " + dt.pyName(), tf.grad(i), ours[i], tol(dt), floor);
            }
        }
    }

    private static double maxAbs(Tensor t) {
        return Math.max(Math.abs(t.max().item()), Math.abs(t.min().item()));
    }

    @Test
    void momentsAndL2Normalize() {
        Random rnd = new Random(60);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int rank = 1 + rnd.nextInt(4);
            int[] dims = Conformance.randomDims(rnd, rank, 5);
            int[] axes = Conformance.randomAxes(rnd, rank);
            boolean keep = rnd.nextBoolean();
            Tensor x = Conformance.data(rnd, dt, false, dims);
            Nn.Moments shape = Nn.moments(x, axes, keep);
            Tensor wm = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), shape.mean().shape().dims());
            compare("moments mean", Tf.gradients(Fn.MOMENTS_MEAN, GradParams.moments(axes, keep), arr(wm), arr(x)),
                    tapeGradients(a -> Nn.moments(a[0], axes, keep).mean(), wm, x), dt);
            compare("moments variance", Tf.gradients(Fn.MOMENTS_VARIANCE, GradParams.moments(axes, keep), arr(wm),
                    arr(x)), tapeGradients(a -> Nn.moments(a[0], axes, keep).variance(), wm, x), dt);
            Tensor wx = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), dims);
            int[] l2axes = rnd.nextInt(4) == 0 ? null : axes;
            // d(x/|x|)/dx is of size |w|/|x| even where it cancels to 0 (a one-element slice)
            compare("l2_normalize", Tf.gradients(Fn.L2_NORMALIZE, GradParams.l2Normalize(l2axes, 1e-12), arr(wx),
                    arr(x)), tapeGradients(a -> Nn.l2Normalize(a[0], l2axes, 1e-12), wx, x), dt,
                    maxAbs(wx) / x.square().sum(l2axes, true).sqrt().min().item());
        }
    }

    @Test
    void batchNormalizationComposition() {
        Random rnd = new Random(61);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int rank = 1 + rnd.nextInt(4);
            int[] dims = Conformance.randomDims(rnd, rank, 5);
            int[] pd = {dims[rank - 1]};
            Tensor x = Conformance.data(rnd, dt, false, dims);
            Tensor mean = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), pd);
            Tensor var = Tensor.randomUniform(dt, 0.5, 2, rnd.nextLong(), pd);
            Tensor offset = rnd.nextInt(3) == 0 ? null : Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), pd);
            Tensor scale = rnd.nextInt(3) == 0 ? null : Tensor.randomUniform(dt, 0.5, 2, rnd.nextLong(), pd);
            Tensor w = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), dims);
            double eps = 1e-3;
            Tf.GradResult tf = Tf.gradients(Fn.BATCH_NORMALIZATION, GradParams.batchNorm(eps), arr(w), arr(x), arr(mean),
                    arr(var), offset == null ? null : arr(offset), scale == null ? null : arr(scale));
            compare("batch_normalization", tf, tapeGradients(a -> Nn.batchNormalization(a[0], a[1], a[2], a[3], a[4],
                    eps), w, x, mean, var, offset, scale), dt);
        }
    }

    @Test
    void fusedBatchNormAndLrn() {
        Random rnd = new Random(62);
        for (int c = 0; c < CASES; c++) {
            boolean nchw = c % 2 == 1;
            int n = 1 + rnd.nextInt(3);
            int h = 1 + rnd.nextInt(4);
            int wd = 1 + rnd.nextInt(4);
            int ch = 1 + rnd.nextInt(5);
            if (n * h * wd == 1) {
                n = 2;
            }
            int[] dims = nchw ? new int[] {n, ch, h, wd} : new int[] {n, h, wd, ch};
            String fmt = nchw ? "NCHW" : "NHWC";
            Tensor x = Tensor.randomNormal(DType.FLOAT32, 1, 2, rnd.nextLong(), dims);
            Tensor scale = Tensor.randomUniform(DType.FLOAT32, 0.5, 2, rnd.nextLong(), ch);
            Tensor offset = Tensor.randomNormal(DType.FLOAT32, 0, 1, rnd.nextLong(), ch);
            Tensor w = Tensor.randomNormal(DType.FLOAT32, 0, 1, rnd.nextLong(), dims);
            double eps = 1e-3;
            // dx cancels between terms of size |w| * scale * rsqrt(var + eps)
            Tensor biasedVar = Nn.fusedBatchNorm(x, scale, offset, null, null, eps, fmt, true, 1.0).reserveSpace2();
            double gain = maxAbs(scale.div(biasedVar.add(eps).sqrt()));
            compare("fused_batch_norm (training) " + fmt, Tf.gradients(Fn.FUSED_BATCH_NORM_TRAINING,
                    GradParams.fusedBatchNorm(eps, fmt), arr(w), arr(x), arr(scale), arr(offset)),
                    tapeGradients(a -> Nn.fusedBatchNorm(a[0], a[1], a[2], null, null, eps, fmt, true, 1.0).y(), w, x,
                            scale, offset), DType.FLOAT32, gain * maxAbs(w));
            int r = rnd.nextInt(4);
            double bias = 0.5 + rnd.nextDouble();
            double alpha = new double[] {1, 1e-4, 0.3}[rnd.nextInt(3)];
            double beta = new double[] {0.5, 0.75, 1}[rnd.nextInt(3)];
            compare("local_response_normalization", Tf.gradients(Fn.LRN, GradParams.lrn(r, bias, alpha, beta), arr(w),
                    arr(x)), tapeGradients(a -> Nn.localResponseNormalization(a[0], r, bias, alpha, beta), w, x),
                    DType.FLOAT32);
        }
    }
}
