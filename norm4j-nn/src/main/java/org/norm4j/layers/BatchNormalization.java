package org.norm4j.layers;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.initializers.Initializer;
import org.norm4j.initializers.Initializers;
import org.norm4j.ops.BatchNorms;

/**
 * {@code keras.layers.BatchNormalization}: normalizes each channel with the batch's statistics while training
 * and with moving averages of them in inference (Ioffe and Szegedy, "Batch Normalization: Accelerating Deep
 * Network Training by Reducing Internal Covariate Shift", ICML 2015, arXiv:1502.03167).
 *
 * <p><b>Training</b> ({@code training == true} and the layer {@link #trainable()}): with the batch mean
 * {@code mu} and <em>biased</em> batch variance {@code var} of each channel over all other axes,
 * {@code y = (x - mu) * (gamma * rsqrt(var + epsilon)) + beta}; then, in Keras's form,
 * {@code moving_mean = moving_mean * momentum + mu * (1 - momentum)} and likewise
 * {@code moving_variance} with the biased {@code var}. <b>Inference</b> (otherwise, including
 * {@code trainable = false} with {@code training == true}, as in Keras): {@code y = x * a + b} with
 * {@code a = gamma * rsqrt(moving_variance + epsilon)}, {@code b = beta - moving_mean * a}; nothing is updated.
 *
 * <p><b>Arguments</b> (builder setters, Keras 3 names and defaults): {@code axis = -1} (the kept channel axis; a
 * list keeps several, as tf.keras allows), {@code momentum = 0.99}, {@code epsilon = 1e-3}, {@code center = true}
 * (adds {@code beta}), {@code scale = true} (adds {@code gamma}), {@code betaInitializer = "zeros"},
 * {@code gammaInitializer = "ones"}, {@code movingMeanInitializer = "zeros"}, {@code movingVarianceInitializer =
 * "ones"}, {@code betaRegularizer}, {@code gammaRegularizer}, {@code betaConstraint}, {@code gammaConstraint}
 * (all null). Weights, in order: {@code gamma}, {@code beta} (trainable), {@code moving_mean},
 * {@code moving_variance} (non-trainable), each of shape {@code (C,)} (several axes: the input's rank with 1 on
 * the reduced axes, as tf.keras); plus {@code num_batches_tracked} (shape {@code ()}) under PYTORCH.
 *
 * <p><b>Conventions</b> ({@link Convention}, config key {@code norm4j_convention}): KERAS (the default), TF_FUSED
 * (tf.keras's fused kernel: the moving variance averages the Bessel-corrected {@code var * n/(n-1)}) and PYTORCH
 * ({@code momentum} weights the new batch, default 0.1; epsilon 1e-5; unbiased running variance;
 * {@code momentum(null)}: cumulative average over the batches seen). In every convention the output uses the
 * biased variance, and a batch with one value per channel is defined: variance 0, correction factor 1 (TF's CPU
 * kernel; PyTorch raises an error, cuDNN gives NaN), so the output is {@code beta}.
 *
 * <p>Computes in the input's dtype (float32 or float64). Not supported: masks, {@code synchronized=True},
 * batch renormalization.
 *
 * <pre>{@code
 * Layer bn = new BatchNormalization();                                   // Keras defaults
 * Layer conv = BatchNormalization.builder().axis(1).momentum(0.9).build(); // channels first
 * Layer torch = BatchNormalization.builder().convention(BatchNormalization.Convention.PYTORCH).build();
 * }</pre>
 */
public class BatchNormalization extends Layer {

    /** Whose moving-statistics rule and defaults to reproduce; the training output is the same in all three. */
    public enum Convention {
        /** Keras 3 (and tf.keras's non-fused path): biased variance into the moving average; 0.99, 1e-3. */
        KERAS,
        /** TF's FusedBatchNormV3 as tf.keras's fused path runs it: Bessel-corrected moving variance; 0.99, 1e-3. */
        TF_FUSED,
        /** PyTorch's BatchNorm: momentum weights the new batch, unbiased running variance; 0.1, 1e-5. */
        PYTORCH
    }

    private final int[] axis;
    private final boolean axisList;
    private final Double momentum;
    private final NormalizationArgs args;
    private final Initializer movingMeanInitializer;
    private final Initializer movingVarianceInitializer;
    private final Convention convention;
    private int[] kept;
    private Variable movingMean;
    private Variable movingVariance;
    private Variable numBatchesTracked;

