package org.norm4j.io;

import org.norm4j.keras.KerasObjects;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.norm4j.DType;
import org.norm4j.layers.Layer;
import org.norm4j.layers.LayerConfigs;

/**
 * The table of Keras 3 layer classes norm4j reads and writes: for each class, every config key Keras 3.15.1
 * writes, the keys whose only supported value is Keras's default (a {@code kernel_regularizer} on Dense,
 * {@code renorm} on BatchNormalization ...), and the norm4j-only keys that can be left out of a Keras file when
 * they hold their Keras-compatible value. Reading refuses any other key or value, as Keras's {@code from_config}
 * does; writing refuses a norm4j layer whose config has no Keras equivalent. A new layer is one
 * {@link #register} call (as Conv2D, the pooling layers and ZeroPadding2D are), given a norm4j layer class of
 * the Keras class name with a static {@code fromConfig(Map)} (found by {@link LayerConfigs}) that creates its
 * weights in Keras's saved order (trainable first, each in Keras's layout: a Conv2D kernel (kh, kw, in, out),
 * then the bias):
 *
 * <pre>{@code
 * KerasLayers.register(new KerasLayers.Spec("MaxPooling2D",
 *         Set.of("pool_size", "strides", "padding", "data_format"), Map.of("data_format", "channels_last"), Map.of()));
 * }</pre>
 */
