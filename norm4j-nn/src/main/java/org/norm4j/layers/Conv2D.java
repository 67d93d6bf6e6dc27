package org.norm4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.constraints.Constraint;
import org.norm4j.constraints.Constraints;
import org.norm4j.initializers.Initializer;
import org.norm4j.initializers.Initializers;
import org.norm4j.ops.Convolutions;
import org.norm4j.ops.Padding;
import org.norm4j.regularizers.Regularizer;
import org.norm4j.regularizers.Regularizers;

/**
 * {@code keras.layers.Conv2D}: {@code activation(conv2d(inputs, kernel) + bias)} on rank-4 images.
 *
 * <p>Arguments and Keras 3 defaults: {@code filters} and {@code kernel_size} (required), {@code strides=1},
 * {@code padding="valid"} ("valid" or "same"), {@code data_format="channels_last"} (or "channels_first"),
 * {@code dilation_rate=1}, {@code groups=1}, {@code activation=null} (linear), {@code use_bias=true},
 * {@code kernel_initializer="glorot_uniform"}, {@code bias_initializer="zeros"}, {@code kernel_regularizer},
 * {@code bias_regularizer}, {@code kernel_constraint}, {@code bias_constraint} (all null). Weights, in Keras's
 * order and layout: {@code kernel} (kernel_h, kernel_w, channels / groups, filters), {@code bias} (filters,).
 * Arguments are set by the fluent setters before the layer is built.
 *
 * <pre>{@code
 * Layer conv = new Conv2D(32, 3).padding("same").activation("relu");
 * }</pre>
 *
 * @see Convolutions#conv2d
 */
public class Conv2D extends Layer {
    private final int filters;
    private final int[] kernelSize;
    private int[] strides = {1, 1};
    private String padding = "valid";
    private String dataFormat = "channels_last";
    private int[] dilationRate = {1, 1};
    private int groups = 1;
    private String activationName;
    private UnaryOperator<Tensor> activation = ActivationFunctions.get(null);
    private boolean useBias = true;
    private Initializer kernelInitializer = Initializers.get("glorot_uniform");
    private Initializer biasInitializer = Initializers.get("zeros");
    private Regularizer kernelRegularizer;
    private Regularizer biasRegularizer;
    private Constraint kernelConstraint;
    private Constraint biasConstraint;
    private Variable kernel;
    private Variable bias;

    /**
     * {@code Conv2D(filters, kernel_size)}.
     *
     * @param filters output channels, {@code >= 1}
     * @param kernelSize one value (square) or two (height, width), each {@code >= 1}
     */
    public Conv2D(int filters, int... kernelSize) {
        if (filters < 1) {
            throw new IllegalArgumentException("filters = " + filters + ": expected a positive integer");
        }
        this.filters = filters;
        this.kernelSize = ConvArgs.pair("kernel_size", 1, kernelSize);
        this.activationName = ActivationFunctions.canonical(null);
    }

    /** {@code strides}: one or two positive integers (default 1). */
    public Conv2D strides(int... value) {
        strides = ConvArgs.pair("strides", 1, value);
        return this;
    }

    /** {@code padding}: "valid" (default) or "same". */
    public Conv2D padding(String value) {
        padding = ConvArgs.padding(value);
        return this;
    }

    /** {@code data_format}: "channels_last" (default) or "channels_first". */
    public Conv2D dataFormat(String value) {
        dataFormat = ConvArgs.dataFormat(value);
        return this;
    }

    /** {@code dilation_rate}: one or two positive integers (default 1). */
    public Conv2D dilationRate(int... value) {
        dilationRate = ConvArgs.pair("dilation_rate", 1, value);
        return this;
    }

    /**
     * {@code groups} (default 1): filters and input channels are split into this many groups.
     *
     * @throws IllegalArgumentException if not positive or {@code filters} is not divisible by it (Keras checks
     *         this in the constructor; the input channels are checked at build time)
     */
    public Conv2D groups(int value) {
        if (value < 1 || filters % value != 0) {
            throw new IllegalArgumentException("groups = " + value + " with filters = " + filters
                    + ": expected a positive divisor of filters");
        }
        groups = value;
        return this;
    }

    /** {@code activation}: a Keras activation name, or null for linear (default). */
    public Conv2D activation(String name) {
        activation = ActivationFunctions.get(name);
        activationName = ActivationFunctions.canonical(name);
        return this;
    }

    /** {@code use_bias} (default true). */
    public Conv2D useBias(boolean value) {
        useBias = value;
        return this;
    }

    /** {@code kernel_initializer} (default glorot_uniform). */
    public Conv2D kernelInitializer(Initializer value) {
        kernelInitializer = Objects.requireNonNull(value, "kernelInitializer must not be null");
        return this;
    }

    /** {@code bias_initializer} (default zeros). */
    public Conv2D biasInitializer(Initializer value) {
        biasInitializer = Objects.requireNonNull(value, "biasInitializer must not be null");
        return this;
    }

    /** {@code kernel_regularizer} (default null). */
    public Conv2D kernelRegularizer(Regularizer value) {
        kernelRegularizer = value;
        return this;
    }

    /** {@code bias_regularizer} (default null). */
    public Conv2D biasRegularizer(Regularizer value) {
        biasRegularizer = value;
        return this;
    }

