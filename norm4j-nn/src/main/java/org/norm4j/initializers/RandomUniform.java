package org.norm4j.initializers;

import java.util.Map;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * {@code keras.initializers.RandomUniform(minval=-0.05, maxval=0.05, seed=None)} ({@code "random_uniform"}):
 * samples of a uniform distribution on {@code [minval, maxval)}. Config keys: {@code minval}, {@code maxval},
 * {@code seed}. Seeding as described in {@link RandomInitializer}.
 *
 * <pre>{@code
 * Tensor w = new RandomUniform(-1, 1, 42L).apply(Shape.of(3, 3), DType.FLOAT32);
 * }</pre>
 */
public final class RandomUniform extends RandomInitializer {
    private final double minval;
    private final double maxval;

    /** {@code RandomUniform()}: {@code [-0.05, 0.05)}, no seed. */
    public RandomUniform() {
        this(-0.05, 0.05, null);
    }

    /**
     * {@code RandomUniform(minval, maxval, seed)}.
     *
     * @param minval the lower bound, inclusive (Keras default -0.05)
     * @param maxval the upper bound, exclusive, {@code >= minval} (Keras default 0.05)
     * @param seed the seed, or {@code null} (default) to draw one from {@link Seeds} at each call
     */
    public RandomUniform(double minval, double maxval, Long seed) {
        super(seed);
        if (!(maxval >= minval) || Double.isInfinite(maxval - minval)) {
            throw new IllegalArgumentException("RandomUniform(minval=" + minval + ", maxval=" + maxval
                    + "): expected finite bounds with minval <= maxval");
        }
        this.minval = minval;
        this.maxval = maxval;
    }

    @Override
    public Tensor apply(Shape shape, DType dtype) {
        Objects.requireNonNull(shape, "shape must not be null");
        Objects.requireNonNull(dtype, "dtype must not be null");
        return Tensor.randomUniform(dtype, minval, maxval, drawSeed(), shape.dims());
    }

    @Override
    public Map<String, Object> getConfig() {
        return configWithSeed("minval", minval, "maxval", maxval);
    }
}
