package org.norm4j.losses;

import static org.norm4j.keras.KerasObjects.bool;
import static org.norm4j.keras.KerasObjects.number;
import static org.norm4j.keras.KerasObjects.string;

import org.norm4j.keras.KerasObjects;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Looks up losses by Keras name and rebuilds them from configs, like {@code keras.losses.get},
 * {@code serialize} and {@code deserialize}. Accepted names: {@code "categorical_crossentropy"},
 * {@code "sparse_categorical_crossentropy"}, {@code "binary_crossentropy"}, {@code "mean_squared_error"} (alias
 * {@code "mse"}), and the class names {@code "CategoricalCrossentropy"}, ... .
 *
 * <pre>{@code
 * Loss a = Losses.get("categorical_crossentropy");
 * Loss b = Losses.fromConfig("CategoricalCrossentropy", Map.of("from_logits", true));
 * }</pre>
 */
public final class Losses {
    private static final Map<String, String> NAMES = new LinkedHashMap<>();

    static {
        NAMES.put("categorical_crossentropy", "CategoricalCrossentropy");
        NAMES.put("sparse_categorical_crossentropy", "SparseCategoricalCrossentropy");
        NAMES.put("binary_crossentropy", "BinaryCrossentropy");
        NAMES.put("mean_squared_error", "MeanSquaredError");
        NAMES.put("mse", "MeanSquaredError");
    }

    private Losses() {
    }

    /**
     * {@code keras.losses.get(identifier)}: a new loss with Keras's defaults (named after the function, e.g.
     * {@code "categorical_crossentropy"}).
     *
     * @throws IllegalArgumentException for an unknown name; the message lists the accepted ones
     */
    public static Loss get(String name) {
        return fromConfig(name, Map.of());
    }

    /**
     * {@code Loss.from_config(config)} for the class {@code className} (or any accepted name); missing keys
     * take Keras's defaults.
     *
     * @param config Keras config keys as written by {@link Loss#getConfig()}; {@code null} means empty
     * @throws IllegalArgumentException for an unknown class or key, a value of the wrong type, a reduction other
     *     than {@code "sum_over_batch_size"}, or a non-null {@code ignore_class}
     */
    public static Loss fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(className, "className must not be null");
        Map<String, Object> c = config == null ? Map.of() : config;
        String cls = NAMES.containsValue(className) ? className : NAMES.get(className);
        if (cls == null) {
            throw new IllegalArgumentException("Unknown loss '" + className + "': expected one of "
                    + acceptedNames());
        }
        Object reduction = c.get("reduction");
        if (reduction != null && !Loss.SUM_OVER_BATCH_SIZE.equals(reduction)) {
            throw new IllegalArgumentException("reduction = '" + reduction + "' is not supported: expected '"
                    + Loss.SUM_OVER_BATCH_SIZE + "'");
        }
        switch (cls) {
            case "CategoricalCrossentropy":
                checkKeys(cls, c, "from_logits", "label_smoothing", "axis");
                return CategoricalCrossentropy.builder().name(string(c, "name", "categorical_crossentropy"))
                        .fromLogits(bool(c, "from_logits", false)).labelSmoothing(number(c, "label_smoothing", 0.0))
                        .axis((int) number(c, "axis", -1)).build();
            case "SparseCategoricalCrossentropy":
                checkKeys(cls, c, "from_logits", "ignore_class");
                if (c.get("ignore_class") != null) {
                    throw new IllegalArgumentException("ignore_class = " + c.get("ignore_class")
                            + " is not supported: expected null");
                }
                return new SparseCategoricalCrossentropy(bool(c, "from_logits", false),
                        string(c, "name", "sparse_categorical_crossentropy"));
            case "BinaryCrossentropy":
                checkKeys(cls, c, "from_logits", "label_smoothing", "axis");
                return BinaryCrossentropy.builder().name(string(c, "name", "binary_crossentropy"))
                        .fromLogits(bool(c, "from_logits", false)).labelSmoothing(number(c, "label_smoothing", 0.0))
                        .axis((int) number(c, "axis", -1)).build();
            default:
                checkKeys(cls, c);
                return new MeanSquaredError(string(c, "name", "mean_squared_error"));
        }
    }

    /**
     * {@code keras.losses.serialize(loss)}: {@code {"module": "keras.losses", "class_name": ..., "config": {...},
     * "registered_name": null}}.
     */
    public static Map<String, Object> serialize(Loss loss) {
        Objects.requireNonNull(loss, "loss must not be null");
        return KerasObjects.serialize("keras.losses", loss.className(), loss.getConfig());
    }

    /** {@code keras.losses.deserialize(config)}: the inverse of {@link #serialize}. */
    public static Loss fromConfig(Map<String, Object> serialized) {
        return KerasObjects.deserialize("loss", serialized, Losses::fromConfig);
    }

    /** The accepted names: snake_case identifiers, then class names. */
    public static List<String> acceptedNames() {
        Set<String> all = new java.util.LinkedHashSet<>(NAMES.keySet());
        all.addAll(NAMES.values());
        return List.copyOf(all);
    }

    private static void checkKeys(String cls, Map<String, Object> c, String... own) {
        Set<String> ok = new TreeSet<>(List.of(own));
        ok.addAll(List.of("name", "reduction", "dtype"));
        KerasObjects.checkKeys("loss", cls, c, ok);
    }
}
