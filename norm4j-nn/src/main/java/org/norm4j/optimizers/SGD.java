package org.norm4j.optimizers;

import org.norm4j.keras.KerasObjects;
import java.util.Map;

/**
 * {@code keras.optimizers.SGD(learning_rate=0.01, momentum=0.0, nesterov=False, name="SGD")}: gradient descent,
 * optionally with momentum. Keras 3's update, with slot {@code "momentum"} (created only when momentum is not 0):
 * <pre>
 * momentum == 0:   w = w - lr * g
 * momentum  > 0:   m = momentum * m - lr * g
 *                  w = w + m                           (nesterov=false)
 *                  w = w + momentum * m - lr * g       (nesterov=true)
 * </pre>
 * Config adds {@code momentum} and {@code nesterov} to the base keys of {@link Optimizer#getConfig()}.
 *
 * <pre>{@code
 * Optimizer plain = new SGD(0.1);
 * Optimizer nesterov = SGD.builder().learningRate(0.1).momentum(0.9).nesterov(true).build();
 * }</pre>
 */
public final class SGD extends Optimizer {
    private final double momentum;
    private final boolean nesterov;

    /** {@code SGD()}: learning rate 0.01, no momentum. */
    public SGD() {
        this(builder());
    }

    /** {@code SGD(learning_rate)}, without momentum. */
    public SGD(double learningRate) {
        this(builder().learningRate(learningRate));
    }

    /** {@code SGD(learning_rate, momentum, nesterov)}. */
    public SGD(double learningRate, double momentum, boolean nesterov) {
        this(builder().learningRate(learningRate).momentum(momentum).nesterov(nesterov));
    }

    private SGD(Builder b) {
        super(b);
        if (!(b.momentum >= 0 && b.momentum <= 1)) {
            throw new IllegalArgumentException("momentum = " + b.momentum + ": expected a float in [0, 1]");
        }
        this.momentum = b.momentum;
        this.nesterov = b.nesterov;
    }

    /** A builder with Keras's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The momentum (default 0.0). */
    public double momentum() {
        return momentum;
    }

    /** Whether Nesterov momentum is used (default false). */
    public boolean nesterov() {
        return nesterov;
    }

    @Override
    protected void updateStep(float[] w, float[] g, Slots slots, float lr, long localStep) {
        if (momentum == 0) {
            for (int i = 0; i < w.length; i++) {
                w[i] -= g[i] * lr;
            }
            return;
        }
        float mu = (float) momentum;
        float[] m = slots.floats("momentum");
        for (int i = 0; i < w.length; i++) {
            m[i] = m[i] * mu - g[i] * lr;
            w[i] += nesterov ? m[i] * mu - g[i] * lr : m[i];
        }
    }

    @Override
    protected void updateStep(double[] w, double[] g, Slots slots, double lr, long localStep) {
        if (momentum == 0) {
            for (int i = 0; i < w.length; i++) {
                w[i] -= g[i] * lr;
            }
            return;
        }
        double[] m = slots.doubles("momentum");
        for (int i = 0; i < w.length; i++) {
            m[i] = m[i] * momentum - g[i] * lr;
            w[i] += nesterov ? m[i] * momentum - g[i] * lr : m[i];
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "momentum", momentum, "nesterov", nesterov);
    }

    /** Builder for {@link SGD}; defaults as Keras: learning rate 0.01, momentum 0.0, nesterov false, name "SGD". */
    public static final class Builder extends Optimizer.Builder<Builder> {
        double momentum = 0.0;
        boolean nesterov = false;

        private Builder() {
            super(0.01, "SGD");
        }

        @Override
        protected Builder self() {
            return this;
        }

        /** {@code momentum}, in {@code [0, 1]} (default 0.0). */
        public Builder momentum(double momentum) {
            this.momentum = momentum;
            return this;
        }

        /** {@code nesterov} (default false). */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        @Override
        public SGD build() {
            return new SGD(this);
        }
    }
}
