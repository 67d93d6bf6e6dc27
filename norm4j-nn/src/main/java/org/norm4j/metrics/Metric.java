package org.norm4j.metrics;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.norm4j.Tensor;

/**
 * Base of the metrics, like {@code keras.metrics.Metric}: a stateful accumulator updated batch by batch with
 * {@link #updateState}, read with {@link #result()}, and cleared with {@link #resetState()} (Keras does this at the
 * start of each epoch and of {@code evaluate}).
 *
 * <p>Metrics read tensor values with plain loops and never record on a {@link org.norm4j.GradientTape}. Not
 * thread-safe.
 *
 * <pre>{@code
 * Metric acc = new CategoricalAccuracy();
 * acc.updateState(yTrueBatch1, yPredBatch1);
 * acc.updateState(yTrueBatch2, yPredBatch2);
 * double accuracy = acc.result(); // over all samples of both batches
 * acc.resetState();
 * }</pre>
 */
public abstract class Metric {
    private final String name;

    /**
     * @param name the metric's name, used as its key in training logs
     */
    protected Metric(String name) {
        this.name = Objects.requireNonNull(name, "name must not be null");
    }

    /** {@code metric.name}, the key in training logs (e.g. {@code "accuracy"}). */
    public String name() {
        return name;
    }

    /**
     * {@code metric.update_state(y_true, y_pred)}: adds one batch. For label/prediction metrics each sample
     * counts once, so batches are weighted by their size. ({@link Mean} takes {@code (values, sample_weight)},
     * as Keras's {@code Mean.update_state}.)
     *
     * @throws IllegalArgumentException if the shapes do not match; the message names both
     */
    public abstract void updateState(Tensor yTrue, Tensor yPred);

    /** {@code metric.result()}: the current value (0 before any update). */
    public abstract double result();

    /** {@code metric.reset_state()}: forgets every update. */
    public abstract void resetState();

    /**
     * The Keras class name, e.g. {@code "CategoricalAccuracy"}. By default the Java class's simple name (Keras's
     * name for every built-in one); an anonymous class must override it.
     */
    public String className() {
        return getClass().getSimpleName();
    }

    /** {@code metric.get_config()}: {@code name} and {@code dtype} ({@code "float32"}), then subclass keys. */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        c.put("dtype", "float32");
        return c;
    }

    @Override
    public String toString() {
        return className() + "(name=" + name + ", result=" + result() + ")";
    }
}
