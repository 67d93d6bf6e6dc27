package org.norm4j.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.norm4j.conformance.Conformance.arr;
import static org.norm4j.conformance.Conformance.assertConforms;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.conformance.Tf.Arr;
import org.norm4j.conformance.Tf.Fn;
import org.norm4j.conformance.Tf.GradParams;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.BatchNormalization.Convention;

/**
 * The BatchNormalization layer against TensorFlow 2.18.
 *
 * <ul>
 *   <li>Training, rank 4 in both data formats (NHWC with {@code axis=-1}, NCHW with {@code axis=1}): the output
 *       and the gradients of x, gamma and beta (through norm4j's {@link GradientTape}) against the raw ops
 *       {@code FusedBatchNormV3} / {@code FusedBatchNormGradV3}; the moving statistics after the step against
 *       {@code FusedBatchNormV3}'s running averages ({@code exponential_avg_factor = 1 - momentum}) under
 *       {@link Convention#TF_FUSED}, and against Keras's update of TF's biased batch variance under
 *       {@link Convention#KERAS}.</li>
 *   <li>Training, rank 2 to 5 with other axes (any single axis, and several kept axes): the output and gradients
 *       against the TF composition Keras runs, {@code tf.nn.moments(keepdims)} + {@code tf.nn.batch_normalization},
 *       differentiated by TF's graph gradients (the gradient of x sums the direct term and the terms through the
 *       mean and the variance), float32 and float64.</li>
 *   <li>Inference with random moving statistics: output and gradients against {@code tf.nn.batch_normalization}
 *       with the moving mean and variance.</li>
 * </ul>
 *
 * <p>Tolerances, relative to the largest |value| of each TF output (outputs: of {@code max(|x|, 1)} too, since the
 * composition's {@code x*inv} and {@code mean*inv} cancel): float32 outputs 1e-5 (2e-3 on ill-conditioned data,
 * mean 1e4 times the std, where TF's float32 batch statistics drift), float32 gradients 1e-4 (fused: 2e-5),
 * float64 outputs and gradients of x 1e-10; float64 gradients of gamma and beta 1e-6 (the weights are float32,
 * so their gradients are rounded to float32); moving statistics 1e-5 (2e-2 on ill-conditioned data). Gradients of
 * x are relative to at least the size of their terms, {@code max|dy| * max(gamma / sqrt(var + eps))}, because
 * dx cancels to ~0 with two values per channel. On ill-conditioned data TF's float32 training gradients are not
 * compared (its reserve spaces drift), and in inference the reference is TF in float64 on the same inputs (TF's
 * float32 gradient of gamma cancels there).
 */
class BatchNormalizationConformanceTest {
    private static final int CASES = 150;

    @BeforeAll
    static void requireTf() {
        assumeTrue(Tf.available(), () -> "TensorFlow Java unavailable here: " + Tf.unavailableReason());
    }

    @AfterAll
    static void report() {
        if (Tf.available()) {
            Conformance.report("BatchNormalization layer");
        }
    }

    /** The layer's output and gradients of x, gamma, beta for upstream gradient dy. */
    private record Run(Tensor y, Tensor dx, Tensor dGamma, Tensor dBeta) {
    }

    private static Run run(BatchNormalization bn, Tensor x, Tensor dy, boolean training) {
        try (GradientTape tape = GradientTape.persistent()) {
            tape.watch(x);
            Tensor y = bn.apply(x, training);
            Tensor dx = tape.gradient(y, new Tensor[] {x}, dy)[0];
            List<Tensor> g = tape.gradient(y, List.of(bn.gamma(), bn.beta()), dy,
                    GradientTape.UnconnectedGradients.NONE);
            return new Run(y, dx, g.get(0), g.get(1));
        }
    }

    /** A built layer with random gamma and beta (float32 weights). */
    private static BatchNormalization layer(BatchNormalization.Builder b, int[] dims, Random rnd) {
        BatchNormalization bn = b.build();
        bn.buildFor(dims);
        int[] ps = bn.gamma().shape().dims();
        bn.gamma().assign(Tensor.randomUniform(DType.FLOAT32, 0.5, 2, rnd.nextLong(), ps));
        bn.beta().assign(Tensor.randomNormal(DType.FLOAT32, 0, 1, rnd.nextLong(), ps));
        return bn;
    }

    private static Arr f32(Tensor t) {
        return arr(t.asType(DType.FLOAT32));
    }

    /** A variable's value as an Arr of {@code shape} (same row-major order) in the dtype {@code dt}. */
    private static Arr param(Variable v, int[] shape, DType dt) {
        return arr(v.value().asType(dt).reshape(shape));
    }

