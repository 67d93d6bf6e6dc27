package org.norm4j.losses;

import org.norm4j.Tensor;
import org.norm4j.ops.Elementwise;

/**
 * {@code keras.losses.MeanSquaredError(reduction="sum_over_batch_size", name="mean_squared_error")}: per
 * sample, {@code mean(square(y_true - y_pred), axis=-1)}. {@code y_true} and {@code y_pred} must have the same
 * shape (after Keras's rank adjustment of a trailing 1). Config keys: {@code name}, {@code reduction}.
 *
 * <pre>{@code
 * Loss mse = new MeanSquaredError();
 * Tensor v = mse.call(Tensor.of(new float[][] {{0, 1}, {0, 0}}),
 *         Tensor.of(new float[][] {{1, 1}, {1, 0}})); // 0.5
 * }</pre>
 */
public final class MeanSquaredError extends Loss {

    /** {@code MeanSquaredError()}. */
    public MeanSquaredError() {
        this("mean_squared_error");
    }

    /** {@code MeanSquaredError(name)}. */
    public MeanSquaredError(String name) {
        super(name);
    }

    @Override
    public Tensor perSampleLoss(Tensor yTrue, Tensor yPred) {
        Tensor[] tp = sameRank(yTrue, yPred);
        requireSameShape(tp[0], tp[1], yTrue, yPred);
        return meanOverAxis(Elementwise.squaredDifference(tp[0], tp[1]), -1);
    }
}
