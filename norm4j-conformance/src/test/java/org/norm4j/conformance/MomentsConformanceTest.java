package org.norm4j.conformance;

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
import org.norm4j.ops.Nn;
import org.norm4j.ops.Reductions;

/**
 * moments, weighted moments, sufficient statistics, normalize_moments, the seed's standardize and the
 * reductions, against TensorFlow on random ranks 1-5, random axis sets (negative ones too), both dtypes,
 * keepdims on and off, and ill-conditioned data (mean 1e4 times the standard deviation).
 *
 * <p>Tolerances (relative to the largest |value| of the output): float32 1e-5, float64 1e-12. On
 * ill-conditioned float32 data TensorFlow's own variance is inaccurate (it accumulates in float), so there
 * norm4j's variance is compared with TensorFlow's float64 result on the same values (the truth), and
 * TensorFlow's float32 error is recorded for the report.
 */
class MomentsConformanceTest {
    private static final int CASES = 300;

    @BeforeAll
    static void requireTf() {
        assumeTrue(Tf.available(), () -> "TensorFlow Java unavailable here: " + Tf.unavailableReason());
    }

    @AfterAll
    static void report() {
        if (Tf.available()) {
            Conformance.report("moments and reductions");
        }
    }

    private static double tol(DType dt) {
        return dt == DType.FLOAT32 ? 1e-5 : 1e-12;
    }

    @Test
    void momentsAndReductions() {
        Random rnd = new Random(20);
        for (int c = 0; c < CASES; c++) {
            int rank = 1 + rnd.nextInt(5);
            int[] dims = Conformance.randomDims(rnd, rank, 7);
            int[] axes = Conformance.randomAxes(rnd, rank);
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            boolean ill = c % 5 == 0;
            boolean keep = rnd.nextBoolean();
            Tensor x = Conformance.data(rnd, dt, ill, dims);
            Arr xa = arr(x);
            String sfx = ill ? " ill-conditioned" : "";
            Nn.Moments m = Nn.moments(x, axes, keep);
            Tf.Moments tm = Tf.moments(xa, axes, keep);
            assertConforms("moments mean " + dt.pyName() + sfx, tm.mean(), m.mean(), tol(dt), 1e-30);
            if (ill && dt == DType.FLOAT32) {
                Tf.Moments truth = Tf.moments(xa.withDtype(true), axes, keep);
                assertConforms("moments variance float32 ill-conditioned (vs float64 truth)", truth.variance(),
                        m.variance(), 1e-5, 1e-30);
                Conformance.record("reference: TF float32 variance ill-conditioned (vs truth)",
                        relErr(truth.variance(), tm.variance()), Double.POSITIVE_INFINITY);
            } else {
                assertConforms("moments variance " + dt.pyName() + sfx, tm.variance(), m.variance(), tol(dt), 1e-30);
            }
            assertConforms("reduce_sum " + dt.pyName(), Tf.reduceSum(xa, axes, keep), Reductions.sum(x, axes, keep),
                    tol(dt), 1e-30);
            assertConforms("reduce_mean " + dt.pyName(), Tf.reduceMean(xa, axes, keep), Reductions.mean(x, axes, keep),
                    tol(dt), 1e-30);
            assertConforms("reduce_max " + dt.pyName(), Tf.reduceMax(xa, axes, keep), Reductions.max(x, axes, keep), 0, 1e-30);
            assertConforms("reduce_min " + dt.pyName(), Tf.reduceMin(xa, axes, keep), Reductions.min(x, axes, keep), 0, 1e-30);
            if (!ill || dt == DType.FLOAT64) {
                assertConforms("reduce_variance " + dt.pyName(), Tf.reduceVariance(xa, axes, keep),
                        Reductions.variance(x, axes, keep), tol(dt), 1e-30);
                assertConforms("reduce_std " + dt.pyName(), Tf.reduceStd(xa, axes, keep), Reductions.std(x, axes, keep),
                        tol(dt), 1e-30);
            }
        }
    }

    private static double relErr(Arr truth, Arr got) {
        double scale = 1e-30;
        double err = 0;
        for (int i = 0; i < truth.size(); i++) {
            scale = Math.max(scale, Math.abs(truth.data()[i]));
        }
        for (int i = 0; i < truth.size(); i++) {
            err = Math.max(err, Math.abs(truth.data()[i] - got.data()[i]) / scale);
        }
        return err;
    }

