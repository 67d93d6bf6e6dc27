package org.norm4j.layers;

import org.norm4j.keras.KerasObjects;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.initializers.Initializer;
import org.norm4j.initializers.Initializers;

/**
 * {@code keras.layers.Dense}: {@code output = activation(inputs @ kernel + bias)} on rank-2 inputs.
 *
 * <p>Arguments and Keras defaults: {@code units} (required), {@code activation=null} (linear),
 * {@code use_bias=true}, {@code kernel_initializer="glorot_uniform"}, {@code bias_initializer="zeros"}.
 * Weights: {@code kernel} (input_dim, units), {@code bias} (units,).
 *
 * <pre>{@code
 * Layer hidden = new Dense(128, "relu");
 * }</pre>
 */
public class Dense extends Layer {
    private final int units;
    private final String activationName;
    private final UnaryOperator<Tensor> activation;
    private final boolean useBias;
    private final Initializer kernelInitializer;
    private final Initializer biasInitializer;
    private Variable kernel;
    private Variable bias;

    /** {@code Dense(units)} with no activation. */
    public Dense(int units) {
        this(units, null);
    }

    /** {@code Dense(units, activation=...)}. */
    public Dense(int units, String activation) {
        this(units, activation, true, Initializers.get("glorot_uniform"), Initializers.get("zeros"));
    }

    /**
     * The full constructor.
     *
     * @param units output size, {@code >= 1}
     * @param activation a Keras activation name, or null for linear
     * @param useBias whether to add a bias
     * @param kernelInitializer initializer of the kernel
     * @param biasInitializer initializer of the bias
     */
    public Dense(int units, String activation, boolean useBias, Initializer kernelInitializer,
            Initializer biasInitializer) {
        if (units < 1) {
            throw new IllegalArgumentException("units = " + units + ": expected a positive integer");
        }
        this.units = units;
        this.activationName = ActivationFunctions.canonical(activation);
        this.activation = ActivationFunctions.get(activation);
        this.useBias = useBias;
        this.kernelInitializer = Objects.requireNonNull(kernelInitializer, "kernelInitializer must not be null");
        this.biasInitializer = Objects.requireNonNull(biasInitializer, "biasInitializer must not be null");
    }

    /** Rebuilds a Dense layer from {@link #getConfig()}. */
    @SuppressWarnings("unchecked")
    public static Dense fromConfig(Map<String, Object> config) {
        Dense d = new Dense(((Number) config.get("units")).intValue(), (String) config.get("activation"),
                !Boolean.FALSE.equals(config.get("use_bias")),
                Initializers.fromConfig((Map<String, Object>) config.get("kernel_initializer")),
                Initializers.fromConfig((Map<String, Object>) config.get("bias_initializer")));
        LayerConfigs.applyBase(d, config);
        return d;
    }

    @Override
    protected void build(int[] inputShape) {
        if (inputShape.length != 2) {
            throw new IllegalArgumentException("Dense layer '" + name() + "' got input shape "
                    + showShape(inputShape) + ": expected rank 2, (batch, features); add a Flatten layer first");
        }
        kernel = addWeight("kernel", new int[] {inputShape[1], units}, kernelInitializer, true);
        if (useBias) {
            bias = addWeight("bias", new int[] {units}, biasInitializer, true);
        }
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        Tensor y = inputs.matmul(kernel.value());
        if (useBias) {
            y = y.add(bias.value());
        }
        return activation.apply(y);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return new int[] {inputShape[0], units};
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "units", units, "activation", activationName, "use_bias", useBias,
                "kernel_initializer", Initializers.serialize(kernelInitializer),
                "bias_initializer", Initializers.serialize(biasInitializer));
    }

    /** The kernel weight (after build). */
    public Variable kernel() {
        return kernel;
    }

    /** The bias weight (after build), or null without bias. */
    public Variable bias() {
        return bias;
    }
}
