package org.norm4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.norm4j.layers.LayerNormalizationTest.assertClose;
import static org.norm4j.layers.LayerNormalizationTest.gradCheck;
import static org.norm4j.layers.LayerNormalizationTest.inputs;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.ops.LayerNorms;

/** InstanceNormalization: the layer contract, TFA-style config, equivalence with GroupNormalization(-1), gradients. */
class InstanceNormalizationTest {

    @Test
    void contract() {
        LayerContract.check(InstanceNormalization::new, new int[] {4, 3}, new int[] {4, 3}, 2, 0);
        LayerContract.check(() -> new InstanceNormalization(1), new int[] {3, 2, 2}, new int[] {3, 2, 2}, 2, 0);
        LayerContract.check(() -> new InstanceNormalization(GroupNormalization.builder().center(false).scale(false)
                .epsilon(1e-5)), new int[] {2, 5}, new int[] {2, 5}, 0, 0);
    }

    @Test
    void configKeepsGroupsAtMinusOne() {
        Map<String, Object> c = new InstanceNormalization().getConfig();
        assertEquals(-1, c.get("groups"));
        assertEquals(-1, c.get("axis"));
        assertEquals(1e-3, c.get("epsilon"));
        assertEquals("instance_normalization", new InstanceNormalization().name().replaceAll("_\\d+$", ""));
        // a TFA config written after build holds groups = C; TFA (and norm4j) override it with -1
        InstanceNormalization l = InstanceNormalization.fromConfig(Map.of("groups", 3, "axis", 1));
        assertEquals(-1, l.getConfig().get("groups"));
        assertEquals(1, l.getConfig().get("axis"));
        assertEquals(-1, new InstanceNormalization(GroupNormalization.builder().groups(7)).getConfig().get("groups"));
    }

    /** Keras 3 group_normalization_test's instance case, and GroupNormalization(groups=-1) equality. */
    @Test
    void matchesKerasInstanceNormVector() {
        Tensor x = Tensor.of(new float[] {-1, 1, 0, 2, 1, 3, -4, -2}, 1, 2, 4);
        assertClose(new double[] {-0.9995, -0.9995, 0.999875, 0.999875, 0.9995, 0.9995, -0.999875, -0.999875},
                new InstanceNormalization().apply(x), 1e-6);
        Tensor img = Tensor.randomNormal(DType.FLOAT32, 2, 3, 5, 2, 5, 5, 3);
        assertArrayEquals(new GroupNormalization(-1).apply(img).toFloatArray(),
                new InstanceNormalization().apply(img).toFloatArray());
    }

    /** PyTorch's InstanceNorm2d defaults (affine off, eps 1e-5) on NCHW: every (n, c) plane has mean 0, std 1. */
    @Test
    void pytorchStyleChannelsFirst() {
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 4, 3, 6, 2, 3, 8, 8);
        Tensor y = new InstanceNormalization(GroupNormalization.builder().axis(1).center(false).scale(false)
                .epsilon(1e-5)).apply(x);
        Tensor mean = y.mean(2, 3);
        Tensor std = y.std(2, 3);
        for (int i = 0; i < 6; i++) {
            assertEquals(0, mean.toDoubleArray()[i], 1e-12);
            assertEquals(1, std.toDoubleArray()[i], 1e-5);
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 0, 3, 7, 2, 3, 2, 3);
        for (int axis : new int[] {-1, 1}) {
            int c = x.shape().dim(axis);
            Tensor gamma = Tensor.randomNormal(DType.FLOAT64, 1, 0.5, 8, c);
            Tensor beta = Tensor.randomNormal(DType.FLOAT64, 0, 0.5, 9, c);
            for (int mask = 0; mask < 4; mask++) {
                boolean center = (mask & 1) != 0;
                boolean scale = (mask & 2) != 0;
                gradCheck("instance axis " + axis + " center=" + center + " scale=" + scale,
                        t -> LayerNorms.groupNormalization(t[0], -1, axis, scale ? t[1] : null,
                                center ? t[scale ? 2 : 1] : null, 1e-3),
                        inputs(x, scale ? gamma : null, center ? beta : null));
            }
        }
    }
}