    @Test
    void weightedMomentsSufficientStatisticsNormalizeMoments() {
        Random rnd = new Random(21);
        for (int c = 0; c < CASES; c++) {
            int rank = 1 + rnd.nextInt(4);
            int[] dims = Conformance.randomDims(rnd, rank, 6);
            int[] axes = Conformance.randomAxes(rnd, rank);
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            boolean keep = rnd.nextBoolean();
            Tensor x = Conformance.data(rnd, dt, false, dims);
            // weights broadcast to x: some dims 1
            int[] wd = dims.clone();
            for (int i = 0; i < rank; i++) {
                if (rnd.nextBoolean()) {
                    wd[i] = 1;
                }
            }
            Tensor w = Tensor.randomUniform(dt, 0, 3, rnd.nextLong(), wd);
            Nn.Moments m = Nn.weightedMoments(x, axes, w, keep);
            Tf.Moments tm = Tf.weightedMoments(arr(x), axes, arr(w), keep);
            // floors: the data's scale (|x| for means and sums, var(x) for variances), so that a variance that
            // is exactly 0 here and 1e-15 in TensorFlow's float arithmetic is not an error
            double xScale = Math.max(Math.abs(x.max().item()), Math.abs(x.min().item()));
            double vScale = Math.max(x.variance().item(), 1e-6 * xScale * xScale);
            assertConforms("weighted_moments mean " + dt.pyName(), tm.mean(), m.mean(), tol(dt), xScale);
            assertConforms("weighted_moments variance " + dt.pyName(), tm.variance(), m.variance(), tol(dt), vScale);

            Tensor shift = rnd.nextBoolean() ? null : Tensor.randomNormal(dt, 0, 1, rnd.nextLong(),
                    x.shape().reduce(x.shape().normalizeAxes(axes, "axes"), true).dims());
            Nn.SufficientStatistics s = Nn.sufficientStatistics(x, axes, shift, keep);
            Tf.SufficientStats ts = Tf.sufficientStatistics(arr(x), axes, shift == null ? null : arr(shift), keep);
            assertConforms("sufficient_statistics count " + dt.pyName(), ts.count(), s.count(), 0, 1);
            assertConforms("sufficient_statistics mean_ss " + dt.pyName(), ts.meanSS(), s.meanSS(), tol(dt), xScale);
            assertConforms("sufficient_statistics variance_ss " + dt.pyName(), ts.varianceSS(), s.varianceSS(), tol(dt),
                    vScale);
            // normalize_moments on identical inputs: the same elementwise float math as TF
            Tensor sh = keep && shift != null ? shift : null;
            Nn.Moments nm = Nn.normalizeMoments(s.count(), s.meanSS(), s.varianceSS(), sh);
            Tf.Moments tnm = Tf.normalizeMoments(arr(s.count()), arr(s.meanSS()), arr(s.varianceSS()),
                    sh == null ? null : arr(sh));
            assertConforms("normalize_moments mean " + dt.pyName(), tnm.mean(), nm.mean(), tol(dt), xScale);
            assertConforms("normalize_moments variance " + dt.pyName(), tnm.variance(), nm.variance(), tol(dt), vScale);
        }
    }

    /** The seed's feature_wise_normalize, composed in TensorFlow exactly as the seed writes it. */
    @Test
    void standardizeMatchesTheSeedFunction() {
        Random rnd = new Random(22);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int[] dims = Conformance.randomDims(rnd, 1 + rnd.nextInt(3), 8);
            dims[0] = 2 + rnd.nextInt(30);
            Tensor x = Conformance.data(rnd, dt, c % 7 == 0, dims);
            Arr xa = arr(x);
            Tf.Moments tm = Tf.moments(xa, new int[] {0}, false);
            Arr eps = dt == DType.FLOAT32 ? Arr.scalar32(1e-7) : Arr.scalar64(1e-7);
            Arr expected = Tf.div(Tf.sub(xa, tm.mean()), Tf.sqrt(Tf.add(tm.variance(), eps)));
            // normalized values are O(1): compare on an absolute scale of 1
            assertConforms("standardize (seed) " + dt.pyName() + (c % 7 == 0 ? " ill-conditioned" : ""), expected,
                    Nn.standardize(x), dt == DType.FLOAT32 ? (c % 7 == 0 ? 2e-3 : 1e-5) : 1e-10, 1);
        }
    }

    /**
     * issue 2's accuracy claim, side by side: float32 data with mean 1e6 and standard deviation 1. The truth is
     * TensorFlow's float64 moments of the same float32 values.
     */
    @Test
    void illConditionedFloat32SideBySide() {
        Random rnd = new Random(8);
        int n = 100_000;
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (1e6 + rnd.nextGaussian());
        }
        Arr x32 = Arr.f32(new int[] {n}, v);
        Tf.Moments truth = Tf.moments(x32.withDtype(true), new int[] {0}, false);
        Tf.Moments tf32 = Tf.moments(x32, new int[] {0}, false);
        Nn.Moments ours = Nn.moments(Conformance.tensor(x32), 0);
        double tv = truth.variance().data()[0];
        double ov = ours.variance().item();
        double fv = tf32.variance().data()[0];
        System.out.printf("%n== ill-conditioned float32 (n=%d, mean 1e6, std 1)%n", n);
        System.out.printf("| | mean | variance | variance error |%n| --- | --- | --- | --- |%n");
        System.out.printf("| float64 truth | %.6f | %.6f | 0 |%n", truth.mean().data()[0], tv);
        System.out.printf("| TensorFlow tf.nn.moments, float32 | %.6f | %.6f | %.2e |%n", tf32.mean().data()[0], fv,
                Math.abs(fv - tv) / tv);
        System.out.printf("| norm4j Nn.moments, float32 | %.6f | %.6f | %.2e |%n", ours.mean().item(), ov,
                Math.abs(ov - tv) / tv);
        org.junit.jupiter.api.Assertions.assertEquals(tv, ov, 1e-3 * tv, "norm4j variance vs float64 truth");
    }
}
