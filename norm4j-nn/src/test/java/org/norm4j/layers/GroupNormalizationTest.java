package org.norm4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.norm4j.layers.LayerNormalizationTest.assertClose;
import static org.norm4j.layers.LayerNormalizationTest.gradCheck;
import static org.norm4j.layers.LayerNormalizationTest.inputs;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.constraints.NonNeg;
import org.norm4j.ops.LayerNorms;

/** GroupNormalization: the layer contract, Keras's test vectors (all eps 1e-3, no affine), errors, gradients. */
class GroupNormalizationTest {

    private static GroupNormalization plain(int groups, int axis) {
        return GroupNormalization.builder().groups(groups).axis(axis).center(false).scale(false).build();
    }

    @Test
    void contract() {
        LayerContract.check(() -> new GroupNormalization(4), new int[] {3, 8}, new int[] {3, 8}, 2, 0);
        LayerContract.check(() -> GroupNormalization.builder().groups(2).axis(1).build(), new int[] {4, 3, 2},
                new int[] {4, 3, 2}, 2, 0);
        LayerContract.check(() -> GroupNormalization.builder().groups(-1).center(false).gammaConstraint(new NonNeg())
                .build(), new int[] {5, 3}, new int[] {5, 3}, 1, 0);
        LayerContract.check(() -> plain(1, -1), new int[] {6}, new int[] {6}, 0, 0);
    }

    @Test
    void configHasKerasKeysAndDefaults() {
        Map<String, Object> c = new GroupNormalization().getConfig();
        assertEquals(List.of("name", "trainable", "dtype", "groups", "axis", "epsilon", "center", "scale",
                "beta_initializer", "gamma_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint",
                "gamma_constraint"), List.copyOf(c.keySet()));
        assertEquals(32, c.get("groups"));
        assertEquals(-1, c.get("axis"));
        assertEquals(1e-3, c.get("epsilon"));
        GroupNormalization g = GroupNormalization.fromConfig(Map.of("groups", 4, "axis", 1, "center", false));
        assertEquals(4, g.getConfig().get("groups"));
        assertEquals(false, g.getConfig().get("center"));
    }

    /** Keras 3 group_normalization_test: correctness_1d, correctness_2d, instance norm, channels-first. */
    @Test
    void kerasTestVectors() {
        Tensor x1 = Tensor.of(new float[] {-1, -1, 1, 1, 2, 2, 0, -2}, 1, 8);
        assertClose(new double[] {-0.898, -0.898, 0.539, 0.539, 1.257, 1.257, -0.180, -1.616},
                plain(1, -1).apply(x1), 1e-3);
        assertClose(new double[] {-0.9995, -0.9995, 0.9995, 0.9995, 0.90437, 0.90437, -0.301457, -1.507283},
                plain(2, 1).apply(x1), 1e-5);
        Tensor x2 = Tensor.of(new float[] {-1, -1, 2, 2, 1, 1, 0, -2}, 1, 2, 4);
        assertClose(new double[] {-0.898, -0.898, 1.257, 1.257, 0.539, 0.539, -0.180, -1.616},
                plain(1, -1).apply(x2), 1e-3);
        assertClose(new double[] {-1, -1, 0.904, 0.904, 1, 1, -0.301, -1.507}, plain(2, -1).apply(x2), 1e-3);
        Tensor xi = Tensor.of(new float[] {-1, 1, 0, 2, 1, 3, -4, -2}, 1, 2, 4);
        double[] inst = {-0.9995, -0.9995, 0.999875, 0.999875, 0.9995, 0.9995, -0.999875, -0.999875};
        assertClose(inst, plain(4, -1).apply(xi), 1e-6);
        assertClose(inst, plain(-1, -1).apply(xi), 1e-6);
        float[] ramp = new float[16];
        for (int i = 0; i < 16; i++) {
            ramp[i] = i;
        }
        double[] group = {-1.5274, -1.0910, -0.6546, -0.2182, 0.2182, 0.6546, 1.0910, 1.5274};
        double[] both = new double[16];
        System.arraycopy(group, 0, both, 0, 8);
        System.arraycopy(group, 0, both, 8, 8);
        assertClose(both, plain(2, 1).apply(Tensor.of(ramp, 1, 4, 2, 2)), 1e-4);
    }

    @Test
    void oneGroupIsLayerNormalizationOverAllNonBatchAxes() {
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 3, 2, 5, 4, 6, 3, 2);
        assertArrayEquals(LayerNorms.layerNormalization(x, new int[] {1, 2, 3}, null, null, 1e-3, false)
                .toDoubleArray(), LayerNorms.groupNormalization(x, 1, -1, null, null, 1e-3).toDoubleArray(), 1e-12);
        // channels-first groups equal channels-last groups on the transposed input
        Tensor a = LayerNorms.groupNormalization(x, 2, 1, null, null, 1e-3);
        Tensor b = LayerNorms.groupNormalization(x.transpose(0, 2, 3, 1), 2, -1, null, null, 1e-3)
                .transpose(0, 3, 1, 2);
        assertArrayEquals(b.toDoubleArray(), a.toDoubleArray(), 1e-12);
    }

    @Test
    void errorsNameTheProblem() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 6);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GroupNormalization(8).apply(x));
        assertTrue(e.getMessage().contains("cannot be more than the number of channels (6)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GroupNormalization(4).apply(x));
        assertTrue(e.getMessage().contains("multiple of the number of groups (4)"), e.getMessage());
        for (int bad : new int[] {0, -2}) {
            e = assertThrows(IllegalArgumentException.class, () -> new GroupNormalization(bad));
            assertTrue(e.getMessage().contains("groups = " + bad), e.getMessage());
        }
        e = assertThrows(IllegalArgumentException.class,
                () -> GroupNormalization.builder().groups(2).axis(0).build().apply(x));
        assertTrue(e.getMessage().contains("non-batch axis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerNorms.groupNormalization(x, 3, -1, Tensor.ones(DType.FLOAT32, 3), null, 1e-3));
        assertTrue(e.getMessage().contains("gamma") && e.getMessage().contains("(6,)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerNorms.groupNormalization(x, 3, 0, null, null,
                1e-3));
        assertTrue(e.getMessage().contains("batch axis"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerNorms.groupNormalization(Tensor.zeros(
                DType.FLOAT32, 6), 3, -1, null, null, 1e-3));
        assertTrue(e.getMessage().contains("rank >= 2"), e.getMessage());
    }

    /** Float64 finite differences for every combination of center and scale, channels-last, -first and middle. */
    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 1, 2, 41, 2, 3, 4, 2);
        int[][] cases = {{2, -2}, {1, -1}, {3, 1}, {-1, 2}, {4, 2}};  // {groups, axis}
        for (int[] gc : cases) {
            int axis = gc[1];
            int c = x.shape().dim(axis);
            Tensor gamma = Tensor.randomNormal(DType.FLOAT64, 1, 0.5, 42, c);
            Tensor beta = Tensor.randomNormal(DType.FLOAT64, 0, 0.5, 43, c);
            for (int mask = 0; mask < 4; mask++) {
                boolean center = (mask & 1) != 0;
                boolean scale = (mask & 2) != 0;
                gradCheck("groups " + gc[0] + " axis " + axis + " center=" + center + " scale=" + scale,
                        t -> LayerNorms.groupNormalization(t[0], gc[0], axis, scale ? t[1] : null,
                                center ? t[scale ? 2 : 1] : null, 1e-3),
                        inputs(x, scale ? gamma : null, center ? beta : null));
            }
        }
    }
}
