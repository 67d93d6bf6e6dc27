package org.norm4j.initializers;

import java.util.Map;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * A weight initializer, like {@code keras.initializers.Initializer}: a function from a shape and dtype to the
 * initial value of a weight.
 *
 * <p>Implementations are immutable. Random initializers given an explicit seed return the same tensor on every
 * call; without a seed they draw a fresh seed from {@link Seeds} at each call (see {@link RandomInitializer}).
 *
 * <pre>{@code
 * Initializer init = Initializers.get("glorot_uniform");
 * Tensor kernel = init.apply(Shape.of(784, 128), DType.FLOAT32);
 * }</pre>
 */
public interface Initializer {

    /**
     * {@code initializer(shape, dtype)}: a new tensor holding the initial values.
     *
     * @param shape the weight's shape
     * @param dtype the weight's dtype
     * @return a tensor of that shape and dtype
     */
    Tensor apply(Shape shape, DType dtype);

    /** Shortcut for {@link #apply(Shape, DType)} with a FLOAT32 weight, Keras's default {@code floatx}. */
    default Tensor apply(int... shape) {
        return apply(Shape.of(shape), DType.FLOAT32);
    }

    /**
     * The Keras class name, e.g. {@code "GlorotUniform"}; the {@code class_name} of the serialized form. By default
     * the Java class's simple name (Keras's name for every built-in one); an anonymous class must override it.
     */
    default String className() {
        return getClass().getSimpleName();
    }

    /**
     * {@code get_config()}: the constructor arguments with Keras's keys ({@code seed}, {@code mean},
     * {@code stddev}, {@code minval}, {@code maxval}, {@code value}, ...), in a new mutable map.
     */
    Map<String, Object> getConfig();
}
