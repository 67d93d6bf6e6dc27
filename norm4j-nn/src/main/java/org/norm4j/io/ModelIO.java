package org.norm4j.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.jhdf.HdfFile;
import io.jhdf.api.Group;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.files.OutputFile;
import org.norm4j.layers.Layer;
import org.norm4j.layers.LayerConfigs;
import org.norm4j.models.Sequential;

/**
 * Saves and loads whole models in Keras 3's formats, like {@code model.save("m.keras")} /
 * {@code keras.saving.load_model}:
 * <ul>
 * <li>{@link #save} writes a Keras 3 {@code .keras} archive (zip of {@code metadata.json}, {@code config.json},
 * {@code model.weights.h5}) that Keras 3.15.1 loads and predicts identically;</li>
 * <li>{@link #load} reads a {@code .keras} archive, a legacy Keras {@code .h5} (Keras 3 or tf.keras 2) or a file
 * of norm4j's earlier zip format (weights as {@code .npy});</li>
 * <li>{@link #loadWeights} reads Keras 3 {@code .weights.h5} or legacy weights into an existing model.</li>
 * </ul>
 * Sequential models and functional models that are a chain of layers are supported, with the layers listed by
 * {@link KerasLayers#supported()}. Every file is validated before use: zip members' CRC-32 and sizes, every
 * config key and value (unknown ones refused as Keras's {@code from_config} does), every dataset's shape and
 * size against the architecture before its data is read, and the weight values a file's layers may create
 * bounded by the file's size. Any problem is an {@link IOException} naming the file, the member or path inside
 * it, the value and what was expected; the model is never half-built or half-assigned. The optimizer state and
 * {@code compile_config} are not restored: a loaded model is uncompiled.
 */
public final class ModelIO {
    /** Format version of norm4j's earlier zip format (still read). */
    public static final int FORMAT_VERSION = 1;
    /** The Keras version written into {@code metadata.json}: the version the written files are checked with. */
    public static final String KERAS_VERSION = "3.15.1";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final byte[] HDF5_SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final long MAX_FILE = Integer.MAX_VALUE - 64;

    private ModelIO() {
    }

    // ---- writing -------------------------------------------------------------------------------------

    /**
     * Writes {@code model}: as a Keras 3 {@code .keras} archive ({@link #saveKeras}) when Keras can express it,
     * otherwise (InstanceNormalization, a PyTorch-convention BatchNormalization, a Normalization with
     * {@code ddof=1}, a custom layer ...) in norm4j's own zip format, which {@link #load} reads back but Keras
     * cannot.
     */
    public static void save(Sequential model, Path file) throws IOException {
        boolean keras;
        try {
            KerasModels.toKeras(model);
            keras = true;
        } catch (KerasFormatException e) {
            keras = false;
        }
        if (keras) {
            saveKeras(model, file);
        } else {
            saveNorm4j(model, file);
        }
    }

    /**
     * Writes {@code model} as a Keras 3 {@code .keras} archive. The model must be built and every layer must be
     * a Keras layer norm4j writes, with no norm4j-only setting Keras cannot express (a PyTorch-convention
     * BatchNormalization, a Normalization with {@code ddof=1} ...).
     *
     * @throws IOException naming the layer and setting Keras cannot express, or the write failure
     */
    public static void saveKeras(Sequential model, Path file) throws IOException {
        byte[] config;
        byte[] weights;
        try {
            config = JSON.writeValueAsBytes(KerasModels.toKeras(model));
            weights = weightsBytes(model);
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot write a Keras file: " + e.getMessage(), e);
        }
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("keras_version", KERAS_VERSION);
        meta.put("date_saved", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd@HH:mm:ss")));
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            putStored(zip, "metadata.json", JSON.writeValueAsBytes(meta));
            putStored(zip, "config.json", config);
            putStored(zip, "model.weights.h5", weights);
        }
        writeFile(file, zipBytes.toByteArray());
    }

