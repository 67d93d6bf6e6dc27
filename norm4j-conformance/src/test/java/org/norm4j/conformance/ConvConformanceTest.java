package org.norm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.norm4j.conformance.Conformance.arr;
import static org.norm4j.conformance.Conformance.assertConforms;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.conformance.Tf.Arr;
import org.norm4j.ops.Convolutions;
import org.norm4j.ops.DataFormat;
import org.norm4j.ops.Padding;
import org.norm4j.ops.Pools;

/**
 * {@code Convolutions} and {@code Pools} against TensorFlow's kernels ({@code Conv2D}, {@code Conv2DBackpropInput},
 * {@code Conv2DBackpropFilter}, {@code MaxPool}, {@code MaxPoolGrad}, {@code AvgPool}, {@code AvgPoolGrad}) on
 * seeded random cases: odd sizes, strides 1-3, dilations 1-2, VALID / SAME / explicit padding, 1-3 groups,
 * float32 and float64, NHWC and NCHW. TensorFlow runs NHWC (its CPU kernels refuse NCHW); an NCHW case feeds
 * norm4j the transposed data and compares the result transposed back.
 *
 * <p>Tolerances, relative to the largest |value| of TensorFlow's output (at least 1): 2e-6 in float32, 1e-13
 * in float64 (both libraries sum the same products in different orders). Max pooling and its gradient must be
 * exact (a maximum involves no rounding; the gradient's position is TensorFlow's first-maximum rule, tested
 * with ties on purpose: inputs are rounded to a coarse grid so that windows hold equal maxima).
 */
class ConvConformanceTest {
    private static final int CASES = 120;

    @BeforeAll
    static void requireTf() {
        assumeTrue(Tf.available(), () -> "TensorFlow Java unavailable here: " + Tf.unavailableReason());
    }

    @AfterAll
    static void report() {
        if (Tf.available()) {
            Conformance.report("conv2d and pooling");
        }
    }

    /** One random case: shapes, window, strides, dilations, padding, layout. */
    private record Case(int n, int h, int w, int c, int kh, int kw, int o, int groups, int[] strides,
            int[] dilations, String padding, int[] explicit, boolean nchw, DType dtype) {
        Padding pad() {
            return explicit != null ? Padding.explicit(explicit[0], explicit[1], explicit[2], explicit[3])
                    : Padding.parse(padding);
        }

        double tol() {
            return dtype == DType.FLOAT32 ? 2e-6 : 1e-13;
        }

        DataFormat format() {
            return nchw ? DataFormat.NCHW : DataFormat.NHWC;
        }

        static Case random(Random rnd, boolean conv) {
            while (true) {
                int groups = conv ? 1 + rnd.nextInt(3) : 1;
                int cg = 1 + rnd.nextInt(4);
                int og = 1 + rnd.nextInt(4);
                int[] st = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
                int[] di = conv ? new int[] {1 + rnd.nextInt(2), 1 + rnd.nextInt(2)} : new int[] {1, 1};
                if (conv && (st[0] > 1 || st[1] > 1) && (di[0] > 1 || di[1] > 1)) {
                    di = new int[] {1, 1}; // TensorFlow's CPU kernels refuse strides and dilations together
                }
                int kind = rnd.nextInt(3);
                String padding = kind == 0 ? "VALID" : kind == 1 ? "SAME" : "EXPLICIT";
                int[] ex = kind == 2 && conv ? new int[] {rnd.nextInt(3), rnd.nextInt(3), rnd.nextInt(3),
                    rnd.nextInt(3)} : null;
                if (!conv && kind == 2) {
                    padding = "VALID";
                }
                Case k = new Case(1 + rnd.nextInt(3), 1 + rnd.nextInt(11), 1 + rnd.nextInt(11), cg * groups,
                        1 + rnd.nextInt(4), 1 + rnd.nextInt(4), og * groups, groups, st, di, padding, ex,
                        rnd.nextBoolean(), rnd.nextInt(3) == 0 ? DType.FLOAT64 : DType.FLOAT32);
                if (k.fits(0, k.h, k.kh) && k.fits(1, k.w, k.kw)) {
                    return k;
                }
            }
        }

        private boolean fits(int axis, int in, int k) {
            int span = (k - 1) * dilations[axis] + 1;
            int padded = in + (explicit == null ? 0 : explicit[2 * axis] + explicit[2 * axis + 1]);
            return "SAME".equals(padding) || span <= padded;
        }
    }

