package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The matrix-product kernels with transposed operands ({@code transposeA}/{@code transposeB}): the scalar
 * reference means what its contract says (the same bits as the plain product of explicitly transposed
 * copies), and every vector width gives the scalar bits, for shapes that reach each path of the vector code
 * (register blocks of 4 rows x 2 vectors and 4 x 1, row and column tails, the packed {@code c^T} path for
 * many rows, the packed {@code b} path for few, the scalar fallback), NaN, infinities and signed zeros
 * included, with the rows outside {@code [r0, r1)} left untouched and the result independent of how the
 * rows are split between calls.
 */
class MatmulKernelsTest {
    private static final Kernels SCALAR = new ScalarKernels();
    private static final int[] MS = {1, 3, 5, 17, 40};
    private static final int[] NS = {1, 3, 7, 16, 33, 100, 137};
    private static final int[] KS = {0, 1, 4, 19};
    private static final float[] SPECIAL_F = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.MIN_VALUE, 1e30f, -1e30f};

    private static float[] floats(Random r, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) {
            x[i] = r.nextInt(29) == 0 ? SPECIAL_F[r.nextInt(SPECIAL_F.length)] : (float) (r.nextGaussian() * 10 + 0.5);
        }
        return x;
    }

    private static double[] doubles(Random r, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) {
            x[i] = r.nextInt(29) == 0 ? SPECIAL_F[r.nextInt(SPECIAL_F.length)] : r.nextGaussian() * 10 + 0.5;
        }
        return x;
    }

    /** {@code rows x cols} row-major to {@code cols x rows}. */
    private static float[] transposed(float[] x, int rows, int cols) {
        float[] t = new float[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private static double[] transposed(double[] x, int rows, int cols) {
        double[] t = new double[x.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = x[i * cols + j];
            }
        }
        return t;
    }

    private static float[] sentinel(int len) {
        float[] c = new float[len];
        java.util.Arrays.fill(c, 7f);
        return c;
    }

    private static double[] sentinelD(int len) {
        double[] c = new double[len];
        java.util.Arrays.fill(c, 7.0);
        return c;
    }

    @org.junit.jupiter.api.Test
    void scalarTransposedOperandsEqualThePlainProductOfTransposedCopies() {
        Random r = new Random(11);
        for (int m : MS) {
            for (int n : NS) {
                for (int k : KS) {
                    float[] a = floats(r, m * k);
                    float[] b = floats(r, k * n);
                    double[] ad = doubles(r, m * k);
                    double[] bd = doubles(r, k * n);
                    float[] plain = sentinel(m * n);
                    SCALAR.matmul(a, b, plain, m, k, n, 0, m);
                    double[] plainD = sentinelD(m * n);
                    SCALAR.matmul(ad, bd, plainD, m, k, n, 0, m);
                    for (int f = 1; f < 4; f++) {
                        boolean ta = (f & 1) != 0;
                        boolean tb = (f & 2) != 0;
                        String what = "m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb;
                        float[] c = sentinel(m * n);
                        SCALAR.matmul(ta ? transposed(a, m, k) : a, tb ? transposed(b, k, n) : b, c, m, k, n, ta, tb,
                                0, m);
                        assertArrayEquals(plain, c, what);
                        double[] cd = sentinelD(m * n);
                        SCALAR.matmul(ta ? transposed(ad, m, k) : ad, tb ? transposed(bd, k, n) : bd, cd, m, k, n,
                                ta, tb, 0, m);
                        assertArrayEquals(plainD, cd, what);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}-bit")
    @ValueSource(ints = {128, 256, 512})
    void vectorIsBitIdenticalToScalarForEveryTransposeAndRowSplit(int bits) {
        Kernels v = KernelsDifferentialTest.vector(bits);
        Random r = new Random(bits);
        for (int m : MS) {
            for (int n : NS) {
                for (int k : KS) {
                    for (int f = 0; f < 4; f++) {
                        boolean ta = (f & 1) != 0;
                        boolean tb = (f & 2) != 0;
                        String what = bits + "-bit m=" + m + " n=" + n + " k=" + k + " ta=" + ta + " tb=" + tb;
                        int r0 = m > 2 ? 1 : 0;
                        int r1 = m > 2 ? m - 1 : m; // rows outside [r0, r1) must keep their sentinel
                        int split = r0 + r.nextInt(r1 - r0 + 1);
                        float[] a = floats(r, m * k);
                        float[] b = floats(r, k * n);
                        float[] cs = sentinel(m * n);
                        float[] cv = cs.clone();
                        float[] cv2 = cs.clone();
                        SCALAR.matmul(a, b, cs, m, k, n, ta, tb, r0, r1);
                        v.matmul(a, b, cv, m, k, n, ta, tb, r0, r1);
                        v.matmul(a, b, cv2, m, k, n, ta, tb, r0, split);
                        v.matmul(a, b, cv2, m, k, n, ta, tb, split, r1);
                        assertArrayEquals(cs, cv, "float " + what);
                        assertArrayEquals(cs, cv2, "float, rows split at " + split + ", " + what);
                        double[] ad = doubles(r, m * k);
                        double[] bd = doubles(r, k * n);
                        double[] ds = sentinelD(m * n);
                        double[] dv = ds.clone();
                        double[] dv2 = ds.clone();
                        SCALAR.matmul(ad, bd, ds, m, k, n, ta, tb, r0, r1);
                        v.matmul(ad, bd, dv, m, k, n, ta, tb, r0, r1);
                        v.matmul(ad, bd, dv2, m, k, n, ta, tb, r0, split);
                        v.matmul(ad, bd, dv2, m, k, n, ta, tb, split, r1);
                        assertArrayEquals(ds, dv, "double " + what);
                        assertArrayEquals(ds, dv2, "double, rows split at " + split + ", " + what);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}-bit")
    @ValueSource(ints = {128, 256, 512})
    void denseLayerShapesAreBitIdentical(int bits) {
        // the training-step products: x W, x^T g, g W^T, at a batch of 32 (and an odd one)
        Kernels v = KernelsDifferentialTest.vector(bits);
        Random r = new Random(bits + 1);
        int[][] shapes = {{32, 784, 128}, {784, 32, 128}, {32, 128, 784}, {32, 128, 10}, {128, 32, 10},
            {32, 10, 128}, {29, 61, 75}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            for (int f = 0; f < 4; f++) {
                boolean ta = (f & 1) != 0;
                boolean tb = (f & 2) != 0;
                float[] a = floats(r, m * k);
                float[] b = floats(r, k * n);
                float[] cs = new float[m * n];
                float[] cv = new float[m * n];
                SCALAR.matmul(a, b, cs, m, k, n, ta, tb, 0, m);
                v.matmul(a, b, cv, m, k, n, ta, tb, 0, m);
                assertArrayEquals(cs, cv, bits + "-bit " + m + "x" + k + "x" + n + " ta=" + ta + " tb=" + tb);
            }
        }
    }
}
