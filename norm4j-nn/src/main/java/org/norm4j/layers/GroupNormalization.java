package org.norm4j.layers;

import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.ops.LayerNorms;

/**
 * {@code keras.layers.GroupNormalization}: splits the channels into {@code groups} runs of consecutive channels
 * and normalizes each (sample, group) over its channels and all non-batch axes, then scales and shifts per
 * channel (Wu and He 2018, "Group Normalization", arXiv:1803.08494). Independent of the batch size; training and
 * inference compute the same thing. {@code groups = -1} (one channel per group) is instance normalization,
 * {@code groups = 1} layer normalization over all non-batch axes.
 *
 * <p>Formula, per sample n and group g with the biased variance: {@code y = (x - mean[n,g]) / sqrt(var[n,g] +
 * epsilon) * gamma[c] + beta[c]}, evaluated as {@code (x - mean) * (rsqrt(var + epsilon) * gamma) + beta} with
 * double statistics (Keras's {@code x * inv + (beta - mean * inv)} agrees to an ulp or two; see
 * {@link LayerNorms}).
 *
 * <p>Arguments and Keras 3 defaults: {@code groups=32} (must divide the channel count C and be at most C; -1
 * means C), {@code axis=-1} (the channel axis; 1 for channels-first; not 0, the batch axis), {@code epsilon=1e-3},
 * {@code center=true} (beta), {@code scale=true} (gamma), {@code beta_initializer="zeros"},
 * {@code gamma_initializer="ones"}, {@code beta_regularizer}, {@code gamma_regularizer}, {@code beta_constraint},
 * {@code gamma_constraint} null. Weights: {@code gamma} then {@code beta}, shape (C,). PyTorch's
 * {@code nn.GroupNorm} uses epsilon 1e-5.
 *
 * <pre>{@code
 * Layer gn = new GroupNormalization(8);                       // 8 groups, channels-last
 * Layer gnFirst = GroupNormalization.builder().groups(4).axis(1).build();
 * }</pre>
 */
public class GroupNormalization extends Layer {
    private final int groups;
    private final int axis;
    private final NormalizationArgs args;

    /** {@code GroupNormalization()}: 32 groups over the last axis, Keras defaults. */
    public GroupNormalization() {
        this(builder());
    }

    /** {@code GroupNormalization(groups=...)} over the last axis. */
    public GroupNormalization(int groups) {
        this(builder().groups(groups));
    }

    /** A layer from a builder; {@link InstanceNormalization} forces {@code groups = -1}. */
    protected GroupNormalization(Builder b) {
        if (b.groups == 0 || b.groups < -1) {
            throw new IllegalArgumentException("groups = " + b.groups
                    + ": expected a positive number of groups, or -1 for one group per channel");
        }
        this.groups = b.groups;
        this.axis = b.axis;
        this.args = new NormalizationArgs(b);
    }

    /** A builder whose setters carry the Keras argument names; unset arguments keep Keras's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Rebuilds a layer from {@link #getConfig()} or a Keras 3 config. */
    public static GroupNormalization fromConfig(Map<String, Object> config) {
        GroupNormalization l = builderFrom(config).groups(((Number) config.getOrDefault("groups", 32)).intValue())
                .build();
        LayerConfigs.applyBase(l, config);
        return l;
    }

    /** A builder holding the keys GroupNormalization and InstanceNormalization share. */
    static Builder builderFrom(Map<String, Object> config) {
        return builder().read(config).axis(((Number) config.getOrDefault("axis", -1)).intValue());
    }

    @Override
    protected void build(int[] inputShape) {
        int rank = inputShape.length;
        if (rank < 2 || axis < -rank || axis >= rank || axis == 0 || axis == -rank) {
            throw new IllegalArgumentException("Layer '" + name() + "': axis " + axis + " for input shape "
                    + showShape(inputShape) + ": expected a non-batch axis in [" + (1 - rank) + ", " + rank + ")");
        }
        int c = inputShape[axis < 0 ? axis + rank : axis];
        if (c < 0) {
            throw new IllegalArgumentException("Layer '" + name() + "': axis " + axis + " of input shape "
                    + showShape(inputShape) + " should have a defined dimension: expected a known channel count");
        }
        int g = groups == -1 ? c : groups;
        if (g > c) {
            throw new IllegalArgumentException("Layer '" + name() + "': Number of groups (" + g + ") cannot be more "
                    + "than the number of channels (" + c + ")");
        }
        if (c % g != 0) {
            throw new IllegalArgumentException("Layer '" + name() + "': the number of channels (" + c + ") must be "
                    + "a multiple of the number of groups (" + g + ")");
        }
        args.addGammaBeta(this, new int[] {c}, args.scale, args.center);
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        Tensor g = NormalizationArgs.valueAs(args.gamma, inputs.dtype());
        Tensor b = NormalizationArgs.valueAs(args.beta, inputs.dtype());
        return LayerNorms.groupNormalization(inputs, groups, axis, g, b, args.epsilon);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("groups", groups);
        c.put("axis", axis);
        args.putConfig(c);
        return c;
    }

    /** The {@code gamma} weight (after build), or null. */
    public Variable gamma() {
        return args.gamma;
    }

    /** The {@code beta} weight (after build), or null. */
    public Variable beta() {
        return args.beta;
    }

    /**
     * Builder of {@link GroupNormalization}: {@code groups} and {@code axis} here, and the shared
     * {@code epsilon}, {@code center}, {@code scale}, {@code betaInitializer}, {@code gammaInitializer},
     * {@code betaRegularizer}, {@code gammaRegularizer}, {@code betaConstraint}, {@code gammaConstraint}.
     */
    public static final class Builder extends NormalizationArgs.Builder<Builder> {
        private int groups = 32;
        private int axis = -1;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** {@code groups}, default 32; -1 means one group per channel. */
        public Builder groups(int v) {
            this.groups = v;
            return this;
        }

        /** {@code axis}: the channel axis, default -1 (1 for channels-first). */
        public Builder axis(int v) {
            this.axis = v;
            return this;
        }

        /** The layer. */
        public GroupNormalization build() {
            return new GroupNormalization(this);
        }
    }
}
