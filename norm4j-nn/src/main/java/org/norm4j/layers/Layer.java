package org.norm4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.constraints.Constraint;
import org.norm4j.initializers.Initializer;
import org.norm4j.initializers.Initializers;
import org.norm4j.regularizers.Regularizer;

/**
 * The base of every layer, shaped like {@code keras.layers.Layer}: a subclass creates its weights in
 * {@link #build(int[])} with {@link #addWeight} and computes its output in {@link #call(Tensor, boolean)} from
 * norm4j ops, which the {@link org.norm4j.GradientTape} differentiates, so a custom layer needs no gradient
 * code. {@link #apply(Tensor, boolean)} builds the layer on its first input and checks later inputs.
 *
 * <p>Shapes passed to {@code build} and {@code computeOutputShape} include the batch dimension, which is
 * {@code -1} when unknown (Keras's {@code None}).
 *
 * <pre>{@code
 * class Scale extends Layer {
 *     private Variable w;
 *     protected void build(int[] inputShape) { w = addWeight("w", lastDim(inputShape), "ones"); }
 *     protected Tensor call(Tensor x, boolean training) { return x.mul(w.value()); }
 * }
 * }</pre>
 */
public abstract class Layer {
    private static final Map<String, AtomicInteger> NAME_COUNTERS = new ConcurrentHashMap<>();
    private static final ThreadLocal<long[]> WEIGHT_BUDGET = new ThreadLocal<>();

    private String name;
    private boolean trainable = true;
    private boolean built;
    private int[] buildShape;
    private DType dtype;
    private final List<Variable> weights = new ArrayList<>();
    private final List<Boolean> weightTrainable = new ArrayList<>();
    private final Map<Variable, Regularizer> regularizers = new IdentityHashMap<>();
    private final Map<Variable, Constraint> constraints = new IdentityHashMap<>();

    /** A layer named after its class in snake case, numbered like Keras: {@code dense}, {@code dense_1}. */
    protected Layer() {
        this.name = uniqueName(snake(getClass().getSimpleName()));
    }

    private static String uniqueName(String base) {
        int n = NAME_COUNTERS.computeIfAbsent(base, k -> new AtomicInteger()).getAndIncrement();
        return n == 0 ? base : base + "_" + n;
    }

    /** Resets the automatic name counters (Keras's {@code clear_session}); for reproducible names in tests. */
    public static void clearSession() {
        NAME_COUNTERS.clear();
    }

    /** Keras's {@code to_snake_case}: {@code Conv2D -> conv2d}, {@code MaxPooling2D -> max_pooling2d}. */
    static String snake(String camel) {
        return camel.replaceAll("(.)([A-Z][a-z]+)", "$1_$2").replaceAll("([a-z])([A-Z])", "$1_$2")
                .toLowerCase(java.util.Locale.ROOT);
    }

    // ---- the parts a subclass writes ---------------------------------------------------------------

    /**
     * Creates the weights for inputs of {@code inputShape} (batch dimension included, -1 if unknown). The
     * default creates none.
     */
    protected void build(int[] inputShape) {
    }

    /**
     * The forward computation, from norm4j ops only (so that it is differentiable).
     *
     * @param inputs a batch
     * @param training true during {@code fit} (dropout active, batch statistics), false otherwise
     */
    protected abstract Tensor call(Tensor inputs, boolean training);

    /** The output shape for an input shape (batch dimension included); the default is the input shape. */
    public int[] computeOutputShape(int[] inputShape) {
        return inputShape.clone();
    }

