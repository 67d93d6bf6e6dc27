package org.norm4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.ops.Activations;

/** Values and finite-difference gradients (float64, see {@link GradCheck}) of the activation functions. */
class ActivationsGradTest {

    private static void check(String name, UnaryOperator<Tensor> f, boolean kink) {
        Random rnd = new Random(name.hashCode());
        for (int t = 0; t < 8; t++) {
            int[] dims = GradCheck.dims(rnd, 1 + rnd.nextInt(3), 5);
            Tensor x = kink ? GradCheck.awayFromZero(rnd, 0.01, dims) : GradCheck.normal(rnd, dims).mul(2.0);
            GradCheck.check(name + " " + x.shape(), in -> f.apply(in[0]), x);
        }
    }

    @Test
    void elementwiseActivations() {
        check("relu", Activations::relu, true);
        check("sigmoid", Activations::sigmoid, false);
        check("tanh", Activations::tanh, false);
        check("gelu", Activations::gelu, false);
        check("gelu approximate", x -> Activations.gelu(x, true), false);
        check("silu", Activations::silu, false);
    }

    @Test
    void softmaxAndLogSoftmaxOnEveryAxis() {
        Random rnd = new Random(21);
        for (int t = 0; t < 10; t++) {
            int rank = 1 + rnd.nextInt(3);
            int[] dims = GradCheck.dims(rnd, rank, 4);
            int axis = rnd.nextInt(2 * rank) - rank;
            Tensor x = GradCheck.normal(rnd, dims).mul(3.0);
            GradCheck.check("softmax " + x.shape() + " axis " + axis, in -> Activations.softmax(in[0], axis), x);
            GradCheck.check("logSoftmax " + x.shape() + " axis " + axis, in -> Activations.logSoftmax(in[0], axis),
                    x);
        }
    }

    @Test
    void secondOrder() {
        Random rnd = new Random(22);
        Tensor x = GradCheck.normal(rnd, 3, 4);
        GradCheck.checkSecondOrder("sigmoid", Activations::sigmoid, x, 1e-6, 1e-8);
        GradCheck.checkSecondOrder("tanh", Activations::tanh, x, 1e-6, 1e-8);
        GradCheck.checkSecondOrder("gelu", Activations::gelu, x, 1e-6, 1e-8);
        GradCheck.checkSecondOrder("silu", Activations::silu, x, 1e-6, 1e-8);
        GradCheck.checkSecondOrder("softmax", v -> Activations.softmax(v, 0), x, 1e-6, 1e-8);
        GradCheck.checkSecondOrder("logSoftmax", Activations::logSoftmax, x, 1e-6, 1e-8);
    }

    @Test
    void values() {
        Tensor x = Tensor.of(new double[] {-2, -0.5, 0, 0.5, 2, Double.NaN});
        assertArrayEquals(new double[] {0, 0, 0, 0.5, 2, Double.NaN}, Activations.relu(x).toDoubleArray());
        double[] sig = Activations.sigmoid(x).toDoubleArray();
        double[] gelu = Activations.gelu(x).toDoubleArray();
        double[] silu = Activations.silu(x).toDoubleArray();
        double[] v = x.toDoubleArray();
        for (int i = 0; i < 5; i++) {
            assertEquals(1 / (1 + Math.exp(-v[i])), sig[i], 1e-15);
            assertEquals(v[i] / (1 + Math.exp(-v[i])), silu[i], 1e-15);
        }
        // Keras: gelu([-2, -0.5, 0, 0.5, 2]) with approximate=False
        assertArrayEquals(new double[] {-0.04550026389635842, -0.15426876936299344, 0, 0.34573123063700656,
            1.9544997361036416}, java.util.Arrays.copyOf(gelu, 5), 1e-15);
        // far tail of GELU keeps its relative accuracy (erfc, not 1 + erf)
        double tail = Activations.gelu(Tensor.of(new double[] {-10})).toDoubleArray()[0];
        assertEquals(-7.619853024160527e-23, tail, 1e-36);
        double[] approx = Activations.gelu(x, true).toDoubleArray();
        assertEquals(1.9545976940871754, approx[4], 1e-12);
        assertEquals(Math.tanh(0.5), Activations.tanh(x).toDoubleArray()[3], 0);
    }

    @Test
    void softmaxValues() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 1000, 1000, 1000}, 2, 3);
        float[] s = Activations.softmax(x).toFloatArray();
        assertArrayEquals(new float[] {0.09003057f, 0.24472847f, 0.66524096f, 1 / 3f, 1 / 3f, 1 / 3f}, s, 1e-7f);
        float[] ls = Activations.logSoftmax(x).toFloatArray();
        assertEquals(-2.4076059f, ls[0], 1e-6f);
        assertEquals((float) -Math.log(3), ls[4], 1e-6f);
        float[] cols = Activations.softmax(x, 0).toFloatArray();
        assertEquals(1f, cols[0] + cols[3], 1e-6f);
        assertEquals(DType.FLOAT32, Activations.softmax(x).dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Activations.softmax(x, 2));
        assertTrue(e.getMessage().contains("axis = 2"), e.getMessage());
    }
}
