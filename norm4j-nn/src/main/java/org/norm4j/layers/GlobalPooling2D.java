package org.norm4j.layers;

import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.ops.DataFormat;

/**
 * The base of {@link GlobalAveragePooling2D} and {@link GlobalMaxPooling2D}: Keras's {@code GlobalPooling2D},
 * with {@code data_format="channels_last"} and {@code keepdims=false}. No weights.
 */
public abstract class GlobalPooling2D extends Layer {
    private String dataFormat = "channels_last";
    private boolean keepDims;

    GlobalPooling2D() {
    }

    /** {@code data_format}: "channels_last" (default) or "channels_first". */
    public GlobalPooling2D dataFormat(String value) {
        dataFormat = ConvArgs.dataFormat(value);
        return this;
    }

    /** {@code keepdims} (default false): keep the spatial axes as size 1. */
    public GlobalPooling2D keepDims(boolean value) {
        keepDims = value;
        return this;
    }

    static <T extends GlobalPooling2D> T configure(T layer, Map<String, Object> config) {
        layer.dataFormat((String) config.get("data_format"));
        layer.keepDims(Boolean.TRUE.equals(config.get("keepdims")));
        LayerConfigs.applyBase(layer, config);
        return layer;
    }

    /** The reduction over the spatial axes. */
    abstract Tensor pool(Tensor x, DataFormat format, boolean keepDims);

    @Override
    protected void build(int[] inputShape) {
        ConvArgs.rank4(this, inputShape);
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        return pool(inputs, ConvArgs.format(dataFormat), keepDims);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        ConvArgs.rank4(this, inputShape);
        boolean first = "channels_first".equals(dataFormat);
        int c = inputShape[first ? 1 : 3];
        if (!keepDims) {
            return new int[] {inputShape[0], c};
        }
        return first ? new int[] {inputShape[0], c, 1, 1} : new int[] {inputShape[0], 1, 1, c};
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("data_format", dataFormat);
        c.put("keepdims", keepDims);
        return c;
    }
}
