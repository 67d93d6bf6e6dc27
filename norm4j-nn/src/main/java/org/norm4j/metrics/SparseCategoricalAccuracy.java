package org.norm4j.metrics;

import java.util.Arrays;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * {@code keras.metrics.SparseCategoricalAccuracy(name="sparse_categorical_accuracy")}: the fraction of samples
 * whose predicted class {@code argmax(y_pred, -1)} equals the class id in {@code y_true}. {@code y_true} holds
 * class ids as floats, of shape {@code y_pred.shape[:-1]} or that shape with a trailing 1 ({@code (n,)} or
 * {@code (n, 1)} for a batch); an id that is not an integer never matches. Config keys: {@code name},
 * {@code dtype}.
 *
 * <pre>{@code
 * Metric acc = new SparseCategoricalAccuracy();
 * acc.updateState(Tensor.of(new float[] {2, 1}),
 *         Tensor.of(new float[][] {{0.1f, 0.6f, 0.3f}, {0.05f, 0.95f, 0}}));
 * acc.result(); // 0.5
 * }</pre>
 */
public final class SparseCategoricalAccuracy extends MeanMetricWrapper {

    /** {@code SparseCategoricalAccuracy()}, named "sparse_categorical_accuracy". */
    public SparseCategoricalAccuracy() {
        this("sparse_categorical_accuracy");
    }

    /** {@code SparseCategoricalAccuracy(name)}. */
    public SparseCategoricalAccuracy(String name) {
        super(name);
    }

    @Override
    protected double[] perSample(Tensor yTrue, Tensor yPred) {
        int[] pd = yPred.shape().dims();
        Shape labelShape = pd.length == 0 ? null : Shape.of(Arrays.copyOf(pd, pd.length - 1));
        int[] td = yTrue.shape().dims();
        boolean trailingOne = td.length == pd.length && td.length > 0 && td[td.length - 1] == 1
                && Shape.of(Arrays.copyOf(td, td.length - 1)).equals(labelShape);
        if (labelShape == null || !(yTrue.shape().equals(labelShape) || trailingOne)) {
            throw new IllegalArgumentException(name() + ": y_true shape " + yTrue.shape()
                    + " does not match y_pred shape " + yPred.shape()
                    + ": expected y_true of shape y_pred.shape[:-1] (or with a trailing 1) holding class ids");
        }
        int classes = pd[pd.length - 1];
        int rows = labelShape.size();
        double[] t = yTrue.toDoubleArray();
        double[] p = yPred.toDoubleArray();
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            out[r] = classes > 0 && t[r] == argmax(p, r * classes, classes) ? 1 : 0;
        }
        return out;
    }
}
