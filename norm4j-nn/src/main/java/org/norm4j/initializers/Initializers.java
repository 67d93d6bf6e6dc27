package org.norm4j.initializers;

import static org.norm4j.keras.KerasObjects.number;
import static org.norm4j.keras.KerasObjects.string;

import org.norm4j.keras.KerasObjects;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Looks up initializers by Keras name and rebuilds them from configs, like {@code keras.initializers.get},
 * {@code serialize} and {@code deserialize}.
 *
 * <p>Accepted names are the snake_case identifiers Keras accepts ({@code "zeros"}, {@code "ones"},
 * {@code "constant"}, {@code "random_normal"}, {@code "random_uniform"}, {@code "truncated_normal"},
 * {@code "variance_scaling"}, {@code "glorot_uniform"}, {@code "glorot_normal"}, {@code "he_uniform"},
 * {@code "he_normal"}, {@code "lecun_uniform"}, {@code "lecun_normal"}, and Keras's aliases {@code "zero"},
 * {@code "one"}, {@code "normal"}, {@code "uniform"}) and the class names ({@code "GlorotUniform"}, ...).
 *
 * <pre>{@code
 * Initializer a = Initializers.get("he_normal");
 * Initializer b = Initializers.fromConfig("RandomNormal", Map.of("mean", 0.0, "stddev", 0.1, "seed", 3));
 * Map<String, Object> json = Initializers.serialize(b); // {"module": "keras.initializers", "class_name": ...}
 * }</pre>
 */
public final class Initializers {
    /** Snake-case identifier (and Keras alias) to class name. */
    private static final Map<String, String> NAMES = new LinkedHashMap<>();
    /** Class name to factory from a config. */
    private static final Map<String, Function<Map<String, Object>, Initializer>> FACTORIES = new LinkedHashMap<>();

    static {
        register("zeros", "Zeros", c -> {
            checkKeys("Zeros", c);
            return new Zeros();
        });
        register("ones", "Ones", c -> {
            checkKeys("Ones", c);
            return new Ones();
        });
        register("constant", "Constant", c -> {
            checkKeys("Constant", c, "value");
            return new Constant(number(c, "value", 0.0));
        });
        register("random_normal", "RandomNormal", c -> {
            checkKeys("RandomNormal", c, "mean", "stddev", "seed");
            return new RandomNormal(number(c, "mean", 0.0), number(c, "stddev", 0.05), seed(c));
        });
        register("random_uniform", "RandomUniform", c -> {
            checkKeys("RandomUniform", c, "minval", "maxval", "seed");
            return new RandomUniform(number(c, "minval", -0.05), number(c, "maxval", 0.05), seed(c));
        });
        register("truncated_normal", "TruncatedNormal", c -> {
            checkKeys("TruncatedNormal", c, "mean", "stddev", "seed");
            return new TruncatedNormal(number(c, "mean", 0.0), number(c, "stddev", 0.05), seed(c));
        });
        register("variance_scaling", "VarianceScaling", c -> {
            checkKeys("VarianceScaling", fanAxesDefault("VarianceScaling", c), "scale", "mode", "distribution",
                    "seed");
            return new VarianceScaling(number(c, "scale", 1.0), string(c, "mode", "fan_in"),
                    string(c, "distribution", "truncated_normal"), seed(c));
        });
        register("glorot_uniform", "GlorotUniform", c -> new GlorotUniform(seedOnly("GlorotUniform", c)));
        register("glorot_normal", "GlorotNormal", c -> new GlorotNormal(seedOnly("GlorotNormal", c)));
        register("he_uniform", "HeUniform", c -> new HeUniform(seedOnly("HeUniform", c)));
        register("he_normal", "HeNormal", c -> new HeNormal(seedOnly("HeNormal", c)));
        register("lecun_uniform", "LecunUniform", c -> new LecunUniform(seedOnly("LecunUniform", c)));
        register("lecun_normal", "LecunNormal", c -> new LecunNormal(seedOnly("LecunNormal", c)));
        NAMES.put("zero", "Zeros");
        NAMES.put("one", "Ones");
        NAMES.put("normal", "RandomNormal");
        NAMES.put("uniform", "RandomUniform");
    }

