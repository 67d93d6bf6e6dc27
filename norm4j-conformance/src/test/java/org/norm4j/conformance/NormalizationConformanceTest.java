package org.norm4j.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.norm4j.conformance.Conformance.arr;
import static org.norm4j.conformance.Conformance.assertConforms;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.conformance.Tf.Arr;
import org.norm4j.layers.Normalization;
import org.norm4j.stats.ZeroVariancePolicy;

/**
 * The preprocessing {@code Normalization} layer against the TensorFlow composition Keras 3 runs: statistics
 * {@code tf.nn.moments} over the reduced axes (keepdims), then {@code (x - mean) / maximum(sqrt(variance), 1e-7)}
 * and, inverted, {@code mean + x * maximum(sqrt(variance), 1e-7)}, all float32, on random ranks 2-5, random
 * kept-axis sets (negative, unordered, or none for {@code axis=None}) and ill-conditioned data (mean 1e4 times
 * the standard deviation).
 *
 * <p>Checks and tolerances (relative to the largest |value| of the expected output):
 * <ul>
 *   <li>forward and inverse with explicit statistics (TensorFlow's own float32 moments, some variances zeroed):
 *       0, i.e. bit-identical; the SKLEARN and SPARK policies against the same composition with the scale of
 *       zero-variance features set to 1, or the result multiplied by 0: 0;</li>
 *   <li>the adapted statistics against TensorFlow's float64 moments of the same values: 1e-7 (float32
 *       rounding);</li>
 *   <li>the adapted layer's output against the composition fed with those float64 moments rounded to float32:
 *       1e-6;</li>
 *   <li>the adapted layer's output against Keras's end-to-end float32 path (float32 moments), well-conditioned
 *       data only: 1e-5. On ill-conditioned data TensorFlow's float32 moments are inaccurate; their error against
 *       the float64-moment reference is recorded, not asserted.</li>
 * </ul>
 */
class NormalizationConformanceTest {
    private static final int CASES = 200;
    private static final Arr EPS = Arr.scalar32(1e-7);

    @BeforeAll
    static void requireTf() {
        assumeTrue(Tf.available(), () -> "TensorFlow Java unavailable here: " + Tf.unavailableReason());
    }

    @AfterAll
    static void report() {
        if (Tf.available()) {
            Conformance.report("preprocessing Normalization");
        }
    }

