package org.norm4j.constraints;

import static org.norm4j.keras.KerasObjects.number;

import org.norm4j.keras.KerasObjects;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Looks up constraints by Keras name and (de)serializes them, like {@code keras.constraints.get},
 * {@code serialize} and {@code deserialize}. Identifiers: {@code "non_neg"}, {@code "max_norm"},
 * {@code "unit_norm"}, {@code "min_max_norm"} and the class names {@code "NonNeg"}, {@code "MaxNorm"},
 * {@code "UnitNorm"}, {@code "MinMaxNorm"}, with Keras's defaults.
 */
public final class Constraints {
    private static final List<String> NAMES = List.of("non_neg", "max_norm", "unit_norm", "min_max_norm", "NonNeg",
            "MaxNorm", "UnitNorm", "MinMaxNorm");

    private Constraints() {
    }

    /** {@code keras.constraints.get(identifier)}: a constraint with Keras's defaults, or null for null. */
    public static Constraint get(String identifier) {
        return identifier == null ? null : fromConfig(identifier, Map.of());
    }

    /**
     * A constraint of class {@code className} (or its snake_case identifier) from its Keras config; missing keys
     * take Keras's defaults.
     *
     * @throws IllegalArgumentException for an unknown class, an unknown key or a bad value
     */
    public static Constraint fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(className, "className must not be null");
        Map<String, Object> c = config == null ? Map.of() : config;
        switch (className) {
            case "non_neg":
            case "NonNeg":
                checkKeys(className, c);
                return new NonNeg();
            case "max_norm":
            case "MaxNorm":
                checkKeys(className, c, "max_value", "axis");
                return new MaxNorm(number(c, "max_value", 2.0), axis(c));
            case "unit_norm":
            case "UnitNorm":
                checkKeys(className, c, "axis");
                return new UnitNorm(axis(c));
            case "min_max_norm":
            case "MinMaxNorm":
                checkKeys(className, c, "min_value", "max_value", "rate", "axis");
                return new MinMaxNorm(number(c, "min_value", 0.0), number(c, "max_value", 1.0),
                        number(c, "rate", 1.0), axis(c));
            default:
                throw new IllegalArgumentException("Unknown constraint '" + className + "': expected one of " + NAMES);
        }
    }

    /**
     * {@code keras.constraints.deserialize(config)}: from {@code {"class_name": ..., "config": {...}}} or a name;
     * null gives null.
     */
    public static Constraint deserialize(Object serialized) {
        return KerasObjects.deserializeOrName("constraint", serialized, Constraints::get, Constraints::fromConfig);
    }

    /**
     * {@code keras.constraints.serialize(c)}: {@code {"module": "keras.constraints", "class_name": ...,
     * "config": {...}, "registered_name": null}}; null gives null.
     */
    public static Map<String, Object> serialize(Constraint c) {
        if (c == null) {
            return null;
        }
        return KerasObjects.serialize("keras.constraints", c.className(), c.getConfig());
    }

    private static void checkKeys(String cls, Map<String, Object> c, String... allowed) {
        KerasObjects.checkKeys("constraint", cls, c, java.util.List.of(allowed));
    }

    private static int[] axis(Map<String, Object> c) {
        Object v = c.get("axis");
        if (v == null) {
            return new int[] {0};
        }
        if (v instanceof Number) {
            return new int[] {((Number) v).intValue()};
        }
        if (v instanceof List) {
            List<?> l = (List<?>) v;
            int[] out = new int[l.size()];
            for (int i = 0; i < out.length; i++) {
                if (!(l.get(i) instanceof Number)) {
                    throw new IllegalArgumentException("config 'axis' = " + v + ": expected an int or a list of ints");
                }
                out[i] = ((Number) l.get(i)).intValue();
            }
            return out;
        }
        throw new IllegalArgumentException("config 'axis' = " + v + ": expected an int or a list of ints");
    }
}
