package org.norm4j.layers;

import org.norm4j.keras.KerasObjects;
import java.util.List;
import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.ops.LayerNorms;

/**
 * {@code keras.layers.RMSNormalization} (Keras 3.9+): divides each sample by its root mean square over
 * {@code axis}, without centring, then multiplies by a learned {@code scale} (Zhang and Sennrich 2019, "Root Mean
 * Square Layer Normalization", arXiv:1910.07467). Training and inference compute the same thing.
 *
 * <p>Formula: {@code y = x * rsqrt(mean(x^2, axis) + epsilon) * scale}, evaluated as Keras's TensorFlow
 * backend does: {@code (x * rsqrt(mean(square(x)) + epsilon)) * scale}. Not to be confused with
 * {@code LayerNormalization(rms_scaling=true)}, which divides by the centred standard deviation.
 *
 * <p>Arguments and Keras 3 defaults: {@code axis=-1} (an int or a list; negative allowed; duplicates and
 * out-of-range axes are errors at build), {@code epsilon=1e-6} ({@code keras.ops.rms_normalization} defaults to
 * 1e-7; PyTorch's {@code nn.RMSNorm} to the machine epsilon of the input dtype). One weight, {@code scale},
 * initialized to ones, shaped like the input dims at {@code axis} (in increasing axis order).
 *
 * <pre>{@code
 * Layer rms = new RMSNormalization();                 // last axis, epsilon 1e-6
 * Layer rms2 = new RMSNormalization(1e-5, 1, 2);      // epsilon 1e-5 over axes 1 and 2
 * }</pre>
 */
public class RMSNormalization extends Layer {
    private final int[] axis;
    private final boolean axisIsList;
    private final double epsilon;
    private int[] axes;
    private Variable scale;

    /** {@code RMSNormalization()}: the last axis, epsilon 1e-6. */
    public RMSNormalization() {
        this(LayerNorms.RMS_EPSILON, -1);
    }

    /**
     * {@code RMSNormalization(axis=..., epsilon=...)}.
     *
     * @param epsilon added to the mean square, {@code >= 0}
     * @param axis one axis, or several (saved as a list); none means -1
     */
    public RMSNormalization(double epsilon, int... axis) {
        this(epsilon, axis.length == 0 ? new int[] {-1} : axis, axis.length > 1);
    }

    private RMSNormalization(double epsilon, int[] axis, boolean axisIsList) {
        this.epsilon = NormalizationArgs.checkEpsilon(epsilon);
        this.axis = NormalizationArgs.checkAxis(axis);
        this.axisIsList = axisIsList;
    }

    /** Rebuilds a layer from {@link #getConfig()}. */
    public static RMSNormalization fromConfig(Map<String, Object> config) {
        Object e = config.get("epsilon");
        RMSNormalization l = new RMSNormalization(e == null ? LayerNorms.RMS_EPSILON : ((Number) e).doubleValue(),
                NormalizationArgs.axesOf(config.get("axis")), config.get("axis") instanceof List);
        LayerConfigs.applyBase(l, config);
        return l;
    }

    @Override
    protected void build(int[] inputShape) {
        axes = NormalizationArgs.normalizeAxes(axis, inputShape, name(), true);
        scale = addWeight("scale", NormalizationArgs.dimsAt(inputShape, axes), "ones");
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        return LayerNorms.rmsNormalization(inputs, axes, scale.value().asType(inputs.dtype()), epsilon);
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "axis", NormalizationArgs.axisConfig(axis, axisIsList),
                "epsilon", epsilon);
    }

    /** The {@code scale} weight (after build). */
    public Variable scale() {
        return scale;
    }
}