    @Test
    void normalizationLayer() {
        Random rnd = new Random(60);
        for (int c = 0; c < CASES; c++) {
            int rank = 2 + rnd.nextInt(4);
            int[] dims = Conformance.randomDims(rnd, rank, 6);
            List<Integer> keptList = new ArrayList<>();
            List<Integer> reduceList = new ArrayList<>();
            reduceList.add(0);
            for (int d = 1; d < rank; d++) {
                (rnd.nextInt(3) > 0 ? keptList : reduceList).add(d);
            }
            int[] kept = keptList.stream().mapToInt(Integer::intValue).toArray();
            int[] reduce = reduceList.stream().mapToInt(Integer::intValue).toArray();
            int[] keptShape = new int[kept.length];
            for (int i = 0; i < kept.length; i++) {
                keptShape[i] = dims[kept[i]];
            }
            int[] axisArg = givenAxes(rnd, kept, rank);
            boolean ill = c % 5 == 0;
            Tensor x = Conformance.data(rnd, DType.FLOAT32, ill, dims);
            Arr xa = arr(x);
            String sfx = ill ? " ill-conditioned" : "";

            // explicit statistics: TensorFlow's float32 moments, some variances set to 0
            Tf.Moments tm = Tf.moments(xa, reduce, true);
            double[] v = tm.variance().data().clone();
            if (c % 3 == 0) {
                for (int j = 0; j < v.length; j++) {
                    v[j] = rnd.nextInt(3) == 0 ? 0 : v[j];
                }
            }
            Arr var = new Arr(v, tm.variance().shape(), false);
            Arr scale = Tf.maximum(Tf.sqrt(var), EPS);
            Arr centred = Tf.sub(xa, tm.mean());
            Tensor meanT = float32(reshape(tm.mean(), keptShape));
            Tensor varT = float32(reshape(var, keptShape));
            assertConforms("forward, explicit stats" + sfx, Tf.div(centred, scale),
                    explicit(axisArg, meanT, varT, false, ZeroVariancePolicy.KERAS).apply(x), 0, 1e-30);
            assertConforms("inverse, explicit stats" + sfx, Tf.add(tm.mean(), Tf.mul(xa, scale)),
                    explicit(axisArg, meanT, varT, true, ZeroVariancePolicy.KERAS).apply(x), 0, 1e-30);
            double[] s1 = scale.data().clone();
            double[] mask = new double[s1.length];
            for (int j = 0; j < s1.length; j++) {
                mask[j] = v[j] == 0 ? 0 : 1;
                s1[j] = v[j] == 0 ? 1 : s1[j];
            }
            Arr unitScale = new Arr(s1, scale.shape(), false);
            assertConforms("forward, explicit stats, policy sklearn", Tf.div(centred, unitScale),
                    explicit(axisArg, meanT, varT, false, ZeroVariancePolicy.SKLEARN).apply(x), 0, 1e-30);
            assertConforms("forward, explicit stats, policy spark",
                    Tf.mul(Tf.div(centred, unitScale), new Arr(mask, scale.shape(), false)),
                    explicit(axisArg, meanT, varT, false, ZeroVariancePolicy.SPARK).apply(x), 0, 1e-30);

            // adapt: norm4j's float64 statistics against TensorFlow's float64 moments of the same values
            Normalization adapted = Normalization.builder().axis(axisArg).build().adapt(x);
            Tf.Moments t64 = Tf.moments(xa.withDtype(true), reduce, true);
            assertConforms("adapt mean vs TF float64 moments" + sfx, reshape(t64.mean(), keptShape), adapted.meanTensor(),
                    1e-7, 1e-30);
            assertConforms("adapt variance vs TF float64 moments" + sfx, reshape(t64.variance(), keptShape),
                    adapted.varianceTensor(), 1e-7, 1e-30);
            Arr mean32 = t64.mean().withDtype(false);
            Arr var32 = t64.variance().withDtype(false);
            Arr ref = Tf.div(Tf.sub(xa, mean32), Tf.maximum(Tf.sqrt(var32), EPS));
            Tensor y = adapted.apply(x);
            assertConforms("forward, adapted (vs float64 moments in float32)" + sfx, ref, y, 1e-6, 1e-30);
            Arr keras = Tf.div(Tf.sub(xa, tm.mean()), Tf.maximum(Tf.sqrt(tm.variance()), EPS));
            if (ill) {
                Conformance.record("reference: Keras float32 adapt ill-conditioned (vs float64 moments)",
                        relErr(ref, keras), Double.POSITIVE_INFINITY);
            } else if (!hasTinyVariance(tm.variance())) {
                assertConforms("forward, adapted (vs Keras float32 path)", keras, y, 1e-5, 1e-30);
            }
        }
    }

    /** The kept axes as a user might write them: some negative, in any order. */
    private static int[] givenAxes(Random rnd, int[] kept, int rank) {
        List<Integer> l = new ArrayList<>();
        for (int k : kept) {
            l.add(rnd.nextBoolean() ? k - rank : k);
        }
        Collections.shuffle(l, rnd);
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Normalization explicit(int[] axis, Tensor mean, Tensor var, boolean invert,
            ZeroVariancePolicy p) {
        return Normalization.builder().axis(axis).mean(mean).variance(var).invert(invert).zeroVariancePolicy(p)
                .build();
    }

    /** A float32 tensor of the Arr's shape (rank 0 included, which {@code Conformance.tensor} turns into (1,)). */
    private static Tensor float32(Arr a) {
        return Tensor.wrap(a.toFloats(), Shape.of(a.shape()));
    }

    /** The same values under another shape (the keepdims statistics with their size-1 axes dropped). */
    private static Arr reshape(Arr a, int[] shape) {
        return new Arr(a.data(), shape, a.float64());
    }

    /**
     * True when some feature has a float32 variance near 0 (e.g. a single value per feature): there Keras's
     * float32 mean can be an ulp off and the 1e-7 floor magnifies it, so the comparison is meaningless.
     */
    private static boolean hasTinyVariance(Arr variance) {
        for (double v : variance.data()) {
            if (v < 1e-10) {
                return true;
            }
        }
        return false;
    }

    private static double relErr(Arr truth, Arr got) {
        double scale = 1e-30;
        double err = 0;
        for (int i = 0; i < truth.size(); i++) {
            scale = Math.max(scale, Math.abs(truth.data()[i]));
        }
        for (int i = 0; i < truth.size(); i++) {
            err = Math.max(err, Math.abs(truth.data()[i] - got.data()[i]));
        }
        return err / scale;
    }
}
