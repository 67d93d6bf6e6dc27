package org.norm4j.regularizers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.norm4j.Tensor;

/**
 * {@code keras.regularizers.L1(l1=0.01)}: the penalty {@code l1 * sum(|x|)}.
 */
public final class L1 implements Regularizer {
    private final double l1;

    /** {@code L1()} with Keras's default factor 0.01. */
    public L1() {
        this(0.01);
    }

    /**
     * {@code L1(l1)}.
     *
     * @param l1 the factor, finite and {@code >= 0}
     */
    public L1(double l1) {
        this.l1 = Regularizer.checkFactor(l1, "l1");
    }

    /** The factor. */
    public double l1() {
        return l1;
    }

    @Override
    public Tensor apply(Tensor x) {
        return x.abs().sum().mul(l1);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("l1", l1);
        return c;
    }
}
