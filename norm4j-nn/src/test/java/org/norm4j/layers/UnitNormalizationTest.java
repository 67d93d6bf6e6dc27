package org.norm4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.norm4j.layers.LayerNormalizationTest.assertClose;
import static org.norm4j.layers.LayerNormalizationTest.gradCheck;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.ops.LayerNorms;
import org.norm4j.ops.Nn;

/** UnitNormalization: the layer contract, Keras's test vectors, the epsilon floor on the norm, gradients. */
class UnitNormalizationTest {

    @Test
    void contract() {
        LayerContract.check(UnitNormalization::new, new int[] {5}, new int[] {5}, 0, 0);
        LayerContract.check(() -> new UnitNormalization(1, 2), new int[] {3, 4}, new int[] {3, 4}, 0, 0);
    }

    @Test
    void configHasKerasKeys() {
        Map<String, Object> c = new UnitNormalization().getConfig();
        assertEquals(List.of("name", "trainable", "dtype", "axis"), List.copyOf(c.keySet()));
        assertEquals(-1, c.get("axis"));
        assertEquals(List.of(1, 2), new UnitNormalization(1, 2).getConfig().get("axis"));
    }

    /** Keras 3 unit_normalization_test: squared norms are 1 per slice for axis -1, (1, 2) and 1. */
    @Test
    void slicesHaveUnitNorm() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 3, 61, 2, 3, 4);
        for (int[] axes : new int[][] {{-1}, {1, 2}, {1}}) {
            Tensor sq = new UnitNormalization(axes).apply(x).square().sum(axes);
            for (float v : sq.toFloatArray()) {
                assertEquals(1, v, 1e-5);
            }
        }
    }

    /** Keras 3 ops test_normalize vectors, and the epsilon floor on the norm (not on the squared norm). */
    @Test
    void kerasTestVectors() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 1, 2, 3}, 2, 3);
        assertClose(new double[] {0.18898225, 0.3779645, 0.56694674, 0.18898225, 0.3779645, 0.56694674},
                LayerNorms.unitNormalization(x, null, 1e-7), 1e-7);
        assertClose(new double[] {0.70710677, 0.70710677, 0.70710677, 0.70710677, 0.70710677, 0.70710677},
                new UnitNormalization(0).apply(x), 1e-7);
        assertClose(new double[] {0.26726124, 0.53452247, 0.8017837, 0.26726124, 0.53452247, 0.8017837},
                new UnitNormalization().apply(x), 1e-7);
        Tensor tiny = Tensor.of(new float[] {1e-6f, 1e-8f}, 1, 2);
        assertClose(new double[] {0.1, 0.001}, LayerNorms.unitNormalization(tiny, new int[] {-1}, 1e-5), 1e-7);
        // tf.math.l2_normalize floors the squared norm instead: 1e-12 < 1.0001e-12, so nearly unit
        assertClose(new double[] {0.99995, 0.0099995}, Nn.l2Normalize(tiny, new int[] {-1}, 1e-12), 1e-5);
        // away from the floor, the same as l2_normalize
        Tensor r = Tensor.randomNormal(DType.FLOAT64, 0, 1, 62, 4, 7);
        assertArrayEquals(Nn.l2Normalize(r, -1).toDoubleArray(), new UnitNormalization().apply(r).toDoubleArray(),
                1e-15);
    }

    /** A slice of zeros: output zeros, gradient dy / epsilon (1000 for epsilon 1e-3), no NaN. */
    @Test
    void zeroSliceHasAFiniteGradient() {
        Tensor z = Tensor.zeros(DType.FLOAT32, 2, 3);
        Tensor g;
        Tensor y;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(z);
            y = LayerNorms.unitNormalization(z, new int[] {-1}, 1e-3);
            g = tape.gradient(y, z)[0];
        }
        assertArrayEquals(new float[6], y.toFloatArray());
        for (float v : g.toFloatArray()) {
            assertEquals(1000, v, 1e-3);
        }
        assertArrayEquals(new float[6], new UnitNormalization().apply(z).toFloatArray());
    }

    @Test
    void errorsNameTheProblem() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UnitNormalization(-1, 1).apply(x));
        assertTrue(e.getMessage().contains("Duplicate axis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new UnitNormalization(-3).apply(x));
        assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerNorms.unitNormalization(x, new int[] {0, 0},
                1e-12));
        assertTrue(e.getMessage().contains("Duplicate axes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LayerNorms.unitNormalization(x, new int[] {-1}, -1));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 0.3, 1, 71, 3, 4, 2);
        for (int[] axes : new int[][] {{-1}, {1, 2}, {1}, {0, 2}}) {
            gradCheck("unit axes " + java.util.Arrays.toString(axes),
                    t -> LayerNorms.unitNormalization(t[0], axes, 1e-12), x);
        }
        gradCheck("unit all axes", t -> LayerNorms.unitNormalization(t[0], null, 1e-12), x);
    }
}