    private static double scale(Tensor x) {
        return Math.max(1, Math.max(Math.abs(x.max().item()), Math.abs(x.min().item())));
    }

    @Test
    void trainingMatchesFusedBatchNormInBothDataFormats() {
        Random rnd = new Random(70);
        for (int c = 0; c < CASES; c++) {
            boolean nchw = c % 2 == 1;
            boolean fusedConvention = c % 4 < 2;
            boolean ill = c % 5 == 2;
            int n = 1 + rnd.nextInt(4);
            int h = 1 + rnd.nextInt(5);
            int w = 1 + rnd.nextInt(5);
            int ch = 1 + rnd.nextInt(6);
            if (n * h * w == 1) {
                w = 2; // FusedBatchNormGradV3 and the Bessel factor need two values per channel
            }
            int[] dims = nchw ? new int[] {n, ch, h, w} : new int[] {n, h, w, ch};
            String fmt = nchw ? "NCHW" : "NHWC";
            double eps = new double[] {1e-3, 1e-4, 1.001e-5}[rnd.nextInt(3)];
            double momentum = new double[] {0.99, 0.9, 0.5}[rnd.nextInt(3)];
            Tensor x = Conformance.data(rnd, DType.FLOAT32, ill, dims);
            Tensor dy = Tensor.randomNormal(DType.FLOAT32, 0, 1, rnd.nextLong(), dims);
            BatchNormalization bn = layer(BatchNormalization.builder().axis(nchw ? 1 : -1).epsilon(eps)
                    .momentum(momentum).convention(fusedConvention ? Convention.TF_FUSED : Convention.KERAS), dims,
                    rnd);
            double xm = x.mean().item();
            double xv = Math.max(1e-6, x.variance().item());
            bn.movingMean().assign(Tensor.randomNormal(DType.FLOAT32, xm, Math.sqrt(xv), rnd.nextLong(), ch));
            bn.movingVariance().assign(Tensor.randomUniform(DType.FLOAT32, 0.5 * xv, 2 * xv, rnd.nextLong(), ch));
            Arr mean0 = arr(bn.movingMean().value());
            Arr var0 = arr(bn.movingVariance().value());
            Arr gamma = arr(bn.gamma().value());
            Run r = run(bn, x, dy, true);
            String tag = fmt + (ill ? " ill-conditioned" : "");

            Tf.FusedBatchNormResult t = Tf.fusedBatchNorm(f32(x), gamma, arr(bn.beta().value()), mean0, var0, eps,
                    1.0 - momentum, fmt, true);
            if (!ill) {
                assertConforms("training y vs FusedBatchNormV3 " + tag, t.y(), r.y(), 1e-5, 1);
            } else {
                // TF's float32 batch statistics drift on offset data (errors up to ~1e-2 of the output): the
                // reference is TF's composition in float64 on the same inputs
                int[] keep = nchw ? new int[] {1, ch, 1, 1} : new int[] {1, 1, 1, ch};
                Reference ref = composition(arr(x.asType(DType.FLOAT64)), nchw ? new int[] {0, 2, 3}
                        : new int[] {0, 1, 2}, param(bn.gamma(), keep, DType.FLOAT64), param(bn.beta(), keep,
                        DType.FLOAT64), arr(dy.asType(DType.FLOAT64)), eps);
                String t64 = tag + " vs TF float64 moments+batch_normalization";
                assertConforms("training y " + t64, ref.y(), r.y(), 1e-5, 1);
                assertConforms("training dx " + t64, ref.dx(), r.dx(), 1e-4, termScale(dy, gamma, ref.variance(), eps));
                assertConforms("training dgamma " + t64, reshape(ref.dGamma(), new int[] {ch}), r.dGamma(), 1e-4, 1e-30);
                assertConforms("training dbeta " + t64, reshape(ref.dBeta(), new int[] {ch}), r.dBeta(), 1e-4, 1e-30);
            }
            assertConforms("moving_mean vs FusedBatchNormV3 " + tag, t.batchMean(), bn.movingMean().value(), 1e-5, 1e-30);
            if (fusedConvention) {
                assertConforms("moving_variance TF_FUSED vs FusedBatchNormV3 " + tag, t.batchVariance(),
                        bn.movingVariance().value(), ill ? 2e-2 : 1e-5, 1e-30);
            } else {
                double[] keras = new double[ch];
                for (int i = 0; i < ch; i++) {
                    keras[i] = var0.data()[i] * momentum + t.reserveSpace2().data()[i] * (1 - momentum);
                }
                assertConforms("moving_variance KERAS vs Keras update of TF's biased variance " + tag, Arr.f32(new int[] {ch},
                        keras), bn.movingVariance().value(), ill ? 2e-2 : 1e-5, 1e-30);
            }
            if (ill) {
                continue; // TF's float32 reserve spaces are off on offset data; its gradients inherit that
            }
            Tf.FusedBatchNormGradResult g = Tf.fusedBatchNormGrad(f32(dy), f32(x), gamma, t.reserveSpace1(),
                    t.reserveSpace2(), eps, fmt, true);
            assertConforms("training dx vs FusedBatchNormGradV3 " + tag, g.xBackprop(), r.dx(), 2e-5,
                    termScale(dy, gamma, t.reserveSpace2(), eps));
            assertConforms("training dgamma vs FusedBatchNormGradV3 " + tag, g.scaleBackprop(), r.dGamma(), 2e-5, 1e-30);
            assertConforms("training dbeta vs FusedBatchNormGradV3 " + tag, g.offsetBackprop(), r.dBeta(), 2e-5, 1e-30);
        }
    }

