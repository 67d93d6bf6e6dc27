package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ColumnSums} (registers) against the scalar {@link Kernels} column loops (memory), and
 * {@link BlockMoments} against a plain two-pass computation in double.
 */
class ColumnSumsTest {
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
        ColumnSums cs = ColumnSums.get();
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
    void oneBlockIsExactlyTwoPass() {
        int rows = 100;
        int cols = 20;
        float[] x = data(rows * cols, 13, 3);
        ReductionPlan plan = ReductionPlan.of(new int[] {rows, cols}, new int[] {0});
        double[][] got = Reduce.moments(x, plan);
        double[] mean = Reduce.sum(x, plan);
        for (int j = 0; j < cols; j++) {
            mean[j] *= 1.0 / rows;
        }
        assertArrayEquals(mean, got[0]);
        assertArrayEquals(Reduce.sumSquaredDeviations(x, plan, mean), got[1]);
    }
}
