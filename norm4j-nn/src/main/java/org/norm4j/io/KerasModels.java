package org.norm4j.io;

import org.norm4j.keras.KerasObjects;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.norm4j.DType;
import org.norm4j.layers.Input;
import org.norm4j.layers.Layer;
import org.norm4j.models.Sequential;

/**
 * Keras 3 model configs ({@code config.json} of a {@code .keras} archive, {@code model_config} of a legacy
 * {@code .h5}) to and from norm4j's {@link Sequential}: Keras {@code Sequential} models, and {@code Functional}
 * models whose layers form one chain (one input, one output, each layer called once on the previous layer's
 * output). Every key is checked; anything else is a {@link KerasFormatException} naming the place.
 */
final class KerasModels {
    private static final Set<String> ROOT_KEYS = Set.of("module", "class_name", "config", "registered_name",
            "build_config", "compile_config", "keras_version", "backend");
    private static final Set<String> SEQUENTIAL_KEYS = Set.of("name", "trainable", "dtype", "layers",
            "build_input_shape");
    private static final Set<String> FUNCTIONAL_KEYS = Set.of("name", "trainable", "dtype", "layers",
            "input_layers", "output_layers");
    private static final Set<String> ENTRY_KEYS = Set.of("module", "class_name", "config", "registered_name",
            "build_config", "name", "inbound_nodes");

    /** The most values one input sample may have (2^26: 256 MiB in float32). */
    static final long MAX_SAMPLE_VALUES = 1L << 26;

    private KerasModels() {
    }

