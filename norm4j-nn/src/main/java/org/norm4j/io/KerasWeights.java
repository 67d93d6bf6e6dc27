package org.norm4j.io;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.Attribute;
import io.jhdf.api.Dataset;
import io.jhdf.api.Group;
import io.jhdf.api.Node;
import io.jhdf.api.WritableGroup;
import java.lang.reflect.Array;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.layers.Layer;

/**
 * The weights of Keras files in HDF5, read and written with jhdf: Keras 3's {@code model.weights.h5} /
 * {@code .weights.h5} layout ({@code layers/<snake_case class>[_N]/vars/<i>}) and the legacy {@code .h5} layout
 * ({@code model_weights/<layer>/<weight name>} listed by {@code layer_names} / {@code weight_names}). Every
 * dataset is checked (a dataset node, a float or int type, its shape equal to the weight's, its byte size no
 * larger than the file) before its data is read, and all values of a file are staged before any weight is
 * assigned, so a bad file leaves the model as it was.
 */
final class KerasWeights {
    private static final Pattern KERAS_SNAKE_1 = Pattern.compile("(.)([A-Z][a-z]+)");
    private static final Pattern KERAS_SNAKE_2 = Pattern.compile("([a-z])([A-Z])");

    private KerasWeights() {
    }

    /** Keras's {@code naming.to_snake_case}, which names a layer's group in {@code model.weights.h5}. */
    static String kerasSnake(String className) {
        String s = className.replaceAll("\\W+", "");
        s = KERAS_SNAKE_1.matcher(s).replaceAll("$1_$2");
        s = KERAS_SNAKE_2.matcher(s).replaceAll("$1_$2");
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    /** The group of each layer in Keras 3's layout, {@code layers/dense}, {@code layers/dense_1}, ... */
    static List<String> groupNames(List<Layer> layers) {
        Map<String, Integer> used = new HashMap<>();
        List<String> out = new ArrayList<>();
        for (Layer l : layers) {
            String base = kerasSnake(l.className());
            Integer n = used.get(base);
            used.put(base, n == null ? 0 : n + 1);
            out.add("layers/" + (n == null ? base : base + "_" + (n + 1)));
        }
        return out;
    }

    /** Opens HDF5 bytes; a file jhdf cannot parse is a {@link KerasFormatException} naming {@code where}. */
    static HdfFile open(byte[] bytes, String where) {
        try {
            return HdfFile.fromBytes(bytes);
        } catch (RuntimeException e) {
            throw new KerasFormatException(where + ": not a readable HDF5 file (" + e + ")", e);
        }
    }

    /**
     * Reads Keras 3's layout into staged values for {@code layers}' weights (not assigned yet).
     *
     * @param fileBytes the HDF5 file's size: no dataset may claim more
     */
    static List<Tensor> readKeras3(HdfFile h5, List<Layer> layers, String where, long fileBytes) {
        List<String> groups = groupNames(layers);
        refuseForeignGroups(h5, layers, groups, where);
        List<Tensor> staged = new ArrayList<>();
        for (int li = 0; li < layers.size(); li++) {
            Layer layer = layers.get(li);
            List<Variable> ws = layer.weights();
            if (ws.isEmpty()) {
                continue;
            }
            String vars = groups.get(li) + "/vars";
            Group g = group(h5, vars, where, "the weights of layer '" + layer.name() + "' (" + layer.className()
                    + ")");
            int n = guard(where + "!" + vars, () -> g.getChildren().size());
            if (n != ws.size()) {
                throw new KerasFormatException(where + "!" + vars + ": holds " + n + " variables: expected "
                        + ws.size() + " for layer '" + layer.name() + "' (" + layer.className() + ")");
            }
            for (int i = 0; i < ws.size(); i++) {
                staged.add(dataset(h5, vars + "/" + i, ws.get(i), where, fileBytes));
            }
        }
        return staged;
    }

    /**
     * Refuses weights in the file that belong to no layer of the model (a file of another, larger model): every
     * {@code layers/<group>} holding variables must be a group of one of the model's layers with weights.
     */
    private static void refuseForeignGroups(HdfFile h5, List<Layer> layers, List<String> groups, String where) {
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            if (!layers.get(i).weights().isEmpty()) {
                expected.add(groups.get(i).substring("layers/".length()));
            }
        }
        if (expected.isEmpty() && !guard(where, () -> h5.getChildren().containsKey("layers"))) {
            return;
        }
        Group all = group(h5, "layers", where, "the layers' weights");
        guard(where + "!layers", () -> {
            for (Map.Entry<String, Node> e : all.getChildren().entrySet()) {
                if (expected.contains(e.getKey()) || !(e.getValue() instanceof Group)) {
                    continue;
                }
                Node vars = ((Group) e.getValue()).getChildren().get("vars");
                if (vars instanceof Group && !((Group) vars).getChildren().isEmpty()) {
                    throw new KerasFormatException(where + "!layers/" + e.getKey() + "/vars: holds "
                            + ((Group) vars).getChildren().size() + " variables for a layer the model does not "
                            + "have: expected weights only for " + new java.util.TreeSet<>(expected));
                }
            }
            return null;
        });
    }

