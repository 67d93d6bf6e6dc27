package org.norm4j.kernel;

/** Elementwise unary operations run by {@link Kernels#unary}. */
public enum UnaryOp {
    NEG, ABS, SQUARE, SQRT,
    /** {@code 1 / sqrt(x)}. */
    RSQRT,
    EXP, LOG,
    /** {@code 1 / x}. */
    RECIPROCAL
}
