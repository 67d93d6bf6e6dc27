package org.norm4j.layers;

import org.norm4j.keras.KerasObjects;
import java.util.Map;
import org.norm4j.Tensor;

/** {@code keras.layers.Flatten()}: reshapes {@code (batch, d1, d2, ...)} to {@code (batch, d1*d2*...)}. */
public class Flatten extends Layer {

    /** {@code Flatten()}. */
    public Flatten() {
    }

    /** Rebuilds from {@link #getConfig()}. */
    public static Flatten fromConfig(Map<String, Object> config) {
        Flatten f = new Flatten();
        LayerConfigs.applyBase(f, config);
        return f;
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        int batch = inputs.rank() == 0 ? 1 : inputs.shape().dim(0);
        return inputs.reshape(batch, batch == 0 ? 0 : -1);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        long n = 1;
        for (int i = 1; i < inputShape.length; i++) {
            n *= inputShape[i];
        }
        return new int[] {inputShape[0], (int) n};
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "data_format", "channels_last");
    }
}
