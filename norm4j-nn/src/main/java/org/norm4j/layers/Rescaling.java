package org.norm4j.layers;

import org.norm4j.keras.KerasObjects;
import java.util.Map;
import org.norm4j.Tensor;

/**
 * {@code keras.layers.Rescaling}: {@code output = inputs * scale + offset}, with {@code scale} and {@code offset}
 * cast to the inputs' dtype first (as Keras does). No weights.
 *
 * <p>Arguments and Keras defaults: {@code scale} (required), {@code offset=0.0}.
 *
 * <pre>{@code
 * Layer pixels = new Rescaling(1.0 / 255, 0.0);
 * }</pre>
 */
public class Rescaling extends Layer {
    private final double scale;
    private final double offset;

    /**
     * {@code Rescaling(scale, offset)}.
     *
     * @param scale the factor, finite
     * @param offset added after scaling, finite
     */
    public Rescaling(double scale, double offset) {
        if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("scale = " + scale + ", offset = " + offset + ": expected finite numbers");
        }
        this.scale = scale;
        this.offset = offset;
    }

    /** Rebuilds from {@link #getConfig()}: {@code scale} required, {@code offset} 0 when absent. */
    public static Rescaling fromConfig(Map<String, Object> config) {
        Object s = config.get("scale");
        Object o = config.getOrDefault("offset", 0.0);
        if (!(s instanceof Number) || !(o instanceof Number)) {
            throw new IllegalArgumentException("Rescaling scale = " + s + ", offset = " + o
                    + ": expected numbers (per-channel lists are not supported)");
        }
        Rescaling r = new Rescaling(((Number) s).doubleValue(), ((Number) o).doubleValue());
        LayerConfigs.applyBase(r, config);
        return r;
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        return inputs.mul(Tensor.scalar(scale, inputs.dtype())).add(Tensor.scalar(offset, inputs.dtype()));
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "scale", scale, "offset", offset);
    }
}