    /** Reads the legacy {@code .h5} layout ({@code model_weights} or the root of a weights-only file). */
    static List<Tensor> readLegacy(HdfFile h5, Group root, List<Layer> layers, String where, long fileBytes) {
        String rootPath = root.getPath().replaceAll("^/+|/+$", "");
        List<String> names = stringList(root, "layer_names", where);
        List<String> withWeights = new ArrayList<>();
        List<List<String>> weightNames = new ArrayList<>();
        for (String name : names) {
            Node n = guard(where + "!" + rootPath, () -> root.getChild(name));
            if (!(n instanceof Group)) {
                throw new KerasFormatException(where + "!" + rootPath + "/" + name
                        + ": missing layer group listed in layer_names");
            }
            List<String> wn = stringList((Group) n, "weight_names", where);
            if (!wn.isEmpty()) {
                withWeights.add(name);
                weightNames.add(wn);
            }
        }
        List<Layer> target = new ArrayList<>();
        for (Layer l : layers) {
            if (!l.weights().isEmpty()) {
                target.add(l);
            }
        }
        if (target.size() != withWeights.size()) {
            throw new KerasFormatException(where + "!" + rootPath + ": holds weights for " + withWeights.size()
                    + " layers " + withWeights + ": expected " + target.size() + " (the model's layers with weights)");
        }
        List<Tensor> staged = new ArrayList<>();
        for (int i = 0; i < target.size(); i++) {
            List<Variable> ws = target.get(i).weights();
            List<String> wn = weightNames.get(i);
            String lp = (rootPath.isEmpty() ? "" : rootPath + "/") + withWeights.get(i);
            if (wn.size() != ws.size()) {
                throw new KerasFormatException(where + "!" + lp + ": weight_names lists " + wn.size()
                        + " weights: expected " + ws.size() + " for layer '" + target.get(i).name() + "' ("
                        + target.get(i).className() + ")");
            }
            for (int k = 0; k < ws.size(); k++) {
                staged.add(dataset(h5, lp + "/" + wn.get(k), ws.get(k), where, fileBytes));
            }
        }
        return staged;
    }

    /** Assigns staged values (from one of the readers) to the layers' weights, in order. */
    static void assign(List<Layer> layers, List<Tensor> staged) {
        int k = 0;
        for (Layer l : layers) {
            for (Variable v : l.weights()) {
                v.assign(staged.get(k++).asType(v.dtype()));
            }
        }
    }

    /**
     * A string-list attribute, joined over Keras's split form ({@code name0}, {@code name1}, ... when the list
     * exceeds HDF5's attribute size); empty when absent or empty.
     */
    static List<String> stringList(Node node, String name, String where) {
        String at = where + "!" + node.getPath() + " attribute " + name;
        return guard(at, () -> {
            List<String> out = new ArrayList<>();
            if (node.getAttributes().containsKey(name)) {
                addStrings(node.getAttribute(name), out, at);
                return out;
            }
            for (int i = 0; node.getAttributes().containsKey(name + i); i++) {
                addStrings(node.getAttribute(name + i), out, at + i);
            }
            return out;
        });
    }

