package org.norm4j.layers;

import java.util.Map;

/**
 * Instance normalization, named as in Keras-contrib and TensorFlow Addons ({@code tfa.layers.InstanceNormalization}):
 * a {@link GroupNormalization} with one group per channel, so each (sample, channel) is normalized over the
 * non-batch, non-channel axes, then scaled and shifted per channel (Ulyanov, Vedaldi and Lempitsky 2016,
 * "Instance Normalization: The Missing Ingredient for Fast Stylization", arXiv:1607.08022). Keras 3 has no such
 * class; there it is {@code GroupNormalization(groups=-1)}, which computes the same numbers.
 *
 * <p>Formula, per sample n and channel c: {@code y = (x - mean[n,c]) / sqrt(var[n,c] + epsilon) * gamma[c] +
 * beta[c]}, biased variance, computed as {@link GroupNormalization} does. Training and inference compute the
 * same thing (no running statistics).
 *
 * <p>Arguments and defaults (TFA's): {@code axis=-1} (the channel axis; 1 for channels-first), {@code
 * epsilon=1e-3}, {@code center=true}, {@code scale=true}, {@code beta_initializer="zeros"},
 * {@code gamma_initializer="ones"}, regularizers and constraints null. Config keys: {@code name, trainable,
 * dtype, groups} (always -1; a {@code groups} value read back is ignored, as TFA overrides it), {@code axis,
 * epsilon, center, scale, beta_initializer, gamma_initializer, beta_regularizer, gamma_regularizer,
 * beta_constraint, gamma_constraint}. Weights: {@code gamma}, {@code beta}, shape (C,). PyTorch's
 * {@code nn.InstanceNorm2d} defaults differ: {@code affine=False} (no gamma/beta) and epsilon 1e-5; use
 * {@code center(false).scale(false).epsilon(1e-5)} for it.
 *
 * <pre>{@code
 * Layer in = new InstanceNormalization();                 // channels-last images (N, H, W, C)
 * Layer inTorch = new InstanceNormalization(GroupNormalization.builder().axis(1).center(false).scale(false)
 *         .epsilon(1e-5));                                 // PyTorch InstanceNorm2d on (N, C, H, W)
 * }</pre>
 */
public class InstanceNormalization extends GroupNormalization {

    /** {@code InstanceNormalization()}: channels-last, TFA defaults. */
    public InstanceNormalization() {
        this(GroupNormalization.builder());
    }

    /** {@code InstanceNormalization(axis=...)}: 1 for channels-first inputs. */
    public InstanceNormalization(int axis) {
        this(GroupNormalization.builder().axis(axis));
    }

    /** The arguments of a {@link GroupNormalization} builder with {@code groups} forced to -1. */
    public InstanceNormalization(GroupNormalization.Builder b) {
        super(b.groups(-1));
    }

    /** Rebuilds a layer from {@link #getConfig()} or a TFA config (regularizers/constraints null). */
    public static InstanceNormalization fromConfig(Map<String, Object> config) {
        InstanceNormalization l = new InstanceNormalization(builderFrom(config));
        LayerConfigs.applyBase(l, config);
        return l;
    }
}
