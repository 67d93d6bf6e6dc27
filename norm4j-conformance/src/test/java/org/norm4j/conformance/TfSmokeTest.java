package org.norm4j.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.norm4j.conformance.Tf.Arr;
import org.norm4j.conformance.Tf.Fn;
import org.norm4j.conformance.Tf.GradParams;
import org.norm4j.conformance.Tf.GradResult;

/** Checks every {@link Tf} entry point against small hand-computed values. */
class TfSmokeTest {

    private static final double F32 = 1e-6;
    private static final double NAN = Double.NaN;

    @BeforeAll
    static void requireTf() {
        assumeTrue(Tf.available(), () -> "TensorFlow unavailable: " + Tf.unavailableReason());
    }

    private static void close(double[] expected, Arr actual, double relTol) {
        assertEquals(expected.length, actual.size(), () -> "size of " + actual);
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual.data()[i];
            if (Double.isNaN(e)) {
                assertTrue(Double.isNaN(a), "index " + i + " of " + actual);
            } else if (Double.isInfinite(e) || relTol == 0) {
                assertEquals(e, a, "index " + i + " of " + actual);
            } else {
                assertEquals(e, a, relTol * Math.max(1, Math.abs(e)), "index " + i + " of " + actual);
            }
        }
    }

    private static void shape(Arr a, int... shape) { assertArrayEquals(shape, a.shape(), a::toString); }

    @Test
    void availability() {
        assertTrue(Tf.available());
        assertNull(Tf.unavailableReason());
        assertTrue(Tf.version().startsWith("2.18"), Tf.version());
    }

    @Test
    void arrValidation() {
        assertThrows(IllegalArgumentException.class, () -> new Arr(new double[] {0.1}, new int[] {1}, false));
        assertThrows(IllegalArgumentException.class, () -> new Arr(new double[] {1, 2}, new int[] {3}, true));
        assertEquals(Arr.vec32(0.1), Arr.vec32(0.1));
        assertEquals((float) 0.1, Arr.vec32(0.1).data()[0]);
        assertEquals(5.0, Arr.f64(new int[] {2, 3}, 0, 1, 2, 3, 4, 5).get(1, 2));
    }

    @Test
    void elementwise() {
        Arr a = Arr.f32(new int[] {2, 2}, 1, 2, 3, 4);
        Arr b = Arr.vec32(10, 20);
        Arr s = Tf.add(a, b);
        shape(s, 2, 2);
        close(new double[] {11, 22, 13, 24}, s, 0);
        assertFalse(s.float64());
        close(new double[] {-9, -18, -7, -16}, Tf.sub(a, b), 0);
        close(new double[] {10, 40, 30, 80}, Tf.mul(a, b), 0);
        close(new double[] {0.1, 0.1, 0.3, 0.2}, Tf.div(a, b), F32);
        close(new double[] {2, 2, 3, 4}, Tf.maximum(a, Arr.scalar32(2)), 0);
        close(new double[] {1, 2, 2, 2}, Tf.minimum(a, Arr.scalar32(2)), 0);
        close(new double[] {1, 4, 9, 16}, Tf.pow(a, Arr.scalar32(2)), F32);
        close(new double[] {-1, -2, -3, -4}, Tf.neg(a), 0);
        close(new double[] {1, 4, 9, 16}, Tf.square(a), 0);
        close(new double[] {1, Math.sqrt(2), Math.sqrt(3), 2}, Tf.sqrt(a), F32);
        close(new double[] {1, 1 / Math.sqrt(2), 1 / Math.sqrt(3), 0.5}, Tf.rsqrt(a), F32);
        close(new double[] {Math.E, Math.exp(2), Math.exp(3), Math.exp(4)}, Tf.exp(a), F32);
        close(new double[] {0, Math.log(2), Math.log(3), Math.log(4)}, Tf.log(a), F32);
        close(new double[] {1.5, 0, 2}, Tf.abs(Arr.vec32(-1.5, 0, 2)), 0);
        Arr d = Tf.div(Arr.vec64(1), Arr.vec64(3));
        assertTrue(d.float64());
        assertEquals(1.0 / 3.0, d.data()[0], 0.0);
        assertThrows(Tf.TfError.class, () -> Tf.add(Arr.vec32(1), Arr.vec64(1)));
        assertThrows(Tf.TfError.class, () -> Tf.add(Arr.vec32(1, 2), Arr.vec32(1, 2, 3)));
    }

    @Test
    void reductions() {
        Arr x = Arr.f32(new int[] {2, 3}, 1, 2, 3, 4, 5, 9);
        Arr s = Tf.reduceSum(x, new int[] {1}, false);
        shape(s, 2);
        close(new double[] {6, 18}, s, 0);
        Arr sk = Tf.reduceSum(x, new int[] {-1}, true);
        shape(sk, 2, 1);
        Arr all = Tf.reduceSum(x, null, false);
        shape(all);
        close(new double[] {24}, all, 0);
        close(new double[] {2.5, 3.5, 6}, Tf.reduceMean(x, new int[] {0}, false), F32);
        close(new double[] {3, 9}, Tf.reduceMax(x, new int[] {1}, false), 0);
        close(new double[] {1, 2, 3}, Tf.reduceMin(x, new int[] {0}, false), 0);
        close(new double[] {2.0 / 3, 14.0 / 3}, Tf.reduceVariance(x, new int[] {1}, false), F32);
        close(new double[] {Math.sqrt(2.0 / 3), Math.sqrt(14.0 / 3)}, Tf.reduceStd(x, new int[] {1}, false), F32);
        Arr v = Tf.reduceVariance(Arr.vec64(1, 2, 3, 4), null, true);
        shape(v, 1);
        assertEquals(1.25, v.data()[0], 1e-15);
        assertTrue(v.float64());
    }

    @Test
    void matmulAndTranspose() {
        Arr a = Arr.f32(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        Arr b = Arr.f32(new int[] {3, 1}, 1, 0, -1);
        Arr c = Tf.matmul(a, b);
        shape(c, 2, 1);
        close(new double[] {-2, -2}, c, 0);
        Arr t = Tf.transpose(a, 1, 0);
        shape(t, 3, 2);
        close(new double[] {1, 4, 2, 5, 3, 6}, t, 0);
    }

    @Test
    void moments() {
        Tf.Moments m = Tf.moments(Arr.vec32(0, 1, 2, 3, 100), new int[] {0}, false);
        shape(m.mean());
        close(new double[] {21.2}, m.mean(), F32);
        close(new double[] {1553.3601}, m.variance(), F32);
        Tf.Moments k = Tf.moments(Arr.f64(new int[] {2, 2}, 1, 2, 3, 5), new int[] {0}, true);
        shape(k.mean(), 1, 2);
        close(new double[] {2, 3.5}, k.mean(), 0);
        close(new double[] {1, 2.25}, k.variance(), 0);
    }

    @Test
    void weightedMoments() {
        Arr x = Arr.f32(new int[] {2, 2}, 1, 3, 5, 7);
        Tf.Moments m = Tf.weightedMoments(x, new int[] {1}, Arr.f32(new int[] {1, 2}, 1, 3), false);
        shape(m.mean(), 2);
        close(new double[] {2.5, 6.5}, m.mean(), F32);
        close(new double[] {0.75, 0.75}, m.variance(), F32);
        Tf.Moments z = Tf.weightedMoments(x, new int[] {1}, Arr.vec32(0, 0), true);
        shape(z.mean(), 2, 1);
        close(new double[] {0, 0}, z.mean(), 0); // DivNoNan: 0/0 -> 0
    }

    @Test
    void sufficientStatisticsAndNormalize() {
        Arr x = Arr.f32(new int[] {2, 3}, 1, 2, 3, 4, 5, 6);
        Tf.SufficientStats s = Tf.sufficientStatistics(x, new int[] {1}, null, false);
        close(new double[] {3}, s.count(), 0);
        shape(s.count());
        close(new double[] {6, 15}, s.meanSS(), 0);
        close(new double[] {14, 77}, s.varianceSS(), 0);
        Tf.Moments n = Tf.normalizeMoments(s.count(), s.meanSS(), s.varianceSS(), null);
        close(new double[] {2, 5}, n.mean(), F32);
        close(new double[] {2.0 / 3, 2.0 / 3}, n.variance(), 1e-5);
        Tf.SufficientStats sh = Tf.sufficientStatistics(x, new int[] {-1}, Arr.scalar32(1), true);
        shape(sh.meanSS(), 2, 1);
        close(new double[] {3, 12}, sh.meanSS(), 0);
        close(new double[] {5, 50}, sh.varianceSS(), 0);
        Tf.Moments ns = Tf.normalizeMoments(sh.count(), sh.meanSS(), sh.varianceSS(), Arr.scalar32(1));
        close(new double[] {2, 5}, ns.mean(), F32);
        close(new double[] {2.0 / 3, 2.0 / 3}, ns.variance(), 1e-5);
    }

    @Test
    void batchNormalization() {
        Arr x = Arr.f32(new int[] {2, 3}, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6);
        Arr mean = Arr.vec32(0.2, 0.3, 0.4);
        Arr var = Arr.vec32(4, 16, 64);
        Arr y = Tf.batchNormalization(x, mean, var, Arr.vec32(5, 10, 15), Arr.vec32(10, 20, 30), 1e-7);
        shape(y, 2, 3);
        close(new double[] {4.5, 9.5, 14.625, 6.0, 11.0, 15.75}, y, F32);
        Arr plain = Tf.batchNormalization(x, mean, var, null, null, 0);
        close(new double[] {-0.05, -0.025, -0.0125, 0.1, 0.05, 0.025}, plain, 1e-5);
    }

    @Test
    void l2Normalize() {
        close(new double[] {0.6, 0.8}, Tf.l2Normalize(Arr.vec32(3, 4), null, 1e-12), F32);
        Arr m = Tf.l2Normalize(Arr.f32(new int[] {2, 2}, 3, 4, 0, 0), new int[] {1}, 1e-12);
        close(new double[] {0.6, 0.8, 0, 0}, m, F32);
        // eps dominates: x / sqrt(eps)
        close(new double[] {0.01, 0.02}, Tf.l2Normalize(Arr.vec64(0.001, 0.002), new int[] {0}, 0.01), 1e-12);
    }

    @Test
    void lrnAndGrad() {
        Arr x = Arr.f32(new int[] {1, 1, 1, 4}, 1, 2, 3, 4);
        Arr y = Tf.lrn(x, 1, 1, 1, 0.5);
        shape(y, 1, 1, 1, 4);
        close(new double[] {0.4082483, 0.5163978, 0.5477226, 0.7844645}, y, F32);
        Arr dy = Arr.f32(new int[] {1, 1, 1, 4}, 1, 0, 0, 0);
        Arr g = Tf.lrnGrad(dy, x, y, 1, 1, 1, 0.5);
        // d y0 / d x_j for y0 = x0 * (1 + x0^2 + x1^2)^-0.5, s = 6
        double s = 6;
        close(new double[] {Math.pow(s, -0.5) - 1 * Math.pow(s, -1.5), -2 * Math.pow(s, -1.5), 0, 0}, g, 1e-5);
        assertThrows(Tf.TfError.class, () -> Tf.lrn(x.withDtype(true), 1, 1, 1, 0.5)); // LRN: no float64 kernel
        GradResult viaGraph = Tf.gradients(Fn.LRN, GradParams.lrn(1, 1, 1, 0.5), dy, x);
        close(y.data(), viaGraph.value(), 0);
        close(g.data(), viaGraph.grad(0), 0);
        // w broadcasts: w = 2 (scalar) is dy = 2 everywhere
        Arr twos = Arr.filled(false, 2, 1, 1, 1, 4);
        GradResult bc = Tf.gradients(Fn.LRN, GradParams.lrn(2, 0.5, 0.25, 0.75), Arr.scalar32(2), x);
        close(Tf.lrnGrad(twos, x, Tf.lrn(x, 2, 0.5, 0.25, 0.75), 2, 0.5, 0.25, 0.75).data(), bc.grad(0), 0);
    }

    @Test
    void fusedBatchNormTraining() {
        Arr x = Arr.f32(new int[] {2, 1, 1, 1}, 0, 2);
        Tf.FusedBatchNormResult r = Tf.fusedBatchNorm(x, Arr.vec32(1), Arr.vec32(0), null, null, 0.001, 1.0,
                "NHWC", true);
        double inv = 1 / Math.sqrt(1.001);
        close(new double[] {-inv, inv}, r.y(), F32);
        close(new double[] {1}, r.batchMean(), 0);
        close(new double[] {2}, r.batchVariance(), 0);
        close(new double[] {1}, r.reserveSpace1(), 0);
        close(new double[] {1}, r.reserveSpace2(), 0);

        // NCHW, running averages with factor 0.5 and explicit mean/variance
        Arr xc = Arr.f32(new int[] {1, 2, 1, 2}, 0, 2, 10, 14);
        Tf.FusedBatchNormResult c = Tf.fusedBatchNorm(xc, Arr.vec32(1, 2), Arr.vec32(0, 1), Arr.vec32(0, 0),
                Arr.vec32(1, 1), 0.001, 0.5, "NCHW", true);
        shape(c.y(), 1, 2, 1, 2);
        close(new double[] {0.5, 6}, c.batchMean(), F32); // 0.5*0 + 0.5*{1, 12}
        close(new double[] {1.5, 4.5}, c.batchVariance(), F32); // 0.5*1 + 0.5*{2, 8}
        close(new double[] {-inv, inv, 1 - 2 * 2 / Math.sqrt(4.001), 1 + 2 * 2 / Math.sqrt(4.001)}, c.y(), F32);

        Arr w = Arr.f32(new int[] {2, 1, 1, 1}, 1, 0);
        Tf.FusedBatchNormGradResult g = Tf.fusedBatchNormGrad(w, x, Arr.vec32(1), r.reserveSpace1(),
                r.reserveSpace2(), 0.001, "NHWC", true);
        double dx0 = inv * 0.5 * (1 - 1 / 1.001);
        close(new double[] {dx0, -dx0}, g.xBackprop(), 1e-5);
        close(new double[] {-inv}, g.scaleBackprop(), F32);
        close(new double[] {1}, g.offsetBackprop(), 0);

        GradResult viaGraph = Tf.gradients(Fn.FUSED_BATCH_NORM_TRAINING, GradParams.fusedBatchNorm(0.001, "NHWC"), w,
                x, Arr.vec32(1), Arr.vec32(0));
        close(r.y().data(), viaGraph.value(), 0);
        close(g.xBackprop().data(), viaGraph.grad(0), 0);
        close(g.scaleBackprop().data(), viaGraph.grad(1), 0);
        close(g.offsetBackprop().data(), viaGraph.grad(2), 0);

        // NCHW gradient, 2 channels, non-default eps: dx by hand for x = {0, 2} per channel, w = {1, 0}
        Arr xn = Arr.f32(new int[] {2, 2, 1, 1}, 0, 10, 2, 14); // N=2, C=2: channel 0 {0,2}, channel 1 {10,14}
        Arr wn = Arr.f32(new int[] {2, 2, 1, 1}, 1, 0, 0, 1);
        GradResult gn = Tf.gradients(Fn.FUSED_BATCH_NORM_TRAINING, GradParams.fusedBatchNorm(0.5, "NCHW"), wn, xn,
                Arr.vec32(1, 3), Arr.vec32(0, 0));
        double i0 = 1 / Math.sqrt(1.5); // channel 0: biased var 1
        double i1 = 1 / Math.sqrt(4.5); // channel 1: biased var 4, xhat = {-2, 2} * i1
        double d0 = i0 * 0.5 * (1 - i0 * i0); // dx for the weighted element, see derivation above
        double d1 = 3 * i1 * 0.5 * (1 - 4 * i1 * i1);
        close(new double[] {d0, -d1, -d0, d1}, gn.grad(0), 1e-5);
        close(new double[] {-i0, 2 * i1}, gn.grad(1), 1e-6);
        close(new double[] {1, 1}, gn.grad(2), 0);
    }

    @Test
    void fusedBatchNormInferenceAndFloat64() {
        Arr x = Arr.f32(new int[] {1, 1, 1, 2}, 1, 2);
        Tf.FusedBatchNormResult r = Tf.fusedBatchNorm(x, Arr.vec32(2, 1), Arr.vec32(1, 0), Arr.vec32(1, 0),
                Arr.vec32(3, 0.25), 1.0, 1.0, "NHWC", false);
        close(new double[] {1, 2 / Math.sqrt(1.25)}, r.y(), F32);
        Arr xc = Arr.f32(new int[] {1, 2, 1, 1}, 1, 2);
        Tf.FusedBatchNormResult rc = Tf.fusedBatchNorm(xc, Arr.vec32(2, 1), Arr.vec32(1, 0), Arr.vec32(1, 0),
                Arr.vec32(3, 0.25), 1.0, 1.0, "NCHW", false);
        shape(rc.y(), 1, 2, 1, 1);
        close(r.y().data(), rc.y(), 0);
        assertThrows(Tf.TfError.class, // inference needs per-channel mean/variance
                () -> Tf.fusedBatchNorm(xc, Arr.vec32(1, 1), Arr.vec32(0, 0), null, null, 1e-3, 1, "NCHW", false));
        Arr x64 = Arr.f64(new int[] {2, 1, 1, 1}, 0, 2);
        assertThrows(Tf.TfError.class,
                () -> Tf.fusedBatchNorm(x64, Arr.vec32(1), Arr.vec32(0), null, null, 0.001, 1, "NHWC", true));
    }

    @Test
    void momentsGradients() {
        Arr x = Arr.vec32(0, 1, 2, 3, 100);
        GradResult gm = Tf.gradients(Fn.MOMENTS_MEAN, GradParams.moments(new int[] {0}, false), Arr.scalar32(2), x);
        close(new double[] {21.2}, gm.value(), F32);
        close(new double[] {0.4, 0.4, 0.4, 0.4, 0.4}, gm.grad(0), F32);
        GradResult gv = Tf.gradients(Fn.MOMENTS_VARIANCE, GradParams.moments(new int[] {0}, true), null, x);
        shape(gv.value(), 1);
        close(new double[] {-8.48, -8.08, -7.68, -7.28, 31.52}, gv.grad(0), 1e-5);
    }

    @Test
    void batchNormalizationGradients() {
        Arr x = Arr.f64(new int[] {2, 1}, 1, 3);
        Arr mean = Arr.vec64(2);
        Arr var = Arr.vec64(3);
        Arr off = Arr.vec64(0.5);
        Arr sc = Arr.vec64(2);
        Arr w = Arr.f64(new int[] {2, 1}, 1, 2);
        double eps = 1;
        GradResult g = Tf.gradients(Fn.BATCH_NORMALIZATION, GradParams.batchNorm(eps), w, x, mean, var, off, sc);
        double inv = 1 / Math.sqrt(var.data()[0] + eps); // 0.5
        close(new double[] {0.5 - 1, 0.5 + 1}, g.value(), 1e-12);
        close(new double[] {1 * 2 * inv, 2 * 2 * inv}, g.grad(0), 1e-12);
        close(new double[] {-(1 + 2) * 2 * inv}, g.grad(1), 1e-12);
        // dy/dvar = (x - mean) * scale * -0.5 * (var + eps)^-1.5 ; sum_i w_i (x_i - mean) = -1 + 2 = 1
        close(new double[] {1 * 2 * -0.5 * Math.pow(4, -1.5)}, g.grad(2), 1e-12);
        close(new double[] {3}, g.grad(3), 1e-12);
        close(new double[] {(-1 * 1 + 2 * 1) * inv}, g.grad(4), 1e-12);
        GradResult noOpt = Tf.gradients(Fn.BATCH_NORMALIZATION, GradParams.batchNorm(eps), w, x, mean, var);
        assertNull(noOpt.grad(3));
        assertNull(noOpt.grad(4));
        close(new double[] {inv, 2 * inv}, noOpt.grad(0), 1e-12);
    }

    @Test
    void l2NormalizeGradient() {
        GradResult g = Tf.gradients(Fn.L2_NORMALIZE, GradParams.l2Normalize(null, 1e-12), Arr.vec32(1, 0),
                Arr.vec32(3, 4));
        close(new double[] {0.6, 0.8}, g.value(), F32);
        close(new double[] {0.128, -0.096}, g.grad(0), 1e-5);
    }

    /** Documents TF's observed NaN / empty-reduction semantics (CPU, TF 2.18). */
    @Test
    void nanAndEmptySemantics() {
        for (boolean f64 : new boolean[] {false, true}) {
            Arr x = Arr.vec64(1, NAN, 3).withDtype(f64);
            close(new double[] {NAN}, Tf.reduceMax(x, null, false), 0);
            close(new double[] {NAN}, Tf.reduceMin(x, null, false), 0);
            Arr p = Arr.vec64(NAN, 1, NAN).withDtype(f64);
            Arr q = Arr.vec64(1, NAN, NAN).withDtype(f64);
            close(new double[] {NAN, NAN, NAN}, Tf.maximum(p, q), 0);
            close(new double[] {NAN, NAN, NAN}, Tf.minimum(p, q), 0);
            Arr empty = new Arr(new double[0], new int[] {0, 2}, f64);
            close(new double[] {NAN, NAN}, Tf.reduceMean(empty, new int[] {0}, false), 0);
            close(new double[] {0, 0}, Tf.reduceSum(empty, new int[] {0}, false), 0);
            close(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                    Tf.reduceMax(empty, new int[] {0}, false), 0);
            close(new double[] {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY},
                    Tf.reduceMin(empty, new int[] {0}, false), 0);
        }
    }

    /** Thousands of calls in one JVM keep answering identically (no leaked session state). No timing assert. */
    @Test
    void manySmallCallsKeepGivingTheSameAnswer() {
        double[] v = new double[32];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 0.25;
        }
        Arr x = Arr.f32(new int[] {4, 8}, v);
        Tf.Moments first = Tf.moments(x, new int[] {0}, false);
        Tf.Moments last = first;
        int n = 2000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            last = Tf.moments(x, new int[] {0}, false);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        System.out.printf("Tf: %d moments calls in %.0f ms (%.3f ms/call)%n", n, ms, ms / n);
        assertArrayEquals(first.mean().data(), last.mean().data());
        assertArrayEquals(first.variance().data(), last.variance().data());
        Tf.GradResult g0 = Tf.gradients(Fn.MOMENTS_VARIANCE, GradParams.moments(new int[] {0}, false), null, x);
        Tf.GradResult g = g0;
        for (int i = 0; i < n / 10; i++) {
            g = Tf.gradients(Fn.MOMENTS_VARIANCE, GradParams.moments(new int[] {0}, false), null, x);
        }
        assertArrayEquals(g0.grad(0).data(), g.grad(0).data());
    }
}
