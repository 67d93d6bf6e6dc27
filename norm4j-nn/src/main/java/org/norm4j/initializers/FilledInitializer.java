package org.norm4j.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/** What {@link Zeros} and {@link Ones} share: every value the same, no arguments, an empty config. */
abstract class FilledInitializer implements Initializer {
    final double value;

    FilledInitializer(double value) {
        this.value = value;
    }

    @Override
    public Tensor apply(Shape shape, DType dtype) {
        Objects.requireNonNull(shape, "shape must not be null");
        Objects.requireNonNull(dtype, "dtype must not be null");
        return Tensor.full(dtype, value, shape.dims());
    }

    @Override
    public Map<String, Object> getConfig() {
        return new LinkedHashMap<>();
    }
}