    @Test
    void conv2dForwardAndBothBackwardOps() {
        Random rnd = new Random(1301);
        for (int i = 0; i < CASES; i++) {
            Case k = Case.random(rnd, true);
            String at = " case " + i + " " + k;
            Tensor x = Conformance.data(rnd, k.dtype(), false, k.n(), k.h(), k.w(), k.c());
            Tensor f = Conformance.data(rnd, k.dtype(), false, k.kh(), k.kw(), k.c() / k.groups(), k.o());
            Arr y = TfConv.conv2d(arr(x), arr(f), k.strides(), k.padding(), k.explicit(), k.dilations());
            Tensor ours = Convolutions.conv2d(toLayout(x, k), f, k.strides(), k.pad(), k.format(), k.dilations());
            assertConforms("conv2d " + k.dtype().pyName(), y, fromLayout(ours, k), k.tol(), 1);
            Tensor dy = Conformance.data(rnd, k.dtype(), false, y.shape());
            Arr dx = backpropInput(k, x.shape().dims(), arr(f), arr(dy));
            Tensor dxOurs = Convolutions.conv2dBackpropInput(toLayout(x, k).shape().dims(), f, toLayout(dy, k),
                    k.strides(), k.pad(), k.format(), k.dilations());
            assertConforms("conv2dBackpropInput " + k.dtype().pyName(), dx, fromLayout(dxOurs, k), k.tol(), 1);
            Arr df = backpropFilter(k, arr(x), f.shape().dims(), arr(dy));
            Tensor dfOurs = Convolutions.conv2dBackpropFilter(toLayout(x, k), f.shape().dims(), toLayout(dy, k),
                    k.strides(), k.pad(), k.format(), k.dilations());
            assertConforms("conv2dBackpropFilter " + k.dtype().pyName(), df, dfOurs, k.tol(), 1);
            assertEquals(y.shape().length, 4, at);
        }
    }

    @Test
    void poolingForwardAndGradients() {
        Random rnd = new Random(1302);
        for (int i = 0; i < CASES; i++) {
            Case k = Case.random(rnd, false);
            int[] ksize = {k.kh(), k.kw()};
            // a coarse grid: equal values in most windows, so the first-maximum rule decides the gradient
            Tensor x = Conformance.data(rnd, k.dtype(), false, k.n(), k.h(), k.w(), k.c());
            double[] v = x.toDoubleArray();
            for (int j = 0; j < v.length; j++) {
                v[j] = Math.round(v[j] * 2 / Math.max(1e-300, maxAbs(v))) / 2.0;
            }
            x = k.dtype() == DType.FLOAT64 ? Tensor.of(v, x.shape().dims())
                    : Tensor.wrap(toFloats(v), x.shape());
            Arr y = TfConv.maxPool(arr(x), ksize, k.strides(), k.padding());
            Tensor ours = Pools.maxPool2d(toLayout(x, k), ksize, k.strides(), k.pad(), k.format());
            assertConforms("maxPool2d " + k.dtype().pyName(), y, fromLayout(ours, k), 0, 1);
            Tensor dy = Conformance.data(rnd, k.dtype(), false, y.shape());
            Arr dx = TfConv.maxPoolGrad(arr(x), y, arr(dy), ksize, k.strides(), k.padding());
            Tensor dxOurs = gradient(toLayout(x, k), toLayout(dy, k),
                    t -> Pools.maxPool2d(t, ksize, k.strides(), k.pad(), k.format()));
            assertConforms("maxPool2d gradient (MaxPoolGrad) " + k.dtype().pyName(), dx, fromLayout(dxOurs, k),
                    k.tol(), 1);
            Arr a = TfConv.avgPool(arr(x), ksize, k.strides(), k.padding());
            Tensor aOurs = Pools.avgPool2d(toLayout(x, k), ksize, k.strides(), k.pad(), k.format());
            assertConforms("avgPool2d " + k.dtype().pyName(), a, fromLayout(aOurs, k), k.tol(), 1);
            Arr da = TfConv.avgPoolGrad(x.shape().dims(), arr(dy), ksize, k.strides(), k.padding());
            Tensor daOurs = gradient(toLayout(x, k), toLayout(dy, k),
                    t -> Pools.avgPool2d(t, ksize, k.strides(), k.pad(), k.format()));
            assertConforms("avgPool2d gradient (AvgPoolGrad) " + k.dtype().pyName(), da, fromLayout(daOurs, k),
                    k.tol(), 1);
        }
    }

    /**
     * TensorFlow's Conv2DBackpropInput; for several groups (which its CPU kernels refuse) group by group on the
     * group's channel slices, the results side by side: the definition of a grouped convolution.
     */
    private static Arr backpropInput(Case k, int[] xs, Arr f, Arr dy) {
        if (k.groups() == 1) {
            return singleInput(k, xs, f, dy);
        }
        int cg = k.c() / k.groups();
        int og = k.o() / k.groups();
        double[] out = new double[xs[0] * xs[1] * xs[2] * xs[3]];
        for (int g = 0; g < k.groups(); g++) {
            Arr part = singleInput(k, new int[] {xs[0], xs[1], xs[2], cg}, channels(f, g * og, og),
                    channels(dy, g * og, og));
            put(part, out, k.c(), g * cg);
        }
        return new Arr(out, xs, dy.float64());
    }

