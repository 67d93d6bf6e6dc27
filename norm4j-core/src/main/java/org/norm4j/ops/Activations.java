package org.norm4j.ops;

import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Pointwise;

/**
 * Activation functions with Keras's names and defaults ({@code keras.activations.*}, {@code tf.nn.*}): relu,
 * sigmoid, tanh, softmax, log-softmax, GELU and SiLU (swish). Values are computed in double and rounded once for
 * float32. Every function is differentiable; its backward function is next to it and built from recorded ops,
 * so gradients of gradients work (see {@link GradientTape}).
 */
public final class Activations {
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;
    private static final double INV_SQRT_2 = 0.7071067811865476;
    private static final double INV_SQRT_2PI = 0.3989422804014327;

    private Activations() {
    }

    private static Tensor pointwise(Pointwise.Fn fn, Tensor x) {
        Checks.notNull(x, "x");
        Tensor y = Tensor.wrapNew(x.dtype(), x.shape());
        Pointwise.apply(fn, x.raw(), y.raw(), x.size());
        return y;
    }

    /**
     * {@code keras.activations.relu(x)} / {@code tf.nn.relu}: {@code max(x, 0)}; NaN stays NaN. Gradient:
     * {@code g} where {@code x > 0}, 0 elsewhere (TF's {@code ReluGrad}).
     */
    public static Tensor relu(Tensor x) {
        Tensor y = pointwise(Pointwise.Fn.RELU, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Relu", y, (g, need) -> new Tensor[] {reluGrad(g, x)}, x);
        }
        return y;
    }

    /**
     * TensorFlow's {@code ReluGrad}: {@code g * (x > 0 ? 1 : 0)} in one pass (the product with a constant mask,
     * without making the mask). Its own gradient: with respect to {@code g}, {@code ReluGrad(gg, x)}; none with
     * respect to {@code x} (the mask is constant).
     */
    private static Tensor reluGrad(Tensor g, Tensor x) {
        if (!g.shape().equals(x.shape()) || g.dtype() != x.dtype()) {
            return Elementwise.mul(g, Elementwise.mapConstant(x, v -> v > 0 ? 1 : 0));
        }
        Tensor dx = Tensor.wrapNew(g.dtype(), g.shape());
        Pointwise.reluGrad(g.raw(), x.raw(), dx.raw(), g.size());
        if (GradientTape.anyRecording()) {
            GradientTape.record("ReluGrad", dx, (gg, need) -> new Tensor[] {reluGrad(gg, x), null}, g, x);
        }
        return dx;
    }

