package org.norm4j.layers;

import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.ops.DataFormat;
import org.norm4j.ops.Pools;

/**
 * {@code keras.layers.GlobalAveragePooling2D}: the mean over the height and width of each channel. Keras 3
 * defaults: {@code data_format="channels_last"}, {@code keepdims=false} (output (batch, channels)).
 *
 * <pre>{@code
 * Layer pool = new GlobalAveragePooling2D();
 * }</pre>
 *
 * @see Pools#globalAvgPool2d
 */
public class GlobalAveragePooling2D extends GlobalPooling2D {
    /** {@code GlobalAveragePooling2D()}. */
    public GlobalAveragePooling2D() {
    }

    /** Rebuilds from {@link #getConfig()}. */
    public static GlobalAveragePooling2D fromConfig(Map<String, Object> config) {
        return configure(new GlobalAveragePooling2D(), config);
    }

    @Override
    Tensor pool(Tensor x, DataFormat format, boolean keepDims) {
        return Pools.globalAvgPool2d(x, format, keepDims);
    }
}