    @Test
    void trainingMatchesMomentsPlusBatchNormalizationForOtherRanksAndAxes() {
        Random rnd = new Random(71);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int rank = 2 + rnd.nextInt(c % 3 == 0 ? 4 : 2); // mostly rank 2 and 3
            int[] dims = Conformance.randomDims(rnd, rank, 5);
            dims[0] = 2 + rnd.nextInt(6);
            int[] kept = keptAxes(rnd, rank);
            BatchNormalization.Builder b = BatchNormalization.builder().epsilon(1e-3);
            if (kept.length == 1) {
                b.axis(rnd.nextBoolean() ? kept[0] : kept[0] - rank);
            } else {
                b.axis(kept);
            }
            BatchNormalization bn = layer(b, dims, rnd);
            Tensor x = Conformance.data(rnd, dt, false, dims);
            Tensor dy = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), dims);
            Run r = run(bn, x, dy, true);
            int[] reduced = complement(kept, rank);
            int[] keepShape = x.shape().reduce(reduced, true).dims();
            String tag = (rank <= 3 ? "rank 2-3" : "rank 4-5") + (kept.length > 1 ? " several axes " : " one axis ")
                    + dt.pyName();

            Arr gamma = param(bn.gamma(), keepShape, dt);
            Arr beta = param(bn.beta(), keepShape, dt);
            Reference ref = composition(arr(x), reduced, gamma, beta, arr(dy), 1e-3);
            assertConforms("training y vs moments+batch_normalization " + tag, ref.y(), r.y(),
                    dt == DType.FLOAT32 ? 1e-5 : 1e-10, scale(x));
            double gtol = dt == DType.FLOAT32 ? 1e-4 : 1e-10;
            assertConforms("training dx vs graph gradients of the composition " + tag, ref.dx(), r.dx(), gtol,
                    termScale(dy, gamma, ref.variance(), 1e-3));
            int[] ps = bn.gamma().shape().dims();
            double ptol = dt == DType.FLOAT32 ? 1e-4 : 1e-6;
            assertConforms("training dgamma vs graph gradients of the composition " + tag, reshape(ref.dGamma(), ps),
                    r.dGamma(), ptol, 1e-30);
            assertConforms("training dbeta vs graph gradients of the composition " + tag, reshape(ref.dBeta(), ps), r.dBeta(),
                    ptol, 1e-30);
        }
    }

    @Test
    void inferenceMatchesBatchNormalizationWithMovingStatistics() {
        Random rnd = new Random(72);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int rank = 2 + rnd.nextInt(4);
            int[] dims = Conformance.randomDims(rnd, rank, 5);
            int[] kept = keptAxes(rnd, rank);
            BatchNormalization.Builder b = BatchNormalization.builder().epsilon(new double[] {1e-3, 1e-5}[c % 2]);
            if (kept.length == 1) {
                b.axis(kept[0]);
            } else {
                b.axis(kept);
            }
            BatchNormalization bn = layer(b, dims, rnd);
            boolean ill = c % 7 == 3;
            Tensor x = Conformance.data(rnd, dt, ill, dims);
            int[] ps = bn.gamma().shape().dims();
            double xm = x.mean().item();
            double xv = Math.max(1e-6, x.variance().item());
            bn.movingMean().assign(Tensor.randomNormal(DType.FLOAT32, xm, Math.sqrt(xv), rnd.nextLong(), ps));
            bn.movingVariance().assign(Tensor.randomUniform(DType.FLOAT32, 0.5 * xv, 2 * xv, rnd.nextLong(), ps));
            Tensor dy = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), dims);
            Run r = run(bn, x, dy, false);
            int[] keepShape = x.shape().reduce(complement(kept, rank), true).dims();
            // on offset data TF's float32 gradient of gamma, sum(dy*x*r) - sum(dy*mean*r), cancels badly: there
            // the reference is TF in float64 on the same inputs
            DType tfType = ill ? DType.FLOAT64 : dt;
            String tag = dt.pyName() + (ill ? " ill-conditioned (TF in float64)" : "");
            Arr mm = param(bn.movingMean(), keepShape, tfType);
            Arr mv = param(bn.movingVariance(), keepShape, tfType);
            Arr gamma = param(bn.gamma(), keepShape, tfType);
            Arr beta = param(bn.beta(), keepShape, tfType);
            double eps = bn.epsilon();
            Arr y = Tf.batchNormalization(arr(x.asType(tfType)), mm, mv, beta, gamma, eps);
            assertConforms("inference y vs batch_normalization(moving stats) " + tag, y, r.y(),
                    dt == DType.FLOAT32 ? 1e-5 : 1e-10, scale(x));
            Tf.GradResult g = Tf.gradients(Fn.BATCH_NORMALIZATION, GradParams.batchNorm(eps), arr(dy.asType(tfType)),
                    arr(x.asType(tfType)), mm, mv, beta, gamma);
            assertConforms("inference dx vs graph gradients " + tag, g.grad(0), r.dx(), dt == DType.FLOAT32 ? 1e-4 : 1e-10,
                    1e-30);
            double ptol = dt == DType.FLOAT32 ? 1e-4 : 1e-6;
            assertConforms("inference dgamma vs graph gradients " + tag, reshape(g.grad(4), ps), r.dGamma(), ptol, 1e-30);
            assertConforms("inference dbeta vs graph gradients " + tag, reshape(g.grad(3), ps), r.dBeta(), ptol, 1e-30);
        }
    }

    /** TF's output and graph gradients of moments(keepdims) + batch_normalization with gamma and beta. */
    private record Reference(Arr y, Arr dx, Arr dGamma, Arr dBeta, Arr variance) {
    }

    /**
     * The composition Keras runs, {@code tf.nn.moments(x, reduced, keepdims=True)} then
     * {@code tf.nn.batch_normalization}, and its gradients for upstream {@code dy}: the gradient of x sums the
     * direct term and the terms through the mean and the variance. gamma and beta have the keep-dims shape.
     */
    private static Reference composition(Arr x, int[] reduced, Arr gamma, Arr beta, Arr dy, double eps) {
        Tf.Moments m = Tf.moments(x, reduced, true);
        Arr y = Tf.batchNormalization(x, m.mean(), m.variance(), beta, gamma, eps);
        Tf.GradResult g = Tf.gradients(Fn.BATCH_NORMALIZATION, GradParams.batchNorm(eps), dy, x, m.mean(),
                m.variance(), beta, gamma);
        Arr viaMean = Tf.gradients(Fn.MOMENTS_MEAN, GradParams.moments(reduced, true), g.grad(1), x).grad(0);
        Arr viaVar = Tf.gradients(Fn.MOMENTS_VARIANCE, GradParams.moments(reduced, true), g.grad(2), x).grad(0);
        return new Reference(y, Tf.add(Tf.add(g.grad(0), viaMean), viaVar), g.grad(4), g.grad(3), m.variance());
    }

    /** One kept axis (not the batch axis) most of the time, else two or more. */
    private static int[] keptAxes(Random rnd, int rank) {
        if (rank == 2 || rnd.nextInt(3) > 0) {
            return new int[] {1 + rnd.nextInt(rank - 1)};
        }
        List<Integer> list = new java.util.ArrayList<>();
        for (int i = 1; i < rank; i++) {
            if (rnd.nextBoolean()) {
                list.add(i);
            }
        }
        if (list.size() < 2) {
            list = List.of(1, rank - 1);
        }
        return list.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] complement(int[] kept, int rank) {
        boolean[] k = new boolean[rank];
        for (int a : kept) {
            k[a] = true;
        }
        return java.util.stream.IntStream.range(0, rank).filter(i -> !k[i]).toArray();
    }

    /**
     * The size of the terms of dx, {@code max|dy| * max(|gamma| / sqrt(var + eps))}: the error floor where dx
     * cancels to near zero (two values per channel, where the normalized values are +-1, give dx ~ 0); elsewhere
     * |dx| is of this size and the floor changes nothing.
     */
    private static double termScale(Tensor dy, Arr gamma, Arr variance, double eps) {
        double g = 0;
        for (int i = 0; i < gamma.size(); i++) {
            g = Math.max(g, Math.abs(gamma.data()[i]) / Math.sqrt(variance.data()[i] + eps));
        }
        return Math.max(1e-30, scale(dy.abs()) * g);
    }

    private static Arr reshape(Arr a, int[] shape) {
        return new Arr(a.data(), shape, a.float64());
    }
}