    /** {@code keras.activations.sigmoid(x)}: {@code 1 / (1 + exp(-x))}. Gradient: {@code g * y * (1 - y)}. */
    public static Tensor sigmoid(Tensor x) {
        Tensor y = pointwise(Pointwise.Fn.SIGMOID, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Sigmoid", y, (g, need) -> new Tensor[] {Elementwise.mul(g,
                Elementwise.mul(y, Elementwise.sub(Elementwise.scalarLike(1, y), y)))}, x);
        }
        return y;
    }

    /** {@code keras.activations.tanh(x)}. Gradient: {@code g * (1 - y^2)}. */
    public static Tensor tanh(Tensor x) {
        Tensor y = pointwise(Pointwise.Fn.TANH, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Tanh", y, (g, need) -> new Tensor[] {Elementwise.mul(g,
                Elementwise.sub(Elementwise.scalarLike(1, y), Elementwise.square(y)))}, x);
        }
        return y;
    }

    /** {@code keras.activations.softmax(x, axis=-1)}. */
    public static Tensor softmax(Tensor x) {
        return softmax(x, -1);
    }

    /**
     * {@code keras.activations.softmax(x, axis)}: {@code exp(x - max) / sum(exp(x - max))} along {@code axis}.
     * Gradient: {@code y * (g - sum(g * y, axis))}.
     */
    public static Tensor softmax(Tensor x, int axis) {
        Tensor y = softmax(x, axis, false);
        LOGITS.put(y, new Logits(x, x.shape().normalizeAxis(axis, "axis")));
        if (GradientTape.anyRecording()) {
            int[] ax = {axis};
            GradientTape.record("Softmax", y, (g, need) -> new Tensor[] {Elementwise.mul(y,
                Elementwise.sub(g, Reductions.sum(Elementwise.mul(g, y), ax, true)))}, x);
        }
        return y;
    }

    /** The input of a {@link #softmax} call and its axis, as Keras's {@code _keras_logits} attribute keeps it. */
    public record Logits(Tensor logits, int axis) {
    }

    /** softmax output -> its logits; weak keys (identity), so entries vanish with the outputs. */
    private static final java.util.Map<Tensor, Logits> LOGITS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * The logits a softmax output was computed from, or null if {@code y} did not come from {@link #softmax}.
     * Cross-entropy losses use them, as Keras 3's compiled {@code fit} does, so that a saturated softmax
     * (e.g. on raw 0-255 pixels) does not stop the gradient through the probability clipping.
     */
    public static Logits logitsOf(Tensor y) {
        return y == null ? null : LOGITS.get(y);
    }

    /** {@code tf.nn.log_softmax(logits, axis=-1)}. */
    public static Tensor logSoftmax(Tensor x) {
        return logSoftmax(x, -1);
    }

    /**
     * {@code tf.nn.log_softmax(logits, axis)} / {@code keras.activations.log_softmax}:
     * {@code x - max - log(sum(exp(x - max)))} along {@code axis}. Gradient: {@code g - exp(y) * sum(g, axis)}.
     */
    public static Tensor logSoftmax(Tensor x, int axis) {
        Tensor y = softmax(x, axis, true);
        if (GradientTape.anyRecording()) {
            int[] ax = {axis};
            GradientTape.record("LogSoftmax", y, (g, need) -> new Tensor[] {Elementwise.sub(g,
                Elementwise.mul(Elementwise.exp(y), Reductions.sum(g, ax, true)))}, x);
        }
        return y;
    }

    private static Tensor softmax(Tensor x, int axis, boolean log) {
        Checks.notNull(x, "x");
        if (x.rank() == 0) {
            throw new IllegalArgumentException("softmax of a scalar: expected a tensor of rank >= 1");
        }
        int a = x.shape().normalizeAxis(axis, "axis");
        int[] d = x.shape().dims();
        int outer = Shape.product(d, 0, a);
        int inner = Shape.product(d, a + 1, d.length);
        Tensor y = Tensor.wrapNew(x.dtype(), x.shape());
        if (x.size() > 0) {
            Pointwise.softmax(x.raw(), y.raw(), outer, d[a], inner, log);
        }
        return y;
    }

    /** {@code keras.activations.gelu(x)} with Keras's default {@code approximate=False}: the exact erf form. */
    public static Tensor gelu(Tensor x) {
        return gelu(x, false);
    }

    /**
     * {@code keras.activations.gelu(x, approximate)}. Exact: {@code x * Phi(x) = 0.5 x (1 + erf(x / sqrt(2)))},
     * gradient {@code g * (Phi(x) + x * phi(x))}. Approximate: {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715
     * x^3)))}, composed of recorded ops.
     */
    public static Tensor gelu(Tensor x, boolean approximate) {
        Checks.notNull(x, "x");
        if (approximate) {
            Tensor inner = Elementwise.mul(Elementwise.add(x, Elementwise.mul(Elementwise.mul(Elementwise.square(x),
                    x), Elementwise.scalarLike(0.044715, x))), Elementwise.scalarLike(SQRT_2_OVER_PI, x));
            Tensor half = Elementwise.mul(x, Elementwise.scalarLike(0.5, x));
            return Elementwise.mul(half, Elementwise.add(Elementwise.scalarLike(1, x), tanh(inner)));
        }
        Tensor y = pointwise(Pointwise.Fn.GELU, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Gelu", y, (g, need) -> {
                Tensor cdf = Elementwise.mul(Elementwise.add(Elementwise.scalarLike(1, x),
                        Elementwise.erf(Elementwise.mul(x, Elementwise.scalarLike(INV_SQRT_2, x)))),
                        Elementwise.scalarLike(0.5, x));
                Tensor pdf = Elementwise.mul(Elementwise.exp(Elementwise.mul(Elementwise.square(x),
                        Elementwise.scalarLike(-0.5, x))), Elementwise.scalarLike(INV_SQRT_2PI, x));
                return new Tensor[] {Elementwise.mul(g, Elementwise.add(cdf, Elementwise.mul(x, pdf)))};
            }, x);
        }
        return y;
    }

    /**
     * {@code keras.activations.silu(x)} (alias {@code swish}): {@code x * sigmoid(x)}. Gradient:
     * {@code g * s * (1 + x (1 - s))} with {@code s = sigmoid(x)}.
     */
    public static Tensor silu(Tensor x) {
        Tensor y = pointwise(Pointwise.Fn.SILU, x);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Silu", y, (g, need) -> {
                Tensor s = sigmoid(x);
                Tensor one = Elementwise.scalarLike(1, x);
                return new Tensor[] {Elementwise.mul(g, Elementwise.mul(s,
                    Elementwise.add(one, Elementwise.mul(x, Elementwise.sub(one, s)))))};
            }, x);
        }
        return y;
    }

    /** {@code keras.activations.swish(x)}: the same function as {@link #silu}. */
    public static Tensor swish(Tensor x) {
        return silu(x);
    }
}
