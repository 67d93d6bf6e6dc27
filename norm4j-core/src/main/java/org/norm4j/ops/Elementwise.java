package org.norm4j.ops;

import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.BinaryOp;
import org.norm4j.kernel.Strided;
import org.norm4j.kernel.UnaryOp;

/**
 * Elementwise math with NumPy/TensorFlow broadcasting ({@code tf.math.add}, {@code tf.math.sqrt}, ...).
 * Both operands of a binary op must have the same dtype; shapes are aligned from the right and each pair
 * of dimensions must be equal or 1. NaN and infinities propagate as in IEEE 754 and TensorFlow.
 */
public final class Elementwise {
    private Elementwise() {
    }

    /** {@code a + b} ({@code tf.math.add}). */
    public static Tensor add(Tensor a, Tensor b) {
        return binary(BinaryOp.ADD, a, b);
    }

    /** {@code a - b} ({@code tf.math.subtract}). */
    public static Tensor sub(Tensor a, Tensor b) {
        return binary(BinaryOp.SUB, a, b);
    }

    /** {@code a * b} ({@code tf.math.multiply}). */
    public static Tensor mul(Tensor a, Tensor b) {
        return binary(BinaryOp.MUL, a, b);
    }

    /** {@code a / b} ({@code tf.math.divide}); division by zero gives infinities or NaN. */
    public static Tensor div(Tensor a, Tensor b) {
        return binary(BinaryOp.DIV, a, b);
    }

    /** {@code a ^ b} ({@code tf.math.pow}). */
    public static Tensor pow(Tensor a, Tensor b) {
        return binary(BinaryOp.POW, a, b);
    }

    /** Elementwise maximum ({@code tf.math.maximum}); NaN if either is NaN. */
    public static Tensor maximum(Tensor a, Tensor b) {
        return binary(BinaryOp.MAX, a, b);
    }

    /** Elementwise minimum ({@code tf.math.minimum}); NaN if either is NaN. */
    public static Tensor minimum(Tensor a, Tensor b) {
        return binary(BinaryOp.MIN, a, b);
    }

    /** {@code (a - b)^2} ({@code tf.math.squared_difference}). */
    public static Tensor squaredDifference(Tensor a, Tensor b) {
        return binary(BinaryOp.SQUARED_DIFFERENCE, a, b);
    }

    /** {@code -x} ({@code tf.math.negative}). */
    public static Tensor neg(Tensor x) {
        return unary(UnaryOp.NEG, x);
    }

    /** {@code |x|} ({@code tf.math.abs}). */
    public static Tensor abs(Tensor x) {
        return unary(UnaryOp.ABS, x);
    }

    /** {@code x^2} ({@code tf.math.square}). */
    public static Tensor square(Tensor x) {
        return unary(UnaryOp.SQUARE, x);
    }

    /** Square root ({@code tf.math.sqrt}); NaN for negative values. */
    public static Tensor sqrt(Tensor x) {
        return unary(UnaryOp.SQRT, x);
    }

    /** {@code 1 / sqrt(x)} ({@code tf.math.rsqrt}). */
    public static Tensor rsqrt(Tensor x) {
        return unary(UnaryOp.RSQRT, x);
    }

    /** {@code e^x} ({@code tf.math.exp}). */
    public static Tensor exp(Tensor x) {
        return unary(UnaryOp.EXP, x);
    }

    /** Natural logarithm ({@code tf.math.log}). */
    public static Tensor log(Tensor x) {
        return unary(UnaryOp.LOG, x);
    }

    /** {@code 1 / x} ({@code tf.math.reciprocal}). */
    public static Tensor reciprocal(Tensor x) {
        return unary(UnaryOp.RECIPROCAL, x);
    }

    /** Runs a binary op with broadcasting; for other ops tiers. */
    static Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        Checks.notNull(a, "a");
        Checks.notNull(b, "b");
        Checks.sameDType(a, "a", b, "b");
        Shape out = Shape.broadcast(a.shape(), b.shape());
        Tensor r = Tensor.wrapNew(a.dtype(), out);
        Strided.binary(op, a.raw(), a.shape().dims(), b.raw(), b.shape().dims(), r.raw(), out.dims());
        return r;
    }

    static Tensor unary(UnaryOp op, Tensor x) {
        Checks.notNull(x, "x");
        Tensor r = Tensor.wrapNew(x.dtype(), x.shape());
        Strided.unary(op, x.raw(), r.raw(), x.size());
        return r;
    }
}
