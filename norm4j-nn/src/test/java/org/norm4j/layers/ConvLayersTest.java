package org.norm4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.constraints.NonNeg;
import org.norm4j.models.Sequential;
import org.norm4j.ops.Convolutions;
import org.norm4j.ops.Padding;
import org.norm4j.regularizers.L2;

/** Conv2D, the pooling layers and ZeroPadding2D: the layer contract, Keras defaults, summary, argument errors. */
class ConvLayersTest {
    @Test
    void contract() {
        LayerContract.check(() -> new Conv2D(4, 3), new int[] {7, 6, 2}, new int[] {5, 4, 4}, 2, 0);
        LayerContract.check(() -> new Conv2D(6, 2, 3).strides(2, 1).padding("same").groups(2).activation("relu"),
                new int[] {7, 6, 4}, new int[] {4, 6, 6}, 2, 0);
        LayerContract.check(() -> new Conv2D(3, 3).dilationRate(2).useBias(false).dataFormat("channels_first"),
                new int[] {2, 8, 7}, new int[] {3, 4, 3}, 1, 0);
        LayerContract.check(MaxPooling2D::new, new int[] {7, 6, 2}, new int[] {3, 3, 2}, 0, 0);
        LayerContract.check(() -> new AveragePooling2D(3).strides(2).padding("same"), new int[] {7, 6, 2},
                new int[] {4, 3, 2}, 0, 0);
        LayerContract.check(() -> new MaxPooling2D(2, 3).dataFormat("channels_first"), new int[] {2, 7, 6},
                new int[] {2, 3, 2}, 0, 0);
        LayerContract.check(GlobalAveragePooling2D::new, new int[] {5, 4, 3}, new int[] {3}, 0, 0);
        LayerContract.check(() -> new GlobalMaxPooling2D().keepDims(true), new int[] {5, 4, 3},
                new int[] {1, 1, 3}, 0, 0);
        LayerContract.check(() -> new ZeroPadding2D(1, 0, 2, 3), new int[] {5, 4, 3}, new int[] {6, 9, 3}, 0, 0);
    }

    @Test
    void kerasDefaultsInTheConfig() {
        Map<String, Object> c = new Conv2D(8, 3).getConfig();
        assertEquals(java.util.List.of(1, 1), c.get("strides"));
        assertEquals("valid", c.get("padding"));
        assertEquals("channels_last", c.get("data_format"));
        assertEquals(java.util.List.of(1, 1), c.get("dilation_rate"));
        assertEquals(1, c.get("groups"));
        assertEquals("linear", c.get("activation"));
        assertEquals(true, c.get("use_bias"));
        assertEquals("GlorotUniform", ((Map<?, ?>) c.get("kernel_initializer")).get("class_name"));
        assertEquals("Zeros", ((Map<?, ?>) c.get("bias_initializer")).get("class_name"));
        Map<String, Object> p = new MaxPooling2D().getConfig();
        assertEquals(java.util.List.of(2, 2), p.get("pool_size"));
        assertEquals(java.util.List.of(2, 2), p.get("strides"));
        assertEquals(java.util.List.of(3, 3), new AveragePooling2D(3).getConfig().get("strides"));
        assertEquals(false, new GlobalAveragePooling2D().getConfig().get("keepdims"));
        assertEquals(java.util.List.of(java.util.List.of(1, 1), java.util.List.of(1, 1)),
                new ZeroPadding2D().getConfig().get("padding"));
    }

    @Test
    void summaryOfTheDemoCnn() {
        Layer.clearSession();
        Sequential model = new Sequential(new Input(28, 28, 1), new Conv2D(32, 3), new MaxPooling2D(),
                new Conv2D(64, 3), new MaxPooling2D(), new Flatten(), new Dense(10));
        String s = model.summary();
        assertTrue(s.contains("conv2d (Conv2D)") && s.contains("(None, 26, 26, 32)") && s.contains("320"), s);
        assertTrue(s.contains("(None, 11, 11, 64)") && s.contains("18,496"), s);
        assertTrue(s.contains("(None, 5, 5, 64)") && s.contains("16,010"), s);
        assertTrue(s.contains("Total params: 34,826"), s);
    }

