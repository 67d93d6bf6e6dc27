package org.norm4j.losses;

import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.keras.KerasObjects;
import org.norm4j.ops.Elementwise;

/**
 * What {@link BinaryCrossentropy} and {@link CategoricalCrossentropy} share: Keras's {@code from_logits=False},
 * {@code label_smoothing=0.0} (in {@code [0, 1]}) and {@code axis=-1}, their config keys and their builder.
 */
abstract class Crossentropy extends Loss {
    private final boolean fromLogits;
    private final double labelSmoothing;
    private final int axis;

    Crossentropy(Builder<?> b) {
        super(b.name);
        this.fromLogits = b.fromLogits;
        this.labelSmoothing = checkLabelSmoothing(b.labelSmoothing);
        this.axis = b.axis;
    }

    /** {@code from_logits} (default false). */
    public boolean fromLogits() {
        return fromLogits;
    }

    /** {@code label_smoothing} (default 0.0). */
    public double labelSmoothing() {
        return labelSmoothing;
    }

    /** {@code axis} (default -1): averaged over per sample (binary), or the class axis (categorical). */
    public int axis() {
        return axis;
    }

    /** Keras's label smoothing: {@code t * (1 - label_smoothing) + offset}; {@code t} itself without smoothing. */
    Tensor smooth(Tensor t, double offset) {
        return labelSmoothing > 0 ? Elementwise.add(Elementwise.mul(t, Tensor.scalar(1 - labelSmoothing, t.dtype())),
                Tensor.scalar(offset, t.dtype())) : t;
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "from_logits", fromLogits, "label_smoothing", labelSmoothing,
                "axis", axis);
    }

    /**
     * The builder of a cross-entropy loss, with Keras's defaults.
     *
     * @param <B> the concrete builder type, for chaining
     */
    abstract static class Builder<B extends Builder<B>> {
        private boolean fromLogits = false;
        private double labelSmoothing = 0.0;
        private int axis = -1;
        private String name;

        Builder(String defaultName) {
            this.name = defaultName;
        }

        @SuppressWarnings("unchecked")
        private B self() {
            return (B) this;
        }

        /** {@code from_logits}: whether {@code y_pred} holds logits (default false: probabilities). */
        public B fromLogits(boolean fromLogits) {
            this.fromLogits = fromLogits;
            return self();
        }

        /** {@code label_smoothing}, in {@code [0, 1]} (default 0.0). */
        public B labelSmoothing(double labelSmoothing) {
            this.labelSmoothing = labelSmoothing;
            return self();
        }

        /** {@code axis} (default -1). */
        public B axis(int axis) {
            this.axis = axis;
            return self();
        }

        /** {@code name} (default: the loss's Keras name). */
        public B name(String name) {
            this.name = name;
            return self();
        }
    }
}
