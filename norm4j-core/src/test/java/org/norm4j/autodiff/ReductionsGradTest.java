package org.norm4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.ops.Linalg;
import org.norm4j.ops.Manipulation;
import org.norm4j.ops.Reductions;
import org.opentest4j.AssertionFailedError;

/**
 * Finite-difference checks (float64, see {@link GradCheck}) of the reductions, the manipulations and
 * {@code matmul}, over random shapes, axes (negative ones included) and keepDims.
 */
class ReductionsGradTest {
    private interface Reduction {
        Tensor apply(Tensor x, int[] axes, boolean keepDims);
    }

    private static void reduction(String name, Reduction op, int minDim) {
        Random rnd = new Random(name.hashCode());
        for (int t = 0; t < 16; t++) {
            int rank = 1 + rnd.nextInt(4);
            int[] dims = GradCheck.dims(rnd, rank, 4 - minDim + 1);
            for (int i = 0; i < rank; i++) {
                dims[i] += minDim - 1;
            }
            int[] axes = randomAxes(rnd, rank);
            boolean keep = rnd.nextBoolean();
            Tensor x = GradCheck.normal(rnd, dims);
            GradCheck.check(name + " " + x.shape() + " axes " + Arrays.toString(axes) + " keep " + keep,
                    in -> op.apply(in[0], axes, keep), x);
        }
    }

    /** A random non-empty subset of the axes (sometimes negative), or null for all. */
    private static int[] randomAxes(Random rnd, int rank) {
        if (rnd.nextInt(5) == 0) {
            return null;
        }
        int[] all = new int[rank];
        int n = 0;
        for (int a = 0; a < rank; a++) {
            if (rnd.nextBoolean()) {
                all[n++] = rnd.nextBoolean() ? a : a - rank;
            }
        }
        if (n == 0) {
            all[n++] = rnd.nextInt(rank);
        }
        return Arrays.copyOf(all, n);
    }

    @Test
    void sumAndMean() {
        reduction("sum", Reductions::sum, 1);
        reduction("mean", Reductions::mean, 1);
    }

    @Test
    void maxAndMin() {
        reduction("max", Reductions::max, 1);
        reduction("min", Reductions::min, 1);
    }

    @Test
    void varianceAndStd() {
        reduction("variance", Reductions::variance, 1);
        // std is not differentiable where it is 0 (a single element per group): NaN there, as in TF
        reduction("std", Reductions::std, 2);
    }

    @Test
    void maxSharesTheGradientBetweenTiesLikeTf() {
        Tensor x = Tensor.of(new double[] {1, 3, 3, 2, 0, 0}, 2, 3);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor g = tape.gradient(Reductions.max(x, new int[] {1}, false), x)[0];
            assertArrayEquals(new double[] {0, 0.5, 0.5, 1, 0, 0}, g.toDoubleArray());
        }
    }

    @Test
    void reshapeTransposeSliceBroadcastTo() {
        Random rnd = new Random(3);
        for (int t = 0; t < 10; t++) {
            int rank = 1 + rnd.nextInt(4);
            int[] dims = GradCheck.dims(rnd, rank, 4);
            Tensor x = GradCheck.normal(rnd, dims);
            GradCheck.check("reshape " + x.shape(), in -> in[0].reshape(-1), x);
            GradCheck.check("reshape to 2 " + x.shape(), in -> in[0].reshape(dims[0], -1), x);
            int[] perm = shuffled(rnd, rank);
            GradCheck.check("transpose " + x.shape() + Arrays.toString(perm), in -> in[0].transpose(perm), x);
            int start = rnd.nextInt(dims[0]);
            int end = start + 1 + rnd.nextInt(dims[0] - start);
            GradCheck.check("slice " + x.shape() + " [" + start + "," + end + ")", in -> in[0].slice(start, end), x);
            int[] target = new int[rank + 1];
            target[0] = 2;
            System.arraycopy(dims, 0, target, 1, rank);
            Tensor ones = GradCheck.normal(rnd, oneAt(dims, rnd.nextInt(rank)));
            GradCheck.check("broadcastTo " + ones.shape() + " -> " + Arrays.toString(target),
                    in -> Manipulation.broadcastTo(in[0], target), ones);
        }
    }

    private static int[] oneAt(int[] dims, int axis) {
        int[] d = dims.clone();
        d[axis] = 1;
        return d;
    }

    private static int[] shuffled(Random rnd, int n) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    @Test
    void sliceOfSliceIsTwiceDifferentiable() {
        Tensor x = GradCheck.normal(new Random(9), 5, 3);
        GradCheck.checkSecondOrder("slice then square", v -> v.slice(1, 4).square(), x, 1e-6, 1e-8);
    }

    @Test
    void castPassesTheGradientBackInTheSourceDtype() {
        Tensor x = Tensor.of(new float[] {1, 2, 3}, 3);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = x.asType(DType.FLOAT64).square().sum();
            Tensor g = tape.gradient(y, x)[0];
            assertEquals(DType.FLOAT32, g.dtype());
            assertArrayEquals(new float[] {2, 4, 6}, g.toFloatArray());
        }
        Tensor d = Tensor.of(new double[] {0.5, -1.5});
        try (GradientTape tape = new GradientTape()) {
            tape.watch(d);
            Tensor g = tape.gradient(d.asType(DType.FLOAT32).square().sum(), d)[0];
            assertEquals(DType.FLOAT64, g.dtype());
            assertArrayEquals(new double[] {1, -3}, g.toDoubleArray());
        }
    }

    @Test
    void matmul() {
        Random rnd = new Random(4);
        for (int t = 0; t < 8; t++) {
            int m = 1 + rnd.nextInt(5);
            int k = 1 + rnd.nextInt(5);
            int n = 1 + rnd.nextInt(5);
            GradCheck.check("matmul " + m + "x" + k + "x" + n, in -> Linalg.matmul(in[0], in[1]),
                    GradCheck.normal(rnd, m, k), GradCheck.normal(rnd, k, n));
        }
        GradCheck.checkSecondOrder("matmul second order", v -> Linalg.matmul(v, v.transpose()).square(),
                GradCheck.normal(rnd, 3, 2), 1e-6, 1e-8);
    }

    @Test
    void theOracleCatchesAWrongGradient() {
        // a deliberately wrong backward (2g instead of g): the finite-difference check must fail
        assertThrows(AssertionFailedError.class, () -> GradCheck.check("wrong", in -> {
            Tensor y = Tensor.of(in[0].toDoubleArray(), in[0].shape().dims());
            GradientTape.record("Wrong", y, (g, need) -> new Tensor[] {g.mul(2.0)}, in[0]);
            return y;
        }, Tensor.of(new double[] {1, 2})));
    }
}