    /** TensorFlow's Conv2DBackpropFilter, group by group as {@link #backpropInput}. */
    private static Arr backpropFilter(Case k, Arr x, int[] fs, Arr dy) {
        if (k.groups() == 1) {
            return singleFilter(k, x, fs, dy);
        }
        int cg = k.c() / k.groups();
        int og = k.o() / k.groups();
        double[] out = new double[fs[0] * fs[1] * fs[2] * fs[3]];
        for (int g = 0; g < k.groups(); g++) {
            Arr part = singleFilter(k, channels(x, g * cg, cg), new int[] {fs[0], fs[1], fs[2], og},
                    channels(dy, g * og, og));
            put(part, out, k.o(), g * og);
        }
        return new Arr(out, fs, dy.float64());
    }

    private static Arr singleInput(Case k, int[] xs, Arr f, Arr dy) {
        return TfConv.conv2dBackpropInput(xs, dilate(f, k.dilations()), dy, k.strides(), k.padding(),
                k.explicit(), new int[] {1, 1});
    }

    private static Arr singleFilter(Case k, Arr x, int[] fs, Arr dy) {
        int[] d = k.dilations();
        int[] big = {(fs[0] - 1) * d[0] + 1, (fs[1] - 1) * d[1] + 1, fs[2], fs[3]};
        Arr full = TfConv.conv2dBackpropFilter(x, big, dy, k.strides(), k.padding(), k.explicit(),
                new int[] {1, 1});
        double[] taps = new double[fs[0] * fs[1] * fs[2] * fs[3]];
        int depth = fs[2] * fs[3];
        for (int i = 0; i < fs[0]; i++) {
            for (int j = 0; j < fs[1]; j++) {
                System.arraycopy(full.data(), (i * d[0] * big[1] + j * d[1]) * depth, taps,
                        (i * fs[1] + j) * depth, depth);
            }
        }
        return new Arr(taps, fs, dy.float64());
    }

    /**
     * The filter with {@code dilation - 1} zero taps between taps (TensorFlow's CPU backward kernels refuse
     * dilations above 1; a dilated convolution is the undilated convolution with this filter).
     */
    private static Arr dilate(Arr f, int[] d) {
        int[] s = f.shape();
        int[] big = {(s[0] - 1) * d[0] + 1, (s[1] - 1) * d[1] + 1, s[2], s[3]};
        int depth = s[2] * s[3];
        double[] out = new double[big[0] * big[1] * depth];
        for (int i = 0; i < s[0]; i++) {
            for (int j = 0; j < s[1]; j++) {
                System.arraycopy(f.data(), (i * s[1] + j) * depth, out, (i * d[0] * big[1] + j * d[1]) * depth,
                        depth);
            }
        }
        return new Arr(out, big, f.float64());
    }

    /** Last-axis entries {@code [c0, c0 + width)} of a. */
    private static Arr channels(Arr a, int c0, int width) {
        int[] s = a.shape().clone();
        int last = s[s.length - 1];
        int rows = a.size() / last;
        double[] d = new double[rows * width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(a.data(), r * last + c0, d, r * width, width);
        }
        s[s.length - 1] = width;
        return new Arr(d, s, a.float64());
    }

    /** Writes part's rows into last-axis entries {@code [c0, c0 + width)} of out (last axis {@code last}). */
    private static void put(Arr part, double[] out, int last, int c0) {
        int width = part.shape()[part.rank() - 1];
        int rows = part.size() / width;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(part.data(), r * width, out, r * last + c0, width);
        }
    }

    private static Tensor gradient(Tensor x, Tensor dy, java.util.function.Function<Tensor, Tensor> f) {
        try (org.norm4j.GradientTape tape = new org.norm4j.GradientTape()) {
            tape.watch(x);
            Tensor y = f.apply(x);
            return tape.gradient(y, new Tensor[] {x}, dy)[0];
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double d : v) {
            m = Math.max(m, Math.abs(d));
        }
        return m / 4;
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static Tensor toLayout(Tensor nhwc, Case k) {
        return k.nchw() ? nhwc.transpose(0, 3, 1, 2) : nhwc;
    }

    private static Tensor fromLayout(Tensor t, Case k) {
        return k.nchw() ? t.transpose(0, 2, 3, 1) : t;
    }
}
