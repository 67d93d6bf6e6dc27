package org.norm4j.layers;

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

/** RMSNormalization: the layer contract, Keras's test vectors, the reference's gradient example, errors. */
class RMSNormalizationTest {

    @Test
    void contract() {
        LayerContract.check(RMSNormalization::new, new int[] {6}, new int[] {6}, 1, 0);
        LayerContract.check(() -> new RMSNormalization(1e-5, 1, 2), new int[] {3, 4}, new int[] {3, 4}, 1, 0);
    }

    @Test
    void configHasKerasKeysAndDefaults() {
        Map<String, Object> c = new RMSNormalization().getConfig();
        assertEquals(List.of("name", "trainable", "dtype", "axis", "epsilon"), List.copyOf(c.keySet()));
        assertEquals(-1, c.get("axis"));
        assertEquals(1e-6, c.get("epsilon"));
        assertEquals(List.of(-2, -1), RMSNormalization.fromConfig(Map.of("axis", List.of(-2, -1))).getConfig()
                .get("axis"));
        assertEquals(-1, new RMSNormalization(1e-5).getConfig().get("axis"));
    }

    /** Keras 3 rms_normalization_test (layer on arange(10)) and the ops test (epsilon 1e-7). */
    @Test
    void kerasTestVectors() {
        float[] ramp = new float[10];
        for (int i = 0; i < 10; i++) {
            ramp[i] = i;
        }
        RMSNormalization layer = new RMSNormalization();
        assertClose(new double[] {0, 0.18731716, 0.37463433, 0.5619515, 0.74926865, 0.9365858, 1.123903, 1.3112202,
            1.4985373, 1.6858544}, layer.apply(Tensor.of(ramp, 1, 10)), 1e-7);
        assertEquals("scale", layer.scale().name().substring(layer.scale().name().lastIndexOf('/') + 1));
        Tensor x = Tensor.of(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, 2, 3);
        Tensor s = Tensor.of(new float[] {1, 2, 3});
        assertClose(new double[] {0.46291, 2 * 0.92582, 3 * 1.38873, 0.78954, 2 * 0.98693, 3 * 1.18431},
                LayerNorms.rmsNormalization(x, new int[] {-1}, s, LayerNorms.OPS_EPSILON), 2e-5);
    }

    /** The reference's RMSNorm example (section 3.9): x [[1, 2, 4]], scale [1, 2, 3], eps 1e-6, dy [[1, -1, 2]]. */
    @Test
    void referenceGradientExample() {
        Tensor x = Tensor.of(new double[] {1, 2, 4}, 1, 3);
        Tensor scale = Tensor.of(new double[] {1, 2, 3});
        Tensor y;
        Tensor dx;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            y = LayerNorms.rmsNormalization(x, new int[] {-1}, scale, 1e-6);
            dx = tape.gradient(y, new Tensor[] {x}, Tensor.of(new double[] {1, -1, 2}, 1, 3))[0];
        }
        assertClose(new double[] {0.3779644, 1.5118578, 4.5355734}, y, 1e-7);
        assertClose(new double[] {0, -1.5118577, 0.7559291}, dx, 1e-6);
    }

    @Test
    void differsFromLayerNormalizationWithRmsScaling() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 4);
        Tensor rms = new RMSNormalization().apply(x);
        Tensor lnRms = LayerNormalization.builder().rmsScaling(true).build().apply(x);
        assertEquals(1 / Math.sqrt(7.5 + 1e-6), rms.getDouble(0, 0), 1e-6);
        assertEquals(1 / Math.sqrt(1.25 + 1e-3), lnRms.getDouble(0, 0), 1e-6);
    }

    @Test
    void errorsNameTheProblem() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RMSNormalization(1e-6, 1, -1).apply(x));
        assertTrue(e.getMessage().contains("Duplicate axis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RMSNormalization(1e-6, 5).apply(x));
        assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new RMSNormalization(-1e-6));
        assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerNorms.rmsNormalization(x, new int[] {-1}, Tensor.ones(DType.FLOAT32, 2, 3), 1e-6));
        assertTrue(e.getMessage().contains("scale"), e.getMessage());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 0.5, 2, 51, 3, 4, 5);
        for (int[] axes : new int[][] {{-1}, {1, 2}, {1}, {0, 2}}) {
            int[] pd = new int[axes.length];
            for (int i = 0; i < axes.length; i++) {
                pd[i] = x.shape().dim(axes[i]);
            }
            Tensor scale = Tensor.randomNormal(DType.FLOAT64, 1, 0.5, 52, pd);
            gradCheck("rms scale axes " + java.util.Arrays.toString(axes),
                    t -> LayerNorms.rmsNormalization(t[0], axes, t[1], 1e-6), x, scale);
            gradCheck("rms no scale axes " + java.util.Arrays.toString(axes),
                    t -> LayerNorms.rmsNormalization(t[0], axes, null, 1e-6), x);
        }
    }
}
