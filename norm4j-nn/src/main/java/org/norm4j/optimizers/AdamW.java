package org.norm4j.optimizers;

import org.norm4j.keras.KerasObjects;
import java.util.Map;

/**
 * {@code keras.optimizers.AdamW(learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
 * epsilon=1e-7, amsgrad=False, name="adamw")}: {@link Adam} with decoupled weight decay. As in Keras 3, each
 * step first applies {@code w = w - w * weight_decay * lr} to every variable not excluded by
 * {@link #excludeFromWeightDecay}, then the Adam update with the (clipped) gradient. The config is Adam's, with
 * {@code weight_decay} set.
 *
 * <p>Reference: Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019.
 *
 * <pre>{@code
 * AdamW opt = AdamW.builder().learningRate(1e-3).weightDecay(0.01).build();
 * opt.excludeFromWeightDecay(List.of(), List.of("bias", "gamma", "beta"));
 * }</pre>
 */
public final class AdamW extends Optimizer {
    /** The Adam update with this optimizer's arguments; its own state is unused. */
    private final Adam adam;

    /** {@code AdamW()}: Keras's defaults, weight decay 0.004. */
    public AdamW() {
        this(builder());
    }

    /** {@code AdamW(learning_rate, weight_decay)}, other arguments at Keras's defaults. */
    public AdamW(double learningRate, double weightDecay) {
        this(builder().learningRate(learningRate).weightDecay(weightDecay));
    }

    private AdamW(Builder b) {
        super(requireWeightDecay(b));
        this.adam = new Adam(b);
    }

    private static Builder requireWeightDecay(Builder b) {
        if (b.weightDecay == null) {
            throw new IllegalArgumentException("AdamW got weight_decay=null: expected a float (default 0.004)");
        }
        return b;
    }

    /** A builder with Keras's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code beta_1} (default 0.9). */
    public double beta1() {
        return adam.beta1();
    }

    /** {@code beta_2} (default 0.999). */
    public double beta2() {
        return adam.beta2();
    }

    /** {@code epsilon} (default 1e-7). */
    public double epsilon() {
        return adam.epsilon();
    }

    /** {@code amsgrad} (default false). */
    public boolean amsgrad() {
        return adam.amsgrad();
    }

    @Override
    protected void updateStep(float[] w, float[] g, Slots slots, float lr, long localStep) {
        adam.updateStep(w, g, slots, lr, localStep);
    }

    @Override
    protected void updateStep(double[] w, double[] g, Slots slots, double lr, long localStep) {
        adam.updateStep(w, g, slots, lr, localStep);
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "beta_1", adam.beta1(), "beta_2", adam.beta2(),
                "epsilon", adam.epsilon(), "amsgrad", adam.amsgrad());
    }

    /** Builder for {@link AdamW}; defaults as Keras: learning rate 0.001, weight decay 0.004, name "adamw". */
    public static final class Builder extends Adam.BaseBuilder<Builder> {
        private Builder() {
            super(0.001, "adamw");
            weightDecay = 0.004;
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public AdamW build() {
            return new AdamW(this);
        }
    }
}
