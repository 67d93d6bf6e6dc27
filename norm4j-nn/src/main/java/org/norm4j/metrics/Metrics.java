package org.norm4j.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.norm4j.Shape;
import org.norm4j.losses.BinaryCrossentropy;
import org.norm4j.losses.Loss;
import org.norm4j.losses.SparseCategoricalCrossentropy;

/**
 * Looks up metrics by Keras name, like the metric strings of {@code model.compile(metrics=[...])}.
 *
 * <p>Accepted names: {@code "accuracy"} and {@code "acc"} (resolved below), {@code "categorical_accuracy"},
 * {@code "sparse_categorical_accuracy"}, {@code "binary_accuracy"}, {@code "mean"}, and the class names
 * {@code "CategoricalAccuracy"}, {@code "SparseCategoricalAccuracy"}, {@code "BinaryAccuracy"}, {@code "Mean"}.
 * A metric created from a name is named after it: {@code get("acc", loss).name()} is {@code "acc"}.
 *
 * <p><b>Resolving "accuracy".</b> {@link #get(String, Loss)} follows the loss, as Keras's compile did when it had
 * only the loss to go on: binary cross-entropy gives {@link BinaryAccuracy}, sparse categorical cross-entropy
 * gives {@link SparseCategoricalAccuracy}, anything else (categorical cross-entropy, MSE, no loss) gives {@link
 * CategoricalAccuracy}. {@link #get(String, Shape, Shape)} follows Keras 3's rule, from the shapes of the labels
 * and predictions.
 *
 * <pre>{@code
 * Metric acc = Metrics.get("accuracy", new SparseCategoricalCrossentropy()); // SparseCategoricalAccuracy
 * }</pre>
 */
public final class Metrics {
    private static final List<String> NAMES = List.of("accuracy", "acc", "categorical_accuracy",
            "sparse_categorical_accuracy", "binary_accuracy", "mean", "CategoricalAccuracy",
            "SparseCategoricalAccuracy", "BinaryAccuracy", "Mean");

    private Metrics() {
    }

    /** {@link #get(String, Loss)} without a loss: {@code "accuracy"} means categorical accuracy. */
    public static Metric get(String name) {
        return get(name, null);
    }

    /**
     * A new metric for a Keras metric name; {@code "accuracy"}/{@code "acc"} are resolved from the loss.
     *
     * @param name a metric name
     * @param loss the compiled loss, or {@code null}
     * @throws IllegalArgumentException for an unknown name; the message lists the accepted ones
     */
    public static Metric get(String name, Loss loss) {
        Objects.requireNonNull(name, "name must not be null");
        if (name.equals("accuracy") || name.equals("acc")) {
            if (loss instanceof BinaryCrossentropy) {
                return new BinaryAccuracy(name, 0.5);
            }
            if (loss instanceof SparseCategoricalCrossentropy) {
                return new SparseCategoricalAccuracy(name);
            }
            return new CategoricalAccuracy(name);
        }
        return named(name);
    }

    /**
     * A new metric for a Keras metric name, resolving {@code "accuracy"}/{@code "acc"} with Keras 3's rule:
     * binary when {@code y_pred}'s last dimension is 1, sparse when the ranks differ by one, categorical
     * otherwise.
     *
     * @throws IllegalArgumentException for an unknown name; the message lists the accepted ones
     */
    public static Metric get(String name, Shape yTrueShape, Shape yPredShape) {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(yTrueShape, "yTrueShape must not be null");
        Objects.requireNonNull(yPredShape, "yPredShape must not be null");
        if (name.equals("accuracy") || name.equals("acc")) {
            if (yPredShape.rank() > 0 && yPredShape.dim(-1) == 1) {
                return new BinaryAccuracy(name, 0.5);
            }
            if (Math.abs(yTrueShape.rank() - yPredShape.rank()) == 1) {
                return new SparseCategoricalAccuracy(name);
            }
            return new CategoricalAccuracy(name);
        }
        return named(name);
    }

    private static Metric named(String name) {
        switch (name) {
            case "categorical_accuracy":
            case "CategoricalAccuracy":
                return new CategoricalAccuracy();
            case "sparse_categorical_accuracy":
            case "SparseCategoricalAccuracy":
                return new SparseCategoricalAccuracy();
            case "binary_accuracy":
            case "BinaryAccuracy":
                return new BinaryAccuracy();
            case "mean":
            case "Mean":
                return new Mean();
            default:
                throw new IllegalArgumentException("Unknown metric '" + name + "': expected one of " + NAMES);
        }
    }

    /**
     * {@code Metric.from_config(config)} for a class name: keys {@code name}, {@code dtype} (only
     * {@code "float32"}), and {@code threshold} for BinaryAccuracy.
     *
     * @throws IllegalArgumentException for an unknown class or key
     */
    public static Metric fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(className, "className must not be null");
        Map<String, Object> c = config == null ? Map.of() : config;
        Set<String> unknown = new TreeSet<>(c.keySet());
        unknown.removeAll(Set.of("name", "dtype", "threshold"));
        boolean binary = className.equals("BinaryAccuracy") || className.equals("binary_accuracy");
        if (!binary && c.containsKey("threshold")) {
            unknown.add("threshold");
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown config keys " + unknown + " for metric " + className
                    + ": expected name, dtype" + (binary ? ", threshold" : ""));
        }
        Object dtype = c.get("dtype");
        if (dtype != null && !"float32".equals(dtype)) {
            throw new IllegalArgumentException("dtype = " + dtype + " is not supported: expected float32");
        }
        Metric dflt = named(className);
        String name = c.get("name") == null ? dflt.name() : String.valueOf(c.get("name"));
        if (dflt instanceof BinaryAccuracy) {
            Object th = c.get("threshold");
            if (th != null && !(th instanceof Number)) {
                throw new IllegalArgumentException("config 'threshold' = " + th + ": expected a number");
            }
            return new BinaryAccuracy(name, th == null ? 0.5 : ((Number) th).doubleValue());
        }
        if (dflt instanceof CategoricalAccuracy) {
            return new CategoricalAccuracy(name);
        }
        if (dflt instanceof SparseCategoricalAccuracy) {
            return new SparseCategoricalAccuracy(name);
        }
        return new Mean(name);
    }

    /** The accepted names. */
    public static List<String> acceptedNames() {
        return NAMES;
    }
}
