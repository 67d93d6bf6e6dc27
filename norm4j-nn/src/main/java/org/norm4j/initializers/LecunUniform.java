package org.norm4j.initializers;

/**
 * {@code keras.initializers.LecunUniform(seed=None)} ({@code "lecun_uniform"}): the LeCun uniform initializer,
 * uniform on {@code [-limit, limit)} with {@code limit = sqrt(3 / fan_in)}. It is {@link VarianceScaling} with
 * {@code scale=1.0}, {@code mode="fan_in"}, {@code distribution="uniform"}. Config: {@code {"seed": seed}}. Seeding
 * as described in {@link RandomInitializer}.
 *
 * <pre>{@code
 * Tensor kernel = new LecunUniform(42L).apply(Shape.of(784, 128), DType.FLOAT32);
 * }</pre>
 */
public final class LecunUniform extends VarianceScalingPreset {

    /** {@code LecunUniform()}: no seed; each call draws one from {@link Seeds}. */
    public LecunUniform() {
        this(null);
    }

    /**
     * {@code LecunUniform(seed)}.
     *
     * @param seed the seed, or {@code null} (default) to draw one from {@link Seeds} at each call
     */
    public LecunUniform(Long seed) {
        super(1.0, "fan_in", "uniform", seed);
    }
}
