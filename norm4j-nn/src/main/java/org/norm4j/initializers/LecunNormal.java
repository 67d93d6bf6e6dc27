package org.norm4j.initializers;

/**
 * {@code keras.initializers.LecunNormal(seed=None)} ({@code "lecun_normal"}): the LeCun normal initializer, a
 * truncated normal whose standard deviation after truncation is {@code sqrt(1 / fan_in)}. It is {@link
 * VarianceScaling} with {@code scale=1.0}, {@code mode="fan_in"}, {@code distribution="truncated_normal"}. Config:
 * {@code {"seed": seed}}. Seeding as described in {@link RandomInitializer}.
 *
 * <pre>{@code
 * Tensor kernel = new LecunNormal(42L).apply(Shape.of(784, 128), DType.FLOAT32);
 * }</pre>
 */
public final class LecunNormal extends VarianceScalingPreset {

    /** {@code LecunNormal()}: no seed; each call draws one from {@link Seeds}. */
    public LecunNormal() {
        this(null);
    }

    /**
     * {@code LecunNormal(seed)}.
     *
     * @param seed the seed, or {@code null} (default) to draw one from {@link Seeds} at each call
     */
    public LecunNormal(Long seed) {
        super(1.0, "fan_in", "truncated_normal", seed);
    }
}
