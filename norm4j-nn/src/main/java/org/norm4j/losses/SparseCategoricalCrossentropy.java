package org.norm4j.losses;

import org.norm4j.keras.KerasObjects;
import java.util.Arrays;
import java.util.Map;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.ops.Activations;
import org.norm4j.ops.Elementwise;
import org.norm4j.ops.Manipulation;
import org.norm4j.ops.Nn;
import org.norm4j.ops.Reductions;

/**
 * {@code keras.losses.SparseCategoricalCrossentropy(from_logits=False, reduction="sum_over_batch_size",
 * name="sparse_categorical_crossentropy")}: cross-entropy between integer class ids and predicted class
 * probabilities along the last axis.
 *
 * <p>{@code y_true} holds class ids as a float tensor of shape {@code y_pred.shape[:-1]} (for a batch,
 * {@code (n,)}), or that shape with a trailing 1 ({@code (n, 1)}). Each id must be an integer in
 * {@code [0, num_classes)}. Per sample, as Keras 3's TensorFlow backend computes it:
 * <ul>
 *   <li>{@code from_logits=false}: {@code logits = log(clip(p, 1e-7, 1 - 1e-7))};</li>
 *   <li>then {@code -log_softmax(logits)[label]} ({@code tf.nn.sparse_softmax_cross_entropy_with_logits}),
 *       which for probabilities equals {@code -log(p_clipped[label]) + log(sum(p_clipped))}.</li>
 * </ul>
 * Config keys: {@code name}, {@code reduction}, {@code from_logits}, {@code ignore_class} (always null; not
 * supported).
 *
 * <pre>{@code
 * Loss scce = new SparseCategoricalCrossentropy();
 * Tensor v = scce.call(Tensor.of(new float[] {1, 2}),
 *         Tensor.of(new float[][] {{0.05f, 0.95f, 0}, {0.1f, 0.8f, 0.1f}})); // 1.177
 * }</pre>
 */
public final class SparseCategoricalCrossentropy extends Loss {
    private final boolean fromLogits;

    /** {@code SparseCategoricalCrossentropy()}: probabilities. */
    public SparseCategoricalCrossentropy() {
        this(false);
    }

    /** {@code SparseCategoricalCrossentropy(from_logits)}. */
    public SparseCategoricalCrossentropy(boolean fromLogits) {
        this(fromLogits, "sparse_categorical_crossentropy");
    }

    /**
     * {@code SparseCategoricalCrossentropy(from_logits, name)}.
     *
     * @param fromLogits whether {@code y_pred} holds logits (default false: probabilities)
     * @param name the name (default {@code "sparse_categorical_crossentropy"})
     */
    public SparseCategoricalCrossentropy(boolean fromLogits, String name) {
        super(name);
        this.fromLogits = fromLogits;
    }

    /** {@code from_logits} (default false). */
    public boolean fromLogits() {
        return fromLogits;
    }

    @Override
    public Tensor perSampleLoss(Tensor yTrue, Tensor yPred) {
        if (yTrue == null || yPred == null) {
            throw new NullPointerException((yTrue == null ? "yTrue" : "yPred") + " must not be null");
        }
        if (yPred.rank() < 1) {
            throw new IllegalArgumentException(className() + ": y_pred has shape " + yPred.shape()
                    + ": expected rank >= 1 with the classes along the last axis");
        }
        Tensor labels = yTrue;
        if (labels.rank() == yPred.rank() && labels.rank() > 0 && labels.shape().dim(-1) == 1) {
            int[] d = labels.shape().dims();
            labels = Manipulation.reshape(labels, Arrays.copyOf(d, d.length - 1));
        }
        int[] pd = yPred.shape().dims();
        int classes = pd[pd.length - 1];
        if (!labels.shape().equals(Shape.of(Arrays.copyOf(pd, pd.length - 1)))) {
            throw new IllegalArgumentException(className() + ": y_true shape " + yTrue.shape()
                    + " does not match y_pred shape " + yPred.shape()
                    + ": expected y_true of shape y_pred.shape[:-1] (or with a trailing 1) holding integer class ids");
        }
        Tensor oneHot = oneHot(labels.toDoubleArray(), classes, yPred);
        Activations.Logits cached = fromLogits ? null : Activations.logitsOf(yPred);
        Tensor logits = fromLogits ? yPred
                : cached != null && cached.axis() == yPred.rank() - 1 ? cached.logits() // as Keras 3: use the logits
                : Elementwise.log(clip(yPred, Nn.KERAS_EPSILON, 1 - Nn.KERAS_EPSILON));
        Tensor logP = Activations.logSoftmax(logits, -1);
        return Elementwise.neg(Reductions.sum(Elementwise.mul(oneHot, logP), new int[] {-1}, false));
    }

    /** A constant one-hot tensor shaped like {@code like}; checks every label. */
    private Tensor oneHot(double[] labels, int classes, Tensor like) {
        double[] out = new double[like.size()];
        for (int i = 0; i < labels.length; i++) {
            double l = labels[i];
            if (l != Math.rint(l) || Double.isInfinite(l)) {
                throw new IllegalArgumentException(className() + ": label " + l + " at index " + i
                        + " of y_true is not an integer: expected class ids in [0, " + classes + ")");
            }
            if (l < 0 || l >= classes) {
                throw new IllegalArgumentException(className() + ": label " + (long) l + " at index " + i
                        + " of y_true is out of range for " + classes + " classes: expected class ids in [0, "
                        + classes + ")");
            }
            out[i * classes + (int) l] = 1;
        }
        Tensor t = Tensor.of(out, like.shape().dims());
        return t.asType(like.dtype());
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "from_logits", fromLogits, "ignore_class", null);
    }
}
