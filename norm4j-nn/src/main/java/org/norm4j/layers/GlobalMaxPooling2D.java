package org.norm4j.layers;

import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.ops.DataFormat;
import org.norm4j.ops.Pools;

/**
 * {@code keras.layers.GlobalMaxPooling2D}: the maximum over the height and width of each channel. Keras 3
 * defaults: {@code data_format="channels_last"}, {@code keepdims=false} (output (batch, channels)).
 *
 * <pre>{@code
 * Layer pool = new GlobalMaxPooling2D();
 * }</pre>
 *
 * @see Pools#globalMaxPool2d
 */
public class GlobalMaxPooling2D extends GlobalPooling2D {
    /** {@code GlobalMaxPooling2D()}. */
    public GlobalMaxPooling2D() {
    }

    /** Rebuilds from {@link #getConfig()}. */
    public static GlobalMaxPooling2D fromConfig(Map<String, Object> config) {
        return configure(new GlobalMaxPooling2D(), config);
    }

    @Override
    Tensor pool(Tensor x, DataFormat format, boolean keepDims) {
        return Pools.globalMaxPool2d(x, format, keepDims);
    }
}
