package org.norm4j.metrics;

import java.util.Objects;
import org.norm4j.Tensor;

/**
 * Base of the metrics that average a per-sample value over all samples seen, like
 * {@code keras.metrics.MeanMetricWrapper}: each {@link #updateState(Tensor, Tensor)} computes one value per sample
 * with {@link #perSample} and adds each with weight 1, so batches count in proportion to their size.
 *
 * <pre>{@code
 * Metric acc = new SparseCategoricalAccuracy();
 * acc.updateState(labels, probabilities);
 * }</pre>
 */
public abstract class MeanMetricWrapper extends Metric {
    private final Mean mean;

    /**
     * @param name the metric's name
     */
    protected MeanMetricWrapper(String name) {
        super(name);
        this.mean = new Mean(name);
    }

    /**
     * One value per sample, e.g. 1 where the prediction is right and 0 elsewhere.
     *
     * @throws IllegalArgumentException if the shapes do not match; the message names both
     */
    protected abstract double[] perSample(Tensor yTrue, Tensor yPred);

    @Override
    public void updateState(Tensor yTrue, Tensor yPred) {
        Objects.requireNonNull(yTrue, "yTrue must not be null");
        Objects.requireNonNull(yPred, "yPred must not be null");
        for (double v : perSample(yTrue, yPred)) {
            mean.updateState(v, 1.0);
        }
    }

    /** The number of samples seen since the last reset. */
    public double count() {
        return mean.count();
    }

    @Override
    public double result() {
        return mean.result();
    }

    @Override
    public void resetState() {
        mean.resetState();
    }

    /** Index of the largest of {@code v[off .. off + n)}; the first one on ties, as {@code argmax}. */
    static int argmax(double[] v, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (v[off + j] > v[off + best]) {
                best = j;
            }
        }
        return best;
    }
}
