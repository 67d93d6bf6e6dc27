package org.norm4j.initializers;

import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * {@code keras.initializers.RandomNormal(mean=0.0, stddev=0.05, seed=None)} ({@code "random_normal"}): samples
 * of a normal distribution. Config keys: {@code mean}, {@code stddev}, {@code seed}. Seeding as described in
 * {@link RandomInitializer}.
 *
 * <pre>{@code
 * Tensor w = new RandomNormal(0.0, 1.0, 42L).apply(Shape.of(3, 3), DType.FLOAT32);
 * }</pre>
 */
public final class RandomNormal extends NormalInitializer {

    /** {@code RandomNormal()}: mean 0, stddev 0.05, no seed. */
    public RandomNormal() {
        this(0.0, 0.05, null);
    }

    /**
     * {@code RandomNormal(mean, stddev, seed)}.
     *
     * @param mean the mean (Keras default 0.0)
     * @param stddev the standard deviation, {@code >= 0} (Keras default 0.05)
     * @param seed the seed, or {@code null} (default) to draw one from {@link Seeds} at each call
     */
    public RandomNormal(double mean, double stddev, Long seed) {
        super(mean, stddev, seed);
    }

    @Override
    Tensor draw(Shape shape, DType dtype, long seed) {
        return Tensor.randomNormal(dtype, mean, stddev, seed, shape.dims());
    }
}
