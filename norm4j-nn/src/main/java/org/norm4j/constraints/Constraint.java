package org.norm4j.constraints;

import java.util.Map;
import org.norm4j.Tensor;

/**
 * A projection applied to a weight after each optimizer step, like {@code keras.constraints.Constraint}.
 * Implementations are immutable; norm-based ones use Keras's {@code backend.epsilon()} = 1e-7 in the divisor.
 *
 * <pre>{@code
 * Constraint c = new MaxNorm(3.0, 0);
 * kernel.assign(c.apply(kernel.value()));
 * }</pre>
 */
public interface Constraint {
    /** Keras's {@code backend.epsilon()}, added to norms before dividing. */
    double EPSILON = 1e-7;

    /**
     * {@code constraint(w)}: the projected value, same shape and dtype as {@code w}.
     *
     * @param w the weight's value after the update
     * @return the constrained value
     */
    Tensor apply(Tensor w);

    /**
     * The Keras class name, e.g. {@code "MaxNorm"}; the {@code class_name} of the serialized form. By default the
     * Java class's simple name (Keras's name for every built-in one); an anonymous class must override it.
     */
    default String className() {
        return getClass().getSimpleName();
    }

    /** {@code get_config()}: the arguments with Keras's keys, in a new mutable map. */
    Map<String, Object> getConfig();
}
