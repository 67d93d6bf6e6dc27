package org.norm4j.initializers;

import java.util.SplittableRandom;

/**
 * The global seed generator, like {@code keras.utils.set_random_seed(seed)}.
 *
 * <p>Random initializers created without a seed, and other seeded components created without one (Dropout),
 * draw their seeds from here, in the order they ask. After {@link #setGlobalSeed(long)}, building the same model
 * in the same order therefore gives identical weights. Until a global seed is set, the generator starts from an
 * unpredictable state, so unseeded runs differ, as in Keras.
 *
 * <p>Thread-safe; the order of draws across threads is whatever order the threads call in.
 *
 * <pre>{@code
 * Seeds.setGlobalSeed(1337);
 * Tensor a = new GlorotUniform().apply(Shape.of(4, 3), DType.FLOAT32);
 * Seeds.setGlobalSeed(1337);
 * Tensor b = new GlorotUniform().apply(Shape.of(4, 3), DType.FLOAT32); // equal to a
 * }</pre>
 */
public final class Seeds {
    private static SplittableRandom generator = new SplittableRandom();

    private Seeds() {
    }

    /**
     * {@code keras.utils.set_random_seed(seed)}: restarts the global generator from {@code seed}.
     *
     * @param seed any value
     */
    public static synchronized void setGlobalSeed(long seed) {
        generator = new SplittableRandom(seed);
    }

    /** The next seed from the global generator; used by components created without an explicit seed. */
    public static synchronized long nextSeed() {
        return generator.nextLong();
    }
}
