package org.norm4j.initializers;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * {@code keras.initializers.VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal",
 * seed=None)} ({@code "variance_scaling"}): random values whose variance is {@code scale / n}, where {@code n} is
 * chosen by {@code mode}: {@code fan_in}, {@code fan_out}, or their mean {@code fan_avg} (each at least 1), with
 * the fans of {@link #computeFans(Shape)}.
 *
 * <p>Distributions:
 * <ul>
 *   <li>{@code "truncated_normal"} (alias {@code "normal"}): a normal with {@code stddev = sqrt(scale / n) /
 *       0.87962566103423978}, truncated at two standard deviations, so that the result has standard deviation
 *       {@code sqrt(scale / n)};</li>
 *   <li>{@code "untruncated_normal"}: a normal with {@code stddev = sqrt(scale / n)};</li>
 *   <li>{@code "uniform"}: uniform on {@code [-limit, limit)} with {@code limit = sqrt(3 * scale / n)}.</li>
 * </ul>
 * Config keys: {@code scale}, {@code mode}, {@code distribution}, {@code seed}. Seeding as described in
 * {@link RandomInitializer}. The Glorot, He and LeCun initializers are the fixed cases of this one.
 *
 * <pre>{@code
 * Initializer init = new VarianceScaling(2.0, "fan_in", "truncated_normal", 42L); // same as HeNormal(42)
 * Tensor w = init.apply(Shape.of(3, 3, 16, 32), DType.FLOAT32);
 * }</pre>
 */
public class VarianceScaling extends RandomInitializer {
    /** Standard deviation of a unit normal truncated at two standard deviations. */
    static final double TRUNCATED_STDDEV = 0.87962566103423978;

    private final double scale;
    private final String mode;
    private final String distribution;

    /** {@code VarianceScaling()}: scale 1.0, mode {@code "fan_in"}, distribution {@code "truncated_normal"}. */
    public VarianceScaling() {
        this(1.0, "fan_in", "truncated_normal", null);
    }

    /**
     * {@code VarianceScaling(scale, mode, distribution, seed)}.
     *
     * @param scale the scaling factor, {@code > 0} (Keras default 1.0)
     * @param mode {@code "fan_in"} (default), {@code "fan_out"} or {@code "fan_avg"}
     * @param distribution {@code "truncated_normal"} (default; {@code "normal"} is an alias),
     *     {@code "untruncated_normal"} or {@code "uniform"}; case-insensitive
     * @param seed the seed, or {@code null} (default) to draw one from {@link Seeds} at each call
     * @throws IllegalArgumentException for a non-positive scale, or an unknown mode or distribution
     */
    public VarianceScaling(double scale, String mode, String distribution, Long seed) {
        super(seed);
        Objects.requireNonNull(mode, "mode must not be null");
        Objects.requireNonNull(distribution, "distribution must not be null");
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale = " + scale + ": expected a finite positive float");
        }
        if (!mode.equals("fan_in") && !mode.equals("fan_out") && !mode.equals("fan_avg")) {
            throw new IllegalArgumentException("mode = '" + mode + "': expected one of fan_in, fan_out, fan_avg");
        }
        String dist = distribution.toLowerCase(Locale.ROOT);
        if (dist.equals("normal")) {
            dist = "truncated_normal";
        }
        if (!dist.equals("truncated_normal") && !dist.equals("untruncated_normal") && !dist.equals("uniform")) {
            throw new IllegalArgumentException("distribution = '" + distribution
                    + "': expected one of truncated_normal (or normal), untruncated_normal, uniform");
        }
        this.scale = scale;
        this.mode = mode;
        this.distribution = dist;
    }

    /** The scaling factor. */
    public double scale() {
        return scale;
    }

    /** {@code "fan_in"}, {@code "fan_out"} or {@code "fan_avg"}. */
    public String mode() {
        return mode;
    }

    /** {@code "truncated_normal"}, {@code "untruncated_normal"} or {@code "uniform"}. */
    public String distribution() {
        return distribution;
    }

    /**
     * Keras's {@code compute_fans(shape)}: {@code {fan_in, fan_out}}. Rank 0: {@code {1, 1}}; rank 1:
     * {@code {shape[0], shape[0]}}; rank 2: {@code {shape[0], shape[1]}}; higher ranks (convolution kernels, with
     * the channels last): {@code {shape[-2] * receptive, shape[-1] * receptive}} where {@code receptive} is the
     * product of {@code shape[:-2]}.
     *
     * @param shape the weight's shape
     * @return {@code {fanIn, fanOut}}
     */
    public static long[] computeFans(Shape shape) {
        int[] d = shape.dims();
        if (d.length == 0) {
            return new long[] {1, 1};
        }
        if (d.length == 1) {
            return new long[] {d[0], d[0]};
        }
        if (d.length == 2) {
            return new long[] {d[0], d[1]};
        }
        long receptive = 1;
        for (int i = 0; i < d.length - 2; i++) {
            receptive *= d[i];
        }
        return new long[] {d[d.length - 2] * receptive, d[d.length - 1] * receptive};
    }

    /** {@code scale / max(1, n)} for this mode: the variance of the values {@link #apply} returns. */
    public double targetVariance(Shape shape) {
        long[] fans = computeFans(shape);
        double n;
        if (mode.equals("fan_in")) {
            n = fans[0];
        } else if (mode.equals("fan_out")) {
            n = fans[1];
        } else {
            n = (fans[0] + fans[1]) / 2.0;
        }
        return scale / Math.max(1.0, n);
    }

    @Override
    public Tensor apply(Shape shape, DType dtype) {
        Objects.requireNonNull(shape, "shape must not be null");
        Objects.requireNonNull(dtype, "dtype must not be null");
        double s = targetVariance(shape);
        long seed = drawSeed();
        switch (distribution) {
            case "truncated_normal":
                return truncatedNormal(shape, dtype, 0.0, Math.sqrt(s) / TRUNCATED_STDDEV, seed);
            case "untruncated_normal":
                return Tensor.randomNormal(dtype, 0.0, Math.sqrt(s), seed, shape.dims());
            default:
                double limit = Math.sqrt(3.0 * s);
                return Tensor.randomUniform(dtype, -limit, limit, seed, shape.dims());
        }
    }

    @Override
    public Map<String, Object> getConfig() {
        return configWithSeed("scale", scale, "mode", mode, "distribution", distribution);
    }
}
