package org.norm4j.layers;

import java.util.function.DoubleBinaryOperator;
import org.norm4j.Variable;
import org.norm4j.layers.BatchNormalization.Convention;
import org.norm4j.ops.MovingAverages;

/**
 * The moving-statistics updates of {@link BatchNormalization}: one rule per {@link Convention}, applied to the
 * moving weights; the rules themselves are {@link MovingAverages} (shared with {@code Nn.fusedBatchNorm}). The moving
 * weights are float32; the batch statistics arrive as the biased batch mean and variance in double.
 */
final class MovingStatistics {
    private MovingStatistics() {
    }

    /**
     * Updates {@code movingMean} and {@code movingVariance} from one training batch.
     *
     * @param momentum Keras's momentum (weight of the old value) for KERAS and TF_FUSED, PyTorch's (weight of the
     *     new batch) for PYTORCH, null for PyTorch's cumulative average
     * @param n values per channel in the batch (Bessel's correction {@code n/(n-1)}, taken as 1 when n == 1)
     * @param batches for PYTORCH: the number of batches seen, this one included
     * @param f32 whether the data was float32 (Keras and TF round every step to float32)
     */
    static void update(Convention convention, Double momentum, Variable movingMean, Variable movingVariance,
            double[] mean, double[] variance, long n, long batches, boolean f32) {
        switch (convention) {
            case KERAS: {
                double m = momentum;
                apply(movingMean, mean, (old, b) -> MovingAverages.keras(m, old, b, f32));
                apply(movingVariance, variance, (old, b) -> MovingAverages.keras(m, old, b, f32));
                return;
            }
            case TF_FUSED: {
                double f = 1.0 - momentum; // exponential_avg_factor
                double adjust = MovingAverages.bessel(n, f32);
                apply(movingMean, mean, (old, b) -> MovingAverages.tfFused(f, old, b, 1.0, f32));
                apply(movingVariance, variance, (old, b) -> MovingAverages.tfFused(f, old, b, adjust, f32));
                return;
            }
            default: {
                double f = momentum == null ? 1.0 / batches : momentum;
                double adjust = n > 1 ? (double) n / (n - 1) : 1.0;
                apply(movingMean, mean, (old, b) -> MovingAverages.pytorch(f, old, b, 1.0));
                apply(movingVariance, variance, (old, b) -> MovingAverages.pytorch(f, old, b, adjust));
            }
        }
    }

    /** {@code moving[i] = (float) rule(moving[i], batch[i])}. */
    private static void apply(Variable moving, double[] batch, DoubleBinaryOperator rule) {
        moving.updateInPlaceFloat(a -> {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rule.applyAsDouble(a[i], batch[i]);
            }
        });
    }
}
