package org.norm4j.initializers;

/**
 * {@code keras.initializers.GlorotNormal(seed=None)} ({@code "glorot_normal"}): the Glorot (Xavier) normal
 * initializer, a truncated normal whose standard deviation after truncation is {@code sqrt(2 / (fan_in +
 * fan_out))}. It is {@link VarianceScaling} with {@code scale=1.0}, {@code mode="fan_avg"}, {@code
 * distribution="truncated_normal"}. Config: {@code {"seed": seed}}. Seeding as described in {@link
 * RandomInitializer}.
 *
 * <pre>{@code
 * Tensor kernel = new GlorotNormal(42L).apply(Shape.of(784, 128), DType.FLOAT32);
 * }</pre>
 */
public final class GlorotNormal extends VarianceScalingPreset {

    /** {@code GlorotNormal()}: no seed; each call draws one from {@link Seeds}. */
    public GlorotNormal() {
        this(null);
    }

    /**
     * {@code GlorotNormal(seed)}.
     *
     * @param seed the seed, or {@code null} (default) to draw one from {@link Seeds} at each call
     */
    public GlorotNormal(Long seed) {
        super(1.0, "fan_avg", "truncated_normal", seed);
    }
}
