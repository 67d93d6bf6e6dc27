package org.norm4j.layers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * The registry that turns saved configs back into layers, by Keras class name, like Keras's
 * {@code custom_objects}. Built-in layers are found by name in {@code org.norm4j.layers} (each has a static
 * {@code fromConfig(Map)}); users register their own classes with {@link #register}.
 */
public final class LayerConfigs {
    private static final Map<String, Function<Map<String, Object>, Layer>> FACTORIES = new LinkedHashMap<>();

    static {
        register("InputLayer", Input::fromConfig);
    }

    private LayerConfigs() {
    }

    /** Registers a factory for a layer class name (replacing any earlier one). */
    public static synchronized void register(String className, Function<Map<String, Object>, Layer> factory) {
        FACTORIES.put(Objects.requireNonNull(className, "className must not be null"),
                Objects.requireNonNull(factory, "factory must not be null"));
    }

    /**
     * A layer from its class name and config.
     *
     * @throws IllegalArgumentException for an unregistered class name
     */
    public static synchronized Layer fromConfig(String className, Map<String, Object> config) {
        Function<Map<String, Object>, Layer> f = FACTORIES.get(className);
        if (f == null) {
            f = builtIn(className);
        }
        if (f == null) {
            throw new IllegalArgumentException("unknown layer class \"" + className + "\": expected one of "
                    + FACTORIES.keySet() + " or a class registered with LayerConfigs.register");
        }
        return f.apply(config);
    }

    /** The static {@code fromConfig(Map)} of a built-in layer class of that simple name, or null. */
    private static Function<Map<String, Object>, Layer> builtIn(String className) {
        if (!className.matches("[A-Z][A-Za-z0-9]*")) {
            return null;
        }
        try {
            Class<?> c = Class.forName(LayerConfigs.class.getPackageName() + "." + className);
            if (!Layer.class.isAssignableFrom(c)) {
                return null;
            }
            java.lang.reflect.Method m = c.getMethod("fromConfig", Map.class);
            if (!java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                return null;
            }
            Function<Map<String, Object>, Layer> f = config -> {
                try {
                    return (Layer) m.invoke(null, config);
                } catch (java.lang.reflect.InvocationTargetException e) {
                    if (e.getCause() instanceof RuntimeException) {
                        throw (RuntimeException) e.getCause();
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException(e);
                }
            };
            FACTORIES.put(className, f);
            return f;
        } catch (ClassNotFoundException | NoSuchMethodException e) {
            return null;
        }
    }

    /** Applies the base keys ({@code name}, {@code dtype}, {@code trainable}) of a config to a new layer. */
    public static void applyBase(Layer layer, Map<String, Object> config) {
        Object n = config.get("name");
        if (n instanceof String) {
            layer.name((String) n);
        }
        Object d = config.get("dtype");
        if ("float64".equals(d)) {
            layer.dtype(org.norm4j.DType.FLOAT64);
        } else if (d != null && !"float32".equals(d)) {
            throw new IllegalArgumentException("layer '" + layer.name() + "': dtype = " + d
                    + ": expected \"float32\" or \"float64\"");
        }
        Object t = config.get("trainable");
        if (t instanceof Boolean) {
            layer.trainable((Boolean) t);
        }
    }
}