    /**
     * The layer's configuration with Keras key names ({@code name}, {@code trainable}, {@code dtype}, then the
     * subclass's arguments). Subclasses add their keys to {@code super.getConfig()}.
     */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("trainable", trainable);
        c.put("dtype", dtype().pyName());
        return c;
    }

    /** The Keras class name used in saved configs; the simple class name by default. */
    public String className() {
        return getClass().getSimpleName();
    }

    // ---- running -----------------------------------------------------------------------------------

    /** Runs the layer in inference mode ({@code layer(x)} in Keras). */
    public final Tensor apply(Tensor inputs) {
        return apply(inputs, false);
    }

    /**
     * Runs the layer ({@code layer(x, training=...)}): builds it on the first call, then checks that later
     * inputs have the same shape outside the batch dimension.
     *
     * @throws IllegalArgumentException if a built layer gets an input of another shape
     */
    public final Tensor apply(Tensor inputs, boolean training) {
        Objects.requireNonNull(inputs, () -> "inputs to layer '" + name + "' must not be null");
        int[] dims = inputs.shape().dims();
        if (!built) {
            int[] s = dims.clone();
            if (s.length > 0) {
                s[0] = -1;
            }
            buildFor(s);
        } else {
            checkInput(dims);
        }
        if (dtype != null && inputs.dtype() != dtype) {
            inputs = inputs.asType(dtype);
        }
        return call(inputs, training);
    }

    /** Builds the layer for an input shape (batch dimension -1 or a size), once. */
    public final void buildFor(int[] inputShape) {
        if (built) {
            checkInput(inputShape);
            return;
        }
        int[] s = inputShape.clone();
        if (s.length > 0) {
            s[0] = -1;
        }
        build(s);
        this.buildShape = s;
        this.built = true;
    }

    private void checkInput(int[] dims) {
        if (buildShape == null) {
            return;
        }
        boolean ok = dims.length == buildShape.length;
        for (int i = 1; ok && i < dims.length; i++) {
            ok = buildShape[i] < 0 || dims[i] == buildShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("Input to layer '" + name + "' has shape " + Arrays.toString(dims)
                    + ": expected " + showShape(buildShape) + " (the shape it was built for; the first axis is the "
                    + "batch)");
        }
    }

    /** Formats a shape Keras-style, {@code -1} shown as {@code None}: {@code (None, 128)}. */
    public static String showShape(int[] shape) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(shape[i] < 0 ? "None" : String.valueOf(shape[i]));
        }
        if (shape.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }

    // ---- weights -----------------------------------------------------------------------------------

    /**
     * {@code add_weight(name, shape, initializer, trainable)}: creates a float32 weight and tracks it.
     *
     * @param initializer an {@link Initializer}
     */
    protected final Variable addWeight(String weightName, int[] shape, Initializer initializer, boolean train) {
        Objects.requireNonNull(initializer, "initializer must not be null");
        spendBudget(weightName, shape);
        Tensor init = initializer.apply(Shape.of(shape), dtype());
        Variable v = new Variable(init, name + "/" + weightName, train);
        weights.add(v);
        weightTrainable.add(train);
        return v;
    }

    /**
     * Runs {@code body} (typically building layers read from a file) with a limit on the number of weight values
     * that {@code addWeight} may create on this thread, so that a small file declaring a huge layer fails before
     * anything large is allocated.
     *
     * @param maxValues the most weight values all layers built by {@code body} may create together
     * @throws IllegalArgumentException from {@code addWeight} when a weight would pass the limit
     */
    public static <T> T withWeightBudget(long maxValues, java.util.function.Supplier<T> body) {
        long[] previous = WEIGHT_BUDGET.get();
        WEIGHT_BUDGET.set(new long[] {maxValues});
        try {
            return body.get();
        } finally {
            WEIGHT_BUDGET.set(previous);
        }
    }

    private void spendBudget(String weightName, int[] shape) {
        long[] budget = WEIGHT_BUDGET.get();
        if (budget == null) {
            return;
        }
        long n = 1;
        for (int d : shape) {
            n = d < 0 || n > Long.MAX_VALUE / Math.max(1, d) ? Long.MAX_VALUE : n * d;
        }
        if (n > budget[0]) {
            throw new IllegalArgumentException("weight '" + name + "/" + weightName + "' of shape "
                    + Arrays.toString(shape) + " needs " + n + " values: expected at most " + budget[0]
                    + " (what the file being read can hold)");
        }
        budget[0] -= n;
    }

    /**
     * {@code add_weight(name, shape, initializer, regularizer, constraint, trainable)}: a float32 weight whose
     * regularization penalty appears in {@link #losses()} and whose constraint {@link #applyConstraints()} applies.
     *
     * @param regularizer a penalty on the weight, or null
     * @param constraint a projection applied after each optimizer step, or null
     */
    protected final Variable addWeight(String weightName, int[] shape, Initializer initializer, boolean train,
            Regularizer regularizer, Constraint constraint) {
        Variable v = addWeight(weightName, shape, initializer, train);
        if (regularizer != null) {
            regularizers.put(v, regularizer);
        }
        if (constraint != null) {
            constraints.put(v, constraint);
        }
        return v;
    }

    /**
     * {@code layer.losses}: the regularization penalties of this layer's trainable weights, computed now from
     * their current values (inside a {@link org.norm4j.GradientTape}, differentiable), in weight order. Empty for
     * a frozen layer, as in Keras.
     */
    public List<Tensor> losses() {
        List<Tensor> out = new ArrayList<>();
        for (Variable v : trainableWeights()) {
            Regularizer r = regularizers.get(v);
            if (r != null) {
                out.add(r.apply(v.value()));
            }
        }
        return out;
    }

    /**
     * Projects every trainable weight that has a constraint: {@code w.assign(constraint(w))}. Keras's optimizers
     * do this after each update; {@code Sequential.fit} calls it after each optimizer step.
     */
    public void applyConstraints() {
        for (Variable v : trainableWeights()) {
            Constraint c = constraints.get(v);
            if (c != null) {
                v.assign(c.apply(v.value()));
            }
        }
    }

    /** {@code add_weight} with a Keras initializer name ({@code "ones"}, {@code "glorot_uniform"}, ...). */
    protected final Variable addWeight(String weightName, int[] shape, String initializer, boolean train) {
        return addWeight(weightName, shape, Initializers.get(initializer), train);
    }

    /** A trainable weight. */
    protected final Variable addWeight(String weightName, int[] shape, String initializer) {
        return addWeight(weightName, shape, initializer, true);
    }

    /** {@code input_shape[-1:]}: the last dimension as a one-element shape. */
    protected static int[] lastDim(int[] inputShape) {
        if (inputShape.length == 0 || inputShape[inputShape.length - 1] < 0) {
            throw new IllegalArgumentException("input shape " + showShape(inputShape)
                    + ": expected a known last dimension");
        }
        return new int[] {inputShape[inputShape.length - 1]};
    }

    /** All weights in creation order (Keras's {@code layer.weights}). */
    public List<Variable> weights() {
        return Collections.unmodifiableList(weights);
    }

    /** Trainable weights; none when the layer is frozen ({@code trainable = false}). */
    public List<Variable> trainableWeights() {
        List<Variable> out = new ArrayList<>();
        if (trainable) {
            for (int i = 0; i < weights.size(); i++) {
                if (weightTrainable.get(i)) {
                    out.add(weights.get(i));
                }
            }
        }
        return out;
    }

    /** Non-trainable weights (all weights when the layer is frozen). */
    public List<Variable> nonTrainableWeights() {
        List<Variable> out = new ArrayList<>();
        for (int i = 0; i < weights.size(); i++) {
            if (!trainable || !weightTrainable.get(i)) {
                out.add(weights.get(i));
            }
        }
        return out;
    }

    /** Total number of scalar weights. */
    public long countParams() {
        long n = 0;
        for (Variable v : weights) {
            n += v.shape().size();
        }
        return n;
    }

    // ---- properties --------------------------------------------------------------------------------

    /** The layer's name. */
    public String name() {
        return name;
    }

    /** Renames the layer (Keras's {@code name=} argument); returns this layer. */
    public Layer name(String newName) {
        this.name = Objects.requireNonNull(newName, "name must not be null");
        return this;
    }

    /** Whether the layer's weights are updated by training. */
    public boolean trainable() {
        return trainable;
    }

    /** Freezes ({@code false}) or unfreezes the layer; returns this layer. */
    public Layer trainable(boolean value) {
        this.trainable = value;
        return this;
    }

    /**
     * The layer's dtype (Keras's {@code dtype} argument, a float policy): the dtype of its weights. Float32
     * unless set with {@link #dtype(DType)}.
     */
    public DType dtype() {
        return dtype == null ? DType.FLOAT32 : dtype;
    }

    /**
     * Sets the dtype ({@code dtype="float64"} in Keras): weights are created in it and floating inputs are cast
     * to it, as Keras's autocasting does. A layer without an explicit dtype keeps its inputs' dtype.
     *
     * @throws IllegalStateException once the layer is built
     */
    public Layer dtype(DType value) {
        if (built) {
            throw new IllegalStateException("layer '" + name + "' is built: expected dtype(...) before build");
        }
        this.dtype = Objects.requireNonNull(value, "dtype must not be null");
        return this;
    }

    /** Whether {@link #build} has run. */
    public boolean built() {
        return built;
    }

    /** The input shape the layer was built for (batch dimension -1), or null. */
    public int[] buildShape() {
        return buildShape == null ? null : buildShape.clone();
    }

    @Override
    public String toString() {
        return "<" + className() + " name=" + name + ", built=" + built + ">";
    }
}