    /** A norm4j model (built, weights not loaded) from a Keras model config. */
    static Sequential fromKeras(Object json, String where) {
        Map<String, Object> root = map(json, where, "the model config");
        checkKeys(root, ROOT_KEYS, where, "the model");
        Object cls = root.get("class_name");
        boolean functional = "Functional".equals(cls) || "Model".equals(cls);
        if (!"Sequential".equals(cls) && !functional) {
            throw new KerasFormatException(where + ": model class " + cls
                    + ": expected Sequential or Functional (a chain of layers)");
        }
        Map<String, Object> config = map(root.get("config"), where, "the model's config");
        checkKeys(config, functional ? FUNCTIONAL_KEYS : SEQUENTIAL_KEYS, where, "model " + cls);
        if (config.containsKey("dtype") && config.get("dtype") != null) {
            KerasLayers.dtype(config.get("dtype"), where + ": model");
        }
        List<Object> entries = list(config.get("layers"), where, "the model's layers");
        Sequential model = new Sequential();
        if (config.get("name") instanceof String) {
            model.name((String) config.get("name"));
        }
        String previous = null;
        int[] inputShape = null;
        List<Layer> layers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String at = where + ": config.layers[" + i + "]";
            Map<String, Object> e = map(entries.get(i), at, "a layer");
            checkKeys(e, ENTRY_KEYS, at, "layer entry");
            if (e.get("registered_name") != null && !Objects.equals(e.get("registered_name"), e.get("class_name"))) {
                throw new KerasFormatException(at + ": registered_name " + e.get("registered_name")
                        + ": expected a built-in Keras layer (custom objects are not supported)");
            }
            String kc = String.valueOf(e.get("class_name"));
            Map<String, Object> lc = map(e.get("config"), at, "the layer's config");
            if (functional) {
                checkChain(e, previous, at);
            }
            previous = String.valueOf(lc.get("name"));
            if ("InputLayer".equals(kc)) {
                if (i != 0) {
                    throw new KerasFormatException(at + ": InputLayer '" + previous + "' at position " + i
                            + ": expected only as the first layer");
                }
                inputShape = inputLayer(lc, at);
                continue;
            }
            if (i == 0 && functional) {
                throw new KerasFormatException(at + ": first layer of a functional model is " + kc
                        + ": expected InputLayer");
            }
            layers.add(KerasLayers.fromKeras(kc, lc, at));
            if (inputShape == null && lc.get("batch_input_shape") != null) {
                inputShape = shape(lc.get("batch_input_shape"), at + ": batch_input_shape");
            }
            if (inputShape == null) {
                inputShape = buildShape(e.get("build_config"), config.get("build_input_shape"), at);
            }
        }
        if (functional) {
            checkEnds(config, entries, previous, where);
        }
        if (layers.isEmpty() || inputShape == null) {
            throw new KerasFormatException(where + ": model has " + layers.size()
                    + " layers and input shape " + (inputShape == null ? "unknown" : "known")
                    + ": expected at least one layer and a known input shape");
        }
        for (Layer l : layers) {
            if (Boolean.FALSE.equals(config.get("trainable"))) {
                l.trainable(false); // a frozen Keras model freezes every layer
            }
            model.add(l);
        }
        try {
            model.build(inputShape);
        } catch (RuntimeException e) {
            throw new KerasFormatException(where + ": the layers cannot be built for input "
                    + Layer.showShape(inputShape) + ": " + e.getMessage(), e);
        }
        return model;
    }

    private static int[] inputLayer(Map<String, Object> lc, String at) {
        Set<String> keys = new TreeSet<>(lc.keySet());
        keys.removeAll(List.of("batch_shape", "batch_input_shape", "dtype", "sparse", "ragged", "name", "optional",
                "batch_size"));
        if (!keys.isEmpty()) {
            throw new KerasFormatException(at + ": InputLayer has config keys " + keys
                    + ": expected batch_shape (tf.keras 2: batch_input_shape), dtype, sparse, ragged, name, optional");
        }
        for (String k : List.of("sparse", "ragged", "optional")) {
            if (Boolean.TRUE.equals(lc.get(k))) {
                throw new KerasFormatException(at + ": InputLayer has " + k + " = true: expected false");
            }
        }
        KerasLayers.dtype(lc.get("dtype"), at + ": InputLayer");
        Object shape = lc.containsKey("batch_shape") ? lc.get("batch_shape") : lc.get("batch_input_shape");
        return shape(shape, at + ": InputLayer batch_shape");
    }

    private static int[] buildShape(Object buildConfig, Object modelShape, String at) {
        if (modelShape != null) {
            return shape(modelShape, at + ": build_input_shape");
        }
        if (buildConfig instanceof Map && ((Map<?, ?>) buildConfig).get("input_shape") != null) {
            return shape(((Map<?, ?>) buildConfig).get("input_shape"), at + ": build_config.input_shape");
        }
        return null;
    }

    private static int[] shape(Object o, String at) {
        List<Object> l = list(o, at, "a shape");
        if (l.isEmpty() || l.size() > 8) {
            throw new KerasFormatException(at + ": " + o + ": expected a batch shape of rank 1 to 8");
        }
        int[] s = new int[l.size()];
        s[0] = -1;
        long values = 1;
        for (int i = 1; i < s.length; i++) {
            Object d = l.get(i);
            if (!(d instanceof Integer) || (Integer) d < 1 || (Integer) d > MAX_SAMPLE_VALUES) {
                throw new KerasFormatException(at + "[" + i + "] = " + d + ": expected a size in [1, "
                        + MAX_SAMPLE_VALUES + "]");
            }
            s[i] = (Integer) d;
            values *= s[i];
            if (values > MAX_SAMPLE_VALUES) {
                throw new KerasFormatException(at + " = " + o + ": more than " + MAX_SAMPLE_VALUES
                        + " values per sample: expected at most that many");
            }
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static void checkChain(Map<String, Object> e, String previous, String at) {
        List<Object> nodes = list(e.getOrDefault("inbound_nodes", List.of()), at, "inbound_nodes");
        if (previous == null) {
            if (!nodes.isEmpty()) {
                throw new KerasFormatException(at + ": first layer has inbound nodes: expected an InputLayer");
            }
            return;
        }
        String from = null;
        if (nodes.size() == 1 && nodes.get(0) instanceof List && ((List<Object>) nodes.get(0)).size() == 1
                && ((List<Object>) nodes.get(0)).get(0) instanceof List) {
            // tf.keras 2: [[["previous", 0, 0, {}]]]
            List<Object> h = (List<Object>) ((List<Object>) nodes.get(0)).get(0);
            if (h.size() >= 3 && h.size() <= 4 && Integer.valueOf(0).equals(h.get(1))
                    && Integer.valueOf(0).equals(h.get(2))
                    && (h.size() == 3 || (h.get(3) instanceof Map && nullValues((Map<?, ?>) h.get(3))))) {
                from = String.valueOf(h.get(0));
            }
        } else if (nodes.size() == 1 && nodes.get(0) instanceof Map) {
            Map<String, Object> node = (Map<String, Object>) nodes.get(0);
            Object args = node.get("args");
            Object kwargs = node.get("kwargs");
            if (args instanceof List && ((List<Object>) args).size() == 1
                    && (kwargs == null || (kwargs instanceof Map && nullValues((Map<?, ?>) kwargs)))
                    && ((List<Object>) args).get(0) instanceof Map) {
                Object cfg = ((Map<String, Object>) ((List<Object>) args).get(0)).get("config");
                if (cfg instanceof Map && ((Map<String, Object>) cfg).get("keras_history") instanceof List) {
                    List<Object> h = (List<Object>) ((Map<String, Object>) cfg).get("keras_history");
                    if (h.size() == 3 && Integer.valueOf(0).equals(h.get(1)) && Integer.valueOf(0).equals(h.get(2))) {
                        from = String.valueOf(h.get(0));
                    }
                }
            }
        }
        if (!previous.equals(from)) {
            throw new KerasFormatException(at + ": inbound_nodes " + nodes + ": expected one call on the output of '"
                    + previous + "' (norm4j reads functional models that are a chain of layers)");
        }
    }

    /** Call keyword arguments left at their defaults ({@code mask=None}). */
    private static boolean nullValues(Map<?, ?> kwargs) {
        for (Map.Entry<?, ?> e : kwargs.entrySet()) {
            if (e.getValue() != null || !List.of("mask", "training").contains(e.getKey())) {
                return false;
            }
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private static void checkEnds(Map<String, Object> config, List<Object> entries, String last, String where) {
        Object first = ((Map<String, Object>) map(entries.get(0), where, "a layer").get("config")).get("name");
        for (String k : List.of("input_layers", "output_layers")) {
            Object v = config.get(k);
            String want = k.startsWith("input") ? String.valueOf(first) : last;
            List<Object> l = list(v, where + ": config." + k, k);
            if (l.size() == 3 && !(l.get(0) instanceof List)) {
                l = List.of(l);
            }
            if (l.size() != 1 || !(l.get(0) instanceof List) || ((List<Object>) l.get(0)).isEmpty()
                    || !want.equals(String.valueOf(((List<Object>) l.get(0)).get(0)))) {
                throw new KerasFormatException(where + ": config." + k + " = " + v + ": expected the single layer '"
                        + want + "' (a chain of layers)");
            }
        }
    }

    /** The Keras 3 config of a built norm4j model, as {@code model.get_config()} writes it for Sequential. */
    static Map<String, Object> toKeras(Sequential model) {
        int[] in = model.inputShape();
        if (in == null) {
            throw new KerasFormatException("model '" + model.name()
                    + "' is not built: expected an Input layer, build(...) or a call before saving");
        }
        List<Object> layers = new ArrayList<>();
        Map<String, Object> il = new LinkedHashMap<>();
        il.put("batch_shape", nullBatch(in));
        il.put("dtype", "float32");
        il.put("sparse", false);
        il.put("ragged", false);
        il.put("name", "input_layer");
        il.put("optional", false);
        int[] s = in;
        for (Layer l : model.layers()) {
            if (l instanceof Input) {
                il.put("name", l.name());
                continue;
            }
            Map<String, Object> e = KerasObjects.serialize("keras.layers", l.className(), KerasLayers.toKeras(l));
            e.put("build_config", Map.of("input_shape", nullBatch(s)));
            layers.add(e);
            s = l.computeOutputShape(s);
        }
        layers.add(0, KerasObjects.serialize("keras.layers", "InputLayer", il));
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", model.name());
        c.put("trainable", true);
        c.put("dtype", KerasLayers.policy(DType.FLOAT32));
        c.put("layers", layers);
        c.put("build_input_shape", nullBatch(in));
        Map<String, Object> root = KerasObjects.serialize("keras", "Sequential", c);
        root.put("build_config", Map.of("input_shape", nullBatch(in)));
        return root;
    }

    private static List<Object> nullBatch(int[] shape) {
        List<Object> b = new ArrayList<>();
        for (int i = 0; i < shape.length; i++) {
            b.add(i == 0 || shape[i] < 0 ? null : shape[i]);
        }
        return b;
    }

    static void checkKeys(Map<String, Object> m, Set<String> allowed, String where, String what) {
        Set<String> unknown = new TreeSet<>(m.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new KerasFormatException(where + ": " + what + " has keys " + unknown
                    + " that norm4j does not support: expected keys among " + new TreeSet<>(allowed));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o, String where, String what) {
        if (!(o instanceof Map)) {
            throw new KerasFormatException(where + ": " + what + " is " + describe(o) + ": expected a JSON object");
        }
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o, String where, String what) {
        if (!(o instanceof List)) {
            throw new KerasFormatException(where + ": " + what + " is " + describe(o) + ": expected a JSON list");
        }
        return (List<Object>) o;
    }

    private static String describe(Object o) {
        String s = String.valueOf(o);
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