    private static void addStrings(Attribute a, List<String> out, String at) {
        if (a.getSize() > 1_000_000) {
            throw new KerasFormatException(at + ": " + a.getSize() + " entries: expected a list of names");
        }
        Object d = a.getData();
        if (d == null || (d.getClass().isArray() && Array.getLength(d) == 0)) {
            return;
        }
        if (d instanceof String) {
            out.add((String) d);
        } else if (d instanceof String[]) {
            out.addAll(Arrays.asList((String[]) d));
        } else {
            throw new KerasFormatException(at + ": holds " + d.getClass().getSimpleName() + ": expected strings");
        }
    }

    /** A string attribute (a JSON document such as {@code model_config}), or null when absent. */
    static String stringAttribute(Node node, String name, String where) {
        return guard(where + "!" + node.getPath() + " attribute " + name, () -> {
            if (!node.getAttributes().containsKey(name)) {
                return null;
            }
            Attribute a = node.getAttribute(name);
            if (a.getSizeInBytes() > 64L << 20) {
                throw new KerasFormatException(where + ": attribute " + name + " of " + a.getSizeInBytes()
                        + " bytes: expected at most 64 MiB");
            }
            Object d = a.getData();
            if (d instanceof String[] && ((String[]) d).length == 1) {
                d = ((String[]) d)[0];
            }
            if (!(d instanceof String)) {
                throw new KerasFormatException(where + ": attribute " + name + " holds " + (d == null ? "null"
                        : d.getClass().getSimpleName()) + ": expected a string");
            }
            return (String) d;
        });
    }

    static Group group(Group h5, String path, String where, String what) {
        Node n = guard(where + "!" + path, () -> h5.getByPath(path));
        if (!(n instanceof Group)) {
            throw new KerasFormatException(where + "!" + path + ": missing group (" + what + ")");
        }
        return (Group) n;
    }

    /** One weight's dataset, checked against the variable before its data is read. */
    private static Tensor dataset(HdfFile h5, String path, Variable v, String where, long fileBytes) {
        String at = where + "!" + path;
        return guard(at, () -> {
            Node n;
            try {
                n = h5.getByPath(path);
            } catch (RuntimeException e) {
                throw new KerasFormatException(at + ": missing dataset for weight '" + v.name() + "'", e);
            }
            if (!(n instanceof Dataset)) {
                throw new KerasFormatException(at + ": is not a dataset: expected weight '" + v.name() + "'");
            }
            Dataset d = (Dataset) n;
            long[] dims = d.getDimensionsAsLong();
            int[] want = v.shape().dims();
            if (dims.length != want.length) {
                throw new KerasFormatException(at + ": shape " + Arrays.toString(dims) + ": expected "
                        + Arrays.toString(want) + " for weight '" + v.name() + "'");
            }
            for (int i = 0; i < dims.length; i++) {
                if (dims[i] != want[i]) {
                    throw new KerasFormatException(at + ": shape " + Arrays.toString(dims) + ": expected "
                            + Arrays.toString(want) + " for weight '" + v.name() + "'");
                }
            }
            if (d instanceof io.jhdf.api.dataset.ChunkedDataset && !d.getFilters().isEmpty()) {
                throw new KerasFormatException(at + ": compressed or filtered dataset (" + d.getFilters()
                        + "): expected uncompressed weights, as Keras writes them");
            }
            Class<?> type = d.getJavaType();
            long bytes = d.getSizeInBytes();
            if (bytes < 0 || bytes > fileBytes) {
                throw new KerasFormatException(at + ": declares " + bytes + " bytes of data in a file of "
                        + fileBytes + " bytes: expected at most the file size (uncompressed weights)");
            }
            Object flat = d.isScalar() ? d.getData() : d.getDataFlat();
            return toTensor(flat, type, v.shape(), at);
        });
    }

