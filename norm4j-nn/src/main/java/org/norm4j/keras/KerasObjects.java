package org.norm4j.keras;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Helpers shared by the registries that turn Keras-style objects into configs and back (initializers,
 * optimizers, losses, regularizers, constraints): Keras 3's serialized form, and strict reading of config keys
 * and numbers with messages that name the key, the value and what was expected.
 */
public final class KerasObjects {
    private KerasObjects() {
    }

    /**
     * Keras 3's {@code keras.<module>.serialize(obj)} form: {@code {"module": ..., "class_name": ..., "config":
     * {...}, "registered_name": null}}.
     */
    public static Map<String, Object> serialize(String module, String className, Map<String, Object> config) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("module", module);
        m.put("class_name", className);
        m.put("config", config);
        m.put("registered_name", null);
        return m;
    }

    /**
     * Adds keys and values to a config, in order, and returns it: what a {@code get_config} override adds to its
     * base class's config ({@code return KerasObjects.put(super.getConfig(), "rate", rate, "seed", seed);}).
     *
     * @param keyValues key, value, key, value, ...: the keys are strings
     */
    public static Map<String, Object> put(Map<String, Object> config, Object... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException(keyValues.length + " keys and values: expected pairs");
        }
        for (int i = 0; i < keyValues.length; i += 2) {
            config.put((String) keyValues[i], keyValues[i + 1]);
        }
        return config;
    }

    /**
     * Rejects config keys outside {@code allowed}.
     *
     * @param kind what is being read, for the message ("loss", "optimizer", ...)
     * @param className the class whose config it is
     * @throws IllegalArgumentException naming the unknown keys and the accepted ones
     */
    public static void checkKeys(String kind, String className, Map<String, Object> config,
            Collection<String> allowed) {
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown config keys " + unknown + " for " + kind + " " + className
                    + ": expected keys among " + new TreeSet<>(allowed));
        }
    }

    /**
     * {@code keras.<module>.deserialize(serialized)} for a registry: {@code {"class_name": <string>, "config":
     * {...}}} (config may be absent) handed to the registry's {@code fromConfig(className, config)}.
     *
     * @param kind what is being read, for the messages ("loss", "optimizer", ...)
     * @throws IllegalArgumentException if {@code class_name} is not a string or {@code config} not a map
     */
    @SuppressWarnings("unchecked")
    public static <T> T deserialize(String kind, Map<String, Object> serialized,
            BiFunction<String, Map<String, Object>, T> fromConfig) {
        if (serialized == null) {
            throw new NullPointerException("serialized " + kind + " must not be null");
        }
        Object cls = serialized.get("class_name");
        if (!(cls instanceof String)) {
            throw new IllegalArgumentException("serialized " + kind + " " + serialized
                    + " has no string 'class_name': expected {\"class_name\": ..., \"config\": {...}}");
        }
        Object config = serialized.get("config");
        if (config != null && !(config instanceof Map)) {
            throw new IllegalArgumentException("'config' of serialized " + kind + " " + cls + " is " + config
                    + ": expected a map");
        }
        return fromConfig.apply((String) cls, (Map<String, Object>) config);
    }

    /**
     * {@link #deserialize(String, Map, BiFunction)} that also takes {@code null} (giving null) or a name (given
     * to {@code byName}), as {@code keras.regularizers.deserialize} and {@code keras.constraints.deserialize} do.
     */
    @SuppressWarnings("unchecked")
    public static <T> T deserializeOrName(String kind, Object serialized, Function<String, T> byName,
            BiFunction<String, Map<String, Object>, T> fromConfig) {
        if (serialized == null) {
            return null;
        }
        if (serialized instanceof String) {
            return byName.apply((String) serialized);
        }
        if (!(serialized instanceof Map)) {
            throw new IllegalArgumentException("serialized " + kind + " " + serialized
                    + ": expected null, a name, or {\"class_name\": ..., \"config\": {...}}");
        }
        return deserialize(kind, (Map<String, Object>) serialized, fromConfig);
    }

    /**
     * A numeric config value, {@code dflt} when absent or null.
     *
     * @throws IllegalArgumentException if the value is not a number
     */
    public static double number(Map<String, Object> config, String key, double dflt) {
        Double v = nullableNumber(config, key);
        return v == null ? dflt : v;
    }

    /**
     * A numeric config value, or {@code null} when absent or null.
     *
     * @throws IllegalArgumentException if the value is not a number
     */
    public static Double nullableNumber(Map<String, Object> config, String key) {
        Number v = value(config, key, Number.class, "a number", null);
        return v == null ? null : v.doubleValue();
    }

    /**
     * A boolean config value, {@code dflt} when absent or null.
     *
     * @throws IllegalArgumentException if the value is not a boolean
     */
    public static boolean bool(Map<String, Object> config, String key, boolean dflt) {
        return value(config, key, Boolean.class, "a boolean", dflt);
    }

    /**
     * A string config value, {@code dflt} when absent or null.
     *
     * @throws IllegalArgumentException if the value is not a string
     */
    public static String string(Map<String, Object> config, String key, String dflt) {
        return value(config, key, String.class, "a string", dflt);
    }

    private static <V> V value(Map<String, Object> config, String key, Class<V> type, String expected, V dflt) {
        Object v = config.get(key);
        if (v == null) {
            return dflt;
        }
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("config '" + key + "' = " + v + ": expected " + expected);
        }
        return type.cast(v);
    }
}
