package org.norm4j.autodiff;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.norm4j.Tensor;
import org.norm4j.ops.Linalg;

/**
 * Finite-difference checks of {@code Linalg.matmul} with transposed operands (TensorFlow's {@code
 * transpose_a}/{@code transpose_b} gradients), for shapes small enough for the scalar code and large enough
 * (over a float64 vector of rows or columns) for each vector path. The assertions are in {@link GradCheck}: every
 * input must be float64, and each analytic gradient must agree with central differences within its tolerances
 * (first order: {@code GradCheck.RTOL} / {@code ATOL}; second order: the tolerances passed here).
 */
class LinalgGradTest {

    @Test
    void everyTransposeCombination() {
        Random rnd = new Random(8);
        int[][] shapes = {{1, 1, 1}, {3, 2, 4}, {5, 4, 3}, {9, 3, 2}, {2, 5, 11}, {12, 6, 10}, {17, 3, 9}};
        for (int[] s : shapes) {
            int m = s[0];
            int k = s[1];
            int n = s[2];
            for (int f = 0; f < 4; f++) {
                boolean ta = (f & 1) != 0;
                boolean tb = (f & 2) != 0;
                Tensor a = ta ? GradCheck.normal(rnd, k, m) : GradCheck.normal(rnd, m, k);
                Tensor b = tb ? GradCheck.normal(rnd, n, k) : GradCheck.normal(rnd, k, n);
                GradCheck.check("matmul " + m + "x" + k + "x" + n + " ta=" + ta + " tb=" + tb,
                        in -> Linalg.matmul(in[0], in[1], ta, tb), a, b);
            }
        }
    }

    @Test
    void secondOrderThroughTransposedProducts() {
        Random rnd = new Random(9);
        GradCheck.checkSecondOrder("x x^T", v -> Linalg.matmul(v, v, false, true).square(),
                GradCheck.normal(rnd, 3, 2), 1e-6, 1e-8);
        GradCheck.checkSecondOrder("x^T x", v -> Linalg.matmul(v, v, true, false).square(),
                GradCheck.normal(rnd, 3, 2), 1e-6, 1e-8);
        GradCheck.checkSecondOrder("x^T x^T", v -> Linalg.matmul(v, v, true, true).square(),
                GradCheck.normal(rnd, 3, 3), 1e-6, 1e-8);
    }
}
