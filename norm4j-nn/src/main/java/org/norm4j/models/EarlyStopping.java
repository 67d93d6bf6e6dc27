package org.norm4j.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.Variable;

/**
 * {@code keras.callbacks.EarlyStopping}: stops {@code fit} when {@code monitor} has not improved by more than
 * {@code minDelta} for {@code patience} epochs. Keras defaults: {@code monitor="val_loss"}, {@code min_delta=0},
 * {@code patience=0}, {@code mode="auto"} (max for names containing "acc", min otherwise),
 * {@code restore_best_weights=false}.
 */
public final class EarlyStopping implements Callback {
    private final String monitor;
    private final double minDelta;
    private final int patience;
    private final boolean maximize;
    private final boolean restoreBestWeights;
    private double best;
    private int wait;
    private int stoppedEpoch = -1;
    private List<Tensor> bestWeights;

    /** Keras defaults: monitor val_loss, patience 0. */
    public EarlyStopping() {
        this("val_loss", 0, 0, false);
    }

    /**
     * @param monitor the metric to watch
     * @param minDelta the smallest change that counts as an improvement
     * @param patience epochs without improvement before stopping
     * @param restoreBestWeights whether to restore the weights of the best epoch when stopping
     */
    public EarlyStopping(String monitor, double minDelta, int patience, boolean restoreBestWeights) {
        if (patience < 0) {
            throw new IllegalArgumentException("patience = " + patience + ": expected >= 0");
        }
        this.monitor = monitor;
        this.minDelta = Math.abs(minDelta);
        this.patience = patience;
        this.maximize = monitor.contains("acc");
        this.restoreBestWeights = restoreBestWeights;
    }

    @Override
    public void onTrainBegin(Sequential model) {
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        wait = 0;
        stoppedEpoch = -1;
        bestWeights = null;
    }

    @Override
    public void onEpochEnd(Sequential model, int epoch, Map<String, Double> logs) {
        Double v = logs.get(monitor);
        if (v == null) {
            throw new IllegalStateException("EarlyStopping monitors \"" + monitor + "\" but the logs have only "
                    + logs.keySet() + " (val_* metrics need validation data)");
        }
        boolean improved = maximize ? v > best + minDelta : v < best - minDelta;
        if (improved) {
            best = v;
            wait = 0;
            if (restoreBestWeights) {
                bestWeights = new ArrayList<>();
                for (Variable w : model.weights()) {
                    bestWeights.add(w.value());
                }
            }
            return;
        }
        wait++;
        if (wait > patience) {
            stoppedEpoch = epoch;
            model.stopTraining(true);
            if (restoreBestWeights && bestWeights != null) {
                List<Variable> ws = model.weights();
                for (int i = 0; i < ws.size(); i++) {
                    ws.get(i).assign(bestWeights.get(i));
                }
            }
        }
    }

    /** The epoch (0-based) at which training was stopped, or -1. */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }
}
