package org.norm4j.losses;

import org.norm4j.Tensor;
import org.norm4j.ops.Activations;
import org.norm4j.ops.Elementwise;
import org.norm4j.ops.Nn;
import org.norm4j.ops.Reductions;

/**
 * {@code keras.losses.CategoricalCrossentropy(from_logits=False, label_smoothing=0.0, axis=-1,
 * reduction="sum_over_batch_size", name="categorical_crossentropy")}: cross-entropy between one-hot (or soft)
 * labels and predicted class probabilities, along {@code axis}.
 *
 * <p>Per sample, as Keras 3's TensorFlow backend computes it for eager tensors:
 * <ul>
 *   <li>with label smoothing: {@code t = t * (1 - label_smoothing) + label_smoothing / num_classes};</li>
 *   <li>{@code from_logits=false}: the rows of {@code p} are renormalized to sum 1, clipped to
 *       {@code [1e-7, 1 - 1e-7]}, and the loss is {@code -sum(t * log(p))};</li>
 *   <li>{@code from_logits=true}: {@code -sum(t * log_softmax(logits))}, which is stable for any logits.</li>
 * </ul>
 * When {@code y_pred} is the output of a softmax (a {@code Dense(..., "softmax")} or {@code Activation("softmax")}
 * layer), the loss is computed from that softmax's logits, as Keras 3 does in a compiled {@code fit} (its
 * {@code _keras_logits}): without it a saturated softmax, e.g. on raw 0-255 pixels, passes no gradient through
 * the clipping. norm4j does this in eager calls too.
 * {@code y_true} and {@code y_pred} must have the same shape (after Keras's rank adjustment of a trailing 1).
 * Config keys: {@code name}, {@code reduction}, {@code from_logits}, {@code label_smoothing}, {@code axis}.
 *
 * <pre>{@code
 * Loss cce = new CategoricalCrossentropy();
 * Tensor v = cce.call(Tensor.of(new float[][] {{0, 1, 0}, {0, 0, 1}}),
 *         Tensor.of(new float[][] {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f}})); // 1.177
 * }</pre>
 */
public final class CategoricalCrossentropy extends Crossentropy {

    /** {@code CategoricalCrossentropy()}: probabilities, no label smoothing. */
    public CategoricalCrossentropy() {
        this(builder());
    }

    /** {@code CategoricalCrossentropy(from_logits)}. */
    public CategoricalCrossentropy(boolean fromLogits) {
        this(builder().fromLogits(fromLogits));
    }

    /** {@code CategoricalCrossentropy(from_logits, label_smoothing)}. */
    public CategoricalCrossentropy(boolean fromLogits, double labelSmoothing) {
        this(builder().fromLogits(fromLogits).labelSmoothing(labelSmoothing));
    }

    private CategoricalCrossentropy(Builder b) {
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
        Tensor p = tp[1];
        requireSameShape(t, p, yTrue, yPred);
        if (p.rank() == 0) {
            throw new IllegalArgumentException(className() + ": y_pred has shape " + yPred.shape()
                    + ": expected rank >= 1 with the classes along axis " + axis());
        }
        int[] ax = {p.shape().normalizeAxis(axis(), "axis")};
        t = smooth(t, labelSmoothing() / p.shape().dim(ax[0]));
        Tensor logP;
        Activations.Logits cached = fromLogits() ? null : Activations.logitsOf(p);
        if (fromLogits()) {
            logP = Activations.logSoftmax(p, ax[0]);
        } else if (cached != null && cached.axis() == ax[0]) {
            // Keras 3: a softmax output that carries its logits is scored from the logits (stable, no clipping)
            logP = Activations.logSoftmax(cached.logits(), ax[0]);
        } else {
            Tensor renormalized = Elementwise.div(p, Reductions.sum(p, ax, true));
            logP = Elementwise.log(clip(renormalized, Nn.KERAS_EPSILON, 1 - Nn.KERAS_EPSILON));
        }
        return Elementwise.neg(Reductions.sum(Elementwise.mul(t, logP), ax, false));
    }

    /** Builder for {@link CategoricalCrossentropy}, with Keras's defaults (name {@code "categorical_crossentropy"}). */
    public static final class Builder extends Crossentropy.Builder<Builder> {
        private Builder() {
            super("categorical_crossentropy");
        }

        /** Builds the loss. */
        public CategoricalCrossentropy build() {
            return new CategoricalCrossentropy(this);
        }
    }
}
