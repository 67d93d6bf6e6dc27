package org.norm4j.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.layers.Layer;
import org.norm4j.layers.LayerConfigs;
import org.norm4j.models.Sequential;

/**
 * Saves and loads whole models, like Keras's {@code model.save("m.keras")} / {@code keras.models.load_model}.
 * The file is a zip holding {@code config.json} (Keras-style: {@code class_name} "Sequential", layer class
 * names and config keys), {@code metadata.json}, and one NumPy {@code .npy} file per weight under
 * {@code weights/}, trainable and non-trainable, in {@code model.weights()} order. Files are written to a
 * temporary name in the same directory and renamed only once complete.
 */
public final class ModelIO {
    /** Format version written into metadata.json. */
    public static final int FORMAT_VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelIO() {
    }

    /** Writes the model atomically to {@code file}. */
    public static void save(Sequential model, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName(), ".tmp");
        boolean done = false;
        try {
            try (OutputStream os = Files.newOutputStream(tmp); ZipOutputStream zip = new ZipOutputStream(os)) {
                Map<String, Object> root = new LinkedHashMap<>();
                root.put("class_name", "Sequential");
                root.put("config", model.getConfig());
                if (model.optimizer() != null) {
                    Map<String, Object> compile = new LinkedHashMap<>();
                    compile.put("optimizer", Map.of("class_name", model.optimizer().className(), "config",
                            model.optimizer().getConfig()));
                    compile.put("loss", model.loss().name());
                    List<String> ms = new ArrayList<>();
                    model.metrics().forEach(m -> ms.add(m.name()));
                    compile.put("metrics", ms);
                    root.put("compile_config", compile);
                }
                put(zip, "config.json", JSON.writeValueAsBytes(root));
                List<Variable> ws = model.weights();
                List<Map<String, Object>> index = new ArrayList<>();
                for (int i = 0; i < ws.size(); i++) {
                    String entry = String.format("weights/%04d.npy", i);
                    put(zip, entry, Npy.write(ws.get(i).value()));
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
                put(zip, "metadata.json", JSON.writeValueAsBytes(meta));
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] bytes) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(bytes);
        zip.closeEntry();
    }

    /**
     * Reads a model written by {@link #save}: rebuilds the layers from their configs (custom layers must be
     * registered with {@link LayerConfigs#register}) and restores every weight. The model is not compiled.
     *
     * @throws IOException naming the file and the problem (not a model file, another format version, a missing
     *     entry, or a weight whose shape does not match the architecture)
     */
    @SuppressWarnings("unchecked")
    public static Sequential load(Path file) throws IOException {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            Map<String, Object> meta = json(zip, file, "metadata.json");
            Object version = meta.get("format_version");
            if (!"norm4j-model".equals(meta.get("format")) || !(version instanceof Number)
                    || ((Number) version).intValue() != FORMAT_VERSION) {
                throw new IOException(file + ": metadata.json says format " + meta.get("format") + " version " + version
                        + ": expected norm4j-model version " + FORMAT_VERSION);
            }
            Map<String, Object> root = json(zip, file, "config.json");
            Map<String, Object> config = (Map<String, Object>) root.get("config");
            Sequential model = new Sequential();
            if (config.get("name") instanceof String) {
                model.name((String) config.get("name"));
            }
            for (Object o : (List<Object>) config.get("layers")) {
                Map<String, Object> e = (Map<String, Object>) o;
                Layer layer = LayerConfigs.fromConfig((String) e.get("class_name"),
                        (Map<String, Object>) e.get("config"));
                model.add(layer);
            }
            List<Variable> ws = model.weights();
            List<Object> index = (List<Object>) meta.get("weights");
            if (index.size() != ws.size()) {
                throw new IOException(file + ": holds " + index.size() + " weights but the architecture has "
                        + ws.size());
            }
            for (int i = 0; i < ws.size(); i++) {
                String entry = (String) ((Map<String, Object>) index.get(i)).get("file");
                ZipEntry ze = zip.getEntry(entry);
                if (ze == null) {
                    throw new IOException(file + ": missing entry " + entry);
                }
                Tensor t = Npy.read(Npy.readAll(zip.getInputStream(ze)), file + "!" + entry);
                if (!t.shape().equals(ws.get(i).shape())) {
                    throw new IOException(file + "!" + entry + ": weight '" + ws.get(i).name() + "' has shape "
                            + t.shape() + ": expected " + ws.get(i).shape());
                }
                ws.get(i).assign(t.asType(ws.get(i).dtype()));
            }
            return model;
        } catch (java.util.zip.ZipException e) {
            throw new IOException(file + ": not a norm4j model file (" + e.getMessage() + ")", e);
        }
    }

    private static Map<String, Object> json(ZipFile zip, Path file, String name) throws IOException {
        ZipEntry e = zip.getEntry(name);
        if (e == null) {
            throw new IOException(file + ": missing " + name + ": not a norm4j model file");
        }
        return JSON.readValue(zip.getInputStream(e), new TypeReference<Map<String, Object>>() { });
    }
}