public final class KerasLayers {
    /** The keys every Keras layer config has. */
    static final List<String> BASE_KEYS = List.of("name", "trainable", "dtype");
    /**
     * Keys any layer config may have in files of tf.keras 2 (and Keras 3 when set): the input shape given to the
     * first layer, and an activity regularizer, supported only as null.
     */
    static final List<String> OPTIONAL_BASE_KEYS = List.of("batch_input_shape", "activity_regularizer");
    private static final List<String> GAMMA_BETA = List.of("beta_initializer", "gamma_initializer",
            "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint");
    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    /**
     * One Keras layer class.
     *
     * @param kerasClass Keras's class name ({@code "Dense"})
     * @param keys the config keys Keras writes, besides {@link #BASE_KEYS}
     * @param fixed keys whose only supported value is the one given (null included)
     * @param norm4jOnly norm4j config keys without a Keras equivalent, with the value that may be dropped when a
     *     model is written for Keras
     */
    public record Spec(String kerasClass, Set<String> keys, Map<String, Object> fixed,
            Map<String, Object> norm4jOnly) {
        /** Copies the collections. */
        public Spec {
            Objects.requireNonNull(kerasClass, "kerasClass must not be null");
            keys = Set.copyOf(keys);
            fixed = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fixed));
            norm4jOnly = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(norm4jOnly));
        }
    }

    static {
        register(new Spec("InputLayer", Set.of("batch_shape", "sparse", "ragged", "optional"),
                fixed("sparse", false, "ragged", false, "optional", false), Map.of()));
        register(new Spec("Dense", keys("units", "activation", "use_bias", "kernel_initializer", "bias_initializer",
                "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint",
                "quantization_config"), fixed("kernel_regularizer", null, "bias_regularizer", null,
                "kernel_constraint", null, "bias_constraint", null, "quantization_config", null), Map.of()));
        register(new Spec("Dropout", keys("rate", "seed", "noise_shape"), fixed("noise_shape", null), Map.of()));
        register(new Spec("Activation", keys("activation"), Map.of(), Map.of()));
        register(new Spec("Flatten", keys("data_format"), fixed("data_format", "channels_last"), Map.of()));
        register(new Spec("Reshape", keys("target_shape"), Map.of(), Map.of()));
        register(new Spec("Rescaling", keys("scale", "offset"), Map.of(), Map.of()));
        register(new Spec("Normalization", keys("axis", "invert", "mean", "variance"), Map.of(),
                fixed("zero_variance_policy", "keras", "ddof", 0, "nan_policy", "propagate")));
        List<String> bn = new ArrayList<>(List.of("axis", "momentum", "epsilon", "center", "scale",
                "moving_mean_initializer", "moving_variance_initializer", "synchronized", "renorm",
                "renorm_clipping", "renorm_momentum"));
        bn.addAll(GAMMA_BETA);
        register(new Spec("BatchNormalization", Set.copyOf(bn), fixed("synchronized", false, "renorm", false,
                "renorm_clipping", null), fixed("norm4j_convention", "keras")));
        List<String> ln = new ArrayList<>(List.of("axis", "epsilon", "center", "scale", "rms_scaling"));
        ln.addAll(GAMMA_BETA);
        register(new Spec("LayerNormalization", Set.copyOf(ln), Map.of(), Map.of()));
        List<String> gn = new ArrayList<>(List.of("groups", "axis", "epsilon", "center", "scale"));
        gn.addAll(GAMMA_BETA);
        register(new Spec("GroupNormalization", Set.copyOf(gn), Map.of(), Map.of()));
        register(new Spec("RMSNormalization", keys("axis", "epsilon"), Map.of(), Map.of()));
        register(new Spec("UnitNormalization", keys("axis"), Map.of(), Map.of()));
        register(new Spec("Conv2D", keys("filters", "kernel_size", "strides", "padding", "data_format",
                "dilation_rate", "groups", "activation", "use_bias", "kernel_initializer", "bias_initializer",
                "kernel_regularizer", "bias_regularizer", "kernel_constraint", "bias_constraint"), Map.of(),
                Map.of()));
        register(new Spec("MaxPooling2D", keys("pool_size", "strides", "padding", "data_format"), Map.of(),
                Map.of()));
        register(new Spec("AveragePooling2D", keys("pool_size", "strides", "padding", "data_format"), Map.of(),
                Map.of()));
        register(new Spec("GlobalAveragePooling2D", keys("data_format", "keepdims"), Map.of(), Map.of()));
        register(new Spec("GlobalMaxPooling2D", keys("data_format", "keepdims"), Map.of(), Map.of()));
        register(new Spec("ZeroPadding2D", keys("padding", "data_format"), Map.of(), Map.of()));
    }

    private KerasLayers() {
    }

    /** Adds (or replaces) the spec of a Keras layer class; its layer is built by {@link LayerConfigs}. */
    public static synchronized void register(Spec spec) {
        SPECS.put(spec.kerasClass(), spec);
    }

    /** The supported Keras class names, in registration order. */
    public static synchronized List<String> supported() {
        return List.copyOf(SPECS.keySet());
    }

    static synchronized Spec spec(String kerasClass) {
        return SPECS.get(kerasClass);
    }

    /**
     * Checks the keys of a layer config in norm4j's own format: a Keras class may have its Keras keys and its
     * norm4j-only keys; InstanceNormalization those of GroupNormalization. Other (custom) classes are left to
     * their registered factory.
     *
     * @throws KerasFormatException naming the layer, its class and the unknown keys
     */
    static void checkNorm4jKeys(String className, Map<String, Object> config, String where) {
        Spec spec = spec("InstanceNormalization".equals(className) ? "GroupNormalization" : className);
        if (spec == null || "InputLayer".equals(className)) {
            return;
        }
        Set<String> allowed = union(spec.keys(), BASE_KEYS);
        allowed.addAll(spec.norm4jOnly().keySet());
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new KerasFormatException(where + ": layer '" + config.get("name") + "' (" + className
                    + ") has config keys " + unknown + ": expected keys among " + new TreeSet<>(allowed));
        }
    }

    /**
     * A norm4j layer from a Keras layer config, every key and value checked first.
     *
     * @param where the file and the place in it, for messages
     * @throws KerasFormatException naming the layer, its class, the key, the value and what was expected
     */
    static Layer fromKeras(String kerasClass, Map<String, Object> config, String where) {
        String name = String.valueOf(config.get("name"));
        Spec spec = spec(kerasClass);
        if (spec == null) {
            throw new KerasFormatException(where + ": layer '" + name + "' has class " + kerasClass
                    + ": expected one of " + supported());
        }
        Set<String> unknown = new TreeSet<>(config.keySet());
        unknown.removeAll(spec.keys());
        unknown.removeAll(BASE_KEYS);
        unknown.removeAll(OPTIONAL_BASE_KEYS);
        if (!unknown.isEmpty()) {
            throw new KerasFormatException(where + ": layer '" + name + "' (" + kerasClass + ") has config keys "
                    + unknown + " that norm4j does not support: expected keys among "
                    + new TreeSet<>(union(spec.keys(), BASE_KEYS)));
        }
        if (config.get("activity_regularizer") != null) {
            throw new KerasFormatException(where + ": layer '" + name + "' (" + kerasClass
                    + ") has activity_regularizer = " + config.get("activity_regularizer")
                    + ": norm4j supports only null");
        }
        for (Map.Entry<String, Object> f : spec.fixed().entrySet()) {
            if (config.containsKey(f.getKey()) && !Objects.equals(f.getValue(), config.get(f.getKey()))) {
                throw new KerasFormatException(where + ": layer '" + name + "' (" + kerasClass + ") has "
                        + f.getKey() + " = " + config.get(f.getKey()) + ": norm4j supports only " + f.getValue());
            }
        }
        Map<String, Object> c = new LinkedHashMap<>(config);
        DType dtype = dtype(config.get("dtype"), where + ": layer '" + name + "' (" + kerasClass + ")");
        c.remove("dtype");
        c.remove("batch_input_shape");
        c.remove("activity_regularizer");
        if (!(config.get("name") instanceof String)) {
            throw new KerasFormatException(where + ": layer of class " + kerasClass + " has name " + config.get(
                    "name") + ": expected a string");
        }
        Layer layer;
        try {
            layer = LayerConfigs.fromConfig(kerasClass, c);
        } catch (RuntimeException e) {
            throw new KerasFormatException(where + ": layer '" + name + "' (" + kerasClass + "): " + e.getMessage(),
                    e);
        }
        layer.dtype(dtype);
        return layer;
    }

    /**
     * A Keras 3 dtype policy (a string, or {@code {"class_name": "DTypePolicy", "config": {"name": ...}}}):
     * float32 or float64. Mixed-precision and quantized policies are refused.
     */
    @SuppressWarnings("unchecked")
    static DType dtype(Object policy, String where) {
        Object name = policy;
        if (policy instanceof Map) {
            Map<String, Object> p = (Map<String, Object>) policy;
            if (!"DTypePolicy".equals(p.get("class_name")) || !(p.get("config") instanceof Map)) {
                throw new KerasFormatException(where + ": dtype policy " + policy
                        + ": expected class DTypePolicy (float32 or float64; mixed precision and quantization are "
                        + "not supported)");
            }
            name = ((Map<String, Object>) p.get("config")).get("name");
        }
        if (name == null || "float32".equals(name)) {
            return DType.FLOAT32;
        }
        if ("float64".equals(name)) {
            return DType.FLOAT64;
        }
        throw new KerasFormatException(where + ": dtype " + name + ": expected float32 or float64 (mixed precision "
                + "policies such as mixed_float16 and other dtypes are not supported)");
    }

    /** Keras 3's serialized dtype policy for a dtype. */
    static Map<String, Object> policy(DType dtype) {
        return KerasObjects.serialize("keras", "DTypePolicy", new LinkedHashMap<>(Map.of("name", dtype.pyName())));
    }

    /**
     * The Keras config of a norm4j layer: the Keras keys of its config, with the dtype as a policy.
     *
     * @throws KerasFormatException if the layer's class is not a Keras class norm4j writes, or a norm4j-only key
     *     holds a value Keras cannot express
     */
    static Map<String, Object> toKeras(Layer layer) {
        Spec spec = spec(layer.className());
        if (spec == null || "InputLayer".equals(layer.className())) {
            throw new KerasFormatException("layer '" + layer.name() + "' has class " + layer.className()
                    + ": expected one of " + supported() + " to write a Keras file");
        }
        Map<String, Object> own = layer.getConfig();
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : own.entrySet()) {
            String k = e.getKey();
            if (spec.keys().contains(k) || BASE_KEYS.contains(k)) {
                out.put(k, e.getValue());
            } else if (!spec.norm4jOnly().containsKey(k) || !sameValue(spec.norm4jOnly().get(k), e.getValue())) {
                throw new KerasFormatException("layer '" + layer.name() + "' (" + layer.className() + ") has " + k
                        + " = " + e.getValue() + ", which Keras cannot express: expected "
                        + (spec.norm4jOnly().containsKey(k) ? spec.norm4jOnly().get(k) : "no such key"));
            }
        }
        out.put("dtype", policy(layer.dtype()));
        for (Map.Entry<String, Object> f : spec.fixed().entrySet()) {
            out.putIfAbsent(f.getKey(), f.getValue());
        }
        return out;
    }

    private static boolean sameValue(Object a, Object b) {
        if (a instanceof Number && b instanceof Number) {
            return ((Number) a).doubleValue() == ((Number) b).doubleValue();
        }
        return Objects.equals(a, b) || (a instanceof String && b != null && ((String) a).equalsIgnoreCase(b.toString()));
    }

    private static Set<String> keys(String... names) {
        return new LinkedHashSet<>(Arrays.asList(names));
    }

    private static Map<String, Object> fixed(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private static Set<String> union(Set<String> a, List<String> b) {
        Set<String> s = new LinkedHashSet<>(a);
        s.addAll(b);
        return s;
    }
}
