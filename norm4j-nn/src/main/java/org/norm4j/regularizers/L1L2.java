package org.norm4j.regularizers;

import java.util.LinkedHashMap;
import java.util.Map;
import org.norm4j.Tensor;

/**
 * {@code keras.regularizers.L1L2(l1=0.0, l2=0.0)}: the penalty {@code l1 * sum(|x|) + l2 * sum(x^2)}; a zero
 * factor drops its term (both zero: a zero scalar). Keras's {@code "l1_l2"} identifier means
 * {@code L1L2(l1=0.01, l2=0.01)}.
 */
public final class L1L2 implements Regularizer {
    private final double l1;
    private final double l2;

    /** {@code L1L2()} with Keras's defaults, both factors 0. */
    public L1L2() {
        this(0.0, 0.0);
    }

    /**
     * {@code L1L2(l1, l2)}.
     *
     * @param l1 the L1 factor, finite and {@code >= 0}
     * @param l2 the L2 factor, finite and {@code >= 0}
     */
    public L1L2(double l1, double l2) {
        this.l1 = Regularizer.checkFactor(l1, "l1");
        this.l2 = Regularizer.checkFactor(l2, "l2");
    }

    /** The L1 factor. */
    public double l1() {
        return l1;
    }

    /** The L2 factor. */
    public double l2() {
        return l2;
    }

    @Override
    public Tensor apply(Tensor x) {
        Tensor r = null;
        if (l1 != 0) {
            r = x.abs().sum().mul(l1);
        }
        if (l2 != 0) {
            Tensor t = x.square().sum().mul(l2);
            r = r == null ? t : r.add(t);
        }
        return r == null ? Tensor.scalar(0.0, x.dtype()) : r;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("l1", l1);
        c.put("l2", l2);
        return c;
    }
}
