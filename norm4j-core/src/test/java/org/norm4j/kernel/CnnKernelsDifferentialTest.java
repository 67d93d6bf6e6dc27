package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.norm4j.kernel.KernelsDifferentialTest.filled;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The kernels added for the CNN (direct convolution, {@link Kernels#convForward} and
 * {@link Kernels#convFilterGradient}; {@link Kernels#reluGrad}; {@link Kernels#maxPoolWindow}) of the Vector API implementation against
 * {@link ScalarKernels}, at 128, 256 and 512 bits (as {@link KernelsDifferentialTest}:
 * one class loader per width), on seeded random data with NaN, infinities and signed zeros: bit-identical
 * (compared through {@code floatToIntBits}), and the outputs outside the requested rows left untouched. Output
 * channel counts around the lane counts exercise the two-vector, one-vector and scalar column paths; tap counts
 * 1, 4, 5, 9 and 18 the four-row and one-row blocks.
 */
class CnnKernelsDifferentialTest {
    private static final Kernels SCALAR = new ScalarKernels();
    private static final float[] SPECIAL_F = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, Float.MAX_VALUE, 1f, -1f};
    private static final double[] SPECIAL_D = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE, 1.0, -1.0};

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int bits : KernelsDifferentialTest.WIDTHS) {
            for (int o : new int[] {1, 5, 16, 17, 33, 64, 70}) {
                // kernel kh x kw, channels c, stride s: taps = kh * kw * c
                for (int[] k : new int[][] {{1, 1, 1, 1}, {2, 2, 1, 2}, {1, 5, 1, 1}, {3, 3, 1, 1}, {3, 3, 2, 2}}) {
                    out.add(Arguments.of(bits, o, k[0], k[1], k[2], k[3]));
                }
            }
        }
        return out.stream();
    }

    /** The geometry of a batch of 2 images 7 x 9 x c, VALID: row bases, tap offsets, output rows and width. */
    private record Shape(int[] rowBase, int[] taps, int width, int xs, int size) {
        static Shape of(int kh, int kw, int c, int s) {
            int n = 2, h = 7, w = 9;
            int oh = (h - kh) / s + 1;
            int ow = (w - kw) / s + 1;
            int[] rowBase = new int[n * oh];
            for (int b = 0, r = 0; b < n; b++) {
                for (int oy = 0; oy < oh; oy++, r++) {
                    rowBase[r] = 3 + (b * h + oy * s) * w * c; // odd offset: unaligned vectors
                }
            }
            int[] taps = new int[kh * kw * c];
            for (int ky = 0, p = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++) {
                    for (int ch = 0; ch < c; ch++, p++) {
                        taps[p] = (ky * w + kx) * c + ch;
                    }
                }
            }
            return new Shape(rowBase, taps, ow, s * c, 3 + n * h * w * c + 5);
        }
    }

    @ParameterizedTest(name = "{0}-bit, o={1}, kernel {2}x{3}, c={4}, stride {5}")
    @MethodSource("cases")
    void directConvolutionIsBitIdentical(int bits, int o, int kh, int kw, int c, int s) {
        Kernels v = KernelsDifferentialTest.vector(bits);
        Shape g = Shape.of(kh, kw, c, s);
        Random r = new Random(bits * 31L + o * 1009L + kh * 7L + kw * 3L + c * 11L + s);
        int rows = g.rowBase().length;
        int p = g.taps().length;
        int outLen = rows * g.width() * o;

        float[] xf = floats(r, g.size());
        float[] wf = floats(r, p * o);
        float[] dyf = floats(r, outLen);
        float[] ys = filled(outLen, 7f), yv = ys.clone();
        // rows [1, rows - 1) only: the first and last output rows must keep their sentinel
        SCALAR.convForward(xf, g.rowBase(), g.width(), g.xs(), g.taps(), wf, o, ys, 1, rows - 1);
        v.convForward(xf, g.rowBase(), g.width(), g.xs(), g.taps(), wf, o, yv, 1, rows - 1);
        assertArrayEquals(ys, yv, "float forward");
        assertEquals(7f, yv[0], "float forward: row 0 untouched");
        float[] dws = filled(p * o, 7f), dwv = dws.clone();
        int p0 = p > 1 ? 1 : 0;
        SCALAR.convFilterGradient(xf, g.rowBase(), g.width(), g.xs(), g.taps(), dyf, o, dws, p0, p);
        v.convFilterGradient(xf, g.rowBase(), g.width(), g.xs(), g.taps(), dyf, o, dwv, p0, p);
        assertArrayEquals(dws, dwv, "float filter gradient");

        double[] xd = doubles(r, g.size());
        double[] wd = doubles(r, p * o);
        double[] dyd = doubles(r, outLen);
        double[] yds = filled(outLen, 7.0), ydv = yds.clone();
        SCALAR.convForward(xd, g.rowBase(), g.width(), g.xs(), g.taps(), wd, o, yds, 1, rows - 1);
        v.convForward(xd, g.rowBase(), g.width(), g.xs(), g.taps(), wd, o, ydv, 1, rows - 1);
        assertArrayEquals(yds, ydv, "double forward");
        double[] dwds = filled(p * o, 7.0), dwdv = dwds.clone();
        SCALAR.convFilterGradient(xd, g.rowBase(), g.width(), g.xs(), g.taps(), dyd, o, dwds, p0, p);
        v.convFilterGradient(xd, g.rowBase(), g.width(), g.xs(), g.taps(), dyd, o, dwdv, p0, p);
        assertArrayEquals(dwds, dwdv, "double filter gradient");
    }

    static Stream<Arguments> widthsAndLengths() {
        return KernelsDifferentialTest.widthsAndLengths();
    }

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("widthsAndLengths")
    void reluGradIsBitIdentical(int bits, int n) {
        Kernels v = KernelsDifferentialTest.vector(bits);
        Random r = new Random(bits * 17L + n);
        int off = 3;
        float[] gf = floats(r, off + n + 5);
        float[] xf = floats(r, off + n + 5);
        float[] s = filled(gf.length, 7f), w = s.clone();
        SCALAR.reluGrad(gf, xf, s, off, n);
        v.reluGrad(gf, xf, w, off, n);
        assertArrayEquals(s, w, "float");
        assertEquals(7f, w[off - 1], "float: before the range untouched");
        assertEquals(7f, w[off + n], "float: after the range untouched");
        double[] gd = doubles(r, off + n + 5);
        double[] xd = doubles(r, off + n + 5);
        double[] sd = filled(gd.length, 7.0), wd = sd.clone();
        SCALAR.reluGrad(gd, xd, sd, off, n);
        v.reluGrad(gd, xd, wd, off, n);
        assertArrayEquals(sd, wd, "double");
    }

    /**
     * Max-pool windows of 1 to 9 positions over channel counts around the lane counts, on data with many ties
     * (small integers), NaN and signed zeros: the same maxima and the same first-maximum positions.
     */
    @ParameterizedTest(name = "{0}-bit, c={1}")
    @MethodSource("widthsAndLengths")
    void maxPoolWindowIsBitIdentical(int bits, int c) {
        Kernels v = KernelsDifferentialTest.vector(bits);
        Random r = new Random(bits * 13L + c);
        int positions = 12;
        float[] xf = new float[positions * c + 4];
        double[] xd = new double[xf.length];
        for (int i = 0; i < xf.length; i++) {
            int kind = r.nextInt(20);
            xf[i] = kind == 0 ? Float.NaN : kind == 1 ? -0f : kind == 2 ? 0f : r.nextInt(4) - 2;
            xd[i] = xf[i];
        }
        for (int count = 1; count <= 9; count++) {
            int[] pos = new int[count];
            for (int t = 0; t < count; t++) {
                pos[t] = 2 + r.nextInt(positions) * c; // any order, repeats allowed
            }
            float[] ys = filled(c + 2, 7f), yv = ys.clone();
            int[] as = new int[c + 2], av = new int[c + 2];
            SCALAR.maxPoolWindow(xf, pos, count, c, ys, 1, as, 2);
            v.maxPoolWindow(xf, pos, count, c, yv, 1, av, 2);
            assertArrayEquals(ys, yv, "float maxima, count " + count);
            assertArrayEquals(as, av, "float positions, count " + count);
            double[] ds = filled(c + 2, 7.0), dv = ds.clone();
            int[] bs = new int[c + 2], bv = new int[c + 2];
            SCALAR.maxPoolWindow(xd, pos, count, c, ds, 1, bs, 2);
            v.maxPoolWindow(xd, pos, count, c, dv, 1, bv, 2);
            assertArrayEquals(ds, dv, "double maxima, count " + count);
            assertArrayEquals(bs, bv, "double positions, count " + count);
        }
    }

    /** The first maximum wins a tie; the first NaN beats every number and stays. */
    @org.junit.jupiter.api.Test
    void maxPoolWindowReferenceOnTiesAndNaN() {
        float[] x = {1f, 2f, 3f, 3f, Float.NaN, 5f, Float.NaN, 9f};
        float[] y = new float[2];
        int[] arg = new int[2];
        // channel 0 sees 1, 3, NaN, NaN at 0, 2, 4, 6; channel 1 sees 2, 3, 5, 9 at 1, 3, 5, 7
        SCALAR.maxPoolWindow(x, new int[] {0, 2, 4, 6}, 4, 2, y, 0, arg, 0);
        assertArrayEquals(new float[] {Float.NaN, 9f}, y);
        assertArrayEquals(new int[] {4, 7}, arg);
        SCALAR.maxPoolWindow(x, new int[] {2, 0}, 2, 1, y, 0, arg, 0); // 3 at 2, then 1: tie-free, first
        assertEquals(3f, y[0]);
        assertEquals(2, arg[0]);
        SCALAR.maxPoolWindow(new float[] {4f, 4f}, new int[] {1, 0}, 2, 1, y, 0, arg, 0); // tie: first position
        assertEquals(1, arg[0]);
    }

    /** ReluGrad's product with the mask: -0 for a negative g, NaN for a NaN or infinite g, 0 where x is NaN. */
    @org.junit.jupiter.api.Test
    void reluGradReferenceOnSpecialValues() {
        float[] g = {1f, -2f, Float.NaN, Float.POSITIVE_INFINITY, 3f, 4f};
        float[] x = {1f, -0f, 5f, -1f, Float.NaN, 0f};
        float[] dx = new float[6];
        SCALAR.reluGrad(g, x, dx, 0, 6);
        assertArrayEquals(new float[] {1f, -0f, Float.NaN, Float.NaN, 0f, 0f}, dx);
    }

    /** The scalar reference itself on a case small enough to add up by hand: 1 x 2 patches of a 1 x 3 row. */
    @org.junit.jupiter.api.Test
    void scalarReferenceOnAHandCase() {
        float[] x = {1f, 2f, 3f};
        float[] w = {10f, 100f}; // taps (0, 1), one output channel
        float[] y = new float[2];
        SCALAR.convForward(x, new int[] {0}, 2, 1, new int[] {0, 1}, w, 1, y, 0, 1);
        assertArrayEquals(new float[] {210f, 320f}, y);
        float[] dw = new float[2];
        SCALAR.convFilterGradient(x, new int[] {0}, 2, 1, new int[] {0, 1}, new float[] {1f, -1f}, 1, dw, 0, 2);
        assertArrayEquals(new float[] {-1f, -1f}, dw); // 1*1 + 2*(-1), 2*1 + 3*(-1)
    }

    private static float[] floats(Random r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = r.nextInt(40) == 0 ? SPECIAL_F[r.nextInt(SPECIAL_F.length)] : (float) (r.nextGaussian() * 10);
        }
        return x;
    }

    private static double[] doubles(Random r, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = r.nextInt(40) == 0 ? SPECIAL_D[r.nextInt(SPECIAL_D.length)] : r.nextGaussian() * 10;
        }
        return x;
    }
}
