package org.norm4j.initializers;

/**
 * {@code keras.initializers.HeUniform(seed=None)} ({@code "he_uniform"}): the He uniform initializer, uniform on
 * {@code [-limit, limit)} with {@code limit = sqrt(6 / fan_in)}. It is {@link VarianceScaling} with {@code
 * scale=2.0}, {@code mode="fan_in"}, {@code distribution="uniform"}. Config: {@code {"seed": seed}}. Seeding as
 * described in {@link RandomInitializer}.
 *
 * <pre>{@code
 * Tensor kernel = new HeUniform(42L).apply(Shape.of(784, 128), DType.FLOAT32);
 * }</pre>
 */
public final class HeUniform extends VarianceScalingPreset {

    /** {@code HeUniform()}: no seed; each call draws one from {@link Seeds}. */
    public HeUniform() {
        this(null);
    }

    /**
     * {@code HeUniform(seed)}.
     *
     * @param seed the seed, or {@code null} (default) to draw one from {@link Seeds} at each call
     */
    public HeUniform(Long seed) {
        super(2.0, "fan_in", "uniform", seed);
    }
}
