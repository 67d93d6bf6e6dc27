package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The {@link Kernels} in use (vector: float column sums with accumulators in registers) against the scalar column loops (memory), and
 * {@link BlockMoments} against a plain two-pass computation in double.
 */
class ColumnKernelsTest {
    private static float[] data(int n, long seed, double offset) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (offset + r.nextGaussian());
        }
        return f;
    }

    @Test
    void bitIdenticalToTheScalarColumnLoopsFromZero() {
        Kernels scalar = KernelProvider.scalar();
        Kernels cs = KernelProvider.get();
        for (int cols : new int[] {1, 3, 7, 8, 9, 16, 31, 32, 33, 64, 70, 100}) {
            for (int rows : new int[] {1, 2, 5, 64}) {
                int off = 3;
                float[] x = data(off + rows * cols, cols * 31L + rows, 5);
                float[] dy = data(off + rows * cols, cols * 17L + rows, 0);
                double[] mean = new double[cols + 2];
                for (int j = 0; j < mean.length; j++) {
                    mean[j] = 5 + 0.01 * j;
                }
                double[] want = new double[cols + 1];
                double[] got = new double[cols + 1];
                scalar.sumColumns(x, off, rows, cols, want, 1);
                cs.sumColumns(x, off, rows, cols, got, 1);
                assertArrayEquals(want, got, "sum, cols " + cols + " rows " + rows);
                want = new double[cols + 1];
                got = new double[cols + 1];
                scalar.sumSquaredDeviationsColumns(x, off, rows, cols, mean, 2, want, 1);
                cs.sumSquaredDeviationsColumns(x, off, rows, cols, mean, 2, got, 1);
                assertArrayEquals(want, got, "squared deviations, cols " + cols + " rows " + rows);
                want = new double[cols + 1];
                got = new double[cols + 1];
                scalar.sumProductDeviationsColumns(dy, x, off, rows, cols, mean, 2, want, 1);
                cs.sumProductDeviationsColumns(dy, x, off, rows, cols, mean, 2, got, 1);
                assertArrayEquals(want, got, "product deviations, cols " + cols + " rows " + rows);
            }
        }
    }

    @Test
    void blockMomentsMatchTwoPassInDouble() {
        int rows = 3000;
        int cols = 64; // 12 blocks of 256 rows
        float[] x = data(rows * cols, 9, 1000);
        double[][] got = Reduce.moments(x, ReductionPlan.of(new int[] {rows, cols}, new int[] {0}));
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int r = 0; r < rows; r++) {
                s += x[r * cols + j];
            }
            double m = s / rows;
            double q = 0;
            for (int r = 0; r < rows; r++) {
                double d = x[r * cols + j] - m;
                q += d * d;
            }
            assertEquals(m, got[0][j], 1e-12 * Math.abs(m), "mean of column " + j);
            assertEquals(q, got[1][j], 1e-10 * q, "centred sum of squares of column " + j);
        }
        // channels first: [a, k, b] reducing a and b, several blocks per channel
        int a = 40;
        int k = 3;
        int b = 1000;
        float[] y = data(a * k * b, 11, -50);
        double[][] g2 = Reduce.moments(y, ReductionPlan.of(new int[] {a, k, b}, new int[] {0, 2}));
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int i = 0; i < a; i++) {
                for (int t = 0; t < b; t++) {
                    s += y[(i * k + c) * b + t];
                }
            }
            double m = s / (a * b);
            double q = 0;
            for (int i = 0; i < a; i++) {
                for (int t = 0; t < b; t++) {
                    double d = y[(i * k + c) * b + t] - m;
                    q += d * d;
                }
            }
            assertEquals(m, g2[0][c], 1e-12 * Math.abs(m), "mean of channel " + c);
            assertEquals(q, g2[1][c], 1e-10 * q, "centred sum of squares of channel " + c);
        }
    }

    @Test
    void oneFloat64BlockIsExactlyTwoPass() {
        int rows = 100;
        int cols = 20;
        float[] f = data(rows * cols, 13, 3);
        double[] x = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            x[i] = f[i] * 1.000001;
        }
        ReductionPlan plan = ReductionPlan.of(new int[] {rows, cols}, new int[] {0});
        double[][] got = Reduce.moments(x, plan);
        double[] mean = Reduce.sum(x, plan);
        for (int j = 0; j < cols; j++) {
            mean[j] *= 1.0 / rows;
        }
        assertArrayEquals(mean, got[0]);
        assertArrayEquals(Reduce.sumSquaredDeviations(x, plan, mean), got[1]);
    }

    /**
     * Float32 data with mean 1e6 and std 1 (E[x^2] - E[x]^2 would lose everything), in every layout the moments
     * take (columns over several blocks, one long row, channels-first), with some blocks whose first row is an
     * outlier so that the shifted sums are rejected and the two-pass fallback runs: mean and variance against
     * a float64 two-pass on the same values, variance to 1e-6 relative.
     */
    @Test
    void shiftedBlockMomentsAreAccurateOnIllConditionedData() {
        int rows = 40_000;
        int cols = 8; // 2048 rows per block: 20 blocks
        float[] x = data(rows * cols, 21, 1e6);
        for (int r = 0; r < rows; r += 2048 * 3) {
            x[r * cols + 1] = 1e6f + 3e4f; // first row of every third block, column 1: rejected, fallback
        }
        checkColumns(x, rows, cols, Reduce.moments(x, ReductionPlan.of(new int[] {rows, cols}, new int[] {0})));
        float[] v = data(100_000, 22, 1e6); // one row of 100 000: seven blocks of 16 384
        v[16_384] = 1e6f + 1e5f;
        checkColumns(v, v.length, 1, Reduce.moments(v, ReductionPlan.of(new int[] {v.length}, new int[] {0})));
        int a = 30;
        int k = 3;
        int b = 1000; // channels first: 16 a-rows per block, two blocks per channel
        float[] y = data(a * k * b, 23, 1e6);
        y[(16 * k + 2) * b] = 1e6f - 5e4f;
        double[][] got = Reduce.moments(y, ReductionPlan.of(new int[] {a, k, b}, new int[] {0, 2}));
        for (int c = 0; c < k; c++) {
            float[] ch = new float[a * b];
            for (int i = 0; i < a; i++) {
                System.arraycopy(y, (i * k + c) * b, ch, i * b, b);
            }
            checkColumns(ch, a * b, 1, new double[][] {{got[0][c]}, {got[1][c]}});
        }
    }

    private static void checkColumns(float[] x, int rows, int cols, double[][] got) {
        for (int j = 0; j < cols; j++) {
            double m = 0;
            for (int r = 0; r < rows; r++) {
                m += x[r * cols + j];
            }
            m /= rows;
            double q = 0;
            for (int r = 0; r < rows; r++) {
                double d = x[r * cols + j] - m;
                q += d * d;
            }
            assertEquals(m, got[0][j], 1e-12 * Math.abs(m), "mean of column " + j);
            assertEquals(q, got[1][j], 1e-6 * q, "centred sum of squares of column " + j);
        }
    }
}
