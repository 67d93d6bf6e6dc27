package org.norm4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Naive;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * Golden values from TensorFlow's and Keras's documentation and tests, finite-difference checks of the
 * backward functions in float64, accuracy on ill-conditioned data, and argument errors.
 */
class NnTest {
    private static final DType F32 = DType.FLOAT32;
    private static final DType F64 = DType.FLOAT64;

    @Test
    void momentsDocExample() {
        Nn.Moments m = Nn.moments(Tensor.of(new float[] {0, 1, 2, 3, 100}), 0);
        assertEquals(21.2f, m.mean().getFloat(), 1e-5);
        assertEquals(1553.3601f, m.variance().getFloat(), 1e-2);
        Nn.Moments k = Nn.moments(Tensor.of(new float[][] {{1, 2}, {3, 4}}), new int[] {0}, true);
        assertEquals(Shape.of(1, 2), k.mean().shape());
        assertArrayEquals(new float[] {1, 1}, k.variance().toFloatArray());
    }

    @Test
    void seedFeatureWiseExample() {
        Tensor y = Nn.standardize(Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        // variance 2.25, (x - mean) / sqrt(2.25 + 1e-7) = -+0.99999998
        for (float v : y.toFloatArray()) {
            assertEquals(0.99999998, Math.abs(v), 1e-7);
        }
        assertTrue(y.getFloat(0, 0) < 0 && y.getFloat(1, 2) > 0);
    }

    @Test
    void sufficientStatisticsAndNormalizeMomentsDocExample() {
        Tensor t = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Nn.SufficientStatistics s = Nn.sufficientStatistics(t, new int[] {1}, null, false);
        assertEquals(3f, s.count().getFloat());
        assertArrayEquals(new float[] {6, 15}, s.meanSS().toFloatArray());
        assertArrayEquals(new float[] {14, 77}, s.varianceSS().toFloatArray());
        Nn.Moments m = Nn.normalizeMoments(s.count(), s.meanSS(), s.varianceSS(), null);
        assertArrayEquals(new float[] {2, 5}, m.mean().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {2f / 3, 2f / 3}, m.variance().toFloatArray(), 1e-5f);
        Tensor shift = Tensor.of(new float[] {2, 5}).reshape(2, 1);
        Nn.SufficientStatistics sh = Nn.sufficientStatistics(t, new int[] {1}, shift, false);
        Nn.Moments ms = Nn.normalizeMoments(sh.count(), sh.meanSS(), sh.varianceSS(), shift.reshape(2));
        assertArrayEquals(new float[] {2, 5}, ms.mean().toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {2f / 3, 2f / 3}, ms.variance().toFloatArray(), 1e-6f);
    }

    @Test
    void weightedMomentsMatchHandComputation() {
        Tensor x = Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor w = Tensor.of(new double[] {1, 2, 1}).reshape(3, 1);
        Nn.Moments m = Nn.weightedMoments(x, new int[] {0}, w, false);
        // column 0: mean (1 + 6 + 5) / 4 = 3, var (4 + 0 + 4) / 4 = 2
        assertArrayEquals(new double[] {3, 4}, m.mean().toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {2, 2}, m.variance().toDoubleArray(), 1e-15);
        Nn.Moments zero = Nn.weightedMoments(x, new int[] {0}, Tensor.zeros(F64, 3, 1), false);
        assertArrayEquals(new double[] {0, 0}, zero.mean().toDoubleArray());
    }

    @Test
    void batchNormalizationKerasOpsTestVector() {
        Tensor x = Tensor.of(new float[][] {{0.1f, 0.2f, 0.3f}, {0.4f, 0.5f, 0.6f}});
        Tensor mean = Tensor.of(new float[] {0.2f, 0.3f, 0.4f});
        Tensor var = Tensor.of(new float[] {4, 16, 64});
        Tensor offset = Tensor.of(new float[] {5, 10, 15});
        Tensor scale = Tensor.of(new float[] {10, 20, 30});
        Tensor y = Nn.batchNormalization(x, mean, var, offset, scale, 1e-7);
        assertArrayEquals(new float[] {4.5f, 9.5f, 14.625f, 6.0f, 11.0f, 15.75f}, y.toFloatArray(), 1e-5f);
        Tensor y2 = Nn.batchNormalization(x, mean, var, null, null, 1e-7);
        assertArrayEquals(new float[] {-0.05f, -0.025f, -0.0125f, 0.1f, 0.05f, 0.025f}, y2.toFloatArray(), 1e-6f);
        // the fused per-channel path and the broadcast path agree bit for bit
        Tensor yb = Nn.batchNormalization(x, mean.reshape(1, 3), var, offset.reshape(1, 3), scale, 1e-7);
        assertArrayEquals(y.toFloatArray(), yb.toFloatArray());
        Tensor composed = x.mul(var.add(1e-7).rsqrt().mul(scale))
                .add(offset.sub(mean.mul(var.add(1e-7).rsqrt().mul(scale))));
        assertArrayEquals(composed.toFloatArray(), y.toFloatArray());
    }

    @Test
    void l2NormalizeDocExamples() {
        assertArrayEquals(new float[] {0.6f, 0.8f}, Nn.l2Normalize(Tensor.of(new float[] {3, 4})).toFloatArray(),
                1e-7f);
        Tensor tiny = Nn.l2Normalize(Tensor.of(new float[][] {{1e-6f, 1e-8f}}), -1);
        assertArrayEquals(new float[] {0.99995f, 0.01f}, tiny.toFloatArray(), 1e-5f);
        Tensor zero = Nn.l2Normalize(Tensor.zeros(F32, 3));
        assertArrayEquals(new float[] {0, 0, 0}, zero.toFloatArray());
    }

    @Test
    void lrnDocExamples() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 1, 4);
        assertArrayEquals(new float[] {0.4082483f, 0.5163978f, 0.5477226f, 0.7844645f},
                Nn.localResponseNormalization(x, 1, 1, 1, 0.5).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.1796053f, 0.3592106f, 0.5388159f, 0.7184212f},
                Nn.localResponseNormalization(x).toFloatArray(), 1e-6f);
        assertArrayEquals(new float[] {0.5942916f, 1.1878710f, 1.7818065f, 2.3758310f},
                Nn.localResponseNormalization(x, 2, 2, 1e-4, 0.75).toFloatArray(), 1e-6f);
    }

    @Test
    void fusedBatchNormBesselExample() {
        Tensor x = Tensor.of(new float[] {0, 2}, 2, 1, 1, 1);
        Nn.FusedBatchNormResult r = Nn.fusedBatchNorm(x, Tensor.ones(F32, 1), Tensor.zeros(F32, 1));
        assertEquals(1f, r.batchMean().getFloat(0));
        assertEquals(2f, r.batchVariance().getFloat(0)); // n/(n-1) corrected
        assertEquals(1f, r.reserveSpace2().getFloat(0)); // biased
        assertEquals(-1f / (float) Math.sqrt(1.001f), r.y().getFloat(0, 0, 0, 0), 1e-6f);
        // Keras 2 test_bessels_correction: factor 0.5, moving variance 0 -> 1.0
        Nn.FusedBatchNormResult avg = Nn.fusedBatchNorm(x, Tensor.ones(F32, 1), Tensor.zeros(F32, 1),
                Tensor.zeros(F32, 1), Tensor.zeros(F32, 1), 1e-3, "NHWC", true, 0.5);
        assertEquals(1f, avg.batchVariance().getFloat(0));
        assertEquals(0.5f, avg.batchMean().getFloat(0));
        // one value per channel: variance 0, correction factor 1 (CPU kernel), never NaN
        Nn.FusedBatchNormResult one = Nn.fusedBatchNorm(Tensor.of(new float[] {3}, 1, 1, 1, 1),
                Tensor.ones(F32, 1), Tensor.zeros(F32, 1));
        assertEquals(0f, one.batchVariance().getFloat(0));
        assertEquals(0f, one.y().getFloat(0, 0, 0, 0));
    }

    @Test
    void fusedBatchNormNchwEqualsTransposedNhwc() {
        Tensor x = Tensor.randomNormal(F32, 3, 2, 11, 4, 5, 6, 3);
        Tensor scale = Tensor.randomUniform(F32, 0.5, 2, 12, 3);
        Tensor offset = Tensor.randomNormal(F32, 0, 1, 13, 3);
        Nn.FusedBatchNormResult nhwc = Nn.fusedBatchNorm(x, scale, offset);
        Nn.FusedBatchNormResult nchw = Nn.fusedBatchNorm(x.transpose(0, 3, 1, 2), scale, offset, null, null, 1e-3,
                "NCHW", true, 1.0);
        assertArrayEquals(nhwc.y().toFloatArray(), nchw.y().transpose(0, 2, 3, 1).toFloatArray(), 1e-6f);
        assertArrayEquals(nhwc.batchMean().toFloatArray(), nchw.batchMean().toFloatArray(), 1e-6f);
        assertArrayEquals(nhwc.batchVariance().toFloatArray(), nchw.batchVariance().toFloatArray(), 1e-5f);
    }

    /** Gradient of sum(w * y) checked by central differences in float64, for both modes and layouts. */
    @Test
    void fusedBatchNormGradMatchesFiniteDifferences() {
        for (String fmt : new String[] {"NHWC", "NCHW"}) {
            for (boolean training : new boolean[] {true, false}) {
                int[] dims = fmt.equals("NHWC") ? new int[] {2, 3, 2, 3} : new int[] {2, 3, 3, 2};
                Tensor x = Tensor.randomNormal(F64, 1, 2, 21, dims);
                Tensor w = Tensor.randomNormal(F64, 0, 1, 22, dims);
                Tensor scale = Tensor.randomUniform(F64, 0.5, 2, 23, 3);
                Tensor offset = Tensor.randomNormal(F64, 0, 1, 24, 3);
                Tensor pm = Tensor.randomNormal(F64, 1, 0.1, 25, 3);
                Tensor pv = Tensor.randomUniform(F64, 1, 3, 26, 3);
                double eps = 1e-3;
                Function<Tensor[], Double> loss = a -> Nn.fusedBatchNorm(a[0], a[1], a[2], pm, pv, eps, fmt,
                        training, 1.0).y().mul(w).sum().item();
                Nn.FusedBatchNormResult fwd = Nn.fusedBatchNorm(x, scale, offset, pm, pv, eps, fmt, training, 1.0);
                Nn.FusedBatchNormGradResult g = Nn.fusedBatchNormGrad(w, x, scale, fwd.reserveSpace1(),
                        fwd.reserveSpace2(), eps, fmt, training);
                Tensor[] args = {x, scale, offset};
                Tensor[] grads = {g.xBackprop(), g.scaleBackprop(), g.offsetBackprop()};
                for (int i = 0; i < 3; i++) {
                    Naive.assertClose(numericGradient(loss, args, i), grads[i].toDoubleArray(), 1e-7, 1e-6,
                            fmt + " training=" + training + " arg " + i);
                }
            }
        }
    }

    @Test
    void lrnGradMatchesFiniteDifferences() {
        Tensor x = Tensor.randomNormal(F64, 0, 1, 31, 2, 2, 3, 7);
        Tensor w = Tensor.randomNormal(F64, 0, 1, 32, 2, 2, 3, 7);
        int[][] params = {{2}, {5}, {0}, {1}};
        double[][] fl = {{1, 1, 0.5}, {2, 1e-1, 0.75}, {1, 1, 1}, {0.5, 0.3, 0.6}};
        for (int p = 0; p < params.length; p++) {
            int r = params[p][0];
            double bias = fl[p][0];
            double alpha = fl[p][1];
            double beta = fl[p][2];
            Function<Tensor[], Double> loss = a -> Nn.localResponseNormalization(a[0], r, bias, alpha, beta)
                    .mul(w).sum().item();
            Tensor y = Nn.localResponseNormalization(x, r, bias, alpha, beta);
            Tensor g = Nn.localResponseNormalizationGrad(w, x, y, r, bias, alpha, beta);
            Naive.assertClose(numericGradient(loss, new Tensor[] {x}, 0), g.toDoubleArray(), 1e-8, 1e-6,
                    "LRN grad case " + p);
        }
    }

    static double[] numericGradient(Function<Tensor[], Double> f, Tensor[] args, int which) {
        double[] base = args[which].toDoubleArray();
        double[] grad = new double[base.length];
        double h = 1e-6;
        for (int i = 0; i < base.length; i++) {
            double[] plus = base.clone();
            double[] minus = base.clone();
            plus[i] += h;
            minus[i] -= h;
            Tensor[] a = args.clone();
            a[which] = Tensor.of(plus, args[which].shape().dims());
            double fp = f.apply(a);
            a[which] = Tensor.of(minus, args[which].shape().dims());
            double fm = f.apply(a);
            grad[i] = (fp - fm) / (2 * h);
        }
        return grad;
    }

    /** The accuracy claim: float32 data with mean 1e6 and std 1. */
    @Test
    void varianceIsAccurateOnIllConditionedFloat32() {
        int n = 100_000;
        Random rnd = new Random(3);
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = (float) (1e6 + rnd.nextGaussian());
        }
        double mean = 0;
        for (float v : data) {
            mean += v;
        }
        mean /= n;
        double m2 = 0;
        for (float v : data) {
            m2 += (v - mean) * (v - mean);
        }
        double truth = m2 / n;
        Nn.Moments m = Nn.moments(Tensor.of(data), 0);
        assertEquals(truth, m.variance().getFloat(), 1e-3 * truth);
        assertEquals(mean, m.mean().getFloat(), 0.0625); // within one float ulp at 1e6
        // the one-pass sufficient-statistics route loses everything in float32 (documented in docs/ops.md)
        Nn.SufficientStatistics s = Nn.sufficientStatistics(Tensor.of(data), new int[] {0}, null, false);
        Nn.Moments naive = Nn.normalizeMoments(s.count(), s.meanSS(), s.varianceSS(), null);
        assertTrue(Math.abs(naive.variance().getFloat() - truth) > 0.5 * truth,
                "one-pass float32 variance unexpectedly accurate: " + naive.variance().getFloat());
    }

    @Test
    void badArgumentsNameTheArgumentAndTheExpectation() {
        Tensor x = Tensor.zeros(F32, 2, 3);
        Tensor c = Tensor.zeros(F32, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nn.batchNormalization(x, c, c, null, null, -1e-3));
        assertTrue(e.getMessage().contains("varianceEpsilon = -0.001"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Nn.batchNormalization(x, c, c, null, null, Double.NaN));
        assertTrue(e.getMessage().contains("varianceEpsilon = NaN"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nn.moments(x, 0, 0));
        assertTrue(e.getMessage().contains("Duplicate"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nn.moments(x, 3));
        assertTrue(e.getMessage().contains("axes[0] = 3"), e.getMessage());
        Tensor x4 = Tensor.zeros(F32, 2, 2, 2, 3);
        e = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNorm(x4, Tensor.ones(F32, 2), c));
        assertTrue(e.getMessage().contains("scale has shape (2,)") && e.getMessage().contains("(3,)"),
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNorm(x4, c, c, null, null, 1e-3,
                "NHCW", true, 1.0));
        assertTrue(e.getMessage().contains("NHCW"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNorm(x4, c, c, null, null, 1e-3,
                "NHWC", false, 1.0));
        assertTrue(e.getMessage().contains("mean and variance are null"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNorm(x, c, c));
        assertTrue(e.getMessage().contains("expected rank 4"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nn.localResponseNormalization(x4, -1, 1, 1, 0.5));
        assertTrue(e.getMessage().contains("depthRadius = -1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Nn.batchNormalization(x, Tensor.zeros(F64, 3), c, null, null, 1e-3));
        assertTrue(e.getMessage().contains("mean has dtype float64"), e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class,
                () -> Nn.batchNormalization(null, c, c, null, null, 1e-3));
        assertTrue(n.getMessage().contains("x"), n.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Nn.l2Normalize(x, null, -1));
        assertTrue(e.getMessage().contains("epsilon = -1.0"), e.getMessage());
    }
}
