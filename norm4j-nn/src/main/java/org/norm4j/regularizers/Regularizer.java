package org.norm4j.regularizers;

import java.util.Map;
import org.norm4j.Tensor;

/**
 * A weight penalty, like {@code keras.regularizers.Regularizer}: a function from a weight's value to a scalar
 * that is added to the training loss. Built from norm4j ops, so a {@link org.norm4j.GradientTape} differentiates
 * it. Implementations are immutable.
 *
 * <pre>{@code
 * Regularizer r = new L2(1e-4);
 * Tensor penalty = r.apply(kernel.value()); // 1e-4 * sum(kernel^2)
 * }</pre>
 */
public interface Regularizer {

    /**
     * {@code regularizer(x)}: the penalty for the weight value {@code x}, a scalar of x's dtype.
     *
     * @param x the weight's current value
     * @return a rank-0 tensor
     */
    Tensor apply(Tensor x);

    /**
     * The Keras class name, e.g. {@code "L2"}; the {@code class_name} of the serialized form. By default the Java
     * class's simple name (Keras's name for every built-in one); an anonymous class must override it.
     */
    default String className() {
        return getClass().getSimpleName();
    }

    /** {@code get_config()}: the arguments with Keras's keys ({@code l1}, {@code l2}), in a new mutable map. */
    Map<String, Object> getConfig();

    /** Checks a penalty factor as Keras does: a finite number {@code >= 0}. */
    static double checkFactor(double v, String name) {
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException("Invalid value for argument " + name + ": expected a non-negative "
                    + "finite float, got " + v);
        }
        return v;
    }
}
