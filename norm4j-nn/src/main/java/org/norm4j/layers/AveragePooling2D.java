package org.norm4j.layers;

import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.ops.DataFormat;
import org.norm4j.ops.Padding;
import org.norm4j.ops.Pools;

/**
 * {@code keras.layers.AveragePooling2D}: the mean of each window's real positions (padding is not counted, as
 * TensorFlow). Keras 3: {@code pool_size} required (norm4j's no-argument constructor gives 2x2),
 * {@code strides=None} (the pool size), {@code padding="valid"}, {@code data_format="channels_last"}.
 *
 * <pre>{@code
 * Layer pool = new AveragePooling2D(2);
 * }</pre>
 *
 * @see Pools#avgPool2d
 */
public class AveragePooling2D extends Pooling2D {
    /** {@code AveragePooling2D(2)}. */
    public AveragePooling2D() {
        this(2);
    }

    /** {@code AveragePooling2D(pool_size)}: one value (square) or two; strides default to the pool size. */
    public AveragePooling2D(int... poolSize) {
        super(poolSize);
    }

    /** Rebuilds from {@link #getConfig()}. */
    public static AveragePooling2D fromConfig(Map<String, Object> config) {
        return configure(new AveragePooling2D(poolSize(config)), config);
    }

    @Override
    Tensor pool(Tensor x, int[] ksize, int[] strides, Padding padding, DataFormat format) {
        return Pools.avgPool2d(x, ksize, strides, padding, format);
    }
}
