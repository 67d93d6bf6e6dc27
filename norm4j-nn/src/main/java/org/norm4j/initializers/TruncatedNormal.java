package org.norm4j.initializers;

import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * {@code keras.initializers.TruncatedNormal(mean=0.0, stddev=0.05, seed=None)} ({@code "truncated_normal"}):
 * normal samples, where values more than two standard deviations from the mean are drawn again (the standard
 * deviation of the result is therefore about {@code 0.88 * stddev}). Config keys: {@code mean}, {@code stddev},
 * {@code seed}. Seeding as described in {@link RandomInitializer}.
 *
 * <pre>{@code
 * Tensor w = new TruncatedNormal(0.0, 0.02, 7L).apply(Shape.of(16, 16), DType.FLOAT32);
 * }</pre>
 */
public final class TruncatedNormal extends NormalInitializer {

    /** {@code TruncatedNormal()}: mean 0, stddev 0.05, no seed. */
    public TruncatedNormal() {
        this(0.0, 0.05, null);
    }

    /**
     * {@code TruncatedNormal(mean, stddev, seed)}.
     *
     * @param mean the mean (Keras default 0.0)
     * @param stddev the standard deviation before truncation, {@code >= 0} (Keras default 0.05)
     * @param seed the seed, or {@code null} (default) to draw one from {@link Seeds} at each call
     */
    public TruncatedNormal(double mean, double stddev, Long seed) {
        super(mean, stddev, seed);
    }

    @Override
    Tensor draw(Shape shape, DType dtype, long seed) {
        return truncatedNormal(shape, dtype, mean, stddev, seed);
    }
}
