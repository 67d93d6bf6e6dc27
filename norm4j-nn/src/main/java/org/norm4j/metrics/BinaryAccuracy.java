package org.norm4j.metrics;

import org.norm4j.keras.KerasObjects;
import java.util.Map;
import org.norm4j.Tensor;

/**
 * {@code keras.metrics.BinaryAccuracy(name="binary_accuracy", threshold=0.5)}: how often
 * {@code (y_pred > threshold)} equals the 0/1 label. Per sample, the mean over the last axis of the matches, as
 * Keras's {@code binary_accuracy}; then the mean over samples.
 *
 * <p>{@code y_true} and {@code y_pred} must have the same shape, after Keras's rank adjustment: a rank-1 tensor
 * paired with an {@code (n, 1)} one is read as {@code (n, 1)}. Rank-1 inputs are read as {@code (n, 1)}, one value
 * per sample, so every sample counts once (Keras would average a rank-1 batch into a single value). Config keys:
 * {@code name}, {@code dtype}, {@code threshold}.
 *
 * <pre>{@code
 * Metric acc = new BinaryAccuracy();
 * acc.updateState(Tensor.of(new float[][] {{1}, {1}, {0}, {0}}),
 *         Tensor.of(new float[][] {{0.98f}, {1}, {0}, {0.6f}}));
 * acc.result(); // 0.75
 * }</pre>
 */
public final class BinaryAccuracy extends MeanMetricWrapper {
    private final double threshold;

    /** {@code BinaryAccuracy()}: named "binary_accuracy", threshold 0.5. */
    public BinaryAccuracy() {
        this("binary_accuracy", 0.5);
    }

    /**
     * {@code BinaryAccuracy(name, threshold)}.
     *
     * @param name the name (default {@code "binary_accuracy"})
     * @param threshold predictions strictly above it count as 1 (default 0.5)
     */
    public BinaryAccuracy(String name, double threshold) {
        super(name);
        if (Double.isNaN(threshold)) {
            throw new IllegalArgumentException("threshold = NaN: expected a number");
        }
        this.threshold = threshold;
    }

    /** {@code threshold} (default 0.5). */
    public double threshold() {
        return threshold;
    }

    @Override
    protected double[] perSample(Tensor yTrue, Tensor yPred) {
        int[] td = yTrue.shape().dims();
        int[] pd = yPred.shape().dims();
        boolean same = yTrue.shape().equals(yPred.shape());
        boolean rankOneVsColumn = td.length == 1 && pd.length == 2 && pd[1] == 1 && pd[0] == td[0]
                || pd.length == 1 && td.length == 2 && td[1] == 1 && td[0] == pd[0];
        if (!same && !rankOneVsColumn) {
            throw new IllegalArgumentException(name() + ": y_true shape " + yTrue.shape() + " and y_pred shape "
                    + yPred.shape() + " do not match: expected equal shapes");
        }
        int width = pd.length == 0 || pd.length == 1 ? 1 : pd[pd.length - 1];
        int rows = width == 0 ? 0 : yPred.size() / width;
        double[] t = yTrue.toDoubleArray();
        double[] p = yPred.toDoubleArray();
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            int hits = 0;
            for (int j = 0; j < width; j++) {
                int i = r * width + j;
                hits += t[i] == (p[i] > threshold ? 1.0 : 0.0) ? 1 : 0;
            }
            out[r] = (double) hits / width;
        }
        return out;
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "threshold", threshold);
    }
}
