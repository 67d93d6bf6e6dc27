package org.norm4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Naive;
import org.norm4j.Shape;
import org.norm4j.Tensor;

class ElementwiseTest {

    /** Random pairs of broadcast-compatible shapes: each dim of b is the same, 1, or missing on the left. */
    @Test
    void broadcastingMatchesNaiveIndexing() {
        Random rnd = new Random(1);
        for (int trial = 0; trial < 300; trial++) {
            int rank = 1 + rnd.nextInt(5);
            int[] out = Naive.randomDims(rnd, rank, 5);
            int[] ad = out.clone();
            int[] bd = out.clone();
            for (int i = 0; i < rank; i++) {
                if (rnd.nextInt(3) == 0) {
                    ad[i] = 1;
                } else if (rnd.nextInt(3) == 0) {
                    bd[i] = 1;
                }
            }
            int drop = rnd.nextInt(rank);
            int[] bTrim = java.util.Arrays.copyOfRange(bd, drop, rank);
            DType dt = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            Tensor a = Tensor.randomNormal(dt, 0, 1, trial, ad);
            Tensor b = Tensor.randomUniform(dt, 0.5, 2, trial + 1000, bTrim);
            check(a, b, Elementwise.add(a, b), (x, y) -> x + y, dt);
            check(a, b, Elementwise.sub(a, b), (x, y) -> x - y, dt);
            check(a, b, Elementwise.mul(a, b), (x, y) -> x * y, dt);
            check(a, b, Elementwise.div(a, b), (x, y) -> x / y, dt);
            check(a, b, Elementwise.maximum(a, b), Math::max, dt);
            check(b, a, Elementwise.minimum(b, a), Math::min, dt);
            check(a, b, Elementwise.squaredDifference(a, b), (x, y) -> (x - y) * (x - y), dt);
            check(b, a, Elementwise.pow(b, a), Math::pow, dt);
        }
    }

    private static void check(Tensor a, Tensor b, Tensor got, DoubleBinaryOperator f, DType dt) {
        Shape s = Shape.broadcast(a.shape(), b.shape());
        assertEquals(s, got.shape());
        double[] av = a.toDoubleArray();
        double[] bv = b.toDoubleArray();
        double[] g = got.toDoubleArray();
        for (int i = 0; i < g.length; i++) {
            int[] idx = Naive.unravel(i, s.dims());
            double e = f.applyAsDouble(Naive.broadcastGet(av, a.shape().dims(), idx),
                    Naive.broadcastGet(bv, b.shape().dims(), idx));
            double tol = dt == DType.FLOAT32 ? 2e-6 * Math.max(1, Math.abs(e)) : 1e-14 * Math.max(1, Math.abs(e));
            assertEquals(e, g[i], tol, "element " + i + " of " + a.shape() + " op " + b.shape());
        }
    }

    @Test
    void unaryOpsAndScalars() {
        Tensor x = Tensor.of(new float[] {4, 0.25f, 1});
        assertArrayEquals(new float[] {2, 0.5f, 1}, x.sqrt().toFloatArray());
        assertArrayEquals(new float[] {0.5f, 2, 1}, x.rsqrt().toFloatArray());
        assertArrayEquals(new float[] {16, 0.0625f, 1}, x.square().toFloatArray());
        assertArrayEquals(new float[] {-4, -0.25f, -1}, x.neg().toFloatArray());
        assertArrayEquals(new float[] {4, 0.25f, 1}, x.neg().abs().toFloatArray());
        assertEquals((float) Math.log(4), x.log().getFloat(0));
        assertEquals((float) Math.exp(4), x.exp().getFloat(0));
        assertArrayEquals(new float[] {5, 1.25f, 2}, x.add(1).toFloatArray());
        assertArrayEquals(new float[] {16, 0.0625f, 1}, x.pow(2).toFloatArray());
        assertArrayEquals(new float[] {0.25f, 4, 1}, Elementwise.reciprocal(x).toFloatArray());
    }

    @Test
    void nanAndInfPropagate() {
        Tensor x = Tensor.of(new float[] {Float.NaN, 1, Float.POSITIVE_INFINITY, -1});
        Tensor y = Tensor.of(new float[] {1, Float.NaN, 1, 0});
        float[] mx = x.maximum(y).toFloatArray();
        assertTrue(Float.isNaN(mx[0]) && Float.isNaN(mx[1]));
        assertEquals(Float.POSITIVE_INFINITY, mx[2]);
        float[] q = x.div(y).toFloatArray();
        assertEquals(Float.NEGATIVE_INFINITY, q[3]);
        assertTrue(Float.isNaN(x.sqrt().getFloat(3)));
    }

    @Test
    void errorsNameArgumentValueAndExpectation() {
        Tensor a = Tensor.zeros(DType.FLOAT32, 2, 3);
        Tensor b = Tensor.zeros(DType.FLOAT32, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(4,)")
                && e.getMessage().contains("not broadcastable"), e.getMessage());
        Tensor d = Tensor.zeros(DType.FLOAT64, 3);
        e = assertThrows(IllegalArgumentException.class, () -> a.mul(d));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("float32"), e.getMessage());
        NullPointerException n = assertThrows(NullPointerException.class, () -> a.add((Tensor) null));
        assertTrue(n.getMessage().contains("b"), n.getMessage());
    }

    @Test
    void matmulMatchesNaive() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 40; trial++) {
            int m = 1 + rnd.nextInt(40);
            int k = 1 + rnd.nextInt(40);
            int n = 1 + rnd.nextInt(40);
            DType dt = trial % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            Tensor a = Tensor.randomNormal(dt, 0, 1, trial, m, k);
            Tensor b = Tensor.randomNormal(dt, 0, 1, trial + 99, k, n);
            double[] c = a.matmul(b).toDoubleArray();
            double[] av = a.toDoubleArray();
            double[] bv = b.toDoubleArray();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double s = 0;
                    double abs = 0;
                    for (int p = 0; p < k; p++) {
                        s += av[i * k + p] * bv[p * n + j];
                        abs += Math.abs(av[i * k + p] * bv[p * n + j]);
                    }
                    double tol = (dt == DType.FLOAT32 ? 1e-6 : 1e-14) * (abs + 1) * k;
                    assertEquals(s, c[i * n + j], tol);
                }
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.zeros(DType.FLOAT32, 2, 3).matmul(Tensor.zeros(DType.FLOAT32, 2, 3)));
        assertTrue(e.getMessage().contains("b.shape[0] == a.shape[1]"), e.getMessage());
    }
}
