package org.norm4j.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * {@code keras.initializers.Ones()} ({@code "ones"}): every value 1. No arguments; the config is empty.
 *
 * <pre>{@code
 * Tensor gamma = new Ones().apply(Shape.of(64), DType.FLOAT32);
 * }</pre>
 */
public final class Ones implements Initializer {

    /** {@code Ones()}. */
    public Ones() {
    }

    @Override
    public Tensor apply(Shape shape, DType dtype) {
        Objects.requireNonNull(shape, "shape must not be null");
        Objects.requireNonNull(dtype, "dtype must not be null");
        return Tensor.ones(dtype, shape.dims());
    }

    @Override
    public Map<String, Object> getConfig() {
        return new LinkedHashMap<>();
    }
}
