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

/** Convolution and pooling ops: hand-computed values, argument errors, and the same bits on any thread count. */
class ConvolutionsTest {
    private final int defaultThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(defaultThreads);
    }

    @Test
    void handComputedConvolutionAndPooling() {
        // x = 1..9 as a 3x3 image, one channel; filter [[1, 0], [0, -1]] (HWIO 2x2x1x1)
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 3, 3, 1);
        Tensor f = Tensor.of(new float[] {1, 0, 0, -1}, 2, 2, 1, 1);
        Tensor valid = Convolutions.conv2d(x, f, new int[] {1}, Padding.VALID);
        assertEquals(Shape.of(1, 2, 2, 1), valid.shape());
        assertArrayEquals(new float[] {-4, -4, -4, -4}, valid.toFloatArray());
        // SAME, stride 1: one row and column of zeros after (total padding 1, the smaller half before)
        Tensor same = Convolutions.conv2d(x, f, new int[] {1}, Padding.SAME);
        assertArrayEquals(new float[] {-4, -4, 3, -4, -4, 6, 7, 8, 9}, same.toFloatArray());
        Tensor explicit = Convolutions.conv2d(x, f, new int[] {2}, Padding.explicit(1, 0, 1, 0));
        assertArrayEquals(new float[] {-1, -3, -7, -4}, explicit.toFloatArray());
        Tensor dilated = Convolutions.conv2d(x, f, new int[] {1}, Padding.VALID, DataFormat.NHWC, new int[] {2});
        assertArrayEquals(new float[] {1 - 9}, dilated.toFloatArray());
        Tensor max = Pools.maxPool2d(x, new int[] {2}, new int[] {2}, Padding.SAME, DataFormat.NHWC);
        assertArrayEquals(new float[] {5, 6, 8, 9}, max.toFloatArray());
        Tensor avg = Pools.avgPool2d(x, new int[] {2}, new int[] {2}, Padding.SAME, DataFormat.NHWC);
        assertArrayEquals(new float[] {3, 4.5f, 7.5f, 9}, avg.toFloatArray());
        assertArrayEquals(new float[] {5}, Pools.globalAvgPool2d(x, DataFormat.NHWC, false).toFloatArray());
        assertArrayEquals(new float[] {9},
                Pools.globalMaxPool2d(x.reshape(1, 1, 3, 3), DataFormat.NCHW, false).toFloatArray());
    }

    @Test
    void padSurroundsWithZeros() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        Tensor y = Manipulation.pad(x, new int[][] {{1, 0}, {0, 2}});
        assertEquals(Shape.of(3, 4), y.shape());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0}, y.toFloatArray());
        assertMessage(() -> Manipulation.pad(x, new int[][] {{1, 0}}), "paddings has 1 rows", "expected 2 pairs");
        assertMessage(() -> Manipulation.pad(x, new int[][] {{1, 0}, {0, -2}}), "paddings[1] = [0, -2]", ">= 0");
    }

    @Test
    void groupsConvolveTheirOwnChannels() {
        // two groups of one channel: output channel 0 sees channel 0 only (x2), output channel 1 channel 1 (x10)
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 1, 1, 2, 2);
        Tensor f = Tensor.of(new float[] {2, 10}, 1, 1, 1, 2);
        assertArrayEquals(new float[] {2, 20, 6, 40}, Convolutions.conv2d(x, f, new int[] {1}, Padding.VALID)
                .toFloatArray());
    }

    @Test
    void maxPoolGradientGoesToTheFirstMaximum() {
        Tensor x = Tensor.of(new float[] {7, 7, 7, 7}, 1, 2, 2, 1);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = Pools.maxPool2d(x, new int[] {2}, new int[] {2}, Padding.VALID, DataFormat.NHWC);
            assertArrayEquals(new float[] {1, 0, 0, 0}, tape.gradient(y, x)[0].toFloatArray());
        }
    }

    @Test
    void badArgumentsNameTheArgumentTheValueAndTheExpectation() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 1, 5, 5, 4);
        Tensor f = Tensor.zeros(DType.FLOAT32, 3, 3, 4, 8);
        int[] one = {1};
        assertMessage(() -> Convolutions.conv2d(x, Tensor.zeros(DType.FLOAT32, 6, 3, 4, 8), one, Padding.VALID),
                "kernel height 6", "padded input height 5");
        assertMessage(() -> Convolutions.conv2d(x, f, new int[] {0}, Padding.VALID), "strides = [0]", ">= 1");
        assertMessage(() -> Convolutions.conv2d(x, f, one, Padding.VALID, DataFormat.NHWC, new int[] {1, -1}),
                "dilations = [1, -1]", ">= 1");
        assertMessage(() -> Convolutions.conv2d(x, Tensor.zeros(DType.FLOAT32, 3, 3, 3, 8), one, Padding.VALID),
                "filters.shape[2] = 3", "divisor of 4");
        assertMessage(() -> Convolutions.conv2d(x, Tensor.zeros(DType.FLOAT32, 3, 3, 2, 7), one, Padding.VALID),
                "filters.shape[3] = 7", "multiple of the groups");
        assertMessage(() -> Convolutions.conv2d(Tensor.zeros(DType.FLOAT32, 5, 5, 4), f, one, Padding.VALID),
                "x has shape", "expected rank 4");
        assertMessage(() -> Pools.maxPool2d(x, new int[] {6, 1}, one, Padding.VALID, DataFormat.NHWC),
                "pool height 6", "padded input height 5");
        assertMessage(() -> Padding.explicit(0, -1, 0, 0), "bottom = -1", ">= 0");
        assertMessage(() -> Padding.parse("full"), "padding = \"full\"", "\"valid\" or \"same\"");
    }

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), () -> "message \"" + e.getMessage() + "\" lacks \"" + p + "\"");
        }
    }

    @Test
    void sameBitsOnAnyThreadCount() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 1, 5, 40, 13, 13, 32);
        Tensor f = Tensor.randomNormal(DType.FLOAT32, 0, 1, 6, 3, 3, 32, 64);
        Parallel.setThreads(1);
        Tensor y = Convolutions.conv2d(x, f, new int[] {1}, Padding.SAME);
        float[][] one = {y.toFloatArray(),
            Convolutions.conv2dBackpropInput(x.shape().dims(), f, y, new int[] {1}, Padding.SAME, DataFormat.NHWC,
                    new int[] {1}).toFloatArray(),
            Convolutions.conv2dBackpropFilter(x, f.shape().dims(), y, new int[] {1}, Padding.SAME,
                    DataFormat.NHWC, new int[] {1}).toFloatArray(),
            Pools.avgPool2d(x, new int[] {3}, new int[] {2}, Padding.SAME, DataFormat.NHWC).toFloatArray()};
        for (int threads : new int[] {2, 3, 8}) {
            Parallel.setThreads(threads);
            float[][] many = {Convolutions.conv2d(x, f, new int[] {1}, Padding.SAME).toFloatArray(),
                Convolutions.conv2dBackpropInput(x.shape().dims(), f, y, new int[] {1}, Padding.SAME,
                        DataFormat.NHWC, new int[] {1}).toFloatArray(),
                Convolutions.conv2dBackpropFilter(x, f.shape().dims(), y, new int[] {1}, Padding.SAME,
                        DataFormat.NHWC, new int[] {1}).toFloatArray(),
                Pools.avgPool2d(x, new int[] {3}, new int[] {2}, Padding.SAME, DataFormat.NHWC).toFloatArray()};
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], many[i], "result " + i + " differs on " + threads + " threads");
            }
        }
    }
}
