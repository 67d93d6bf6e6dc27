package org.norm4j.losses;

import org.norm4j.Tensor;
import org.norm4j.ops.Elementwise;
import org.norm4j.ops.Nn;

/**
 * {@code keras.losses.BinaryCrossentropy(from_logits=False, label_smoothing=0.0, axis=-1,
 * reduction="sum_over_batch_size", name="binary_crossentropy")}: cross-entropy of independent binary labels,
 * averaged over {@code axis} for each sample.
 *
 * <p>Elementwise, as Keras 3's TensorFlow backend computes it:
 * <ul>
 *   <li>with label smoothing: {@code t = t * (1 - label_smoothing) + 0.5 * label_smoothing};</li>
 *   <li>{@code from_logits=false}: {@code p} is clipped to {@code [1e-7, 1 - 1e-7]} and the loss is
 *       {@code -(t * log(p) + (1 - t) * log(1 - p))};</li>
 *   <li>{@code from_logits=true}: the stable form of {@code tf.nn.sigmoid_cross_entropy_with_logits},
 *       {@code max(x, 0) - x * t + log(1 + exp(-|x|))}.</li>
 * </ul>
 * {@code y_true} and {@code y_pred} must have the same shape (after Keras's rank adjustment of a trailing 1).
 * Config keys: {@code name}, {@code reduction}, {@code from_logits}, {@code label_smoothing}, {@code axis}.
 *
 * <pre>{@code
 * Loss bce = new BinaryCrossentropy();
 * Tensor v = bce.call(Tensor.of(new float[][] {{0, 1}, {0, 0}}),
 *         Tensor.of(new float[][] {{0.6f, 0.4f}, {0.4f, 0.6f}})); // 0.815
 * }</pre>
 */
public final class BinaryCrossentropy extends Crossentropy {

    /** {@code BinaryCrossentropy()}: probabilities, no label smoothing. */
    public BinaryCrossentropy() {
        this(builder());
    }

    /** {@code BinaryCrossentropy(from_logits)}. */
    public BinaryCrossentropy(boolean fromLogits) {
        this(builder().fromLogits(fromLogits));
    }

    private BinaryCrossentropy(Builder b) {
        super(b);
    }

    /** A builder with Keras's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public Tensor perSampleLoss(Tensor yTrue, Tensor yPred) {
        Tensor[] tp = sameRank(yTrue, yPred);
        Tensor t = tp[0];
        Tensor x = tp[1];
        requireSameShape(t, x, yTrue, yPred);
        t = smooth(t, 0.5 * labelSmoothing());
        Tensor one = Tensor.scalar(1.0, x.dtype());
        Tensor elementwise;
        if (fromLogits()) {
            // TF: where(x >= 0, x, 0) - x * t + log1p(exp(where(x >= 0, -x, x))), with the masks as constants
            double[] xs = x.toDoubleArray();
            double[] pos = new double[xs.length];
            for (int i = 0; i < xs.length; i++) {
                pos[i] = xs[i] >= 0 ? 1 : 0;
            }
            Tensor mask = Tensor.of(pos, x.shape().dims()).asType(x.dtype());
            Tensor sign = Elementwise.sub(one, Elementwise.mul(mask, Tensor.scalar(2.0, x.dtype())));
            Tensor relu = Elementwise.mul(x, mask);
            Tensor negAbs = Elementwise.mul(x, sign);
            elementwise = Elementwise.add(Elementwise.sub(relu, Elementwise.mul(x, t)),
                    Elementwise.log(Elementwise.add(one, Elementwise.exp(negAbs))));
        } else {
            Tensor p = clip(x, Nn.KERAS_EPSILON, 1 - Nn.KERAS_EPSILON);
            Tensor bce = Elementwise.add(Elementwise.mul(t, Elementwise.log(p)),
                    Elementwise.mul(Elementwise.sub(one, t), Elementwise.log(Elementwise.sub(one, p))));
            elementwise = Elementwise.neg(bce);
        }
        return meanOverAxis(elementwise, axis());
    }

    /** Builder for {@link BinaryCrossentropy}, with Keras's defaults (name {@code "binary_crossentropy"}). */
    public static final class Builder extends Crossentropy.Builder<Builder> {
        private Builder() {
            super("binary_crossentropy");
        }

        /** Builds the loss. */
        public BinaryCrossentropy build() {
            return new BinaryCrossentropy(this);
        }
    }
}