    /** {@code BatchNormalization()} with every Keras default. */
    public BatchNormalization() {
        this(builder());
    }

    private BatchNormalization(Builder b) {
        this.convention = Objects.requireNonNull(b.convention, "convention must not be null");
        boolean torch = convention == Convention.PYTORCH;
        this.axis = b.axis.clone();
        this.axisList = b.axisList;
        this.momentum = b.momentumSet ? b.momentum : Double.valueOf(torch ? 0.1 : 0.99);
        if (momentum == null ? !torch : !(momentum >= 0 && momentum <= 1)) {
            throw new IllegalArgumentException("momentum = " + momentum + ": expected a value in [0, 1]"
                    + (torch ? " or null (cumulative average)" : " (null only with Convention.PYTORCH)"));
        }
        this.args = new NormalizationArgs(b, torch ? 1e-5 : 1e-3);
        if (axis.length == 0) {
            throw new IllegalArgumentException("axis = []: expected at least one axis to keep");
        }
        this.movingMeanInitializer = b.movingMeanInitializer;
        this.movingVarianceInitializer = b.movingVarianceInitializer;
    }

    /** A builder with Keras's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    protected void build(int[] inputShape) {
        int[] norm = keptAxes(inputShape);
        int rank = inputShape.length;
        int[] paramShape = new int[norm.length == 1 ? 1 : rank];
        java.util.Arrays.fill(paramShape, 1);
        for (int a : norm) {
            if (inputShape[a] < 0) {
                throw new IllegalArgumentException("Axis " + a + " of the input to layer '" + name() + "' has no "
                        + "defined dimension (input shape " + showShape(inputShape) + "): expected a known channel "
                        + "axis; axis 0 is the batch");
            }
            paramShape[norm.length == 1 ? 0 : a] = inputShape[a];
        }
        this.kept = norm;
        args.addGammaBeta(this, paramShape, args.scale, args.center);
        movingMean = addWeight("moving_mean", paramShape, movingMeanInitializer, false);
        movingVariance = addWeight("moving_variance", paramShape, movingVarianceInitializer, false);
        if (convention == Convention.PYTORCH) {
            numBatchesTracked = addWeight("num_batches_tracked", new int[0], Initializers.get("zeros"), false);
        }
    }

    /** The axes resolved against the input's rank: sorted, distinct, in range, else an error naming them. */
    private int[] keptAxes(int[] inputShape) {
        int rank = inputShape.length;
        int[] norm = new int[axis.length];
        for (int i = 0; i < axis.length; i++) {
            if (axis[i] < -rank || axis[i] >= rank) {
                throw new IllegalArgumentException("axis = " + axis[i] + " is out of bounds for the input to layer '"
                        + name() + "' of rank " + rank + " (shape " + showShape(inputShape) + "): expected an axis "
                        + "in [" + (-rank) + ", " + rank + ")");
            }
            norm[i] = axis[i] < 0 ? axis[i] + rank : axis[i];
        }
        int[] sorted = norm.clone();
        java.util.Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new IllegalArgumentException("Duplicate axes in axis = " + java.util.Arrays.toString(axis)
                        + " for the input to layer '" + name() + "' of rank " + rank + ": axis " + sorted[i]
                        + " appears twice; expected distinct axes");
            }
        }
        return sorted;
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        Tensor g = args.scale ? read(args.gamma, inputs) : null;
        Tensor b = args.center ? read(args.beta, inputs) : null;
        if (training && trainable()) {
            BatchNorms.Training t = BatchNorms.training(inputs, kept, g, b, args.epsilon);
            updateMovingStatistics(t, inputs.dtype());
            return t.y();
        }
        return BatchNorms.inference(inputs, kept, read(movingMean, inputs), read(movingVariance, inputs), g, b,
                args.epsilon);
    }

    /** A weight's value in the input's dtype (a recorded cast, so gradients reach float32 weights). */
    private static Tensor read(Variable v, Tensor like) {
        return v.value().asType(like.dtype());
    }

    private void updateMovingStatistics(BatchNorms.Training t, DType dtype) {
        long batches = 0;
        if (numBatchesTracked != null) {
            batches = (long) numBatchesTracked.value().item() + 1;
            numBatchesTracked.assign(Tensor.scalar((float) batches));
        }
        MovingStatistics.update(convention, momentum, movingMean, movingVariance, t.mean().toDoubleArray(),
                t.variance().toDoubleArray(), t.count(), batches, dtype == DType.FLOAT32);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", axisList ? java.util.Arrays.stream(axis).boxed().toList() : (Object) axis[0]);
        c.put("momentum", momentum);
        args.putConfigHead(c);
        c.put("moving_mean_initializer", Initializers.serialize(movingMeanInitializer));
        c.put("moving_variance_initializer", Initializers.serialize(movingVarianceInitializer));
        args.putConfigTail(c);
        c.put("synchronized", false);
        if (convention != Convention.KERAS) {
            c.put("norm4j_convention", convention.name().toLowerCase(Locale.ROOT));
        }
        return c;
    }

    /**
     * Rebuilds the layer from {@link #getConfig()} or a Keras 3 config ({@code synchronized} and {@code renorm}
     * must be false; initializers, regularizers and constraints as serialized maps or names).
     */
    public static BatchNormalization fromConfig(Map<String, Object> config) {
        BatchNormalization layer = BatchNormalizationConfig.builder(config).build();
        LayerConfigs.applyBase(layer, config);
        return layer;
    }

    /** The {@code gamma} weight (after build), or null with {@code scale = false}. */
    public Variable gamma() {
        return args.gamma;
    }

    /** The {@code beta} weight (after build), or null with {@code center = false}. */
    public Variable beta() {
        return args.beta;
    }

    /** The {@code moving_mean} weight (after build). */
    public Variable movingMean() {
        return movingMean;
    }

    /** The {@code moving_variance} weight (after build). */
    public Variable movingVariance() {
        return movingVariance;
    }

    /** PyTorch's {@code num_batches_tracked}: training batches seen (0 unless the convention is PYTORCH). */
    public long numBatchesTracked() {
        return numBatchesTracked == null ? 0 : (long) numBatchesTracked.value().item();
    }

    /** The convention. */
    public Convention convention() {
        return convention;
    }

    /** The momentum, in the convention's meaning; null for PyTorch's cumulative average. */
    public Double momentum() {
        return momentum;
    }

    /** The epsilon added to the variance. */
    public double epsilon() {
        return args.epsilon;
    }

    /**
     * Builder for {@link BatchNormalization}; setters carry the Keras argument names. The arguments shared with the
     * other normalization layers ({@code epsilon}, {@code center}, {@code scale}, the beta and gamma initializers,
     * regularizers and constraints) come from {@link NormalizationArgs.Builder}; here {@code epsilon} defaults to
     * 1e-3, or 1e-5 under {@link Convention#PYTORCH}.
     */
    public static final class Builder extends NormalizationArgs.Builder<Builder> {
        private int[] axis = {-1};
        private boolean axisList;
        private Double momentum;
        private boolean momentumSet;
        private Initializer movingMeanInitializer = Initializers.get("zeros");
        private Initializer movingVarianceInitializer = Initializers.get("ones");
        private Convention convention = Convention.KERAS;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** {@code axis}: the kept channel axis (default -1). */
        public Builder axis(int axis) {
            this.axis = new int[] {axis};
            this.axisList = false;
            return this;
        }

        /** {@code axis=[...]}: several kept axes (tf.keras; statistics per combination of their indices). */
        public Builder axis(int[] axes) {
            this.axis = Objects.requireNonNull(axes, "axis must not be null").clone();
            this.axisList = true;
            return this;
        }

        /** {@code momentum}: default 0.99 (0.1 under PYTORCH); null only under PYTORCH (cumulative average). */
        public Builder momentum(Double momentum) {
            this.momentum = momentum;
            this.momentumSet = true;
            return this;
        }

        /** {@code moving_mean_initializer} (default zeros). */
        public Builder movingMeanInitializer(Initializer i) {
            this.movingMeanInitializer = Objects.requireNonNull(i, "movingMeanInitializer must not be null");
            return this;
        }

        /** {@code moving_variance_initializer} (default ones). */
        public Builder movingVarianceInitializer(Initializer i) {
            this.movingVarianceInitializer = Objects.requireNonNull(i, "movingVarianceInitializer must not be null");
            return this;
        }

        /** The moving-statistics convention (default KERAS); also picks the momentum and epsilon defaults. */
        public Builder convention(Convention convention) {
            this.convention = Objects.requireNonNull(convention, "convention must not be null");
            return this;
        }

        /** The layer. */
        public BatchNormalization build() {
            return new BatchNormalization(this);
        }
    }
}
