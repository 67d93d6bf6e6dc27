package org.norm4j.constraints;

import java.util.LinkedHashMap;
import java.util.Map;
import org.norm4j.Tensor;

/**
 * {@code keras.constraints.MinMaxNorm(min_value=0.0, max_value=1.0, rate=1.0, axis=0)}: moves each slice's L2
 * norm towards {@code [min_value, max_value]}: {@code desired = rate * clip(norms, min, max) + (1 - rate) * norms},
 * {@code w * desired / (1e-7 + norms)}.
 */
public final class MinMaxNorm extends NormConstraint {
    private final double minValue;
    private final double maxValue;
    private final double rate;

    /** {@code MinMaxNorm()}: min 0, max 1, rate 1, axis 0. */
    public MinMaxNorm() {
        this(0.0, 1.0, 1.0, 0);
    }

    /**
     * {@code MinMaxNorm(min_value, max_value, rate, axis)}.
     *
     * @param minValue the smallest norm
     * @param maxValue the largest norm
     * @param rate 1 enforces the range strictly, smaller values move towards it gradually
     * @param axis the axes the norm is taken over
     */
    public MinMaxNorm(double minValue, double maxValue, double rate, int... axis) {
        super(axis);
        this.minValue = minValue;
        this.maxValue = maxValue;
        this.rate = rate;
    }

    @Override
    public Tensor apply(Tensor w) {
        Tensor n = norms(w);
        Tensor clipped = n.maximum(Tensor.scalar(minValue, w.dtype())).minimum(Tensor.scalar(maxValue, w.dtype()));
        Tensor desired = clipped.mul(rate).add(n.mul(1 - rate));
        return rescale(w, desired, n);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("min_value", minValue);
        c.put("max_value", maxValue);
        c.put("rate", rate);
        c.put("axis", axisConfig());
        return c;
    }
}
