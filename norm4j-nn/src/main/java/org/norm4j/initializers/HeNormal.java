package org.norm4j.initializers;

/**
 * {@code keras.initializers.HeNormal(seed=None)} ({@code "he_normal"}): the He normal initializer, a truncated
 * normal whose standard deviation after truncation is {@code sqrt(2 / fan_in)}. It is {@link VarianceScaling} with
 * {@code scale=2.0}, {@code mode="fan_in"}, {@code distribution="truncated_normal"}. Config: {@code {"seed":
 * seed}}. Seeding as described in {@link RandomInitializer}.
 *
 * <pre>{@code
 * Tensor kernel = new HeNormal(42L).apply(Shape.of(784, 128), DType.FLOAT32);
 * }</pre>
 */
public final class HeNormal extends VarianceScalingPreset {

    /** {@code HeNormal()}: no seed; each call draws one from {@link Seeds}. */
    public HeNormal() {
        this(null);
    }

    /**
     * {@code HeNormal(seed)}.
     *
     * @param seed the seed, or {@code null} (default) to draw one from {@link Seeds} at each call
     */
    public HeNormal(Long seed) {
        super(2.0, "fan_in", "truncated_normal", seed);
    }
}
