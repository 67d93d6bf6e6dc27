package org.norm4j.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * {@code keras.initializers.Zeros()} ({@code "zeros"}): every value 0. No arguments; the config is empty.
 *
 * <pre>{@code
 * Tensor bias = new Zeros().apply(Shape.of(128), DType.FLOAT32);
 * }</pre>
 */
public final class Zeros implements Initializer {

    /** {@code Zeros()}. */
    public Zeros() {
    }

    @Override
    public Tensor apply(Shape shape, DType dtype) {
        Objects.requireNonNull(shape, "shape must not be null");
        Objects.requireNonNull(dtype, "dtype must not be null");
        return Tensor.zeros(dtype, shape.dims());
    }

    @Override
    public Map<String, Object> getConfig() {
        return new LinkedHashMap<>();
    }
}
