package org.norm4j.kernel;

/** Elementwise binary operations run by {@link Kernels#binary}. */
public enum BinaryOp {
    ADD, SUB, MUL, DIV,
    /** NaN-propagating maximum ({@link Math#max} semantics). */
    MAX,
    /** NaN-propagating minimum ({@link Math#min} semantics). */
    MIN,
    POW,
    /** {@code (a - b)^2}, TensorFlow's {@code SquaredDifference}. */
    SQUARED_DIFFERENCE
}
