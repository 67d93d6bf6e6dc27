package org.norm4j.layers;

import org.norm4j.keras.KerasObjects;
import java.util.List;
import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.ops.LayerNorms;

/**
 * {@code keras.layers.UnitNormalization}: scales each sample to unit L2 norm over {@code axis}. No weights;
 * training and inference compute the same thing.
 *
 * <p>Formula: {@code y = x / max(||x||_2, 1e-12) = x * rsqrt(max(sum(x^2, axis), 1e-24))}, i.e. Keras 3's
 * {@code ops.normalize(x, axis, order=2, epsilon=1e-12)}: the epsilon floors the <em>norm</em>. A slice of zeros
 * gives zeros and the finite gradient {@code dy / 1e-12} (Keras master, keras-team/keras#23093; Keras 3.6-3.15
 * compute {@code min(rsqrt(sum), 1e12)}, the same forward values with a NaN gradient at zero; Keras 3.0-3.5 and
 * tf.keras use {@code tf.math.l2_normalize}, which floors the squared norm at 1e-12).
 *
 * <p>Arguments and Keras 3 defaults: {@code axis=-1}, an int or a list of axes (negative allowed; duplicates and
 * out-of-range axes are errors at build). scikit-learn's {@code Normalizer(norm="l2")} and Spark's
 * {@code Normalizer(p=2)} do the same per row (with a zero row left as is).
 *
 * <pre>{@code
 * Layer unit = new UnitNormalization();          // rows of (batch, features) get norm 1
 * Layer unit3 = new UnitNormalization(1, 2);     // per sample of (batch, h, w, c), per channel
 * }</pre>
 */
public class UnitNormalization extends Layer {
    private final int[] axis;
    private final boolean axisIsList;
    private int[] axes;

    /** {@code UnitNormalization()}: the last axis. */
    public UnitNormalization() {
        this(new int[] {-1}, false);
    }

    /** {@code UnitNormalization(axis=...)}: one axis, or several (saved as a list). */
    public UnitNormalization(int... axis) {
        this(axis, axis.length != 1);
    }

    private UnitNormalization(int[] axis, boolean axisIsList) {
        this.axis = NormalizationArgs.checkAxis(axis);
        this.axisIsList = axisIsList;
    }

    /** Rebuilds a layer from {@link #getConfig()}. */
    public static UnitNormalization fromConfig(Map<String, Object> config) {
        UnitNormalization l = new UnitNormalization(NormalizationArgs.axesOf(config.get("axis")),
                config.get("axis") instanceof List);
        LayerConfigs.applyBase(l, config);
        return l;
    }

    @Override
    protected void build(int[] inputShape) {
        axes = NormalizationArgs.normalizeAxes(axis, inputShape, name(), false);
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        return LayerNorms.unitNormalization(inputs, axes, LayerNorms.UNIT_EPSILON);
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "axis", NormalizationArgs.axisConfig(axis, axisIsList));
    }
}
