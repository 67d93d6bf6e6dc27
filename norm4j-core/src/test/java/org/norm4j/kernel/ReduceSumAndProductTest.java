package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Reduce#sumAndProductDeviations} (one pass over dy and x) against the two separate reductions it
 * replaces in the batch-norm backward passes: the same bits for every plan kind, element type and thread count.
 */
class ReduceSumAndProductTest {
    private final int defaultThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(defaultThreads);
    }

    private static float[] floats(int n, long seed, double offset) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (offset + r.nextGaussian());
        }
        return f;
    }

    private static double[] doubles(int n, long seed, double offset) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = offset + r.nextGaussian();
        }
        return d;
    }

    private static int size(int[] dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /**
     * Shapes and reduced axes covering: channels last (columns: 64 channels = whole eight-vector groups, 70 =
     * groups plus tails, 3 and 1 = scalar columns), channels first ({@code [a, k, b]}), one value per row
     * ({@code inner == 1} rows), single and many blocks, and sizes large enough to run on the pool.
     */
    private static final int[][][] CASES = {
        {{32, 20, 20, 64}, {0, 1, 2}}, // NHWC, 819 200 elements, 200 blocks
        {{3, 5, 7, 70}, {0, 1, 2}},    // one block, vector groups and a scalar tail
        {{4, 100, 50, 3}, {0, 1, 2}},  // 3 columns
        {{40, 3000, 1}, {0, 1}},       // 1 column: the plan becomes a single row
        {{32, 64, 20, 20}, {0, 2, 3}}, // NCHW: [a, k, b]
        {{200, 3, 1000}, {0, 2}},      // [a, k, b] with several blocks per channel
        {{1, 16, 20000}, {0, 2}},      // channels first with N = 1: rows of 20 000
        {{0, 4, 5, 6}, {0, 2, 3}},     // an empty batch
    };

    private static void check(Object dy, Object x, int[] dims, int[] axes, String what) {
        ReductionPlan plan = ReductionPlan.of(dims, axes);
        double[] mean = doubles(plan.outSize, 7, 0.5);
        double[] wantSum = Reduce.sum(dy, plan);
        double[] wantProduct = Reduce.sumProductDeviations(dy, x, plan, mean);
        double[][] got = Reduce.sumAndProductDeviations(dy, x, plan, mean);
        assertArrayEquals(wantSum, got[0], what + ": sum(dy) on " + plan);
        assertArrayEquals(wantProduct, got[1], what + ": sum(dy * (x - mean)) on " + plan);
    }

    @Test
    void bitIdenticalToTheSeparateReductions() {
        for (int[][] c : CASES) {
            int n = size(c[0]);
            check(floats(n, 1, 0), floats(n, 2, 3), c[0], c[1], "float32 " + java.util.Arrays.toString(c[0]));
            check(doubles(n, 3, 0), doubles(n, 4, 3), c[0], c[1], "float64 " + java.util.Arrays.toString(c[0]));
        }
    }

    @Test
    void sameBitsOnOneAndManyThreads() {
        for (int[][] c : CASES) {
            int n = size(c[0]);
            float[] dy = floats(n, 5, 0);
            float[] x = floats(n, 6, -2);
            ReductionPlan plan = ReductionPlan.of(c[0], c[1]);
            double[] mean = doubles(plan.outSize, 8, -2);
            Parallel.setThreads(1);
            double[][] one = Reduce.sumAndProductDeviations(dy, x, plan, mean);
            for (int threads : new int[] {2, 3, 8}) {
                Parallel.setThreads(threads);
                double[][] many = Reduce.sumAndProductDeviations(dy, x, plan, mean);
                assertArrayEquals(one[0], many[0], "sum on " + threads + " threads, " + plan);
                assertArrayEquals(one[1], many[1], "product on " + threads + " threads, " + plan);
            }
        }
    }

    /**
     * The {@code [a, k, b]} reductions walk channel groups in memory order; the bits must still be those of the
     * documented order: per channel, each block of {@code BLOCK / b} values of {@code a} sums its rows in
     * increasing {@code a} from the first row's sum, then the blocks are added in block order.
     */
    @Test
    void channelsFirstKeepsTheBlockOrderOfEachChannel() {
        Kernels k = KernelProvider.get();
        for (int[] akb : new int[][] {{32, 64, 400}, {200, 3, 1000}, {7, 5, 3000}, {50, 40, 2}}) {
            int a = akb[0];
            int kk = akb[1];
            int b = akb[2];
            float[] dy = floats(a * kk * b, 91, 0);
            float[] x = floats(a * kk * b, 92, 4);
            double[] mean = doubles(kk, 93, 4);
            ReductionPlan plan = ReductionPlan.of(akb, new int[] {0, 2});
            int aPerBlock = Math.max(1, Reduce.BLOCK / b);
            double[] wantSum = new double[kk];
            double[] wantProduct = new double[kk];
            double[] wantMax = new double[kk];
            for (int c = 0; c < kk; c++) {
                for (int a0 = 0; a0 < a; a0 += aPerBlock) {
                    double s = 0;
                    double p = 0;
                    double m = 0;
                    for (int i = a0; i < Math.min(a, a0 + aPerBlock); i++) {
                        int off = (i * kk + c) * b;
                        double rs = k.sum(dy, off, b);
                        double rp = k.sumProductDeviations(dy, x, off, b, mean[c]);
                        double rm = k.extreme(dy, off, b, true);
                        s = i == a0 ? rs : s + rs;
                        p = i == a0 ? rp : p + rp;
                        m = i == a0 ? rm : Math.max(m, rm);
                    }
                    wantSum[c] = a0 == 0 ? s : wantSum[c] + s;
                    wantProduct[c] = a0 == 0 ? p : wantProduct[c] + p;
                    wantMax[c] = a0 == 0 ? m : Math.max(wantMax[c], m);
                }
            }
            String what = java.util.Arrays.toString(akb);
            assertArrayEquals(wantSum, Reduce.sum(dy, plan), "sum " + what);
            assertArrayEquals(wantProduct, Reduce.sumProductDeviations(dy, x, plan, mean), "product " + what);
            assertArrayEquals(wantMax, Reduce.extreme(dy, plan, true), "max " + what);
            double[][] pair = Reduce.sumAndProductDeviations(dy, x, plan, mean);
            assertArrayEquals(wantSum, pair[0], "pair sum " + what);
            assertArrayEquals(wantProduct, pair[1], "pair product " + what);
        }
    }

    @Test
    void columnKernelMatchesTheScalarLoopsFromZero() {
        Kernels scalar = KernelProvider.scalar();
        Kernels cs = KernelProvider.get();
        for (int cols : new int[] {1, 3, 8, 9, 16, 33, 64, 70, 128, 130}) {
            for (int rows : new int[] {1, 2, 5, 256}) {
                int off = 3;
                float[] x = floats(off + rows * cols, cols * 31L + rows, 5);
                float[] dy = floats(off + rows * cols, cols * 17L + rows, 0);
                double[] mean = doubles(cols + 2, cols, 5);
                double[] wantSum = new double[cols + 1];
                double[] wantProduct = new double[cols + 1];
                scalar.sumColumns(dy, off, rows, cols, wantSum, 1);
                scalar.sumProductDeviationsColumns(dy, x, off, rows, cols, mean, 2, wantProduct, 1);
                double[] gotSum = new double[cols + 1];
                double[] gotProduct = new double[cols + 1];
                cs.sumAndProductDeviationsColumns(dy, x, off, rows, cols, mean, 2, gotSum, gotProduct, 1);
                assertArrayEquals(wantSum, gotSum, "sum, cols " + cols + " rows " + rows);
                assertArrayEquals(wantProduct, gotProduct, "product, cols " + cols + " rows " + rows);
                assertEquals(0.0, gotSum[0], "slot before ao untouched");
            }
        }
    }
}
