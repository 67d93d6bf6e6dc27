package org.norm4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Parallel;

/** {@code Linalg.matmul} with {@code transposeA}/{@code transposeB}: meaning, bits, threads, errors, gradients. */
class LinalgTest {
    private final int defaultThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(defaultThreads);
    }

    private static Tensor op(Tensor x, boolean t) {
        return t ? Manipulation.transpose(x) : x;
    }

    @Test
    void transposedOperandsGiveTheBitsOfAnExplicitTranspose() {
        int[][] shapes = {{1, 1, 1}, {3, 5, 2}, {32, 784, 128}, {32, 128, 784}, {784, 32, 128}, {32, 128, 10},
            {7, 40, 33}, {40, 7, 3}, {100, 64, 200}};
        long seed = 1;
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] s : shapes) {
                for (int f = 0; f < 4; f++) {
                    boolean ta = (f & 1) != 0;
                    boolean tb = (f & 2) != 0;
                    Tensor a = Tensor.randomNormal(dt, 0, 1, seed++, ta ? new int[] {s[1], s[0]} : new int[] {s[0], s[1]});
                    Tensor b = Tensor.randomNormal(dt, 0, 1, seed++, tb ? new int[] {s[2], s[1]} : new int[] {s[1], s[2]});
                    Tensor c = Linalg.matmul(a, b, ta, tb);
                    Tensor expected = Linalg.matmul(op(a, ta), op(b, tb));
                    String what = dt + " " + s[0] + "x" + s[1] + "x" + s[2] + " ta=" + ta + " tb=" + tb;
                    assertEquals(Shape.of(s[0], s[2]), c.shape(), what);
                    assertArrayEquals(expected.toDoubleArray(), c.toDoubleArray(), 0.0, what);
                }
            }
        }
    }

    @Test
    void productsWhosePackedOperandsExceedTheKeptScratch() {
        // a b^T with [70000, 32] = 2.2 M elements of c^T, and with few rows [2, 300000] = 1.2 M of packed b:
        // both above the 1 M elements the vector kernels keep per thread, so allocated per call
        Tensor a = Tensor.randomNormal(DType.FLOAT32, 0, 1, 11, 32, 2);
        Tensor b = Tensor.randomNormal(DType.FLOAT32, 0, 1, 12, 70000, 2);
        assertArrayEquals(Linalg.matmul(a, Manipulation.transpose(b)).toFloatArray(),
                Linalg.matmul(a, b, false, true).toFloatArray());
        Tensor a2 = Tensor.randomNormal(DType.FLOAT32, 0, 1, 13, 2, 4);
        Tensor b2 = Tensor.randomNormal(DType.FLOAT32, 0, 1, 14, 300000, 4);
        assertArrayEquals(Linalg.matmul(a2, Manipulation.transpose(b2)).toFloatArray(),
                Linalg.matmul(a2, b2, false, true).toFloatArray());
    }

    @Test
    void sameBitsOnOneAndManyThreads() {
        // 8.4 M multiply-adds: over the parallel threshold, so the rows are split into tasks
        Tensor a = Tensor.randomNormal(DType.FLOAT32, 0, 1, 3, 256, 512);
        Tensor b = Tensor.randomNormal(DType.FLOAT32, 0, 1, 4, 512, 64);
        Tensor bt = Manipulation.transpose(b);
        Tensor at = Manipulation.transpose(a);
        Parallel.setThreads(1);
        float[][] one = {Linalg.matmul(a, b).toFloatArray(), Linalg.matmul(a, bt, false, true).toFloatArray(),
            Linalg.matmul(at, b, true, false).toFloatArray(), Linalg.matmul(at, bt, true, true).toFloatArray()};
        for (int threads : new int[] {2, 3, 8}) {
            Parallel.setThreads(threads);
            float[][] many = {Linalg.matmul(a, b).toFloatArray(), Linalg.matmul(a, bt, false, true).toFloatArray(),
                Linalg.matmul(at, b, true, false).toFloatArray(), Linalg.matmul(at, bt, true, true).toFloatArray()};
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], many[i], "product " + i + " differs on " + threads + " threads");
                assertArrayEquals(one[0], many[i], "product " + i + " differs from a x b on " + threads + " threads");
            }
        }
    }

    @Test
    void mismatchedInnerDimensionsNameTheTransposedAxes() {
        Tensor a = Tensor.zeros(DType.FLOAT32, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Linalg.matmul(a, Tensor.zeros(DType.FLOAT32, 4, 2), false, true));
        assertTrue(e.getMessage().contains("expected b.shape[1] == a.shape[1] (3), got 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Linalg.matmul(a, Tensor.zeros(DType.FLOAT32, 3, 2), true, false));
        assertTrue(e.getMessage().contains("expected b.shape[0] == a.shape[0] (2), got 3"), e.getMessage());
        assertTrue(e.getMessage().contains("transposeA=true"), e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class, () -> Linalg.matmul(a, null, true, true));
        assertTrue(npe.getMessage().startsWith("b "), npe.getMessage());
    }

    @Test
    void denseGradientsEqualTheExplicitFormulas() {
        // y = x W; loss = sum(y * r): dW = x^T r, dx = r W^T, bit for bit with the transposed copies
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 1, 5, 32, 784);
        Tensor w = Tensor.randomNormal(DType.FLOAT32, 0, 1, 6, 784, 128);
        Tensor r = Tensor.randomNormal(DType.FLOAT32, 0, 1, 7, 32, 128);
        Tensor[] g;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x, w);
            Tensor loss = Reductions.sum(Linalg.matmul(x, w).mul(r), null, false);
            g = tape.gradient(loss, x, w);
        }
        assertArrayEquals(Linalg.matmul(r, Manipulation.transpose(w)).toFloatArray(), g[0].toFloatArray());
        assertArrayEquals(Linalg.matmul(Manipulation.transpose(x), r).toFloatArray(), g[1].toFloatArray());
    }
}
