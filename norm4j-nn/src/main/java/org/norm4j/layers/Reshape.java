package org.norm4j.layers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.norm4j.Tensor;

/**
 * {@code keras.layers.Reshape}: reshapes each sample to {@code target_shape} (batch axis kept); one entry may
 * be -1, inferred from the others. No weights.
 *
 * <p>Arguments: {@code target_shape} (required).
 *
 * <pre>{@code
 * Layer image = new Reshape(28, 28, 1);
 * }</pre>
 */
public class Reshape extends Layer {
    private final int[] targetShape;

    /**
     * {@code Reshape(target_shape)}.
     *
     * @param targetShape positive sizes, at most one -1
     */
    public Reshape(int... targetShape) {
        int unknown = 0;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                unknown++;
            } else if (targetShape[i] < 1) {
                throw new IllegalArgumentException("target_shape[" + i + "] = " + targetShape[i]
                        + ": expected a positive size or -1");
            }
        }
        if (unknown > 1) {
            throw new IllegalArgumentException("target_shape " + showShape(targetShape) + ": expected at most one -1");
        }
        this.targetShape = targetShape.clone();
    }

    /** Rebuilds from {@link #getConfig()}. */
    public static Reshape fromConfig(Map<String, Object> config) {
        Object t = config.get("target_shape");
        if (!(t instanceof List)) {
            throw new IllegalArgumentException("Reshape target_shape = " + t + ": expected a list of sizes");
        }
        List<?> l = (List<?>) t;
        int[] s = new int[l.size()];
        for (int i = 0; i < s.length; i++) {
            if (!(l.get(i) instanceof Integer)) {
                throw new IllegalArgumentException("Reshape target_shape[" + i + "] = " + l.get(i)
                        + ": expected an int");
            }
            s[i] = (Integer) l.get(i);
        }
        Reshape r = new Reshape(s);
        LayerConfigs.applyBase(r, config);
        return r;
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        long known = 1;
        int free = -1;
        for (int i = 0; i < targetShape.length; i++) {
            if (targetShape[i] == -1) {
                free = i;
            } else {
                known *= targetShape[i];
            }
        }
        long total = 1;
        for (int i = 1; i < inputShape.length; i++) {
            total *= inputShape[i];
        }
        int[] out = new int[targetShape.length + 1];
        out[0] = inputShape[0];
        System.arraycopy(targetShape, 0, out, 1, targetShape.length);
        if (free >= 0 ? total % known != 0 : total != known) {
            throw new IllegalArgumentException("Reshape layer '" + name() + "': input " + showShape(inputShape)
                    + " has " + total + " values per sample: expected a shape compatible with target_shape "
                    + showShape(targetShape));
        }
        if (free >= 0) {
            out[free + 1] = (int) (total / known);
        }
        return out;
    }

    @Override
    protected void build(int[] inputShape) {
        computeOutputShape(inputShape);
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        int[] s = computeOutputShape(inputs.shape().dims());
        return inputs.reshape(s);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        List<Object> t = new ArrayList<>();
        for (int d : targetShape) {
            t.add(d);
        }
        c.put("target_shape", t);
        return c;
    }
}