    /** {@code kernel_constraint} (default null). */
    public Conv2D kernelConstraint(Constraint value) {
        kernelConstraint = value;
        return this;
    }

    /** {@code bias_constraint} (default null). */
    public Conv2D biasConstraint(Constraint value) {
        biasConstraint = value;
        return this;
    }

    /** Rebuilds a Conv2D layer from {@link #getConfig()}. */
    @SuppressWarnings("unchecked")
    public static Conv2D fromConfig(Map<String, Object> config) {
        Object f = config.get("filters");
        if (!(f instanceof Number)) {
            throw new IllegalArgumentException("filters = " + f + ": expected a positive integer");
        }
        Conv2D c = new Conv2D(((Number) f).intValue(), ConvArgs.pair("kernel_size", 1, config.get("kernel_size")));
        if (config.containsKey("strides")) {
            c.strides(ConvArgs.pair("strides", 1, config.get("strides")));
        }
        if (config.containsKey("dilation_rate")) {
            c.dilationRate(ConvArgs.pair("dilation_rate", 1, config.get("dilation_rate")));
        }
        c.padding(String.valueOf(config.getOrDefault("padding", "valid")));
        c.dataFormat((String) config.get("data_format"));
        if (config.get("groups") != null) {
            c.groups(((Number) config.get("groups")).intValue());
        }
        c.activation((String) config.get("activation"));
        c.useBias(!Boolean.FALSE.equals(config.get("use_bias")));
        if (config.get("kernel_initializer") != null) {
            c.kernelInitializer(Initializers.fromConfig((Map<String, Object>) config.get("kernel_initializer")));
        }
        if (config.get("bias_initializer") != null) {
            c.biasInitializer(Initializers.fromConfig((Map<String, Object>) config.get("bias_initializer")));
        }
        c.kernelRegularizer(Regularizers.deserialize(config.get("kernel_regularizer")));
        c.biasRegularizer(Regularizers.deserialize(config.get("bias_regularizer")));
        c.kernelConstraint(Constraints.deserialize(config.get("kernel_constraint")));
        c.biasConstraint(Constraints.deserialize(config.get("bias_constraint")));
        LayerConfigs.applyBase(c, config);
        return c;
    }

    private int channelAxis() {
        return "channels_first".equals(dataFormat) ? 1 : 3;
    }

    @Override
    protected void build(int[] inputShape) {
        ConvArgs.rank4(this, inputShape);
        int channels = inputShape[channelAxis()];
        if (channels % groups != 0) {
            throw new IllegalArgumentException("Conv2D layer '" + name() + "' got " + channels
                    + " input channels with groups = " + groups + ": expected channels divisible by groups");
        }
        computeOutputShape(inputShape);
        kernel = addWeight("kernel", new int[] {kernelSize[0], kernelSize[1], channels / groups, filters},
                kernelInitializer, true, kernelRegularizer, kernelConstraint);
        if (useBias) {
            bias = addWeight("bias", new int[] {filters}, biasInitializer, true, biasRegularizer, biasConstraint);
        }
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        Tensor y = Convolutions.conv2d(inputs, kernel.value(), strides, Padding.parse(padding),
                ConvArgs.format(dataFormat), dilationRate);
        if (useBias) {
            y = "channels_first".equals(dataFormat) ? y.add(bias.value().reshape(filters, 1, 1))
                    : y.add(bias.value());
        }
        return activation.apply(y);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        ConvArgs.rank4(this, inputShape);
        boolean first = "channels_first".equals(dataFormat);
        int h = inputShape[first ? 2 : 1];
        int w = inputShape[first ? 3 : 2];
        int spanH = (int) Math.min((long) (kernelSize[0] - 1) * dilationRate[0] + 1, Integer.MAX_VALUE);
        int spanW = (int) Math.min((long) (kernelSize[1] - 1) * dilationRate[1] + 1, Integer.MAX_VALUE);
        int oh = ConvArgs.outputSize(this, "kernel height (dilated)", h, spanH, strides[0], padding);
        int ow = ConvArgs.outputSize(this, "kernel width (dilated)", w, spanW, strides[1], padding);
        return first ? new int[] {inputShape[0], filters, oh, ow} : new int[] {inputShape[0], oh, ow, filters};
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("filters", filters);
        c.put("kernel_size", ConvArgs.list(kernelSize));
        c.put("strides", ConvArgs.list(strides));
        c.put("padding", padding);
        c.put("data_format", dataFormat);
        c.put("dilation_rate", ConvArgs.list(dilationRate));
        c.put("groups", groups);
        c.put("activation", activationName);
        c.put("use_bias", useBias);
        c.put("kernel_initializer", Initializers.serialize(kernelInitializer));
        c.put("bias_initializer", Initializers.serialize(biasInitializer));
        c.put("kernel_regularizer", Regularizers.serialize(kernelRegularizer));
        c.put("bias_regularizer", Regularizers.serialize(biasRegularizer));
        c.put("kernel_constraint", Constraints.serialize(kernelConstraint));
        c.put("bias_constraint", Constraints.serialize(biasConstraint));
        return new LinkedHashMap<>(c);
    }

    /** The kernel weight (after build), (kernel_h, kernel_w, channels / groups, filters). */
    public Variable kernel() {
        return kernel;
    }

    /** The bias weight (after build), or null without bias. */
    public Variable bias() {
        return bias;
    }
}
