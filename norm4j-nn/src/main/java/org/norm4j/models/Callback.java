package org.norm4j.models;

import java.util.Map;

/**
 * {@code keras.callbacks.Callback}: hooks called by {@link Sequential#fit}. {@code logs} maps metric names
 * ({@code loss}, {@code accuracy}, {@code val_loss}, ...) to values.
 */
public interface Callback {
    /** Called once before the first epoch. */
    default void onTrainBegin(Sequential model) {
    }

    /** Called after each epoch with that epoch's logs. */
    default void onEpochEnd(Sequential model, int epoch, Map<String, Double> logs) {
    }

    /**
     * Called after each training batch with the running averages of the epoch so far ({@code step} is
     * 1-based, out of {@code steps}); for progress bars.
     */
    default void onBatchEnd(Sequential model, int epoch, int step, int steps, Map<String, Double> logs) {
    }

    /** Called once after training (also when a callback stopped it). */
    default void onTrainEnd(Sequential model) {
    }
}
