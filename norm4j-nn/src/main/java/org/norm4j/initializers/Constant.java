package org.norm4j.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * {@code keras.initializers.Constant(value=0.0)} ({@code "constant"}): every value equal to {@code value}.
 * Config: {@code {"value": value}}.
 *
 * <pre>{@code
 * Tensor t = new Constant(0.1).apply(Shape.of(3), DType.FLOAT32); // [0.1 0.1 0.1]
 * }</pre>
 */
public final class Constant implements Initializer {
    private final double value;

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
        this.value = value;
    }

    /** The fill value. */
    public double value() {
        return value;
    }

    @Override
    public Tensor apply(Shape shape, DType dtype) {
        Objects.requireNonNull(shape, "shape must not be null");
        Objects.requireNonNull(dtype, "dtype must not be null");
        return Tensor.full(dtype, value, shape.dims());
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("value", value);
        return c;
    }
}
