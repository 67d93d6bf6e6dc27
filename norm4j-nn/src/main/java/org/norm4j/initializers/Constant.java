package org.norm4j.initializers;

import java.util.Map;
import org.norm4j.keras.KerasObjects;

/**
 * {@code keras.initializers.Constant(value=0.0)} ({@code "constant"}): every value equal to {@code value}.
 * Config: {@code {"value": value}}.
 *
 * <pre>{@code
 * Tensor t = new Constant(0.1).apply(Shape.of(3), DType.FLOAT32); // [0.1 0.1 0.1]
 * }</pre>
 */
public final class Constant extends FilledInitializer {

    /** {@code Constant()}: Keras's default {@code value=0.0}. */
    public Constant() {
        this(0.0);
    }

    /**
     * {@code Constant(value)}.
     *
     * @param value the fill value (rounded to float for FLOAT32 weights)
     */
    public Constant(double value) {
        super(value);
    }

    /** The fill value. */
    public double value() {
        return value;
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "value", value);
    }
}
