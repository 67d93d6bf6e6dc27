package org.norm4j.optimizers;

import org.norm4j.keras.KerasObjects;
import java.util.Map;

/**
 * {@code keras.optimizers.RMSprop(learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False,
 * name="rmsprop")}. Keras 3's update, with slots {@code "velocity"}, {@code "momentum"} (when momentum &gt; 0) and
 * {@code "average_gradient"} (when centered):
 * <pre>
 * v = rho * v + (1 - rho) * g^2
 * centered:      a = rho * a + (1 - rho) * g;   denominator = v - a^2 + epsilon
 * not centered:  denominator = v + epsilon
 * increment = lr * g / sqrt(denominator)
 * momentum &gt; 0:  mom = momentum * mom + increment;   w = w - mom
 * momentum = 0:  w = w - increment
 * </pre>
 * Note that epsilon is inside the square root, unlike Adam. Config adds {@code rho}, {@code momentum},
 * {@code epsilon}, {@code centered} to the base keys of {@link Optimizer#getConfig()}.
 *
 * <p>Reference: Hinton, Neural Networks for Machine Learning, lecture 6e, 2012.
 *
 * <pre>{@code
 * Optimizer rms = RMSprop.builder().learningRate(0.01).centered(true).build();
 * }</pre>
 */
public final class RMSprop extends Optimizer {
    private final double rho;
    private final double momentum;
    private final double epsilon;
    private final boolean centered;

    /** {@code RMSprop()}: Keras's defaults. */
    public RMSprop() {
        this(builder());
    }

    /** {@code RMSprop(learning_rate)}, other arguments at Keras's defaults. */
    public RMSprop(double learningRate) {
        this(builder().learningRate(learningRate));
    }

    private RMSprop(Builder b) {
        super(b);
        if (!(b.rho >= 0 && b.rho <= 1)) {
            throw new IllegalArgumentException("rho = " + b.rho + ": expected a float in [0, 1]");
        }
        if (!(b.momentum >= 0) || Double.isInfinite(b.momentum)) {
            throw new IllegalArgumentException("momentum = " + b.momentum + ": expected a finite value >= 0");
        }
        if (!(b.epsilon >= 0) || Double.isInfinite(b.epsilon)) {
            throw new IllegalArgumentException("epsilon = " + b.epsilon + ": expected a finite value >= 0");
        }
        this.rho = b.rho;
        this.momentum = b.momentum;
        this.epsilon = b.epsilon;
        this.centered = b.centered;
    }

    /** A builder with Keras's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code rho} (default 0.9). */
    public double rho() {
        return rho;
    }

    /** {@code momentum} (default 0.0). */
    public double momentum() {
        return momentum;
    }

    /** {@code epsilon} (default 1e-7). */
    public double epsilon() {
        return epsilon;
    }

    /** {@code centered} (default false). */
    public boolean centered() {
        return centered;
    }

    @Override
    protected void updateStep(float[] w, float[] g, Slots slots, float lr, long localStep) {
        float r = (float) rho;
        float oneMinusRho = (float) (1 - rho);
        float eps = (float) epsilon;
        float mu = (float) momentum;
        float[] v = slots.floats("velocity");
        float[] mom = momentum > 0 ? slots.floats("momentum") : null;
        float[] avg = centered ? slots.floats("average_gradient") : null;
        for (int i = 0; i < w.length; i++) {
            float gi = g[i];
            v[i] = r * v[i] + oneMinusRho * (gi * gi);
            float denominator;
            if (avg != null) {
                avg[i] = r * avg[i] + oneMinusRho * gi;
                denominator = v[i] - avg[i] * avg[i] + eps;
            } else {
                denominator = v[i] + eps;
            }
            float increment = lr * gi / (float) Math.sqrt(denominator);
            if (mom != null) {
                mom[i] = mu * mom[i] + increment;
                w[i] -= mom[i];
            } else {
                w[i] -= increment;
            }
        }
    }

    @Override
    protected void updateStep(double[] w, double[] g, Slots slots, double lr, long localStep) {
        double oneMinusRho = 1 - rho;
        double[] v = slots.doubles("velocity");
        double[] mom = momentum > 0 ? slots.doubles("momentum") : null;
        double[] avg = centered ? slots.doubles("average_gradient") : null;
        for (int i = 0; i < w.length; i++) {
            double gi = g[i];
            v[i] = rho * v[i] + oneMinusRho * (gi * gi);
            double denominator;
            if (avg != null) {
                avg[i] = rho * avg[i] + oneMinusRho * gi;
                denominator = v[i] - avg[i] * avg[i] + epsilon;
            } else {
                denominator = v[i] + epsilon;
            }
            double increment = lr * gi / Math.sqrt(denominator);
            if (mom != null) {
                mom[i] = momentum * mom[i] + increment;
                w[i] -= mom[i];
            } else {
                w[i] -= increment;
            }
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "rho", rho, "momentum", momentum, "epsilon", epsilon,
                "centered", centered);
    }

    /** Builder for {@link RMSprop}; defaults as Keras: learning rate 0.001, name "rmsprop". */
    public static final class Builder extends Optimizer.Builder<Builder> {
        double rho = 0.9;
        double momentum = 0.0;
        double epsilon = 1e-7;
        boolean centered = false;

        private Builder() {
            super(0.001, "rmsprop");
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** {@code rho}: decay of the squared-gradient average, in {@code [0, 1]} (default 0.9). */
        public Builder rho(double rho) {
            this.rho = rho;
            return this;
        }

        /** {@code momentum}, {@code >= 0} (default 0.0). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** {@code epsilon}: added inside the square root (default 1e-7). */
        public Builder epsilon(double epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /** {@code centered}: normalize by the estimated variance of the gradient (default false). */
        public Builder centered(boolean centered) {
            this.centered = centered;
            return this;
        }

        @Override
        public RMSprop build() {
            return new RMSprop(this);
        }
    }
}
