package org.norm4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;

/** The layer contract for the basic layers, plus their own behaviour. */
class CoreLayersTest {

    @Test
    void denseContract() {
        LayerContract.check(() -> new Dense(3, "tanh"), new int[] {5}, new int[] {3}, 2, 0);
    }

    @Test
    void activationContractAndValues() {
        LayerContract.check(() -> new Activation("relu"), new int[] {4}, new int[] {4}, 0, 0);
        Tensor y = new Activation("relu").apply(Tensor.of(new float[] {-1, 2}));
        assertArrayEquals(new float[] {0, 2}, y.toFloatArray());
    }

    @Test
    void flattenContract() {
        LayerContract.check(Flatten::new, new int[] {2, 3}, new int[] {6}, 0, 0);
    }

    @Test
    void dropoutContractAndStatistics() {
        LayerContract.check(() -> new Dropout(0.3, 5L), new int[] {4}, new int[] {4}, 0, 0);
        Dropout d = new Dropout(0.25, 9L);
        Tensor ones = Tensor.ones(DType.FLOAT32, 100, 100);
        assertArrayEquals(ones.toFloatArray(), d.apply(ones, false).toFloatArray(), "inference is the identity");
        float[] t = d.apply(ones, true).toFloatArray();
        int zeros = 0;
        for (float v : t) {
            if (v == 0) {
                zeros++;
            } else {
                assertEquals(1 / 0.75f, v, 1e-6f);
            }
        }
        assertEquals(2500, zeros, 200, "about a quarter dropped");
        float[] again = d.apply(ones, true).toFloatArray();
        assertTrue(!java.util.Arrays.equals(t, again), "each training call draws a new mask");
    }
}
