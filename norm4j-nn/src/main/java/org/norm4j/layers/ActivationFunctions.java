package org.norm4j.layers;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.norm4j.Tensor;
import org.norm4j.ops.Activations;

/** Keras activation names ({@code "relu"}, {@code "softmax"}, ...) mapped to the differentiable ops. */
public final class ActivationFunctions {
    private static final Map<String, UnaryOperator<Tensor>> BY_NAME = new TreeMap<>();

    static {
        BY_NAME.put("linear", x -> x);
        BY_NAME.put("relu", Activations::relu);
        BY_NAME.put("sigmoid", Activations::sigmoid);
        BY_NAME.put("tanh", Activations::tanh);
        BY_NAME.put("softmax", Activations::softmax);
        BY_NAME.put("gelu", Activations::gelu);
        BY_NAME.put("swish", Activations::silu);
        BY_NAME.put("silu", Activations::silu);
    }

    private ActivationFunctions() {
    }

    /**
     * The activation called {@code name}; null or {@code "linear"} is the identity.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static UnaryOperator<Tensor> get(String name) {
        String key = name == null ? "linear" : name.toLowerCase(Locale.ROOT);
        UnaryOperator<Tensor> f = BY_NAME.get(key);
        if (f == null) {
            throw new IllegalArgumentException("activation = \"" + name + "\": expected one of " + BY_NAME.keySet());
        }
        return f;
    }

    /** The canonical name ({@code "linear"} for null). */
    static String canonical(String name) {
        get(name);
        return name == null ? "linear" : name.toLowerCase(Locale.ROOT);
    }
}
