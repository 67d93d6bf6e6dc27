package org.norm4j.layers;

import java.util.List;
import java.util.Map;
import org.norm4j.Tensor;

/**
 * {@code keras.Input(shape=...)} as the first entry of a {@code Sequential}: declares the shape of one sample
 * (without the batch dimension) so the model is built before it sees data. Saved as Keras's
 * {@code InputLayer} with {@code batch_shape}.
 */
public class Input extends Layer {
    private final int[] shape;

    /** {@code Input(shape=(d1, d2, ...))}. */
    public Input(int... shape) {
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 1) {
                throw new IllegalArgumentException("shape[" + i + "] = " + shape[i] + ": expected a positive size");
            }
        }
        this.shape = shape.clone();
        name("input_layer");
    }

    /** Rebuilds from {@link #getConfig()}. */
    @SuppressWarnings("unchecked")
    public static Input fromConfig(Map<String, Object> config) {
        List<Object> batchShape = (List<Object>) config.get("batch_shape");
        int[] s = new int[batchShape.size() - 1];
        for (int i = 0; i < s.length; i++) {
            s[i] = ((Number) batchShape.get(i + 1)).intValue();
        }
        Input in = new Input(s);
        LayerConfigs.applyBase(in, config);
        return in;
    }

    /** The sample shape, batch excluded. */
    public int[] shape() {
        return shape.clone();
    }

    /** The batch shape with an unknown batch: {@code (-1, d1, ...)}. */
    public int[] batchShape() {
        int[] b = new int[shape.length + 1];
        b[0] = -1;
        System.arraycopy(shape, 0, b, 1, shape.length);
        return b;
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        return inputs;
    }

    @Override
    public String className() {
        return "InputLayer";
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        java.util.List<Object> b = new java.util.ArrayList<>();
        b.add(null);
        for (int d : shape) {
            b.add(d);
        }
        c.put("batch_shape", b);
        return c;
    }
}
