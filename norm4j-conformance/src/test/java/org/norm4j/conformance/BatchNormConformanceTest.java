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

/**
 * tf.nn.batch_normalization, FusedBatchNormV3 (training and inference, NHWC and NCHW, exponential average
 * factor, one value per channel) and FusedBatchNormGradV3 against TensorFlow.
 *
 * <p>Tolerances relative to the largest |value| of each output (batch_normalization: of max(|x|, 1), the data's
 * scale, because {@code x*inv} and {@code mean*inv} cancel): float32 1e-5 for outputs, 2e-5 for the
 * gradients (their sums run over up to a few hundred elements, which TF accumulates in float), float64 1e-12
 * for batch_normalization. TensorFlow's fused ops are float32 only: norm4j's float64 fused results are
 * compared with TensorFlow's float32 results on the same (float32-representable) inputs at the float32
 * tolerance.
 */
class BatchNormConformanceTest {
    private static final int CASES = 300;

    @BeforeAll
    static void requireTf() {
        assumeTrue(Tf.available(), () -> "TensorFlow Java unavailable here: " + Tf.unavailableReason());
    }

    @AfterAll
    static void report() {
        if (Tf.available()) {
            Conformance.report("batch normalization");
        }
    }

    @Test
    void batchNormalization() {
        Random rnd = new Random(30);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int rank = 1 + rnd.nextInt(5);
            int[] dims = Conformance.randomDims(rnd, rank, 6);
            Tensor x = Conformance.data(rnd, dt, c % 5 == 0, dims);
            int[] pd;
            if (rnd.nextBoolean()) {
                pd = new int[] {dims[rank - 1]}; // the usual per-last-axis vector
            } else {
                pd = x.shape().reduce(x.shape().normalizeAxes(Conformance.randomAxes(rnd, rank), "axes"), true)
                        .dims();
            }
            Tensor mean = Tensor.randomNormal(dt, x.mean().item(), 1, rnd.nextLong(), pd);
            Tensor var = Tensor.randomUniform(dt, 0.1, 4, rnd.nextLong(), pd);
            Tensor offset = rnd.nextInt(3) == 0 ? null : Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), pd);
            Tensor scale = rnd.nextInt(3) == 0 ? null : Tensor.randomUniform(dt, 0.5, 2, rnd.nextLong(), pd);
            double eps = new double[] {1e-3, 1e-5, 1e-7, 0}[rnd.nextInt(4)];
            Tensor y = Nn.batchNormalization(x, mean, var, offset, scale, eps);
            Arr ty = Tf.batchNormalization(arr(x), arr(mean), arr(var), offset == null ? null : arr(offset),
                    scale == null ? null : arr(scale), eps);
            // x*inv and mean*inv are large for offset data and cancel (in TF as here): the error is relative
            // to the data's scale, max(|x|, 1)
            double xs = Math.max(1, Math.max(Math.abs(x.max().item()), Math.abs(x.min().item())));
            assertConforms("batch_normalization " + dt.pyName(), ty, y, dt == DType.FLOAT32 ? 1e-5 : 1e-12, xs);
        }
    }

    @Test
    void fusedBatchNormForwardAndGradient() {
        Random rnd = new Random(31);
        for (int c = 0; c < CASES; c++) {
            boolean nchw = c % 2 == 1;
            boolean training = c % 4 < 2;
            DType dt = c % 8 < 4 ? DType.FLOAT32 : DType.FLOAT64;
            int n = 1 + rnd.nextInt(4);
            int h = 1 + rnd.nextInt(6);
            int w = 1 + rnd.nextInt(6);
            int ch = 1 + rnd.nextInt(7);
            if (c % 50 == 0) {
                n = 1;
                h = 1;
                w = 1; // one value per channel
            }
            int[] dims = nchw ? new int[] {n, ch, h, w} : new int[] {n, h, w, ch};
            String fmt = nchw ? "NCHW" : "NHWC";
            boolean ill = c % 10 == 3;
            Tensor x = Conformance.data(rnd, DType.FLOAT32, ill, dims).asType(dt);
            Tensor scale = Tensor.randomUniform(DType.FLOAT32, 0.5, 2, rnd.nextLong(), ch).asType(dt);
            Tensor offset = Tensor.randomNormal(DType.FLOAT32, 0, 1, rnd.nextLong(), ch).asType(dt);
            double factor = training && rnd.nextBoolean() ? rnd.nextDouble() : 1.0;
            boolean needStats = !training || factor != 1.0;
            double xm = x.mean().item();
            double xv = Math.max(1e-6, x.variance().item());
            Tensor mean = needStats ? Tensor.randomNormal(DType.FLOAT32, xm, Math.sqrt(xv), rnd.nextLong(), ch)
                    .asType(dt) : null;
            Tensor var = needStats ? Tensor.randomUniform(DType.FLOAT32, 0.5 * xv, 2 * xv, rnd.nextLong(), ch)
                    .asType(dt) : null;
            double eps = new double[] {1e-3, 1e-4, 1.001e-5}[rnd.nextInt(3)];
            String tag = (training ? "train " : "infer ") + dt.pyName() + (ill ? " ill-conditioned" : "");

            Nn.FusedBatchNormResult r = Nn.fusedBatchNorm(x, scale, offset, mean, var, eps, fmt, training, factor);
            Tf.FusedBatchNormResult t = Tf.fusedBatchNorm(f32(x), f32(scale), f32(offset), mean == null ? null
                    : f32(mean), var == null ? null : f32(var), eps, factor, fmt, training);
            // float32 cannot hold a mean of 1e4 std closer than about 6e-4 std (in TF as here), so on offset data
            // the normalized output agrees only to that
            double yTol = ill && training ? 2e-3 : 1e-5;
            assertConforms("fused_batch_norm y " + tag, t.y(), r.y(), yTol, 1);
            assertConforms("fused_batch_norm batch_mean " + tag, t.batchMean(), r.batchMean(), 1e-5, 1e-30);
            assertConforms("fused_batch_norm batch_variance " + tag, t.batchVariance(), r.batchVariance(),
                    ill && training ? 2e-2 : 1e-5, 1e-30);
            assertConforms("fused_batch_norm reserve_space_1 " + tag, t.reserveSpace1(), r.reserveSpace1(), 1e-5, 1e-30);

            Tensor dy = Tensor.randomNormal(DType.FLOAT32, 0, 1, rnd.nextLong(), dims).asType(dt);
            // each side's gradient from its own forward reserve spaces, as a user would call them
            Nn.FusedBatchNormGradResult g = Nn.fusedBatchNormGrad(dy, x, scale, r.reserveSpace1(), r.reserveSpace2(),
                    eps, fmt, training);
            Tf.FusedBatchNormGradResult tg = Tf.fusedBatchNormGrad(f32(dy), f32(x), f32(scale), t.reserveSpace1(),
                    t.reserveSpace2(), eps, fmt, training);
            if (ill && training) {
                continue; // TF's float32 reserve spaces are off on offset data; gradients inherit it
            }
            // dx is a difference of terms of size |dy| * scale * rsqrt(var + eps): that is its scale
            double gain = 0;
            for (int i = 0; i < ch; i++) {
                gain = Math.max(gain, Math.abs(scale.getDouble(i)) / Math.sqrt(t.reserveSpace2().data()[i] + eps));
            }
            double dxScale = gain * Math.max(Math.abs(dy.max().item()), Math.abs(dy.min().item()));
            assertConforms("fused_batch_norm_grad x " + tag, tg.xBackprop(), g.xBackprop(), 2e-5, dxScale);
            assertConforms("fused_batch_norm_grad scale " + tag, tg.scaleBackprop(), g.scaleBackprop(), 2e-5, 1e-30);
            assertConforms("fused_batch_norm_grad offset " + tag, tg.offsetBackprop(), g.offsetBackprop(), 2e-5, 1e-30);
        }
    }

    private static Arr f32(Tensor t) {
        return arr(t.asType(DType.FLOAT32));
    }
}
