package org.norm4j.ops;

/**
 * The moving-statistics rules of batch normalization, one place for all of them: TensorFlow's
 * {@code FusedBatchNormV3} ({@link Nn#fusedBatchNorm} and the Keras layer's TF_FUSED convention), Keras 3's
 * layer update and PyTorch's. Each is evaluated in the order of the framework it reproduces and, for float32
 * data ({@code f32}), with that framework's float32 roundings. Values come and go in double; a float32 moving
 * weight is exact in double.
 */
public final class MovingAverages {
    private MovingAverages() {
    }

    /** {@code v} rounded to float32 when {@code f32}, else {@code v}. */
    static double round(double v, boolean f32) {
        return f32 ? (float) v : v;
    }

    /**
     * TensorFlow's {@code FusedBatchNormV3} with {@code exponential_avg_factor f}: {@code (1 - f) * moving + f *
     * (batch * adjust)}, each step rounded to float32 for float32 data, {@code f} itself a float attribute.
     *
     * @param f the exponential average factor ({@code 1 - momentum} for Keras's momentum)
     * @param adjust Bessel's correction for the variance ({@link #bessel}), 1 for the mean
     */
    public static double tfFused(double f, double moving, double batch, double adjust, boolean f32) {
        double fr = round(f, f32);
        double of = round(1.0 - fr, f32);
        double b = round(round(batch, f32) * adjust, f32);
        return round(round(of * moving, f32) + round(fr * b, f32), f32);
    }

    /** TensorFlow's float {@code n / (n - 1)}; 1 when {@code n <= 1} (the CPU kernel's guard). */
    public static double bessel(long n, boolean f32) {
        return n > 1 ? round(round(n, f32) / round(n - 1, f32), f32) : 1.0;
    }

    /** Keras 3's layer update: {@code moving * momentum + batch * (1 - momentum)}, {@code 1 - momentum} in double. */
    public static double keras(double momentum, double moving, double batch, boolean f32) {
        double m = round(momentum, f32);
        double om = round(1.0 - momentum, f32);
        return round(round(moving * m, f32) + round(round(batch, f32) * om, f32), f32);
    }

    /**
     * PyTorch: {@code f * (batch * adjust) + (1 - f) * running}, in double ({@code f} is PyTorch's momentum, the
     * weight of the new batch, or {@code 1 / batches} for its cumulative average).
     *
     * @param adjust {@code n / (n - 1)} for the variance (1 when {@code n <= 1}), 1 for the mean
     */
    public static double pytorch(double f, double moving, double batch, double adjust) {
        return f * (batch * adjust) + (1 - f) * moving;
    }
}
