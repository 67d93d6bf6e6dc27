package org.norm4j.metrics;

import org.norm4j.Tensor;

/**
 * {@code keras.metrics.CategoricalAccuracy(name="categorical_accuracy")}: the fraction of samples whose predicted
 * class {@code argmax(y_pred, -1)} equals {@code argmax(y_true, -1)}, for one-hot labels. On ties the first
 * maximum wins, as {@code argmax}. {@code y_true} and {@code y_pred} must have the same shape of rank at least 1;
 * every row along the last axis is a sample. Config keys: {@code name}, {@code dtype}.
 *
 * <pre>{@code
 * Metric acc = new CategoricalAccuracy();
 * acc.updateState(Tensor.of(new float[][] {{0, 0, 1}, {0, 1, 0}}),
 *         Tensor.of(new float[][] {{0.1f, 0.9f, 0.8f}, {0.05f, 0.95f, 0}}));
 * acc.result(); // 0.5
 * }</pre>
 */
public final class CategoricalAccuracy extends MeanMetricWrapper {

    /** {@code CategoricalAccuracy()}, named "categorical_accuracy". */
    public CategoricalAccuracy() {
        this("categorical_accuracy");
    }

    /** {@code CategoricalAccuracy(name)}. */
    public CategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    protected double[] perSample(Tensor yTrue, Tensor yPred) {
        if (!yTrue.shape().equals(yPred.shape()) || yPred.rank() < 1) {
            throw new IllegalArgumentException(name() + ": y_true shape " + yTrue.shape() + " and y_pred shape "
                    + yPred.shape() + " do not match: expected equal shapes of rank >= 1 (one-hot labels; use "
                    + "SparseCategoricalAccuracy for class ids)");
        }
        int classes = yPred.shape().dim(-1);
        int rows = classes == 0 ? 0 : yPred.size() / classes;
        double[] t = yTrue.toDoubleArray();
        double[] p = yPred.toDoubleArray();
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = argmax(t, r * classes, classes) == argmax(p, r * classes, classes) ? 1 : 0;
        }
        return out;
    }
}