    private static Tensor toTensor(Object flat, Class<?> type, Shape shape, String at) {
        int size = shape.size();
        if (flat instanceof float[] && ((float[]) flat).length == size) {
            return Tensor.wrap((float[]) flat, shape);
        }
        if (flat instanceof double[] && ((double[]) flat).length == size) {
            return Tensor.wrap((double[]) flat, shape);
        }
        if (flat instanceof Float && size == 1) {
            return Tensor.wrap(new float[] {(Float) flat}, shape);
        }
        if (flat instanceof Double && size == 1) {
            return Tensor.wrap(new double[] {(Double) flat}, shape);
        }
        if ((flat instanceof Integer || flat instanceof Long) && size == 1) {
            return Tensor.wrap(new double[] {((Number) flat).doubleValue()}, shape);
        }
        if (flat instanceof int[] && ((int[]) flat).length == size) {
            double[] v = new double[size];
            for (int i = 0; i < size; i++) {
                v[i] = ((int[]) flat)[i];
            }
            return Tensor.wrap(v, shape);
        }
        throw new KerasFormatException(at + ": holds " + type.getSimpleName() + " data: expected " + size
                + " float32, float64 or int values");
    }

    /**
     * Writes Keras 3's {@code model.weights.h5} for the layers to {@code file}. Layers without weights get no
     * group (jhdf 0.13.0 writes an unreadable header for an empty group beside a non-empty one; Keras does not
     * need them).
     */
    static void writeKeras3(Path file, List<Layer> layers) {
        List<String> groups = groupNames(layers);
        try (WritableHdfFile h5 = HdfFile.write(file)) {
            WritableGroup root = null;
            for (int li = 0; li < layers.size(); li++) {
                List<Variable> ws = layers.get(li).weights();
                if (ws.isEmpty()) {
                    continue;
                }
                if (root == null) {
                    root = h5.putGroup("layers");
                }
                WritableGroup vars = root.putGroup(groups.get(li).substring("layers/".length())).putGroup("vars");
                vars.putAttribute("name", layers.get(li).name());
                for (int i = 0; i < ws.size(); i++) {
                    vars.putDataset(String.valueOf(i), nested(ws.get(i), layers.get(li)));
                }
            }
        }
    }

    /** A weight as the nested Java array jhdf writes; Normalization's {@code count} as Keras's int32 scalar. */
    private static Object nested(Variable w, Layer layer) {
        Tensor t = w.value();
        int[] dims = t.shape().dims();
        if (dims.length == 0) {
            double v = t.toDoubleArray()[0];
            if ("Normalization".equals(layer.className()) && w.name().endsWith("/count")) {
                return Integer.valueOf((int) Math.min(v, Integer.MAX_VALUE));
            }
            return t.dtype() == DType.FLOAT64 ? (Object) Double.valueOf(v) : (Object) Float.valueOf((float) v);
        }
        boolean f32 = t.dtype() == DType.FLOAT32;
        Object out = Array.newInstance(f32 ? float.class : double.class, dims);
        float[] fv = f32 ? t.rawFloats() : null;
        double[] dv = f32 ? null : t.rawDoubles();
        int row = dims[dims.length - 1];
        int rows = row == 0 ? 0 : t.size() / row;
        for (int r = 0; r < rows; r++) {
            Object leaf = out;
            int rem = r;
            int[] idx = new int[dims.length - 1];
            for (int d = dims.length - 2; d >= 0; d--) {
                idx[d] = rem % dims[d];
                rem /= dims[d];
            }
            for (int d = 0; d < idx.length; d++) {
                leaf = Array.get(leaf, idx[d]);
            }
            System.arraycopy(f32 ? fv : dv, r * row, leaf, 0, row);
        }
        return out;
    }

    /** Runs a jhdf access, turning any runtime failure into a {@link KerasFormatException} naming the place. */
    static <T> T guard(String at, java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (KerasFormatException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {
            throw new KerasFormatException(at + ": corrupted or unreadable HDF5 (" + e + ")", e);
        }
    }
}
