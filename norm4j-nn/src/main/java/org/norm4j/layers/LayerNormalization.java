package org.norm4j.layers;

import java.util.List;
import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.ops.LayerNorms;

/**
 * {@code keras.layers.LayerNormalization}: normalizes each sample over {@code axis}, independently of the
 * batch, then scales by {@code gamma} and shifts by {@code beta} (Ba, Kiros and Hinton 2016, "Layer
 * Normalization", arXiv:1607.06450). Training and inference compute the same thing; there are no moving
 * statistics.
 *
 * <p>Formula, per position of the other axes, with the biased variance over {@code axis}:
 * {@code y = (x - mean) / sqrt(var + epsilon) * gamma + beta}, evaluated as {@code (x - mean) * (rsqrt(var +
 * epsilon) * gamma) + beta} in the input's dtype, with double statistics (Keras's {@code x * inv + (beta - mean *
 * inv)} agrees to an ulp or two; see {@link LayerNorms}). With {@code rms_scaling}
 * (Keras 3, deprecated there since 3.11): {@code y = x * rsqrt(var + epsilon) * gamma} with the <em>centred</em>
 * variance; beta is not created and gamma is created even when {@code scale} is false. That is not RMSNorm; see
 * {@link RMSNormalization}.
 *
 * <p>Arguments and Keras 3 defaults:
 * <ul>
 *   <li>{@code axis=-1}: an int or a list (negative allowed, any order; duplicates and out-of-range axes are
 *       errors at build); several axes are saved as a list;</li>
 *   <li>{@code epsilon=1e-3} (PyTorch's {@code nn.LayerNorm} uses 1e-5, {@code keras.ops.layer_normalization}
 *       1e-7);</li>
 *   <li>{@code center=true} (beta), {@code scale=true} (gamma), {@code rms_scaling=false};</li>
 *   <li>{@code beta_initializer="zeros"}, {@code gamma_initializer="ones"}; {@code beta_regularizer},
 *       {@code gamma_regularizer}, {@code beta_constraint}, {@code gamma_constraint} null.</li>
 * </ul>
 * Weights: {@code gamma} then {@code beta}, shaped like the input dims at {@code axis} in increasing axis order
 * (axis [1, 2, 3] on (5, 20, 30, 40) gives (20, 30, 40)).
 *
 * <pre>{@code
 * Layer ln = new LayerNormalization();                       // last axis
 * Layer ln3 = LayerNormalization.builder().axis(1, 2, 3).epsilon(1e-5).build();
 * }</pre>
 */
public class LayerNormalization extends Layer {
    private final int[] axis;
    private final boolean axisIsList;
    private final boolean rmsScaling;
    private final NormalizationArgs args;
    private int[] axes;

    /** {@code LayerNormalization()}: the last axis, Keras defaults. */
    public LayerNormalization() {
        this(builder());
    }

    /** {@code LayerNormalization(axis=...)} with the other arguments at their defaults. */
    public LayerNormalization(int... axis) {
        this(builder().axis(axis));
    }

    private LayerNormalization(Builder b) {
        this.axis = NormalizationArgs.checkAxis(b.axis);
        this.axisIsList = b.axisIsList;
        this.rmsScaling = b.rmsScaling;
        this.args = new NormalizationArgs(b);
    }

    /** A builder whose setters carry the Keras argument names; unset arguments keep Keras's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Rebuilds a layer from {@link #getConfig()} or a Keras 3 config. */
    public static LayerNormalization fromConfig(Map<String, Object> config) {
        Builder b = builder().read(config).rmsScaling(Boolean.TRUE.equals(config.get("rms_scaling")));
        b.axis(NormalizationArgs.axesOf(config.get("axis")));
        b.axisIsList = config.get("axis") instanceof List;
        LayerNormalization l = b.build();
        LayerConfigs.applyBase(l, config);
        return l;
    }

    @Override
    protected void build(int[] inputShape) {
        axes = NormalizationArgs.normalizeAxes(axis, inputShape, name(), true);
        int[] shape = NormalizationArgs.dimsAt(inputShape, axes);
        args.addGammaBeta(this, shape, args.scale || rmsScaling, args.center && !rmsScaling);
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        Tensor g = NormalizationArgs.valueAs(args.gamma, inputs.dtype());
        Tensor b = NormalizationArgs.valueAs(args.beta, inputs.dtype());
        return LayerNorms.layerNormalization(inputs, axes, g, b, args.epsilon, rmsScaling);
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("axis", NormalizationArgs.axisConfig(axis, axisIsList));
        args.putConfig(c);
        c.put("rms_scaling", rmsScaling);
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
     * Builder of {@link LayerNormalization}: {@code axis} and {@code rmsScaling} here, and the shared
     * {@code epsilon}, {@code center}, {@code scale}, {@code betaInitializer}, {@code gammaInitializer},
     * {@code betaRegularizer}, {@code gammaRegularizer}, {@code betaConstraint}, {@code gammaConstraint}.
     */
    public static final class Builder extends NormalizationArgs.Builder<Builder> {
        private int[] axis = {-1};
        private boolean axisIsList;
        private boolean rmsScaling;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /** {@code axis}: one axis (default -1) or several (saved as a list). */
        public Builder axis(int... v) {
            this.axis = NormalizationArgs.checkAxis(v);
            this.axisIsList = v.length != 1;
            return this;
        }

        /** {@code rms_scaling}, default false: scale by the centred variance, no beta. */
        public Builder rmsScaling(boolean v) {
            this.rmsScaling = v;
            return this;
        }

        /** The layer. */
        public LayerNormalization build() {
            return new LayerNormalization(this);
        }
    }
}
