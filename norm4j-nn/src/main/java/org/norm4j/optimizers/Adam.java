package org.norm4j.optimizers;

import org.norm4j.keras.KerasObjects;
import java.util.Map;

/**
 * {@code keras.optimizers.Adam(learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False,
 * name="adam")}. Keras 3's update at step {@code t = iterations + 1}, with slots {@code "momentum"} (m),
 * {@code "velocity"} (v) and, with amsgrad, {@code "velocity_hat"}:
 * <pre>
 * alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
 * m = m + (g - m) * (1 - beta_1)
 * v = v + (g^2 - v) * (1 - beta_2)
 * v_hat = max(v_hat, v); v = v_hat                      (amsgrad only)
 * w = w - m * alpha / (sqrt(v) + epsilon)
 * </pre>
 * Note that epsilon is added outside the bias correction ("epsilon hat" of Kingma and Ba). Config adds
 * {@code beta_1}, {@code beta_2}, {@code epsilon}, {@code amsgrad} to the base keys of {@link
 * Optimizer#getConfig()}.
 *
 * <p>Reference: Kingma and Ba, "Adam: A Method for Stochastic Optimization", 2014; Reddi et al., "On the
 * Convergence of Adam and Beyond", 2018 (amsgrad).
 *
 * <pre>{@code
 * Optimizer adam = new Adam();                                   // Keras defaults
 * Optimizer ams = Adam.builder().learningRate(1e-2).amsgrad(true).build();
 * }</pre>
 */
public final class Adam extends Optimizer {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final boolean amsgrad;

    /** {@code Adam()}: Keras's defaults. */
    public Adam() {
        this(builder());
    }

    /** {@code Adam(learning_rate)}, other arguments at Keras's defaults. */
    public Adam(double learningRate) {
        this(builder().learningRate(learningRate));
    }

    /**
     * Creates the optimizer from a builder (also used by {@link AdamW} for its update).
     *
     * @throws IllegalArgumentException if a beta is outside {@code [0, 1)} or epsilon is negative or not finite
     */
    Adam(BaseBuilder<?> b) {
        super(b);
        checkBeta("beta_1", b.beta1);
        checkBeta("beta_2", b.beta2);
        if (!(b.epsilon >= 0) || Double.isInfinite(b.epsilon)) {
            throw new IllegalArgumentException("epsilon = " + b.epsilon + ": expected a finite value >= 0");
        }
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.epsilon = b.epsilon;
        this.amsgrad = b.amsgrad;
    }

    private static void checkBeta(String name, double beta) {
        if (!(beta >= 0 && beta < 1)) {
            throw new IllegalArgumentException(name + " = " + beta + ": expected a float in [0, 1)");
        }
    }

    /** A builder with Keras's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code beta_1} (default 0.9). */
    public double beta1() {
        return beta1;
    }

    /** {@code beta_2} (default 0.999). */
    public double beta2() {
        return beta2;
    }

    /** {@code epsilon} (default 1e-7). */
    public double epsilon() {
        return epsilon;
    }

    /** {@code amsgrad} (default false). */
    public boolean amsgrad() {
        return amsgrad;
    }

    @Override
    protected void updateStep(float[] w, float[] g, Slots slots, float lr, long localStep) {
        float step = (float) localStep;
        float b1Power = (float) Math.pow((float) beta1, step);
        float b2Power = (float) Math.pow((float) beta2, step);
        float alpha = lr * (float) Math.sqrt(1f - b2Power) / (1f - b1Power);
        float oneMinusB1 = (float) (1 - beta1);
        float oneMinusB2 = (float) (1 - beta2);
        float eps = (float) epsilon;
        float[] m = slots.floats("momentum");
        float[] v = slots.floats("velocity");
        float[] vHat = amsgrad ? slots.floats("velocity_hat") : null;
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            m[i] += (gi - m[i]) * oneMinusB1;
            v[i] += (gi * gi - v[i]) * oneMinusB2;
            float vi = v[i];
            if (vHat != null) {
                vHat[i] = Math.max(vHat[i], vi);
                vi = vHat[i];
            }
            w[i] -= m[i] * alpha / ((float) Math.sqrt(vi) + eps);
        }
    }

    @Override
    protected void updateStep(double[] w, double[] g, Slots slots, double lr, long localStep) {
        double alpha = lr * Math.sqrt(1 - Math.pow(beta2, localStep)) / (1 - Math.pow(beta1, localStep));
        double oneMinusB1 = 1 - beta1;
        double oneMinusB2 = 1 - beta2;
        double[] m = slots.doubles("momentum");
        double[] v = slots.doubles("velocity");
        double[] vHat = amsgrad ? slots.doubles("velocity_hat") : null;
        for (int i = 0; i < w.length; i++) {
            double gi = g[i];
            m[i] += (gi - m[i]) * oneMinusB1;
            v[i] += (gi * gi - v[i]) * oneMinusB2;
            double vi = v[i];
            if (vHat != null) {
                vHat[i] = Math.max(vHat[i], vi);
                vi = vHat[i];
            }
            w[i] -= m[i] * alpha / (Math.sqrt(vi) + epsilon);
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "beta_1", beta1, "beta_2", beta2, "epsilon", epsilon,
                "amsgrad", amsgrad);
    }

    /**
     * The arguments shared by {@link Adam} and {@link AdamW}: {@code beta_1=0.9}, {@code beta_2=0.999},
     * {@code epsilon=1e-7}, {@code amsgrad=false}, plus the base arguments.
     *
     * @param <B> the concrete builder type
     */
    public abstract static class BaseBuilder<B extends BaseBuilder<B>> extends Optimizer.Builder<B> {
        double beta1 = 0.9;
        double beta2 = 0.999;
        double epsilon = 1e-7;
        boolean amsgrad = false;

        /** See {@link Optimizer.Builder#Builder(double, String)}. */
        protected BaseBuilder(double defaultLearningRate, String defaultName) {
            super(defaultLearningRate, defaultName);
        }

        /** {@code beta_1}: decay of the first-moment estimate, in {@code [0, 1)} (default 0.9). */
        public B beta1(double beta1) {
            this.beta1 = beta1;
            return self();
        }

        /** {@code beta_2}: decay of the second-moment estimate, in {@code [0, 1)} (default 0.999). */
        public B beta2(double beta2) {
            this.beta2 = beta2;
            return self();
        }

        /** {@code epsilon}: added to {@code sqrt(v)} (default 1e-7). */
        public B epsilon(double epsilon) {
            this.epsilon = epsilon;
            return self();
        }

        /** {@code amsgrad}: use the AMSGrad variant (default false). */
        public B amsgrad(boolean amsgrad) {
            this.amsgrad = amsgrad;
            return self();
        }
    }

    /** Builder for {@link Adam}; defaults as Keras: learning rate 0.001, name "adam". */
    public static final class Builder extends BaseBuilder<Builder> {
        private Builder() {
            super(0.001, "adam");
        }

        @Override
        protected Builder self() {
            return this;
        }

        @Override
        public Adam build() {
            return new Adam(this);
        }
    }
}