    /** Writes only the weights, as Keras 3's {@code model.save_weights("m.weights.h5")}. */
    public static void saveWeights(Sequential model, Path file) throws IOException {
        byte[] weights;
        try {
            weights = weightsBytes(model);
        } catch (RuntimeException e) {
            throw new IOException(file + ": cannot write Keras weights: " + e.getMessage(), e);
        }
        writeFile(file, weights);
    }

    /** norm4j's own zip: norm4j layer configs in config.json, one .npy per weight, an index in metadata.json. */
    private static void saveNorm4j(Sequential model, Path file) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("class_name", "Sequential");
        root.put("config", model.getConfig());
        ByteArrayOutputStream zipBytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipBytes)) {
            putStored(zip, "config.json", JSON.writeValueAsBytes(root));
            List<Variable> ws = model.weights();
            List<Map<String, Object>> index = new ArrayList<>();
            for (int i = 0; i < ws.size(); i++) {
                String entry = String.format("weights/%04d.npy", i);
                putStored(zip, entry, Npy.write(ws.get(i).value()));
                Map<String, Object> w = new LinkedHashMap<>();
                w.put("file", entry);
                w.put("name", ws.get(i).name());
                w.put("shape", ws.get(i).shape().dims());
                w.put("trainable", ws.get(i).trainable());
                index.add(w);
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("format", "norm4j-model");
            meta.put("format_version", FORMAT_VERSION);
            meta.put("weights", index);
            putStored(zip, "metadata.json", JSON.writeValueAsBytes(meta));
        }
        writeFile(file, zipBytes.toByteArray());
    }

    /**
     * The {@code model.weights.h5} bytes. jhdf writes only to a path: a scratch file in the system's temporary
     * directory, deleted at once, so that {@link #writeFile} stays the one place that writes beside
     * {@code file}.
     */
    private static byte[] weightsBytes(Sequential model) throws IOException {
        Path tmp = Files.createTempFile("norm4j-weights", ".h5");
        try {
            KerasWeights.writeKeras3(tmp, withoutInput(model));
            return Files.readAllBytes(tmp);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * The one place model files are written: to a temporary name in the same directory, then renamed over
     * {@code file} once complete.
     */
    /** Every model file is written here, under the one output policy (atomic replace, '-' is stdout, ...). */
    private static void writeFile(Path file, byte[] bytes) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        OutputFile.write(file, out -> out.write(bytes));
    }

    private static void putStored(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setMethod(ZipEntry.STORED);
        e.setSize(bytes.length);
        e.setCompressedSize(bytes.length);
        CRC32 crc = new CRC32();
        crc.update(bytes);
        e.setCrc(crc.getValue());
        zip.putNextEntry(e);
        zip.write(bytes);
        zip.closeEntry();
    }

    // ---- reading -------------------------------------------------------------------------------------

    /**
     * Reads a model: a Keras 3 {@code .keras} archive, a legacy Keras {@code .h5} or norm4j's earlier zip
     * format (recognized by content, not by name). The model is built and uncompiled.
     *
     * @throws IOException naming the file, the member or HDF5 path, the value and what was expected
     */
    public static Sequential load(Path file) throws IOException {
        byte[] bytes = readFile(file);
        try {
            if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K') {
                Map<String, byte[]> members = ZipMembers.read(bytes, file.toString());
                if (members.containsKey("metadata.json") && isNorm4jFormat(members.get("metadata.json"))) {
                    return loadNorm4jZip(members, file.toString(), bytes.length);
                }
                return loadKerasArchive(members, file.toString());
            }
            if (startsWith(bytes, HDF5_SIGNATURE)) {
                return loadLegacyH5(bytes, file.toString());
            }
            throw new KerasFormatException(file + ": starts with neither a zip nor an HDF5 signature: expected a "
                    + ".keras archive, a legacy .h5 file or a norm4j model file");
        } catch (KerasFormatException e) {
            throw new IOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(file + ": malformed model file (" + e + ")", e);
        }
    }

    /**
     * Reads weights into an existing, built model ({@code model.load_weights}): Keras 3's {@code .weights.h5}
     * layout or a legacy {@code .h5} (full model or weights only). Nothing is assigned unless every weight
     * matches.
     *
     * @throws IOException naming the file, the HDF5 path, the shape found and the one expected
     */
    public static void loadWeights(Sequential model, Path file) throws IOException {
        byte[] bytes = readFile(file);
        String where = file.toString();
        try {
            if (!startsWith(bytes, HDF5_SIGNATURE)) {
                throw new KerasFormatException(where + ": no HDF5 signature at byte 0: expected a .weights.h5 or "
                        + ".h5 file");
            }
            List<Layer> layers = withoutInput(model);
            HdfFile h5 = KerasWeights.open(bytes, where);
            List<Tensor> staged;
            if (KerasWeights.guard(where, () -> h5.getChildren().containsKey("layers"))) {
                staged = KerasWeights.readKeras3(h5, layers, where, bytes.length);
            } else {
                staged = KerasWeights.readLegacy(h5, legacyRoot(h5, where), layers, where, bytes.length);
            }
            KerasWeights.assign(layers, staged);
        } catch (KerasFormatException e) {
            throw new IOException(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IOException(where + ": malformed weights file (" + e + ")", e);
        }
    }

    private static Sequential loadKerasArchive(Map<String, byte[]> members, String where) throws IOException {
        for (String m : List.of("metadata.json", "config.json", "model.weights.h5")) {
            if (!members.containsKey(m)) {
                throw new KerasFormatException(where + ": missing member " + m + (members.containsKey(
                        "model.weights.npz") ? " (an .npz weights archive is not supported)" : "")
                        + ": expected a Keras 3 .keras archive with metadata.json, config.json and model.weights.h5");
            }
        }
        Map<String, Object> meta = json(members.get("metadata.json"), where + "!metadata.json");
        Object version = meta.get("keras_version");
        if (!(version instanceof String) || !((String) version).startsWith("3.")) {
            throw new KerasFormatException(where + "!metadata.json: keras_version " + version
                    + ": expected a Keras 3 file (3.x)");
        }
        byte[] h5bytes = members.get("model.weights.h5");
        Sequential model = build(json(members.get("config.json"), where + "!config.json"), where + "!config.json",
                h5bytes.length);
        String h5where = where + "!model.weights.h5";
        HdfFile h5 = KerasWeights.open(h5bytes, h5where);
        List<Layer> layers = withoutInput(model);
        KerasWeights.assign(layers, KerasWeights.readKeras3(h5, layers, h5where, h5bytes.length));
        return model;
    }

    private static Sequential loadLegacyH5(byte[] bytes, String where) throws IOException {
        HdfFile h5 = KerasWeights.open(bytes, where);
        String config = KerasWeights.stringAttribute(h5, "model_config", where);
        if (config == null) {
            throw new KerasFormatException(where + ": no model_config attribute at / (a weights-only file?): "
                    + "expected a legacy .h5 model; use ModelIO.loadWeights for weights files");
        }
        Sequential model = build(json(config.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                where + " attribute model_config"), where + " attribute model_config", bytes.length);
        List<Layer> layers = withoutInput(model);
        Group root = KerasWeights.group(h5, "model_weights", where, "the model's weights");
        KerasWeights.assign(layers, KerasWeights.readLegacy(h5, root, layers, where, bytes.length));
        return model;
    }

    private static Group legacyRoot(HdfFile h5, String where) {
        boolean nested = KerasWeights.guard(where, () -> h5.getChildren().containsKey("model_weights"));
        return nested ? KerasWeights.group(h5, "model_weights", where, "the model's weights") : h5;
    }

    /** Builds the model of a Keras config, creating at most as many weight values as the weights can hold. */
    private static Sequential build(Map<String, Object> config, String where, long weightBytes) {
        try {
            return Layer.withWeightBudget(weightBytes / 4 + 16, () -> KerasModels.fromKeras(config, where));
        } catch (KerasFormatException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KerasFormatException(where + ": " + e.getMessage(), e);
        }
    }

    private static List<Layer> withoutInput(Sequential model) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : model.layers()) {
            if (!"InputLayer".equals(l.className())) {
                out.add(l);
            }
        }
        return out;
    }

    // ---- norm4j's earlier zip format ------------------------------------------------------------------

    private static boolean isNorm4jFormat(byte[] meta) {
        return new String(meta, java.nio.charset.StandardCharsets.UTF_8).contains("\"norm4j-model\"");
    }

    @SuppressWarnings("unchecked")
    private static Sequential loadNorm4jZip(Map<String, byte[]> members, String file, long fileBytes)
            throws IOException {
        Map<String, Object> meta = json(members.get("metadata.json"), file + "!metadata.json");
        Object version = meta.get("format_version");
        if (!(version instanceof Number) || ((Number) version).intValue() != FORMAT_VERSION) {
            throw new KerasFormatException(file + "!metadata.json: format_version " + version + ": expected "
                    + FORMAT_VERSION);
        }
        if (!members.containsKey("config.json")) {
            throw new KerasFormatException(file + ": missing member config.json");
        }
        Map<String, Object> root = json(members.get("config.json"), file + "!config.json");
        Map<String, Object> config = KerasModels.map(root.get("config"), file + "!config.json", "config");
        List<Object> layerList = KerasModels.list(config.get("layers"), file + "!config.json", "config.layers");
        Sequential model = Layer.withWeightBudget(fileBytes / 4 + 16, () -> {
            Sequential m = new Sequential();
            if (config.get("name") instanceof String) {
                m.name((String) config.get("name"));
            }
            for (Object o : layerList) {
                Map<String, Object> e = KerasModels.map(o, file + "!config.json", "a layer");
                String cls = String.valueOf(e.get("class_name"));
                Map<String, Object> lc = KerasModels.map(e.get("config"), file + "!config.json", "a layer's config");
                KerasLayers.checkNorm4jKeys(cls, lc, file + "!config.json");
                m.add(LayerConfigs.fromConfig(cls, lc));
            }
            return m;
        });
        List<Variable> ws = model.weights();
        List<Object> index = KerasModels.list(meta.get("weights"), file + "!metadata.json", "weights");
        if (index.size() != ws.size()) {
            throw new KerasFormatException(file + ": holds " + index.size() + " weights: expected " + ws.size()
                    + " for the architecture");
        }
        List<Tensor> staged = new ArrayList<>();
        for (int i = 0; i < ws.size(); i++) {
            String entry = String.valueOf(((Map<String, Object>) KerasModels.map(index.get(i), file, "weight"))
                    .get("file"));
            byte[] b = members.get(entry);
            if (b == null) {
                throw new KerasFormatException(file + ": missing member " + entry);
            }
            Tensor t = Npy.read(b, file + "!" + entry);
            if (!t.shape().equals(ws.get(i).shape())) {
                throw new KerasFormatException(file + "!" + entry + ": weight '" + ws.get(i).name() + "' has shape "
                        + t.shape() + ": expected " + ws.get(i).shape());
            }
            staged.add(t);
        }
        for (int i = 0; i < ws.size(); i++) {
            ws.get(i).assign(staged.get(i).asType(ws.get(i).dtype()));
        }
        return model;
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private static byte[] readFile(Path file) throws IOException {
        long size = Files.size(file);
        if (size > MAX_FILE) {
            throw new IOException(file + ": " + size + " bytes: expected a model file under 2 GiB");
        }
        return Files.readAllBytes(file);
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> json(byte[] bytes, String where) {
        try {
            Object o = JSON.readValue(bytes, Object.class);
            return KerasModels.map(o, where, "the document");
        } catch (IOException e) {
            throw new KerasFormatException(where + ": malformed JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
    }
}
