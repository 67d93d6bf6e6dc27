package org.norm4j.optimizers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.Variable;

/**
 * Base of the optimizers, like {@code keras.optimizers.Optimizer} in Keras 3.
 *
 * <p>{@link #applyGradients(List, List)} follows Keras's {@code apply(grads, trainable_variables)}: variables
 * whose gradient is {@code null} are skipped (with a warning); the remaining gradients are clipped
 * ({@code clipnorm}, {@code clipvalue} or {@code global_clipnorm}, at most one of them); decoupled weight decay
 * {@code var -= var * weight_decay * learning_rate} is applied when {@code weight_decay} is set; then each
 * variable gets the subclass's update step; finally {@link #iterations()} grows by one.
 *
 * <p>Updates run in place through {@link Variable#updateInPlaceFloat} / {@link Variable#updateInPlaceDouble},
 * outside any gradient tape, in the variable's dtype (a float32 variable is updated with float arithmetic in
 * Keras's operation order). Slot variables (momentum, velocity, ...) are created lazily, filled with zeros, one
 * set per {@link Variable} instance (identity, not name), in the variable's dtype.
 *
 * <p>Base arguments, shared by every optimizer's builder: {@code learning_rate} (a float; schedules are not
 * supported), {@code weight_decay=None}, {@code clipnorm=None}, {@code clipvalue=None},
 * {@code global_clipnorm=None}, {@code name}. Not thread-safe.
 *
 * <pre>{@code
 * Optimizer opt = Adam.builder().learningRate(1e-3).build();
 * try (GradientTape tape = new GradientTape()) {
 *     Tensor loss = lossFn.call(y, model.call(x, true));
 *     opt.applyGradients(tape.gradient(loss, vars), vars);
 * }
 * }</pre>
 */
public abstract class Optimizer {
    private static final System.Logger LOG = System.getLogger(Optimizer.class.getName());

    private final String name;
    private double learningRate;
    private final Double weightDecay;
    private final Double clipnorm;
    private final Double clipvalue;
    private final Double globalClipnorm;
    private long iterations;
    private final Map<Variable, Slots> slots = new IdentityHashMap<>();
    private final Set<Variable> excludedVariables = Collections.newSetFromMap(new IdentityHashMap<>());
    private Pattern excludedNames;

    /**
     * Creates the optimizer from a builder's base arguments.
     *
     * @throws IllegalArgumentException if the learning rate is not finite, a clip value or the weight decay is
     *     not a finite value {@code > 0} (weight decay {@code >= 0}), or more than one clip argument is set
     */
    protected Optimizer(Builder<?> b) {
        Objects.requireNonNull(b, "builder must not be null");
        this.name = Objects.requireNonNull(b.name, "name must not be null");
        this.learningRate = checkLearningRate(b.learningRate);
        this.weightDecay = b.weightDecay;
        this.clipnorm = b.clipnorm;
        this.clipvalue = b.clipvalue;
        this.globalClipnorm = b.globalClipnorm;
        if (weightDecay != null && (!(weightDecay >= 0) || Double.isInfinite(weightDecay))) {
            throw new IllegalArgumentException("weight_decay = " + weightDecay + ": expected a finite value >= 0");
        }
        int clips = 0;
        for (Double c : new Double[] {clipnorm, clipvalue, globalClipnorm}) {
            if (c != null) {
                clips++;
                if (!(c > 0) || Double.isInfinite(c)) {
                    throw new IllegalArgumentException("clip argument = " + c + " (clipnorm=" + clipnorm
                            + ", clipvalue=" + clipvalue + ", global_clipnorm=" + globalClipnorm
                            + "): expected a finite value > 0");
                }
            }
        }
        if (clips > 1) {
            throw new IllegalArgumentException("Only one of clipnorm, clipvalue and global_clipnorm can be set. "
                    + "Received: clipnorm=" + clipnorm + ", clipvalue=" + clipvalue + ", global_clipnorm="
                    + globalClipnorm);
        }
    }

    private static double checkLearningRate(double lr) {
        if (!Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning_rate = " + lr + ": expected a finite float");
        }
        return lr;
    }

    // ---- the update -------------------------------------------------------------------------------------

