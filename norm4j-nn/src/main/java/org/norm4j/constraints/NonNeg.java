package org.norm4j.constraints;

import java.util.LinkedHashMap;
import java.util.Map;
import org.norm4j.Tensor;

/** {@code keras.constraints.NonNeg()}: negative weights become 0 ({@code w * (w >= 0)}). */
public final class NonNeg implements Constraint {
    @Override
    public Tensor apply(Tensor w) {
        return w.maximum(Tensor.scalar(0.0, w.dtype()));
    }

    @Override
    public Map<String, Object> getConfig() {
        return new LinkedHashMap<>();
    }
}
