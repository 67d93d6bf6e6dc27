package org.norm4j.layers;

import org.norm4j.Variable;
import org.norm4j.layers.BatchNormalization.Convention;

/**
 * The moving-statistics updates of {@link BatchNormalization}, one rule per {@link Convention}, each evaluated in
 * the order (and, for float32 data, with the float32 roundings) of the framework it reproduces. The moving
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
            case KERAS:
                keras(momentum, movingMean, mean, f32);
                keras(momentum, movingVariance, variance, f32);
                return;
            case TF_FUSED:
                tfFused(momentum, movingMean, mean, 1.0, f32);
                tfFused(momentum, movingVariance, variance, bessel(n, f32), f32);
                return;
            default:
                double f = momentum == null ? 1.0 / batches : momentum;
                pytorch(f, movingMean, mean, 1.0);
                pytorch(f, movingVariance, variance, n > 1 ? (double) n / (n - 1) : 1.0);
        }
    }

    /** Keras 3: {@code moving * momentum + batch * (1 - momentum)}, {@code 1 - momentum} taken in double. */
    private static void keras(double momentum, Variable moving, double[] batch, boolean f32) {
        double m = round(momentum, f32);
        double om = round(1.0 - momentum, f32);
        moving.updateInPlaceFloat(a -> {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) round(round(a[i] * m, f32) + round(round(batch[i], f32) * om, f32), f32);
            }
        });
    }

    /**
     * TF's {@code FusedBatchNormV3} with {@code exponential_avg_factor f = 1 - momentum} (a float attr):
     * {@code (1 - f) * moving + f * batch * adjust}.
     */
    private static void tfFused(double momentum, Variable moving, double[] batch, double adjust, boolean f32) {
        double f = round(1.0 - momentum, f32);
        double of = round(1.0 - f, f32);
        moving.updateInPlaceFloat(a -> {
            for (int i = 0; i < a.length; i++) {
                double b = round(round(batch[i], f32) * adjust, f32);
                a[i] = (float) round(round(of * a[i], f32) + round(f * b, f32), f32);
            }
        });
    }

    /** TF's float {@code n / (n - 1)}, 1 when n == 1 (the CPU kernel's guard). */
    private static double bessel(long n, boolean f32) {
        return n > 1 ? round(round(n, f32) / round(n - 1, f32), f32) : 1.0;
    }

    /** PyTorch: {@code f * batch * adjust + (1 - f) * running}, in double, stored as float. */
    private static void pytorch(double f, Variable moving, double[] batch, double adjust) {
        moving.updateInPlaceFloat(a -> {
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (f * (batch[i] * adjust) + (1 - f) * a[i]);
            }
        });
    }

    private static double round(double v, boolean f32) {
        return f32 ? (float) v : v;
    }
}
