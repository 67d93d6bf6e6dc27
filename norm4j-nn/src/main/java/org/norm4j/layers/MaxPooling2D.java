package org.norm4j.layers;

import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.ops.DataFormat;
import org.norm4j.ops.Padding;
import org.norm4j.ops.Pools;

/**
 * {@code keras.layers.MaxPooling2D}: the maximum of each window. Keras 3 defaults: {@code pool_size=(2, 2)},
 * {@code strides=None} (the pool size), {@code padding="valid"}, {@code data_format="channels_last"}. The
 * gradient goes to the first maximum of each window (TensorFlow's rule).
 *
 * <pre>{@code
 * Layer pool = new MaxPooling2D();            // 2x2, stride 2
 * Layer pool3 = new MaxPooling2D(3).strides(2).padding("same");
 * }</pre>
 *
 * @see Pools#maxPool2d
 */
public class MaxPooling2D extends Pooling2D {
    /** {@code MaxPooling2D()}: pool 2x2, strides 2. */
    public MaxPooling2D() {
        this(2);
    }

    /** {@code MaxPooling2D(pool_size)}: one value (square) or two; strides default to the pool size. */
    public MaxPooling2D(int... poolSize) {
        super(poolSize);
    }

    /** Rebuilds from {@link #getConfig()}. */
    public static MaxPooling2D fromConfig(Map<String, Object> config) {
        return configure(new MaxPooling2D(poolSize(config)), config);
    }

    @Override
    Tensor pool(Tensor x, int[] ksize, int[] strides, Padding padding, DataFormat format) {
        return Pools.maxPool2d(x, ksize, strides, padding, format);
    }
}
