package org.norm4j.layers;

import org.norm4j.keras.KerasObjects;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.norm4j.Tensor;

/**
 * {@code keras.layers.Activation(activation)}: applies a named activation ({@code linear}, {@code relu},
 * {@code sigmoid}, {@code tanh}, {@code softmax} over the last axis, {@code gelu}, {@code swish}/{@code silu}).
 */
public class Activation extends Layer {
    private final String activationName;
    private final UnaryOperator<Tensor> fn;

    /** {@code Activation(activation)}. */
    public Activation(String activation) {
        this.activationName = ActivationFunctions.canonical(activation);
        this.fn = ActivationFunctions.get(activation);
    }

    /** Rebuilds from {@link #getConfig()}. */
    public static Activation fromConfig(Map<String, Object> config) {
        Activation a = new Activation((String) config.get("activation"));
        LayerConfigs.applyBase(a, config);
        return a;
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        return fn.apply(inputs);
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "activation", activationName);
    }
}
