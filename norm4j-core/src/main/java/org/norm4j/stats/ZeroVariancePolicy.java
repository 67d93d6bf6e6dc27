package org.norm4j.stats;

import java.util.Locale;

/**
 * What a scaler does with a feature whose spread is zero (a constant feature). This is the one place where the
 * rule lives: {@link FeatureScaler} (the {@code norm4j fit}/{@code transform} command and the Java API) and the
 * {@code Normalization} layer both ask {@link #standardDivisor} or {@link #spreadDivisor} for the divisor of a
 * feature.
 *
 * <table>
 *   <caption>Divisor of the standard method ({@code (x - mean) / divisor})</caption>
 *   <tr><th>policy</th><th>non-constant feature</th><th>constant feature</th><th>as in</th></tr>
 *   <tr><td>{@link #KERAS}</td><td>{@code max(std, 1e-7)}</td><td>{@code 1e-7}</td>
 *       <td>Keras {@code Normalization} (keras-team/keras#20011)</td></tr>
 *   <tr><td>{@link #SKLEARN}</td><td>{@code std}</td><td>1 (only centred)</td>
 *       <td>scikit-learn {@code StandardScaler}: a feature is constant where
 *       {@code var <= n * eps * var + (n * mean * eps)^2} ({@code _is_constant_feature}, eps = 2^-52)</td></tr>
 *   <tr><td>{@link #SPARK}</td><td>{@code max(std, 1e-7)}</td><td>multiplier 0: output 0</td>
 *       <td>Spark MLlib {@code StandardScaler}</td></tr>
 * </table>
 *
 * <p>For the other methods (min-max range, max-abs, robust quantile range) scikit-learn's test is
 * {@code spread < 10 * eps} ({@code _handle_zeros_in_scale}), Keras's and Spark's {@code spread == 0}.
 *
 * <p>The config key is {@code zero_variance_policy}, with the lower-case names {@code "keras"},
 * {@code "sklearn"} and {@code "spark"}.
 */
public enum ZeroVariancePolicy {
    /**
     * Keras's behaviour and the default of the layer: the standard deviation is floored at {@code 1e-7}, so a
     * zero-variance feature is divided by {@code 1e-7} and any value other than the mean becomes huge.
     */
    KERAS,
    /**
     * scikit-learn's scalers: a constant feature (by scikit-learn's own test, which allows for rounding) gets
     * the scale 1, so it is only centred; every other feature is divided by its exact spread (no floor).
     */
    SKLEARN,
    /**
     * Spark MLlib's {@code StandardScaler}: the multiplier of a zero-variance feature is 0, so its output is
     * 0 ({@code -0.0} where {@code x < mean}, NaN where {@code x} is infinite or NaN).
     */
    SPARK;

    /** Keras's {@code backend.epsilon()}: the floor of the standard deviation of the KERAS and SPARK policies. */
    public static final double EPSILON = 1e-7;
    /** The float64 machine epsilon, {@code np.finfo(np.float64).eps}. */
    public static final double MACHINE_EPSILON = Math.ulp(1.0);

    /** The config name: {@code "keras"}, {@code "sklearn"} or {@code "spark"}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The divisor of the standard method for a feature with this population or sample {@code variance},
     * {@code mean} and {@code count} non-missing values; {@code 0} means Spark's multiplier 0 (output 0, the
     * inverse gives back the mean). NaN variance gives NaN.
     */
    public double standardDivisor(double variance, double mean, long count) {
        switch (this) {
            case SKLEARN:
                return isConstantFeature(variance, mean, count) ? 1.0 : Math.sqrt(variance);
            case SPARK:
                return variance == 0 ? 0.0 : Math.max(Math.sqrt(variance), EPSILON);
            default:
                return Math.max(Math.sqrt(variance), EPSILON);
        }
    }

    /**
     * The divisor for a non-negative {@code spread} (a min-max range, a max-abs, a quantile range): scikit-learn's
     * {@code _handle_zeros_in_scale} (1 where {@code spread < 10 * eps}), Keras's floor {@code 1e-7} where it
     * is 0, and Spark's multiplier 0 (returned as 0) where it is 0. Otherwise the spread itself.
     */
    public double spreadDivisor(double spread) {
        switch (this) {
            case SKLEARN:
                return spread < 10 * MACHINE_EPSILON ? 1.0 : spread;
            case SPARK:
                return spread == 0 ? 0.0 : spread;
            default:
                return spread == 0 ? EPSILON : spread;
        }
    }

    /**
     * scikit-learn's {@code _is_constant_feature}: whether a variance is zero up to the rounding of its
     * computation, {@code var <= n * eps * var + (n * mean * eps)^2}.
     */
    public static boolean isConstantFeature(double variance, double mean, long count) {
        double n = count;
        double nMeanEps = n * mean * MACHINE_EPSILON;
        double upper = n * MACHINE_EPSILON * variance + nMeanEps * nMeanEps;
        return variance <= upper;
    }

    /**
     * The policy named {@code name}, case-insensitive.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static ZeroVariancePolicy parse(String name) {
        return EnumNames.parse(values(), name, () ->
                "zero_variance_policy = " + (name == null ? "null" : "\"" + name + "\"")
                + ": expected one of \"keras\", \"sklearn\", \"spark\"");
    }
}