    private Initializers() {
    }

    private static void register(String snake, String className,
            Function<Map<String, Object>, Initializer> factory) {
        NAMES.put(snake, className);
        FACTORIES.put(className, factory);
    }

    /**
     * {@code keras.initializers.get(identifier)}: a new initializer with Keras's default arguments.
     *
     * @param name a snake_case identifier ({@code "glorot_uniform"}) or a class name ({@code "GlorotUniform"})
     * @throws IllegalArgumentException for an unknown name; the message lists the accepted ones
     */
    public static Initializer get(String name) {
        return fromConfig(name, Map.of());
    }

    /**
     * {@code Initializer.from_config(config)} for the class {@code className}: a new initializer built from
     * {@code config}'s Keras keys; missing keys take Keras's defaults.
     *
     * @param className a class name ({@code "RandomNormal"}) or snake_case identifier
     * @param config the config, as returned by {@link Initializer#getConfig()}; {@code null} means empty
     * @throws IllegalArgumentException for an unknown class, an unknown key or a value of the wrong type
     */
    public static Initializer fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(className, "className must not be null");
        String cls = FACTORIES.containsKey(className) ? className : NAMES.get(className);
        if (cls == null) {
            throw new IllegalArgumentException("Unknown initializer '" + className + "': expected one of "
                    + acceptedNames());
        }
        return FACTORIES.get(cls).apply(config == null ? Map.of() : config);
    }

    /**
     * {@code keras.initializers.deserialize(config)}: rebuilds an initializer from its serialized form
     * {@code {"class_name": ..., "config": {...}}} (as written by {@link #serialize}).
     *
     * @throws IllegalArgumentException if {@code class_name} is missing or unknown, or the config is invalid
     */
    public static Initializer fromConfig(Map<String, Object> serialized) {
        return KerasObjects.deserialize("initializer", serialized, Initializers::fromConfig);
    }

    /**
     * {@code keras.initializers.serialize(initializer)}: {@code {"module": "keras.initializers", "class_name":
     * ..., "config": {...}, "registered_name": null}}, Keras 3's format.
     */
    public static Map<String, Object> serialize(Initializer initializer) {
        Objects.requireNonNull(initializer, "initializer must not be null");
        return KerasObjects.serialize("keras.initializers", initializer.className(), initializer.getConfig());
    }

    /** The accepted identifiers: snake_case names and aliases, then class names. */
    public static List<String> acceptedNames() {
        List<String> all = new ArrayList<>(NAMES.keySet());
        all.addAll(FACTORIES.keySet());
        return Collections.unmodifiableList(all);
    }

    // ---- config helpers ---------------------------------------------------------------------------------

    /**
     * Keras 3.15's variance-scaling initializers write {@code input_axes} and {@code output_axes} (which axes
     * count as fan-in / fan-out); norm4j supports their default, null (Keras's fan rule), and refuses others.
     * Returns the config without them.
     */
    private static Map<String, Object> fanAxesDefault(String cls, Map<String, Object> c) {
        Map<String, Object> rest = new java.util.LinkedHashMap<>(c);
        for (String k : new String[] {"input_axes", "output_axes"}) {
            if (rest.remove(k) != null) {
                throw new IllegalArgumentException("initializer " + cls + " config '" + k + "' = " + c.get(k)
                        + ": expected null (custom fan axes are not supported)");
            }
        }
        return rest;
    }

    private static void checkKeys(String cls, Map<String, Object> c, String... allowed) {
        KerasObjects.checkKeys("initializer", cls, c, java.util.List.of(allowed));
    }

    private static Long seed(Map<String, Object> c) {
        Object v = c.get("seed");
        if (v == null) {
            return null;
        }
        if (!(v instanceof Number) || ((Number) v).doubleValue() != Math.rint(((Number) v).doubleValue())) {
            throw new IllegalArgumentException("config 'seed' = " + v
                    + ": expected an integer or null (SeedGenerator seeds are not supported)");
        }
        return ((Number) v).longValue();
    }

    private static Long seedOnly(String cls, Map<String, Object> c) {
        checkKeys(cls, fanAxesDefault(cls, c), "seed");
        return seed(c);
    }
}
