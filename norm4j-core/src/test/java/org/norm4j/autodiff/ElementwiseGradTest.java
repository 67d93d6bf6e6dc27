package org.norm4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.ops.Elementwise;

/** Finite-difference checks (float64, see {@link GradCheck} for h and tolerances) of every elementwise op. */
class ElementwiseGradTest {
    private static final int TRIALS = 12;

    private static void binary(String name, BinaryOperator<Tensor> op, double aLo, double aHi, double bLo,
            double bHi) {
        Random rnd = new Random(name.hashCode());
        for (int t = 0; t < TRIALS; t++) {
            int[][] s = GradCheck.broadcastPair(rnd);
            Tensor a = GradCheck.uniform(rnd, aLo, aHi, s[0]);
            Tensor b = GradCheck.uniform(rnd, bLo, bHi, s[1]);
            GradCheck.check(name + " " + Arrays.toString(s[0]) + " x " + Arrays.toString(s[1]),
                    in -> op.apply(in[0], in[1]), a, b);
        }
    }

    private static void unary(String name, UnaryOperator<Tensor> op, double lo, double hi) {
        Random rnd = new Random(name.hashCode());
        for (int t = 0; t < TRIALS; t++) {
            Tensor x = GradCheck.uniform(rnd, lo, hi, GradCheck.dims(rnd, rnd.nextInt(4), 4));
            GradCheck.check(name + " " + x.shape(), in -> op.apply(in[0]), x);
        }
    }

    @Test
    void addSubMulDivWithBroadcasting() {
        binary("add", Elementwise::add, -2, 2, -2, 2);
        binary("sub", Elementwise::sub, -2, 2, -2, 2);
        binary("mul", Elementwise::mul, -2, 2, -2, 2);
        binary("div", Elementwise::div, -2, 2, 0.5, 2);
        binary("div negative divisor", Elementwise::div, -2, 2, -2, -0.5);
    }

    @Test
    void powWithRespectToBaseAndExponent() {
        binary("pow", Elementwise::pow, 0.5, 2, -2, 2);
    }

    @Test
    void powOfNegativeBaseGivesZeroExponentGradientLikeTf() {
        Tensor a = Tensor.of(new double[] {-2, 3});
        Tensor b = Tensor.of(new double[] {2, 2});
        try (GradientTape tape = new GradientTape()) {
            tape.watch(a, b);
            Tensor[] g = tape.gradient(Elementwise.pow(a, b), a, b);
            assertArrayEquals(new double[] {-4, 6}, g[0].toDoubleArray(), 1e-12);
            assertArrayEquals(new double[] {0, 9 * Math.log(3)}, g[1].toDoubleArray(), 1e-12);
        }
    }

    @Test
    void maximumMinimumSquaredDifference() {
        binary("maximum", Elementwise::maximum, -2, 2, -2, 2);
        binary("minimum", Elementwise::minimum, -2, 2, -2, 2);
        binary("squaredDifference", Elementwise::squaredDifference, -2, 2, -2, 2);
    }

    @Test
    void maximumTieSendsGradientToFirstArgumentLikeTf() {
        Tensor a = Tensor.of(new double[] {1, 2, 3});
        Tensor b = Tensor.of(new double[] {1, 5, 0});
        try (GradientTape tape = new GradientTape()) {
            tape.watch(a, b);
            Tensor[] g = tape.gradient(Elementwise.maximum(a, b), a, b);
            assertArrayEquals(new double[] {1, 0, 1}, g[0].toDoubleArray());
            assertArrayEquals(new double[] {0, 1, 0}, g[1].toDoubleArray());
        }
        try (GradientTape tape = new GradientTape()) {
            tape.watch(a, b);
            Tensor[] g = tape.gradient(Elementwise.minimum(a, b), a, b);
            assertArrayEquals(new double[] {1, 1, 0}, g[0].toDoubleArray());
            assertArrayEquals(new double[] {0, 0, 1}, g[1].toDoubleArray());
        }
    }

    @Test
    void unaryOps() {
        unary("neg", Elementwise::neg, -2, 2);
        unary("square", Elementwise::square, -2, 2);
        unary("sqrt", Elementwise::sqrt, 0.2, 3);
        unary("rsqrt", Elementwise::rsqrt, 0.2, 3);
        unary("exp", Elementwise::exp, -2, 2);
        unary("log", Elementwise::log, 0.2, 3);
        unary("reciprocal", Elementwise::reciprocal, 0.3, 3);
        unary("reciprocal negative", Elementwise::reciprocal, -3, -0.3);
        unary("erf", Elementwise::erf, -3, 3);
        Random rnd = new Random(5);
        for (int t = 0; t < TRIALS; t++) {
            Tensor x = GradCheck.awayFromZero(rnd, 0.01, GradCheck.dims(rnd, 1 + rnd.nextInt(3), 4));
            GradCheck.check("abs " + x.shape(), in -> Elementwise.abs(in[0]), x);
        }
    }

    @Test
    void absHasZeroGradientAtZeroLikeTf() {
        Tensor x = Tensor.of(new double[] {-1, 0, 2});
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            assertArrayEquals(new double[] {-1, 0, 1}, tape.gradient(x.abs(), x)[0].toDoubleArray());
        }
    }

    @Test
    void erfValues() {
        double[] x = {-3, -1, -0.5, 0, 0.1, 0.5, 1, 2, 2.5, 6};
        double[] expected = {-0.9999779095030014, -0.8427007929497149, -0.5204998778130465, 0, 0.1124629160182849,
            0.5204998778130465, 0.8427007929497149, 0.9953222650189527, 0.9995930479825550, 1.0};
        double[] got = Elementwise.erf(Tensor.of(x)).toDoubleArray();
        for (int i = 0; i < x.length; i++) {
            assertEquals(expected[i], got[i], 2e-16 * Math.max(1, Math.abs(expected[i])) + 1e-300, "erf(" + x[i] + ")");
        }
        assertEquals((float) 0.8427007929497149, Elementwise.erf(Tensor.scalar(1f)).rawFloats()[0]);
    }

    @Test
    void float32GradientsHaveFloat32Dtype() {
        Tensor a = Tensor.of(new float[] {1, 2, 3}, 3);
        Tensor b = Tensor.of(new float[] {4, 5, 6}, 3);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(a);
            Tensor g = tape.gradient(a.mul(b).sum(), a)[0];
            assertEquals(DType.FLOAT32, g.dtype());
            assertArrayEquals(new float[] {4, 5, 6}, g.toFloatArray());
        }
    }
}
