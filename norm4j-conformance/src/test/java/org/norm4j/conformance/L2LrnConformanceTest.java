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
 * l2_normalize, LRN and LRNGrad against TensorFlow. Tolerances relative to the largest |value| of the
 * output: float32 1e-5 (LRNGrad 2e-5), float64 1e-12. LRN is float32-only in TensorFlow; norm4j's float64
 * LRN is compared at the float32 tolerance.
 */
class L2LrnConformanceTest {
    private static final int CASES = 300;

    @BeforeAll
    static void requireTf() {
        assumeTrue(Tf.available(), () -> "TensorFlow Java unavailable here: " + Tf.unavailableReason());
    }

    @AfterAll
    static void report() {
        if (Tf.available()) {
            Conformance.report("l2 and local response normalization");
        }
    }

    @Test
    void l2Normalize() {
        Random rnd = new Random(40);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int rank = 1 + rnd.nextInt(5);
            Tensor x = Conformance.data(rnd, dt, c % 6 == 0, Conformance.randomDims(rnd, rank, 6));
            if (c % 25 == 0) {
                x = x.mul(1e-9); // below the epsilon floor
            }
            int[] axes = rnd.nextInt(4) == 0 ? null : Conformance.randomAxes(rnd, rank);
            double eps = rnd.nextBoolean() ? 1e-12 : 1e-3;
            assertConforms("l2_normalize " + dt.pyName(), Tf.l2Normalize(arr(x), axes, eps), Nn.l2Normalize(x, axes, eps),
                    dt == DType.FLOAT32 ? 1e-5 : 1e-12, 1e-30);
        }
    }

    @Test
    void lrnForwardAndGradient() {
        Random rnd = new Random(41);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 4 == 3 ? DType.FLOAT64 : DType.FLOAT32;
            int[] dims = {1 + rnd.nextInt(3), 1 + rnd.nextInt(4), 1 + rnd.nextInt(4), 1 + rnd.nextInt(12)};
            Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, Math.pow(10, rnd.nextInt(3) - 1), rnd.nextLong(), dims)
                    .asType(dt);
            int r = rnd.nextInt(7);
            double bias = 0.5 + 1.5 * rnd.nextDouble();
            double alpha = new double[] {1, 1e-4, 0.3}[rnd.nextInt(3)];
            double beta = new double[] {0.5, 0.75, 1, 0.3}[rnd.nextInt(4)];
            Tensor y = Nn.localResponseNormalization(x, r, bias, alpha, beta);
            Arr x32 = arr(x.asType(DType.FLOAT32));
            Arr ty = Tf.lrn(x32, r, bias, alpha, beta);
            assertConforms("lrn " + dt.pyName(), ty, y, 1e-5, 1e-30);
            Tensor dy = Tensor.randomNormal(DType.FLOAT32, 0, 1, rnd.nextLong(), dims).asType(dt);
            // both gradients evaluated at TF's forward output, so only the gradient kernels differ
            Tensor g = Nn.localResponseNormalizationGrad(dy, x, Conformance.tensor(ty).asType(dt), r, bias, alpha,
                    beta);
            assertConforms("lrn_grad " + dt.pyName(), Tf.lrnGrad(arr(dy.asType(DType.FLOAT32)), x32, ty, r, bias, alpha,
                    beta), g, 2e-5, 1e-30);
        }
    }
}
