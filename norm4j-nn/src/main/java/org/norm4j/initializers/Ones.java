package org.norm4j.initializers;

/**
 * {@code keras.initializers.Ones()} ({@code "ones"}): every value 1. No arguments; the config is empty.
 *
 * <pre>{@code
 * Tensor gamma = new Ones().apply(Shape.of(64), DType.FLOAT32);
 * }</pre>
 */
public final class Ones extends FilledInitializer {

    /** {@code Ones()}. */
    public Ones() {
        super(1.0);
    }
}
