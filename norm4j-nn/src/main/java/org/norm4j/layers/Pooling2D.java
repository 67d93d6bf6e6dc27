package org.norm4j.layers;

import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.ops.Padding;

/**
 * The base of {@link MaxPooling2D} and {@link AveragePooling2D}: Keras's {@code Pooling2D}, with
 * {@code pool_size}, {@code strides} (default: {@code pool_size}), {@code padding="valid"} and
 * {@code data_format="channels_last"}. No weights.
 */
public abstract class Pooling2D extends Layer {
    private final int[] poolSize;
    private int[] strides;
    private String padding = "valid";
    private String dataFormat = "channels_last";

    Pooling2D(int... poolSize) {
        this.poolSize = ConvArgs.pair("pool_size", 1, poolSize);
        this.strides = this.poolSize.clone();
    }

    /** {@code strides}: one or two positive integers (default: the pool size). */
    public Pooling2D strides(int... value) {
        strides = ConvArgs.pair("strides", 1, value);
        return this;
    }

    /** {@code padding}: "valid" (default) or "same". */
    public Pooling2D padding(String value) {
        padding = ConvArgs.padding(value);
        return this;
    }

    /** {@code data_format}: "channels_last" (default) or "channels_first". */
    public Pooling2D dataFormat(String value) {
        dataFormat = ConvArgs.dataFormat(value);
        return this;
    }

    /** Applies the config's strides, padding, data_format and base keys to a new layer. */
    static <T extends Pooling2D> T configure(T layer, Map<String, Object> config) {
        if (config.get("strides") != null) {
            layer.strides(ConvArgs.pair("strides", 1, config.get("strides")));
        }
        layer.padding(String.valueOf(config.getOrDefault("padding", "valid")));
        layer.dataFormat((String) config.get("data_format"));
        LayerConfigs.applyBase(layer, config);
        return layer;
    }

    /** The pool size from a config (default 2). */
    static int[] poolSize(Map<String, Object> config) {
        Object p = config.get("pool_size");
        return p == null ? new int[] {2, 2} : ConvArgs.pair("pool_size", 1, p);
    }

    /** The pooling op: max or average of the windows. */
    abstract Tensor pool(Tensor x, int[] ksize, int[] strides, Padding padding, org.norm4j.ops.DataFormat format);

    @Override
    protected void build(int[] inputShape) {
        computeOutputShape(inputShape);
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        return pool(inputs, poolSize, strides, Padding.parse(padding), ConvArgs.format(dataFormat));
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        ConvArgs.rank4(this, inputShape);
        boolean first = "channels_first".equals(dataFormat);
        int oh = ConvArgs.outputSize(this, "pool height", inputShape[first ? 2 : 1], poolSize[0], strides[0],
                padding);
        int ow = ConvArgs.outputSize(this, "pool width", inputShape[first ? 3 : 2], poolSize[1], strides[1],
                padding);
        return first ? new int[] {inputShape[0], inputShape[1], oh, ow}
                : new int[] {inputShape[0], oh, ow, inputShape[3]};
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("pool_size", ConvArgs.list(poolSize));
        c.put("padding", padding);
        c.put("strides", ConvArgs.list(strides));
        c.put("data_format", dataFormat);
        return c;
    }
}
