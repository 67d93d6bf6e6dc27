package org.norm4j.initializers;

/**
 * {@code keras.initializers.GlorotUniform(seed=None)} ({@code "glorot_uniform"}): the Glorot (Xavier) uniform
 * initializer, uniform on {@code [-limit, limit)} with {@code limit = sqrt(6 / (fan_in + fan_out))}; Keras's
 * default kernel initializer. It is {@link VarianceScaling} with {@code scale=1.0}, {@code mode="fan_avg"}, {@code
 * distribution="uniform"}. Config: {@code {"seed": seed}}. Seeding as described in {@link RandomInitializer}.
 *
 * <pre>{@code
 * Tensor kernel = new GlorotUniform(42L).apply(Shape.of(784, 128), DType.FLOAT32);
 * }</pre>
 */
public final class GlorotUniform extends VarianceScalingPreset {

    /** {@code GlorotUniform()}: no seed; each call draws one from {@link Seeds}. */
    public GlorotUniform() {
        this(null);
    }

    /**
     * {@code GlorotUniform(seed)}.
     *
     * @param seed the seed, or {@code null} (default) to draw one from {@link Seeds} at each call
     */
    public GlorotUniform(Long seed) {
        super(1.0, "fan_avg", "uniform", seed);
    }
}
