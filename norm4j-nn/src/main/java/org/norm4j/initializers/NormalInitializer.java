package org.norm4j.initializers;

import java.util.Map;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * What {@link RandomNormal} and {@link TruncatedNormal} share: the {@code mean} and {@code stddev} arguments, their
 * check, and the config {@code {mean, stddev, seed}}.
 */
abstract class NormalInitializer extends RandomInitializer {
    final double mean;
    final double stddev;

    NormalInitializer(double mean, double stddev, Long seed) {
        super(seed);
        if (!(stddev >= 0) || Double.isInfinite(stddev) || !Double.isFinite(mean)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + "(mean=" + mean + ", stddev=" + stddev
                    + "): expected a finite mean and a finite stddev >= 0");
        }
        this.mean = mean;
        this.stddev = stddev;
    }

    @Override
    public final Tensor apply(Shape shape, DType dtype) {
        Objects.requireNonNull(shape, "shape must not be null");
        Objects.requireNonNull(dtype, "dtype must not be null");
        return draw(shape, dtype, drawSeed());
    }

    /** The values for a checked shape and dtype, from {@code seed}. */
    abstract Tensor draw(Shape shape, DType dtype, long seed);

    @Override
    public Map<String, Object> getConfig() {
        return configWithSeed("mean", mean, "stddev", stddev);
    }
}
