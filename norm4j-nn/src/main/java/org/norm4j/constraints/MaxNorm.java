package org.norm4j.constraints;

import java.util.LinkedHashMap;
import java.util.Map;
import org.norm4j.Tensor;

/**
 * {@code keras.constraints.MaxNorm(max_value=2, axis=0)}: rescales each slice along {@code axis} whose L2 norm
 * exceeds {@code max_value}: {@code w * clip(norms, 0, max_value) / (1e-7 + norms)}.
 */
public final class MaxNorm extends NormConstraint {
    private final double maxValue;

    /** {@code MaxNorm()}: max_value 2, axis 0. */
    public MaxNorm() {
        this(2.0, 0);
    }

    /**
     * {@code MaxNorm(max_value, axis)}.
     *
     * @param maxValue the largest norm allowed
     * @param axis the axes the norm is taken over (Keras: 0 for a Dense kernel's input axis)
     */
    public MaxNorm(double maxValue, int... axis) {
        super(axis);
        this.maxValue = maxValue;
    }

    @Override
    public Tensor apply(Tensor w) {
        Tensor n = norms(w);
        Tensor desired = n.maximum(Tensor.scalar(0.0, w.dtype())).minimum(Tensor.scalar(maxValue, w.dtype()));
        return rescale(w, desired, n);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("max_value", maxValue);
        c.put("axis", axisConfig());
        return c;
    }
}
