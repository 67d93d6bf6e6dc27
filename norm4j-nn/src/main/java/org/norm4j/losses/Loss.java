package org.norm4j.losses;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.ops.Elementwise;
import org.norm4j.ops.Manipulation;
import org.norm4j.ops.Reductions;

/**
 * Base of the losses, like {@code keras.losses.Loss} with Keras 3's default reduction
 * {@code "sum_over_batch_size"}: {@link #call(Tensor, Tensor)} computes one loss value per sample with
 * {@link #perSampleLoss} and returns their mean, a rank-0 tensor of {@code y_pred}'s dtype.
 *
 * <p>Everything is computed with the recorded ops of {@code org.norm4j.ops}, so the result can be
 * differentiated by a {@link org.norm4j.GradientTape} with respect to anything {@code y_pred} depends on. Labels
 * ({@code y_true}) are cast to {@code y_pred}'s dtype. Losses are immutable.
 *
 * <pre>{@code
 * Loss loss = new CategoricalCrossentropy();
 * Tensor value = loss.call(yTrue, model.call(x, true)); // scalar, differentiable
 * }</pre>
 */
public abstract class Loss {
    /** Keras's default reduction: the sum of the per-sample losses divided by their number. */
    public static final String SUM_OVER_BATCH_SIZE = "sum_over_batch_size";

    private final String name;

    /**
     * @param name the loss's name, Keras's {@code name} argument
     */
    protected Loss(String name) {
        this.name = Objects.requireNonNull(name, "name must not be null");
    }

    /** {@code loss.name}, e.g. {@code "categorical_crossentropy"}. */
    public String name() {
        return name;
    }

    /** {@code loss.reduction}: always {@value #SUM_OVER_BATCH_SIZE}. */
    public String reduction() {
        return SUM_OVER_BATCH_SIZE;
    }

    /**
     * {@code loss(y_true, y_pred)}: the mean of the per-sample losses, a rank-0 tensor ({@code 0} for an empty
     * batch).
     *
     * @param yTrue the labels
     * @param yPred the predictions
     * @throws IllegalArgumentException if the shapes do not match; the message names both
     */
    public Tensor call(Tensor yTrue, Tensor yPred) {
        return call(yTrue, yPred, null);
    }

    /**
     * {@code loss(y_true, y_pred, sample_weight)}: {@code sum(per_sample * sample_weight) / number of samples},
     * Keras's {@code "sum_over_batch_size"} with weights.
     *
     * @param sampleWeight one weight per sample (shape of the per-sample losses, or that shape with a trailing
     *     1, or any shape that broadcasts to it), or {@code null} for weight 1
     * @throws IllegalArgumentException if the shapes do not match
     */
    public Tensor call(Tensor yTrue, Tensor yPred, Tensor sampleWeight) {
        Tensor values = perSampleLoss(yTrue, yPred);
        if (sampleWeight != null) {
            Tensor w = Manipulation.cast(sampleWeight, values.dtype());
            if (w.rank() == values.rank() + 1 && w.shape().dim(-1) == 1) {
                w = Manipulation.reshape(w, values.shape().dims());
            }
            Shape joint;
            try {
                joint = Shape.broadcast(values.shape(), w.shape());
            } catch (IllegalArgumentException e) {
                joint = null;
            }
            if (joint == null || !joint.equals(values.shape())) {
                throw new IllegalArgumentException(name + ": sample_weight shape " + sampleWeight.shape()
                        + " does not match the per-sample losses of shape " + values.shape() + " (y_true "
                        + yTrue.shape() + ", y_pred " + yPred.shape() + "): expected a shape that broadcasts to "
                        + values.shape());
            }
            values = Elementwise.mul(values, w);
        }
        if (values.size() == 0) {
            return Tensor.scalar(0.0, values.dtype());
        }
        return Reductions.mean(values, null, false);
    }

    /**
     * Keras's {@code loss.call(y_true, y_pred)}: the unreduced losses, one per sample (shape
     * {@code y_pred.shape[:-1]} for the built-in losses).
     *
     * @throws IllegalArgumentException if the shapes do not match; the message names both
     */
    public abstract Tensor perSampleLoss(Tensor yTrue, Tensor yPred);

    /**
     * The Keras class name, e.g. {@code "CategoricalCrossentropy"}. By default the Java class's simple name
     * (Keras's name for every built-in one); an anonymous class must override it.
     */
    public String className() {
        return getClass().getSimpleName();
    }

    /** {@code loss.get_config()}: {@code name} and {@code reduction}, then the subclass's Keras keys. */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("reduction", SUM_OVER_BATCH_SIZE);
        return c;
    }

    // ---- helpers for subclasses ----------------------------------------------------------------------------

    /**
     * Keras's {@code squeeze_or_expand_to_same_rank(y_true, y_pred)}: when the ranks differ by one and the
     * longer tensor ends in a dimension of 1, the rank-1 tensor is expanded to {@code (n, 1)} or else the
     * trailing 1 is dropped. {@code y_true} is cast to {@code y_pred}'s dtype first.
     *
     * @return {@code {yTrue, yPred}} after the adjustment
     */
    protected static Tensor[] sameRank(Tensor yTrue, Tensor yPred) {
        Objects.requireNonNull(yTrue, "yTrue must not be null");
        Objects.requireNonNull(yPred, "yPred must not be null");
        Tensor t = Manipulation.cast(yTrue, yPred.dtype());
        Tensor p = yPred;
        if (t.rank() == p.rank() + 1 && t.shape().dim(-1) == 1) {
            if (p.rank() == 1) {
                p = Manipulation.reshape(p, p.shape().dim(0), 1);
            } else {
                t = Manipulation.reshape(t, p.shape().dims());
            }
        } else if (p.rank() == t.rank() + 1 && p.shape().dim(-1) == 1) {
            if (t.rank() == 1) {
                t = Manipulation.reshape(t, t.shape().dim(0), 1);
            } else {
                p = Manipulation.reshape(p, t.shape().dims());
            }
        }
        return new Tensor[] {t, p};
    }

    /** Throws {@link IllegalArgumentException} naming both shapes unless they are equal. */
    protected final void requireSameShape(Tensor yTrue, Tensor yPred, Tensor origTrue, Tensor origPred) {
        if (!yTrue.shape().equals(yPred.shape())) {
            throw new IllegalArgumentException(className() + ": y_true shape " + origTrue.shape()
                    + " and y_pred shape " + origPred.shape() + " do not match: expected equal shapes");
        }
    }

    /**
     * {@code clip(x, lo, hi)} with recorded ops ({@code tf.clip_by_value}): the gradient passes where
     * {@code lo <= x <= hi} and is zero elsewhere.
     */
    protected static Tensor clip(Tensor x, double lo, double hi) {
        return Elementwise.minimum(Elementwise.maximum(x, Tensor.scalar(lo, x.dtype())),
                Tensor.scalar(hi, x.dtype()));
    }

    /** The mean over {@code axis} (dropped), or {@code x} itself for a rank-0 tensor. */
    protected static Tensor meanOverAxis(Tensor x, int axis) {
        return x.rank() == 0 ? x : Reductions.mean(x, new int[] {axis}, false);
    }

    /** Checks {@code label_smoothing} is in {@code [0, 1]}. */
    static double checkLabelSmoothing(double ls) {
        if (!(ls >= 0 && ls <= 1)) {
            throw new IllegalArgumentException("label_smoothing = " + ls + ": expected a float in [0, 1]");
        }
        return ls;
    }
}
