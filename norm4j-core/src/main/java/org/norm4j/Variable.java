package org.norm4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A mutable holder of a tensor value, like {@code tf.Variable}: the only mutable state in norm4j. Its dtype and
 * shape are fixed at creation; {@link #assign}, {@link #assignAdd}, {@link #assignSub} and the in-place update
 * hooks replace the value.
 *
 * <p><b>Tensors stay immutable.</b> A tensor returned by {@link #value()} never changes afterwards, whatever is
 * done to the variable. The variable keeps its value in a private array: {@link #assign} copies the given
 * tensor, and {@link #updateInPlaceFloat} / {@link #updateInPlaceDouble} mutate that array directly when no one
 * has read it since the last update, and otherwise copy it once first (copy-on-write), so an optimizer step that
 * follows a forward pass costs one array copy and no other allocation. A training loop that does not use the
 * values it read after its step ends can spare that copy too: see {@link #readsWithin}.
 *
 * <p><b>Gradients.</b> Reading {@link #value()} while a {@link GradientTape} records on this thread makes the
 * tape watch the returned tensor and remember that it is a value of this variable, when the variable is
 * {@link #trainable()} (TF watches trainable variables automatically) or the tape watches it explicitly
 * ({@link GradientTape#watch(Variable)}). {@link GradientTape#gradient(Tensor, java.util.List)} sums the gradients of
 * every value read. Assignments are not differentiable: they cut the gradient, as in TF.
 *
 * <p>Not thread-safe: synchronize externally if several threads read and update one variable.
 *
 * <pre>{@code
 * Variable w = new Variable(Tensor.zeros(DType.FLOAT32, 3), "w", true);
 * w.assignAdd(Tensor.ones(DType.FLOAT32, 3));         // [1 1 1]
 * float lr = 0.1f;
 * float[] grad = {1, 2, 3};
 * w.updateInPlaceFloat(a -> { for (int i = 0; i < a.length; i++) a[i] -= lr * grad[i]; });
 * }</pre>
 */
public final class Variable {
    private final String name;
    private final boolean trainable;
    private final DType dtype;
    private final Shape shape;
    /** Private storage: never the array of a tensor someone else passed in. */
    private volatile Tensor value;
    /** True once {@link #value} has been handed out; the next in-place update copies first. */
    private boolean exposed;
    /** True once the value was handed out inside the {@link #readsWithin} step now running on this thread. */
    private boolean readInStep;
    /** The variables read inside the {@link #readsWithin} step running on this thread; null when none runs. */
    private static final ThreadLocal<List<Variable>> STEP_READS = new ThreadLocal<>();

    /** {@code tf.Variable(initial_value)}: a trainable variable named "Variable". */
    public Variable(Tensor initialValue) {
        this(initialValue, "Variable", true);
    }

    /**
     * {@code tf.Variable(initial_value, trainable, name)}.
     *
     * @param initialValue the first value (copied); fixes the dtype and shape
     * @param name the name used in messages and by layers (Keras weight names: {@code gamma}, {@code kernel})
     * @param trainable whether tapes watch the variable automatically and optimizers update it
     */
    public Variable(Tensor initialValue, String name, boolean trainable) {
        Objects.requireNonNull(initialValue, "initialValue must not be null");
        this.name = Objects.requireNonNull(name, "name must not be null");
        this.trainable = trainable;
        this.dtype = initialValue.dtype();
        this.shape = initialValue.shape();
        this.value = copy(initialValue);
    }

    /** The variable's name. */
    public String name() {
        return name;
    }

    /** Whether the variable is trainable (watched automatically by tapes). */
    public boolean trainable() {
        return trainable;
    }

    /** The dtype, fixed at creation. */
    public DType dtype() {
        return dtype;
    }

    /** The shape, fixed at creation. */
    public Shape shape() {
        return shape;
    }

    /**
     * {@code variable.read_value()}: the current value, an immutable tensor. While a {@link GradientTape}
     * records and this variable is trainable (or watched), the tape watches the returned tensor.
     */
    public Tensor value() {
        Tensor v = value;
        markRead();
        if (GradientTape.anyRecording()) {
            GradientTape.onVariableRead(this, v);
        }
        return v;
    }

    /** The current value without notifying tapes; for {@link GradientTape#watch(Variable)}. */
    Tensor peek() {
        markRead();
        return value;
    }

    /** The value is being handed out: outside a {@link #readsWithin} step for good, inside it for the step. */
    private void markRead() {
        List<Variable> step = STEP_READS.get();
        if (step == null) {
            exposed = true;
        } else if (!exposed && !readInStep) {
            readInStep = true;
            step.add(this);
        }
    }

    /**
     * Runs one step of a training loop in which the tensors read from variables on this thread ({@link #value()})
     * are used only until {@code step} returns: the forward pass, the tape and the gradients. Afterwards those
     * reads no longer count, so the optimizer's in-place update ({@link #updateInPlaceFloat}) needs no copy of a
     * weight read only during the step. Within the step, copy-on-write protects them as always; a value read
     * before or after the step, or on another thread, is protected as always. Nested calls run inside the outer
     * step.
     *
     * <p>The caller's promise: no tensor read from a variable during {@code step} (nor one sharing its array:
     * check results with {@link #sharesArrayWith}) is used after it returns and after the variable is updated
     * in place. {@code Sequential.fit}'s train step keeps it: the tape is closed and the forward pass dropped
     * before the optimizer runs.
     *
     * @return what {@code step} returns
     */
    public static <T> T readsWithin(Supplier<T> step) {
        if (STEP_READS.get() != null) {
            return step.get();
        }
        List<Variable> reads = new ArrayList<>();
        STEP_READS.set(reads);
        try {
            return step.get();
        } finally {
            STEP_READS.remove();
            for (Variable v : reads) {
                v.readInStep = false;
            }
        }
    }

    /** Whether {@code t} is backed by this variable's current array (it would change with an in-place update). */
    public boolean sharesArrayWith(Tensor t) {
        return t != null && t.raw() == value.raw();
    }

    /**
     * {@code variable.assign(value)}: replaces the value with a copy of {@code newValue}. Not recorded on tapes.
     *
     * @return this variable
     * @throws IllegalArgumentException if the shape or dtype differ from the variable's
     */
    public Variable assign(Tensor newValue) {
        check(newValue, "assign");
        this.value = copy(newValue);
        this.exposed = false;
        this.readInStep = false;
        return this;
    }

    /** {@code variable.assign_add(delta)}: adds {@code delta} (same shape and dtype) in place; not recorded. */
    public Variable assignAdd(Tensor delta) {
        check(delta, "assignAdd");
        addScaled(delta, 1.0);
        return this;
    }

    /** {@code variable.assign_sub(delta)}: subtracts {@code delta} (same shape and dtype) in place; not recorded. */
    public Variable assignSub(Tensor delta) {
        check(delta, "assignSub");
        addScaled(delta, -1.0);
        return this;
    }

    private void addScaled(Tensor delta, double sign) {
        if (dtype == DType.FLOAT32) {
            float[] d = delta.rawFloats();
            if (sign > 0) {
                updateInPlaceFloat(a -> {
                    for (int i = 0; i < a.length; i++) {
                        a[i] += d[i];
                    }
                });
            } else {
                updateInPlaceFloat(a -> {
                    for (int i = 0; i < a.length; i++) {
                        a[i] -= d[i];
                    }
                });
            }
        } else {
            double[] d = delta.rawDoubles();
            updateInPlaceDouble(a -> {
                for (int i = 0; i < a.length; i++) {
                    a[i] += sign * d[i];
                }
            });
        }
    }

    /**
     * The optimizers' hook: {@code update} mutates the values of a FLOAT32 variable in place. The array is
     * private to the variable: if the current value was read since the last update it is copied first, and the
     * variable then holds a fresh tensor, so tensors already handed out never change. The array must not be kept
     * after {@code update} returns. Not recorded on tapes.
     *
     * @throws IllegalStateException if the variable is FLOAT64
     */
    public void updateInPlaceFloat(Consumer<float[]> update) {
        Objects.requireNonNull(update, "update must not be null");
        if (dtype != DType.FLOAT32) {
            throw new IllegalStateException("updateInPlaceFloat on variable '" + name + "' of dtype "
                    + dtype.pyName() + ": expected a float32 variable; use updateInPlaceDouble");
        }
        Tensor v = writable();
        update.accept(v.rawFloats());
        this.value = v;
    }

    /** Double version of {@link #updateInPlaceFloat(Consumer)}, for FLOAT64 variables. */
    public void updateInPlaceDouble(Consumer<double[]> update) {
        Objects.requireNonNull(update, "update must not be null");
        if (dtype != DType.FLOAT64) {
            throw new IllegalStateException("updateInPlaceDouble on variable '" + name + "' of dtype "
                    + dtype.pyName() + ": expected a float64 variable; use updateInPlaceFloat");
        }
        Tensor v = writable();
        update.accept(v.rawDoubles());
        this.value = v;
    }

    /** The current value's tensor if no one has seen it, else a private copy (which no one has seen either). */
    private Tensor writable() {
        if (exposed || readInStep) {
            exposed = false;
            readInStep = false;
            return copy(value);
        }
        return value;
    }

    private static Tensor copy(Tensor t) {
        return t.dtype() == DType.FLOAT32 ? Tensor.wrap(t.rawFloats().clone(), t.shape())
                : Tensor.wrap(t.rawDoubles().clone(), t.shape());
    }

    private void check(Tensor t, String what) {
        Objects.requireNonNull(t, () -> what + " value for variable '" + name + "' must not be null");
        if (!t.shape().equals(shape) || t.dtype() != dtype) {
            throw new IllegalArgumentException(what + " on variable '" + name + "' with a value of shape "
                    + t.shape() + " and dtype " + t.dtype().pyName() + ": expected shape " + shape + " and dtype "
                    + dtype.pyName() + " (fixed when the variable was created)");
        }
    }

    /** Formats like TF: {@code <tf.Variable 'w:0' shape=(3,) dtype=float32, numpy=...>}. */
    @Override
    public String toString() {
        return "<tf.Variable '" + name + ":0' shape=" + shape + " dtype=" + dtype.pyName() + (trainable ? ""
                : " trainable=False") + ", value=" + value + ">";
    }
}
