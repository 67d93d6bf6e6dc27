package org.norm4j.initializers;

/**
 * {@code keras.initializers.Zeros()} ({@code "zeros"}): every value 0. No arguments; the config is empty.
 *
 * <pre>{@code
 * Tensor bias = new Zeros().apply(Shape.of(128), DType.FLOAT32);
 * }</pre>
 */
public final class Zeros extends FilledInitializer {

    /** {@code Zeros()}. */
    public Zeros() {
        super(0.0);
    }
}
