package org.norm4j.regularizers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.norm4j.Tensor;

/**
 * {@code keras.regularizers.L2(l2=0.01)}: the penalty {@code l2 * sum(x^2)} (no factor 1/2, as Keras).
 */
public final class L2 implements Regularizer {
    private final double l2;

    /** {@code L2()} with Keras's default factor 0.01. */
    public L2() {
        this(0.01);
    }

    /**
     * {@code L2(l2)}.
     *
     * @param l2 the factor, finite and {@code >= 0}
     */
    public L2(double l2) {
        this.l2 = Regularizer.checkFactor(l2, "l2");
    }

    /** The factor. */
    public double l2() {
        return l2;
    }

    @Override
    public Tensor apply(Tensor x) {
        return x.square().sum().mul(l2);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("l2", l2);
        return c;
    }
}
