package org.norm4j.ops;

import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.BinaryOp;
import org.norm4j.kernel.Pointwise;
import org.norm4j.kernel.Strided;
import org.norm4j.kernel.UnaryOp;

/**
 * Elementwise math with NumPy/TensorFlow broadcasting ({@code tf.math.add}, {@code tf.math.sqrt}, ...).
 * Both operands of a binary op must have the same dtype; shapes are aligned from the right and each pair
 * of dimensions must be equal or 1. NaN and infinities propagate as in IEEE 754 and TensorFlow.
 *
 * <p>Every op here is differentiable: while a {@link GradientTape} records, it records one entry whose backward
 * function sits next to the forward code and is itself built from these ops (so gradients can be differentiated
 * again). Broadcasting is undone by the tape, not here.
 */
public final class Elementwise {
    private Elementwise() {
    }

    /** {@code a + b} ({@code tf.math.add}). Gradient: {@code g} to both (summed back over broadcast axes). */
    public static Tensor add(Tensor a, Tensor b) {
        Tensor y = binary(BinaryOp.ADD, a, b);
        if (GradientTape.anyRecording()) {
            GradientTape.record("AddV2", y, (g, need) -> new Tensor[] {g, g}, a, b);
        }
        return y;
    }

    /** {@code a - b} ({@code tf.math.subtract}). Gradient: {@code g}, {@code -g}. */
    public static Tensor sub(Tensor a, Tensor b) {
        Tensor y = binary(BinaryOp.SUB, a, b);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Sub", y, (g, need) -> new Tensor[] {g, need[1] ? neg(g) : null}, a, b);
        }
        return y;
    }

    /** {@code a * b} ({@code tf.math.multiply}). Gradient: {@code g*b}, {@code g*a}. */
    public static Tensor mul(Tensor a, Tensor b) {
        Tensor y = binary(BinaryOp.MUL, a, b);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Mul", y, (g, need) -> new Tensor[] {need[0] ? mul(g, b) : null,
                need[1] ? mul(g, a) : null}, a, b);
        }
        return y;
    }

    /**
     * {@code a / b} ({@code tf.math.divide}); division by zero gives infinities or NaN. Gradient: {@code g/b},
     * {@code g * (-a/b/b)}.
     */
    public static Tensor div(Tensor a, Tensor b) {
        Tensor y = binary(BinaryOp.DIV, a, b);
        if (GradientTape.anyRecording()) {
            GradientTape.record("RealDiv", y, (g, need) -> new Tensor[] {need[0] ? div(g, b) : null,
                need[1] ? mul(g, div(div(neg(a), b), b)) : null}, a, b);
        }
        return y;
    }

    /**
     * {@code a ^ b} ({@code tf.math.pow}). Gradient as TF's: {@code g * b * a^(b-1)} and
     * {@code g * a^b * log(a)} where {@code a > 0}, 0 elsewhere.
     */
    public static Tensor pow(Tensor a, Tensor b) {
        Tensor y = binary(BinaryOp.POW, a, b);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Pow", y, (g, need) -> new Tensor[] {
                need[0] ? mul(g, mul(b, pow(a, sub(b, scalarLike(1, a))))) : null,
                need[1] ? mul(mul(g, y), safeLog(a)) : null}, a, b);
        }
        return y;
    }

    /** {@code where(a > 0, log(a), 0)}, with the log recorded (the mask is a constant). */
    private static Tensor safeLog(Tensor a) {
        double tiny = a.dtype() == DType.FLOAT32 ? Float.MIN_VALUE : Double.MIN_VALUE;
        Tensor mask = mapConstant(a, v -> v > 0 ? 1 : 0);
        return mul(log(maximum(a, scalarLike(tiny, a))), mask);
    }

    /**
     * Elementwise maximum ({@code tf.math.maximum}); NaN if either is NaN. Gradient as TF's: {@code g} goes to
     * {@code a} where {@code a >= b}, to {@code b} elsewhere.
     */
    public static Tensor maximum(Tensor a, Tensor b) {
        Tensor y = binary(BinaryOp.MAX, a, b);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Maximum", y, (g, need) -> selectBackward(g, need, a, b, y), a, b);
        }
        return y;
    }

    /**
     * Elementwise minimum ({@code tf.math.minimum}); NaN if either is NaN. Gradient as TF's: {@code g} goes to
     * {@code a} where {@code a <= b}, to {@code b} elsewhere.
     */
    public static Tensor minimum(Tensor a, Tensor b) {
        Tensor y = binary(BinaryOp.MIN, a, b);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Minimum", y, (g, need) -> selectBackward(g, need, a, b, y), a, b);
        }
        return y;
    }

    /** Backward of maximum/minimum: {@code a} won where {@code y == a} (broadcast), which is TF's mask. */
    private static Tensor[] selectBackward(Tensor g, boolean[] need, Tensor a, Tensor b, Tensor y) {
        Tensor ab = broadcastConstant(a, y.shape());
        double[] yv = y.toDoubleArray();
        double[] av = ab.toDoubleArray();
        double[] ma = new double[yv.length];
        for (int i = 0; i < ma.length; i++) {
            ma[i] = yv[i] == av[i] ? 1 : 0;
        }
        Tensor maskA = constant(ma, y);
        Tensor maskB = need[1] ? mapConstant(maskA, v -> 1 - v) : null;
        return new Tensor[] {need[0] ? mul(g, maskA) : null, need[1] ? mul(g, maskB) : null};
    }

    /** {@code (a - b)^2} ({@code tf.math.squared_difference}). Gradient: {@code 2g(a-b)}, {@code -2g(a-b)}. */
    public static Tensor squaredDifference(Tensor a, Tensor b) {
        Tensor y = binary(BinaryOp.SQUARED_DIFFERENCE, a, b);
        if (GradientTape.anyRecording()) {
            GradientTape.record("SquaredDifference", y, (g, need) -> {
                Tensor ga = mul(mul(g, scalarLike(2, g)), sub(a, b));
                return new Tensor[] {ga, need[1] ? neg(ga) : null};
            }, a, b);
        }
        return y;
    }

    /** {@code -x} ({@code tf.math.negative}). Gradient: {@code -g}. */
    public static Tensor neg(Tensor x) {
        Tensor y = unary(UnaryOp.NEG, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Neg", y, (g, need) -> new Tensor[] {neg(g)}, x);
        }
        return y;
    }

    /** {@code |x|} ({@code tf.math.abs}). Gradient: {@code g * sign(x)}, 0 at 0. */
    public static Tensor abs(Tensor x) {
        Tensor y = unary(UnaryOp.ABS, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Abs", y, (g, need) -> new Tensor[] {mul(g, mapConstant(x, Math::signum))}, x);
        }
        return y;
    }

    /** {@code x^2} ({@code tf.math.square}). Gradient: {@code g * 2x}. */
    public static Tensor square(Tensor x) {
        Tensor y = unary(UnaryOp.SQUARE, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Square", y, (g, need) -> new Tensor[] {mul(g, mul(x, scalarLike(2, x)))}, x);
        }
        return y;
    }

    /** Square root ({@code tf.math.sqrt}); NaN for negative values. Gradient: {@code 0.5 * g / y}. */
    public static Tensor sqrt(Tensor x) {
        Tensor y = unary(UnaryOp.SQRT, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Sqrt", y, (g, need) -> new Tensor[] {div(mul(g, scalarLike(0.5, g)), y)}, x);
        }
        return y;
    }

    /** {@code 1 / sqrt(x)} ({@code tf.math.rsqrt}). Gradient: {@code -0.5 * g * y^3}. */
    public static Tensor rsqrt(Tensor x) {
        Tensor y = unary(UnaryOp.RSQRT, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Rsqrt", y, (g, need) -> new Tensor[] {
                mul(mul(g, scalarLike(-0.5, g)), mul(square(y), y))}, x);
        }
        return y;
    }

    /** {@code e^x} ({@code tf.math.exp}). Gradient: {@code g * y}. */
    public static Tensor exp(Tensor x) {
        Tensor y = unary(UnaryOp.EXP, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Exp", y, (g, need) -> new Tensor[] {mul(g, y)}, x);
        }
        return y;
    }

    /** Natural logarithm ({@code tf.math.log}). Gradient: {@code g / x}. */
    public static Tensor log(Tensor x) {
        Tensor y = unary(UnaryOp.LOG, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Log", y, (g, need) -> new Tensor[] {div(g, x)}, x);
        }
        return y;
    }

    /** {@code 1 / x} ({@code tf.math.reciprocal}). Gradient: {@code -g * y^2}. */
    public static Tensor reciprocal(Tensor x) {
        Tensor y = unary(UnaryOp.RECIPROCAL, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Reciprocal", y, (g, need) -> new Tensor[] {mul(neg(g), square(y))}, x);
        }
        return y;
    }

    /**
     * The error function ({@code tf.math.erf}), accurate to about 1e-15 relative. Gradient:
     * {@code g * 2/sqrt(pi) * exp(-x^2)}.
     */
    public static Tensor erf(Tensor x) {
        Checks.notNull(x, "x");
        Tensor y = Tensor.wrapNew(x.dtype(), x.shape());
        Pointwise.apply(Pointwise.Fn.ERF, x.raw(), y.raw(), x.size());
        if (GradientTape.anyRecording()) {
            GradientTape.record("Erf", y, (g, need) -> new Tensor[] {
                mul(g, mul(exp(neg(square(x))), scalarLike(2 / Math.sqrt(Math.PI), x)))}, x);
        }
        return y;
    }

    // ---- helpers shared with the other ops classes (never recorded) ---------------------------------

    /** A rank-0 constant of {@code like}'s dtype. */
    static Tensor scalarLike(double v, Tensor like) {
        return Tensor.scalar(v, like.dtype());
    }

    /** A constant (never recorded) holding {@code f} of each element of {@code x}, in x's dtype and shape. */
    static Tensor mapConstant(Tensor x, java.util.function.DoubleUnaryOperator f) {
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = f.applyAsDouble(v[i]);
        }
        return constant(v, x);
    }

    /** Wraps {@code v} as a constant of {@code like}'s dtype and shape. */
    static Tensor constant(double[] v, Tensor like) {
        return Reductions.fromDoubles(v, like.dtype(), like.shape());
    }

    /** {@code x} broadcast to {@code shape}, not recorded: adding -0.0 leaves every value, signed zeros included, as is. */
    static Tensor broadcastConstant(Tensor x, Shape shape) {
        if (x.shape().equals(shape)) {
            return x;
        }
        Tensor r = Tensor.wrapNew(x.dtype(), shape);
        Tensor negZero = Tensor.scalar(-0.0, x.dtype());
        Strided.binary(BinaryOp.ADD, x.raw(), x.shape().dims(), negZero.raw(), new int[0], r.raw(), shape.dims());
        return r;
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
