package org.norm4j.regularizers;

import static org.norm4j.keras.KerasObjects.number;

import org.norm4j.keras.KerasObjects;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Looks up regularizers by Keras name and (de)serializes them, like {@code keras.regularizers.get},
 * {@code serialize} and {@code deserialize}. Identifiers: {@code "l1"} (L1(0.01)), {@code "l2"} (L2(0.01)),
 * {@code "l1_l2"} (L1L2(0.01, 0.01), Keras's {@code l1_l2()} helper) and the class names {@code "L1"},
 * {@code "L2"}, {@code "L1L2"} (Keras defaults: 0.01, 0.01, and 0.0/0.0).
 */
public final class Regularizers {
    private static final List<String> NAMES = List.of("l1", "l2", "l1_l2", "L1", "L2", "L1L2");

    private Regularizers() {
    }

    /**
     * {@code keras.regularizers.get(identifier)}: a regularizer with Keras's defaults, or null for null.
     *
     * @throws IllegalArgumentException for an unknown identifier, naming the accepted ones
     */
    public static Regularizer get(String identifier) {
        if (identifier == null) {
            return null;
        }
        switch (identifier) {
            case "l1": return new L1(0.01);
            case "l2": return new L2(0.01);
            case "l1_l2": return new L1L2(0.01, 0.01);
            default: return fromConfig(identifier, Map.of());
        }
    }

    /**
     * A regularizer of class {@code className} from its config ({@code l1}, {@code l2}); missing keys take the
     * class's Keras defaults.
     *
     * @throws IllegalArgumentException for an unknown class, an unknown key or a bad value
     */
    public static Regularizer fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(className, "className must not be null");
        Map<String, Object> c = config == null ? Map.of() : config;
        switch (className) {
            case "L1":
                checkKeys(className, c, "l1");
                return new L1(number(c, "l1", 0.01));
            case "L2":
                checkKeys(className, c, "l2");
                return new L2(number(c, "l2", 0.01));
            case "L1L2":
                checkKeys(className, c, "l1", "l2");
                return new L1L2(number(c, "l1", 0.0), number(c, "l2", 0.0));
            default:
                throw new IllegalArgumentException("Unknown regularizer '" + className + "': expected one of " + NAMES);
        }
    }

    /**
     * {@code keras.regularizers.deserialize(config)}: from {@code {"class_name": ..., "config": {...}}}; null
     * gives null.
     */
    public static Regularizer deserialize(Object serialized) {
        return KerasObjects.deserializeOrName("regularizer", serialized, Regularizers::get, Regularizers::fromConfig);
    }

    /**
     * {@code keras.regularizers.serialize(r)}: {@code {"module": "keras.regularizers", "class_name": ...,
     * "config": {...}, "registered_name": null}}; null gives null.
     */
    public static Map<String, Object> serialize(Regularizer r) {
        if (r == null) {
            return null;
        }
        return KerasObjects.serialize("keras.regularizers", r.className(), r.getConfig());
    }

    private static void checkKeys(String cls, Map<String, Object> c, String... allowed) {
        KerasObjects.checkKeys("regularizer", cls, c, java.util.List.of(allowed));
    }
}