    @Test
    void regularizersAndConstraints() {
        Conv2D conv = new Conv2D(2, 1).kernelRegularizer(new L2(0.5)).biasConstraint(new NonNeg());
        conv.apply(Tensor.ones(DType.FLOAT32, 1, 2, 2, 1));
        conv.kernel().assign(Tensor.of(new float[] {1, 2}, 1, 1, 1, 2));
        conv.bias().assign(Tensor.of(new float[] {-1, 3}, 2));
        assertEquals(1, conv.losses().size());
        assertEquals(0.5 * (1 + 4), conv.losses().get(0).item(), 1e-6);
        conv.applyConstraints();
        assertArrayEquals(new float[] {0, 3}, conv.bias().value().toFloatArray());
        // 1x1 kernel on ones: each output channel is its kernel value plus the bias
        assertArrayEquals(new float[] {1, 5, 1, 5, 1, 5, 1, 5}, conv.apply(Tensor.ones(DType.FLOAT32, 1, 2, 2, 1))
                .toFloatArray());
    }

    @Test
    void badArgumentsNameTheArgumentTheValueAndTheExpectation() {
        assertMessage(() -> new Conv2D(0, 3), "filters = 0", "positive");
        assertMessage(() -> new Conv2D(4, 0), "kernel_size = [0]", "positive");
        assertMessage(() -> new Conv2D(4, 3).strides(0), "strides = [0]", "positive");
        assertMessage(() -> new Conv2D(4, 3).dilationRate(-1, 1), "dilation_rate = [-1, 1]", "positive");
        assertMessage(() -> new Conv2D(6, 3).groups(4), "groups = 4", "divisor of filters");
        assertMessage(() -> new Conv2D(6, 3).padding("full"), "padding = \"full\"", "\"same\"");
        assertMessage(() -> new Conv2D(6, 3).dataFormat("nhwc"), "data_format = \"nhwc\"", "channels_last");
        assertMessage(() -> new Conv2D(6, 3).groups(2).buildFor(new int[] {-1, 8, 8, 3}), "3 input channels",
                "divisible by groups");
        assertMessage(() -> new Conv2D(6, 5).buildFor(new int[] {-1, 4, 8, 3}), "kernel height (dilated) 5",
                "input size 4");
        assertMessage(() -> new Conv2D(6, 3).buildFor(new int[] {-1, 8, 3}), "input shape", "expected rank 4");
        assertMessage(() -> new MaxPooling2D(3).buildFor(new int[] {-1, 2, 8, 3}), "pool height 3",
                "input size 2");
        assertMessage(() -> new ZeroPadding2D(1, -1), "padding = [1, -1]", ">= 0");
        // huge values from a file: no int overflow into a negative size
        assertArrayEquals(new int[] {-1, 1, 1, 2}, new Conv2D(2, 1).strides(Integer.MAX_VALUE).padding("same")
                .computeOutputShape(new int[] {-1, 8, 8, 3}));
        assertEquals(1, Convolutions.conv2d(Tensor.ones(DType.FLOAT32, 1, 8, 8, 1), Tensor.ones(DType.FLOAT32, 3, 3,
                1, 1), new int[] {Integer.MAX_VALUE}, Padding.SAME).size());
        assertMessage(() -> new Conv2D(2, 3).dilationRate(Integer.MAX_VALUE).buildFor(new int[] {-1, 8, 8, 3}),
                "kernel height (dilated) 2147483647", "input size 8");
        Conv2D built = new Conv2D(2, 1);
        built.apply(Tensor.ones(DType.FLOAT32, 1, 2, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> built.apply(Tensor.ones(DType.FLOAT32, 1, 2, 2, 3)));
    }

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message \"" + e.getMessage() + "\" lacks \"" + p + "\"");
        }
    }
}
