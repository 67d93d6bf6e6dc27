package org.norm4j.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.norm4j.io.ModelIO;

/**
 * {@code keras.callbacks.ModelCheckpoint}: saves the model after each epoch, or only when {@code monitor}
 * improves ({@code save_best_only}). The file path may contain {@code {epoch}}, replaced by the 1-based epoch.
 * Keras defaults: {@code monitor="val_loss"}, {@code save_best_only=false}. Files are written atomically by
 * {@link ModelIO#save}: a Keras 3 {@code .keras} archive when Keras can express the model.
 */
public final class ModelCheckpoint implements Callback {
    private final String filepath;
    private final String monitor;
    private final boolean saveBestOnly;
    private double best = Double.NaN;

    /** Saves after every epoch. */
    public ModelCheckpoint(String filepath) {
        this(filepath, "val_loss", false);
    }

    /**
     * @param filepath target file, may contain {@code {epoch}}
     * @param monitor metric compared when {@code saveBestOnly}
     * @param saveBestOnly save only when the metric improves
     */
    public ModelCheckpoint(String filepath, String monitor, boolean saveBestOnly) {
        this.filepath = filepath;
        this.monitor = monitor;
        this.saveBestOnly = saveBestOnly;
    }

    @Override
    public void onEpochEnd(Sequential model, int epoch, Map<String, Double> logs) {
        if (saveBestOnly) {
            Double v = logs.get(monitor);
            if (v == null) {
                throw new IllegalStateException("ModelCheckpoint monitors \"" + monitor + "\" but the logs have only "
                        + logs.keySet());
            }
            boolean max = monitor.contains("acc");
            if (!Double.isNaN(best) && (max ? v <= best : v >= best)) {
                return;
            }
            best = v;
        }
        try {
            ModelIO.save(model, Path.of(filepath.replace("{epoch}", String.valueOf(epoch + 1))));
        } catch (IOException e) {
            throw new UncheckedIOException("ModelCheckpoint could not write " + filepath, e);
        }
    }
}
