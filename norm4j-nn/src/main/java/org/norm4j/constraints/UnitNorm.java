package org.norm4j.constraints;

import java.util.LinkedHashMap;
import java.util.Map;
import org.norm4j.Tensor;

/** {@code keras.constraints.UnitNorm(axis=0)}: {@code w / (1e-7 + sqrt(sum(w^2, axis)))}. */
public final class UnitNorm extends NormConstraint {

    /** {@code UnitNorm()}: axis 0. */
    public UnitNorm() {
        this(0);
    }

    /**
     * {@code UnitNorm(axis)}.
     *
     * @param axis the axes the norm is taken over
     */
    public UnitNorm(int... axis) {
        super(axis);
    }

    @Override
    public Tensor apply(Tensor w) {
        return w.div(norms(w).add(EPSILON));
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("axis", axisConfig());
        return c;
    }
}
