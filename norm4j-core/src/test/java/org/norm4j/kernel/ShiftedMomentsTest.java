package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The single-read shifted sums ({@link Kernels#shiftedSums}, vector against scalar at every width), the
 * acceptance test of {@link ShiftedMoments}, and the accuracy of the accepted moments on ill-conditioned data.
 */
class ShiftedMomentsTest {
    private static final int OFF = 3;

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("org.norm4j.kernel.KernelsDifferentialTest#widthsAndLengths")
    void vectorShiftedSumsMatchScalar(int bits, int n) {
        Kernels v = KernelsDifferentialTest.vector(bits);
        Kernels s = KernelProvider.scalar();
        Random r = new Random(bits * 31L + n);
        for (int scenario = 0; scenario < 4; scenario++) {
            float[] x = new float[OFF + n + 5];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (r.nextGaussian() * 3 + (scenario == 1 ? 1e6 : 0.5));
            }
            if (scenario >= 2) {
                x[OFF + r.nextInt(n)] = scenario == 2 ? Float.POSITIVE_INFINITY : Float.NaN;
            }
            double shift = x[OFF];
            double[] want = new double[4];
            double[] got = new double[4];
            s.shiftedSums(x, OFF, n, shift, want, 1);
            v.shiftedSums(x, OFF, n, shift, got, 1);
            double abs = 0;
            double sq = 0;
            for (int i = OFF; i < OFF + n; i++) {
                abs += Math.abs(x[i] - shift);
                sq += (x[i] - shift) * (x[i] - shift);
            }
            String what = "scenario " + scenario;
            assertEquals(0.0, got[0], what + ": out[0] untouched");
            assertEquals(0.0, got[3], what + ": out[3] untouched");
            close(want[1], got[1], abs, what + " S1");
            close(want[2], got[2], sq, what + " S2");
        }
    }

    private static void close(double want, double got, double scale, String what) {
        if (!Double.isFinite(want) || !Double.isFinite(got)) {
            assertEquals(want, got, what);
        } else {
            assertTrue(Math.abs(want - got) <= KernelsDifferentialTest.REL_TOL * scale,
                    () -> what + ": scalar " + want + ", vector " + got);
        }
    }

    @Test
    void acceptsOnlyWithoutCancellation() {
        // centred data: S1 = 0
        assertTrue(ShiftedMoments.accurate(0, 5, 10));
        assertTrue(ShiftedMoments.accurate(0, 0, 10)); // constant row: exact zero spread
        // shift far from the data: x = {1000, 0 x 99} shifted by 1000: S1^2/n = 99^2e6/100 > 15/16 * 99e6
        assertFalse(ShiftedMoments.accurate(-99_000, 99e6, 100));
        // the boundary: S1^2 / n = 15/16 S2 accepted, just above rejected
        assertTrue(ShiftedMoments.accurate(15, 15, 16)); // 16 * 225 == 15 * 16 * 15
        assertFalse(ShiftedMoments.accurate(15.0001, 15, 16));
        assertFalse(ShiftedMoments.accurate(Double.NaN, Double.NaN, 4));
        assertFalse(ShiftedMoments.accurate(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, 4));
        assertEquals(10.5, ShiftedMoments.mean(10, 2, 4));
        assertEquals(4.0, ShiftedMoments.m2(2, 5, 4));
    }

    /**
     * Float32 rows with mean 1e6 and spread 1 (the ill-conditioned case): the accepted shifted moments agree
     * with a float64 two-pass on the same values to 1e-9 of the variance (E[x^2] - E[x]^2 in double would be off
     * by about 1e-4 here, and in float32 by everything).
     */
    @Test
    void acceptedMomentsMatchTwoPassOnIllConditionedRows() {
        Kernels k = KernelProvider.get();
        Random r = new Random(11);
        int accepted = 0;
        for (int n : new int[] {33, 100, 1024, 4099}) {
            for (int row = 0; row < 50; row++) {
                float[] x = new float[n];
                for (int i = 0; i < n; i++) {
                    x[i] = (float) (1e6 + r.nextGaussian());
                }
                double[] s = new double[2];
                k.shiftedSums(x, 0, n, x[0], s, 0);
                double mean = 0;
                for (float v : x) {
                    mean += v;
                }
                mean /= n;
                double m2 = 0;
                for (float v : x) {
                    m2 += (v - mean) * (v - mean);
                }
                if (!ShiftedMoments.accurate(s[0], s[1], n)) {
                    continue;
                }
                accepted++;
                assertEquals(mean, ShiftedMoments.mean(x[0], s[0], n), 1e-15 * mean, "mean, n " + n);
                assertEquals(m2, ShiftedMoments.m2(s[0], s[1], n), 1e-9 * m2, "M2, n " + n);
            }
        }
        assertTrue(accepted >= 190, "accepted " + accepted + " of 200 rows; expected nearly all");
    }

    /** The channels-last group-normalization backward kernel: vector bit-identical to scalar, float and double. */
    @ParameterizedTest(name = "{0}-bit, cols={1}")
    @MethodSource("org.norm4j.kernel.KernelsDifferentialTest#widthsAndLengths")
    void columnBackwardIsBitIdentical(int bits, int cols) {
        Kernels v = KernelsDifferentialTest.vector(bits);
        Kernels s = KernelProvider.scalar();
        Random r = new Random(bits * 7L + cols);
        int rows = 5;
        int len = OFF + rows * cols + 4;
        float[] dy = new float[len];
        float[] x = new float[len];
        double[] dyd = new double[len];
        double[] xd = new double[len];
        for (int i = 0; i < len; i++) {
            dy[i] = (float) r.nextGaussian();
            x[i] = (float) (3 + r.nextGaussian());
            dyd[i] = dy[i] * 1.0000001;
            xd[i] = x[i] * 1.0000001;
        }
        double[][] p = new double[5][cols];
        for (double[] q : p) {
            for (int j = 0; j < cols; j++) {
                q[j] = r.nextGaussian();
            }
        }
        float[] want = new float[len];
        float[] got = new float[len];
        s.normalizeColumnBackward(dy, x, OFF, rows, cols, p[0], p[1], p[2], p[3], p[4], want);
        v.normalizeColumnBackward(dy, x, OFF, rows, cols, p[0], p[1], p[2], p[3], p[4], got);
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, "float");
        double[] wantD = new double[len];
        double[] gotD = new double[len];
        s.normalizeColumnBackward(dyd, xd, OFF, rows, cols, p[0], p[1], p[2], p[3], p[4], wantD);
        v.normalizeColumnBackward(dyd, xd, OFF, rows, cols, p[0], p[1], p[2], p[3], p[4], gotD);
        org.junit.jupiter.api.Assertions.assertArrayEquals(wantD, gotD, "double");
    }
}