    /**
     * {@code optimizer.apply(grads, trainable_variables)}: one optimization step.
     *
     * @param grads one gradient per variable, in the same order; a {@code null} gradient skips that variable
     *     (Keras warns and skips). A gradient must have its variable's shape; its dtype is cast to the
     *     variable's.
     * @param vars the variables to update
     * @throws IllegalArgumentException if the lists differ in length, every gradient is {@code null}, or a
     *     gradient's shape differs from its variable's. An empty list is a no-op (the iteration count stays).
     */
    public void applyGradients(List<Tensor> grads, List<Variable> vars) {
        Objects.requireNonNull(grads, "grads must not be null");
        Objects.requireNonNull(vars, "vars must not be null");
        if (grads.size() != vars.size()) {
            throw new IllegalArgumentException("applyGradients got " + grads.size() + " gradients for "
                    + vars.size() + " variables: expected one gradient per variable");
        }
        if (grads.isEmpty()) {
            return;
        }
        List<Variable> vs = new ArrayList<>(vars.size());
        List<Object> gs = new ArrayList<>(vars.size());
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            Variable v = vars.get(i);
            if (v == null) {
                throw new NullPointerException("vars[" + i + "] must not be null");
            }
            Tensor g = grads.get(i);
            if (g == null) {
                missing.add(v.name());
                continue;
            }
            if (!g.shape().equals(v.shape())) {
                throw new IllegalArgumentException("gradient " + i + " for variable '" + v.name() + "' has shape "
                        + g.shape() + ": expected the variable's shape " + v.shape());
            }
            vs.add(v);
            gs.add(v.dtype() == DType.FLOAT32 ? (g.dtype() == DType.FLOAT32 ? g.rawFloats() : g.toFloatArray())
                    : (g.dtype() == DType.FLOAT64 ? g.rawDoubles() : g.toDoubleArray()));
        }
        if (vs.isEmpty()) {
            throw new IllegalArgumentException("No gradients provided for any variable: every gradient for "
                    + missing + " is null; check that the loss depends on the variables");
        }
        if (!missing.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, "Gradients do not exist for variables " + missing
                    + " when minimizing the loss; they are not updated.");
        }
        clipGradients(gs);
        double lr = learningRate;
        if (weightDecay != null) {
            for (Variable v : vs) {
                if (useWeightDecay(v)) {
                    applyWeightDecay(v, weightDecay, lr);
                }
            }
        }
        long localStep = iterations + 1;
        for (int i = 0; i < vs.size(); i++) {
            Variable v = vs.get(i);
            Slots s = slots.computeIfAbsent(v, k -> new Slots(k.dtype(), k.shape().size()));
            Object g = gs.get(i);
            if (v.dtype() == DType.FLOAT32) {
                float lrf = (float) lr;
                v.updateInPlaceFloat(a -> updateStep(a, (float[]) g, s, lrf, localStep));
            } else {
                v.updateInPlaceDouble(a -> updateStep(a, (double[]) g, s, lr, localStep));
            }
        }
        iterations++;
    }

    /**
     * The update of one FLOAT32 variable, Keras's {@code update_step}.
     *
     * @param variable the variable's values, updated in place
     * @param gradient the (clipped) gradient; read only
     * @param slots this variable's slot arrays
     * @param learningRate the learning rate, as float
     * @param localStep {@code iterations + 1}, the 1-based step number
     */
    protected abstract void updateStep(float[] variable, float[] gradient, Slots slots, float learningRate,
            long localStep);

    /** Double version of {@link #updateStep(float[], float[], Slots, float, long)}, for FLOAT64 variables. */
    protected abstract void updateStep(double[] variable, double[] gradient, Slots slots, double learningRate,
            long localStep);

    private static void applyWeightDecay(Variable v, double wd, double lr) {
        if (v.dtype() == DType.FLOAT32) {
            float w = (float) wd;
            float l = (float) lr;
            v.updateInPlaceFloat(a -> {
                for (int i = 0; i < a.length; i++) {
                    a[i] = a[i] - a[i] * w * l;
                }
            });
        } else {
            v.updateInPlaceDouble(a -> {
                for (int i = 0; i < a.length; i++) {
                    a[i] = a[i] - a[i] * wd * lr;
                }
            });
        }
    }

    private boolean useWeightDecay(Variable v) {
        if (excludedVariables.contains(v)) {
            return false;
        }
        return excludedNames == null || !excludedNames.matcher(v.name()).find();
    }

    /**
     * Keras's {@code _clip_gradients}: {@code clipnorm} rescales each gradient to an L2 norm of at most
     * {@code clipnorm}; {@code global_clipnorm} rescales all of them together (NaN if the global norm is not
     * finite, as {@code tf.clip_by_global_norm}); {@code clipvalue} clips each element to {@code [-v, v]}. A
     * clipped gradient is copied; the caller's tensors are never modified.
     */
    private void clipGradients(List<Object> gs) {
        if (clipnorm != null) {
            for (int i = 0; i < gs.size(); i++) {
                double norm = Math.sqrt(sumOfSquares(gs.get(i)));
                if (norm > clipnorm) {
                    gs.set(i, scaled(gs.get(i), clipnorm / norm));
                }
            }
        } else if (globalClipnorm != null) {
            double total = 0;
            for (Object g : gs) {
                total += sumOfSquares(g);
            }
            double norm = Math.sqrt(total);
            double scale = Double.isFinite(norm) ? globalClipnorm * Math.min(1.0 / norm, 1.0 / globalClipnorm)
                    : Double.NaN;
            if (scale != 1.0) {
                for (int i = 0; i < gs.size(); i++) {
                    gs.set(i, scaled(gs.get(i), scale));
                }
            }
        } else if (clipvalue != null) {
            double c = clipvalue;
            for (int i = 0; i < gs.size(); i++) {
                Object g = gs.get(i);
                if (g instanceof float[]) {
                    float[] src = (float[]) g;
                    float[] out = new float[src.length];
                    float hi = (float) c;
                    for (int k = 0; k < src.length; k++) {
                        float x = src[k];
                        out[k] = x > hi ? hi : (x < -hi ? -hi : x);
                    }
                    gs.set(i, out);
                } else {
                    double[] src = (double[]) g;
                    double[] out = new double[src.length];
                    for (int k = 0; k < src.length; k++) {
                        double x = src[k];
                        out[k] = x > c ? c : (x < -c ? -c : x);
                    }
                    gs.set(i, out);
                }
            }
        }
    }

    private static double sumOfSquares(Object g) {
        double s = 0;
        if (g instanceof float[]) {
            for (float x : (float[]) g) {
                s += (double) x * x;
            }
        } else {
            for (double x : (double[]) g) {
                s += x * x;
            }
        }
        return s;
    }

    private static Object scaled(Object g, double factor) {
        if (g instanceof float[]) {
            float[] src = (float[]) g;
            float[] out = new float[src.length];
            float f = (float) factor;
            for (int k = 0; k < src.length; k++) {
                out[k] = src[k] * f;
            }
            return out;
        }
        double[] src = (double[]) g;
        double[] out = new double[src.length];
        for (int k = 0; k < src.length; k++) {
            out[k] = src[k] * factor;
        }
        return out;
    }

    // ---- configuration and state ------------------------------------------------------------------------

    /**
     * {@code optimizer.exclude_from_weight_decay(var_list, var_names)}: the given variables, and every variable
     * whose name contains a match of one of the regular expressions in {@code varNames} (Keras's
     * {@code re.search}), get no weight decay. Replaces earlier exclusions.
     *
     * @param varList variables to exclude (may be empty)
     * @param varNames name patterns to exclude, e.g. {@code "bias"} (may be empty)
     */
    public void excludeFromWeightDecay(List<Variable> varList, List<String> varNames) {
        excludedVariables.clear();
        if (varList != null) {
            excludedVariables.addAll(varList);
        }
        excludedNames = varNames == null || varNames.isEmpty() ? null : Pattern.compile(String.join("|", varNames));
    }

    /** {@code optimizer.name}. */
    public String name() {
        return name;
    }

    /** {@code optimizer.learning_rate}. */
    public double learningRate() {
        return learningRate;
    }

    /** {@code optimizer.learning_rate = value}: changes the learning rate for later steps. */
    public void setLearningRate(double learningRate) {
        this.learningRate = checkLearningRate(learningRate);
    }

    /** {@code optimizer.iterations}: the number of steps applied so far. */
    public long iterations() {
        return iterations;
    }

    /** Sets the step counter, e.g. when restoring a saved optimizer (Keras's {@code iterations.assign}). */
    public void setIterations(long iterations) {
        if (iterations < 0) {
            throw new IllegalArgumentException("iterations = " + iterations + ": expected >= 0");
        }
        this.iterations = iterations;
    }

    /** {@code weight_decay}, or {@code null} when unset. */
    public Double weightDecay() {
        return weightDecay;
    }

    /**
     * The Keras class name, e.g. {@code "Adam"}; the {@code class_name} of the serialized form. By default the Java
     * class's simple name (Keras's name for every built-in one); an anonymous class must override it.
     */
    public String className() {
        return getClass().getSimpleName();
    }

    /**
     * {@code optimizer.get_config()}: Keras 3's keys, {@code name}, {@code learning_rate}, {@code weight_decay},
     * {@code clipnorm}, {@code global_clipnorm}, {@code clipvalue}, {@code use_ema} (always false),
     * {@code ema_momentum}, {@code ema_overwrite_frequency}, {@code loss_scale_factor},
     * {@code gradient_accumulation_steps} (always null), then the subclass's own keys.
     */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("learning_rate", learningRate);
        c.put("weight_decay", weightDecay);
        c.put("clipnorm", clipnorm);
        c.put("global_clipnorm", globalClipnorm);
        c.put("clipvalue", clipvalue);
        c.put("use_ema", false);
        c.put("ema_momentum", 0.99);
        c.put("ema_overwrite_frequency", null);
        c.put("loss_scale_factor", null);
        c.put("gradient_accumulation_steps", null);
        return c;
    }

    /**
     * A copy of one slot of a variable ({@code "momentum"}, {@code "velocity"}, {@code "velocity_hat"},
     * {@code "average_gradient"}), or {@code null} if the optimizer has not created it yet.
     */
    public Tensor getSlot(Variable variable, String slotName) {
        Slots s = slots.get(Objects.requireNonNull(variable, "variable must not be null"));
        Object a = s == null ? null : s.arrays.get(slotName);
        if (a == null) {
            return null;
        }
        return a instanceof float[] ? Tensor.of((float[]) a, variable.shape().dims())
                : Tensor.of((double[]) a, variable.shape().dims());
    }

    /**
     * Sets one slot of a variable, e.g. when restoring a saved optimizer.
     *
     * @throws IllegalArgumentException if {@code value}'s shape or dtype differ from the variable's
     */
    public void setSlot(Variable variable, String slotName, Tensor value) {
        Objects.requireNonNull(variable, "variable must not be null");
        Objects.requireNonNull(slotName, "slotName must not be null");
        Objects.requireNonNull(value, "value must not be null");
        if (!value.shape().equals(variable.shape()) || value.dtype() != variable.dtype()) {
            throw new IllegalArgumentException("slot '" + slotName + "' value of shape " + value.shape()
                    + " and dtype " + value.dtype().pyName() + " for variable '" + variable.name()
                    + "': expected shape " + variable.shape() + " and dtype " + variable.dtype().pyName());
        }
        Slots s = slots.computeIfAbsent(variable, k -> new Slots(k.dtype(), k.shape().size()));
        s.arrays.put(slotName, value.dtype() == DType.FLOAT32 ? value.toFloatArray() : value.toDoubleArray());
    }

    /** The names of the slots created so far for {@code variable}, in creation order. */
    public List<String> slotNames(Variable variable) {
        Slots s = slots.get(Objects.requireNonNull(variable, "variable must not be null"));
        return s == null ? List.of() : List.copyOf(s.arrays.keySet());
    }

    /** The per-variable slot arrays handed to {@code updateStep}: created on first use, filled with zeros. */
    public static final class Slots {
        private final DType dtype;
        private final int size;
        private final Map<String, Object> arrays = new LinkedHashMap<>();

        private Slots(DType dtype, int size) {
            this.dtype = dtype;
            this.size = size;
        }

        /** The FLOAT32 slot {@code name}, created as zeros on first use. */
        public float[] floats(String name) {
            if (dtype != DType.FLOAT32) {
                throw new IllegalStateException("slot '" + name + "' requested as float32 for a float64 variable");
            }
            return (float[]) arrays.computeIfAbsent(name, k -> new float[size]);
        }

        /** The FLOAT64 slot {@code name}, created as zeros on first use. */
        public double[] doubles(String name) {
            if (dtype != DType.FLOAT64) {
                throw new IllegalStateException("slot '" + name + "' requested as float64 for a float32 variable");
            }
            return (double[]) arrays.computeIfAbsent(name, k -> new double[size]);
        }
    }

    /**
     * The base arguments of every optimizer's builder, with Keras's names.
     *
     * @param <B> the concrete builder type, for chaining
     */
    public abstract static class Builder<B extends Builder<B>> {
        double learningRate;
        Double weightDecay;
        Double clipnorm;
        Double clipvalue;
        Double globalClipnorm;
        String name;

        /**
         * @param defaultLearningRate the subclass's Keras default learning rate
         * @param defaultName the subclass's Keras default name
         */
        protected Builder(double defaultLearningRate, String defaultName) {
            this.learningRate = defaultLearningRate;
            this.name = defaultName;
        }

        /** This builder, typed. */
        protected abstract B self();

        /** Builds the optimizer. */
        public abstract Optimizer build();

        /** {@code learning_rate}. */
        public B learningRate(double learningRate) {
            this.learningRate = learningRate;
            return self();
        }

        /** {@code weight_decay}: decoupled weight decay, or {@code null} (default, except for AdamW) for none. */
        public B weightDecay(Double weightDecay) {
            this.weightDecay = weightDecay;
            return self();
        }

        /** {@code clipnorm}: clip each gradient to this L2 norm; {@code null} (default) for none. */
        public B clipnorm(Double clipnorm) {
            this.clipnorm = clipnorm;
            return self();
        }

        /** {@code clipvalue}: clip each gradient element to {@code [-v, v]}; {@code null} (default) for none. */
        public B clipvalue(Double clipvalue) {
            this.clipvalue = clipvalue;
            return self();
        }

        /** {@code global_clipnorm}: clip all gradients to this global L2 norm; {@code null} (default) for none. */
        public B globalClipnorm(Double globalClipnorm) {
            this.globalClipnorm = globalClipnorm;
            return self();
        }

        /** {@code name}: the optimizer's name. */
        public B name(String name) {
            this.name = name;
            return self();
        }
    }
}
