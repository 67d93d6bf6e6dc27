package org.norm4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;

/** Reshape, Rescaling (the layers Keras files use around normalization) and a layer's dtype. */
class ReshapeRescalingDtypeTest {
    @Test
    void reshapeContractAndInferredSize() {
        LayerContract.check(() -> new Reshape(3, -1), new int[] {6}, new int[] {3, 2}, 0, 0);
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 2, 6);
        Tensor y = new Reshape(-1, 2).apply(x);
        assertArrayEquals(new int[] {2, 3, 2}, y.shape().dims());
        assertArrayEquals(x.toFloatArray(), y.toFloatArray(), "row-major order kept");
    }

    @Test
    void reshapeErrorsNameTheShape() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Reshape(-1, -1)).getMessage()
                .contains("at most one -1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Reshape(0, 2)).getMessage()
                .contains("target_shape[0] = 0"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Reshape(4).apply(Tensor.zeros(DType.FLOAT32, 2, 6)));
        assertTrue(e.getMessage().contains("6 values per sample") && e.getMessage().contains("(4,)"),
                e.getMessage());
    }

    @Test
    void rescalingContractAndValues() {
        LayerContract.check(() -> new Rescaling(0.5, 1.0), new int[] {4}, new int[] {4}, 0, 0);
        Tensor y = new Rescaling(1.0 / 255, -0.5).apply(Tensor.of(new float[] {0, 255, 51}, 1, 3));
        // float32(1/255) * x + float32(-0.5), as Keras casts scale and offset to the inputs' dtype
        float s = (float) (1.0 / 255);
        assertArrayEquals(new float[] {-0.5f, s * 255f - 0.5f, s * 51f - 0.5f}, y.toFloatArray());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Rescaling(Double.NaN, 0)).getMessage()
                .contains("expected finite numbers"));
    }

    @Test
    void float64LayerKeepsFloat64WeightsAndCastsItsInputs() {
        Dense d = new Dense(2);
        d.dtype(DType.FLOAT64);
        Tensor y = d.apply(Tensor.of(new float[] {1, 2, 3}, 1, 3));
        assertEquals(DType.FLOAT64, d.kernel().dtype());
        assertEquals(DType.FLOAT64, y.dtype());
        assertEquals("float64", d.getConfig().get("dtype"));
        assertThrows(IllegalStateException.class, () -> d.dtype(DType.FLOAT32), "dtype after build");
        Layer copy = LayerConfigs.fromConfig("Dense", d.getConfig());
        assertEquals(DType.FLOAT64, copy.dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerConfigs.fromConfig("Flatten", Map.of("name", "f", "dtype", "float16")));
        assertTrue(e.getMessage().contains("dtype = float16"), e.getMessage());
    }
}
