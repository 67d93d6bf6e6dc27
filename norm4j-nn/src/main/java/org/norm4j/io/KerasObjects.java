package org.norm4j.io;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
     * A numeric config value, {@code dflt} when absent or null.
     *
     * @throws IllegalArgumentException if the value is not a number
     */
    public static double number(Map<String, Object> config, String key, double dflt) {
        Object v = config.get(key);
        if (v == null) {
            return dflt;
        }
        if (!(v instanceof Number)) {
            throw new IllegalArgumentException("config '" + key + "' = " + v + ": expected a number");
        }
        return ((Number) v).doubleValue();
    }
}
