package org.norm4j.layers;

import java.util.Locale;

/**
 * What {@link Normalization} does with a feature whose variance is exactly zero (a constant feature). The
 * three policies agree on every feature with a non-zero variance, where the scale is
 * {@code max(sqrt(variance), 1e-7)}; they differ only where the variance is 0:
 *
 * <table>
 *   <caption>Scale used for a zero-variance feature</caption>
 *   <tr><th>policy</th><th>scale</th><th>forward output</th><th>inverse output</th><th>as in</th></tr>
 *   <tr><td>{@link #KERAS}</td><td>1e-7</td><td>{@code (x - mean) / 1e-7}</td><td>{@code mean + x * 1e-7}</td>
 *       <td>Keras {@code Normalization} (keras-team/keras#20011)</td></tr>
 *   <tr><td>{@link #SKLEARN}</td><td>1</td><td>{@code x - mean}</td><td>{@code mean + x}</td>
 *       <td>scikit-learn {@code StandardScaler}</td></tr>
 *   <tr><td>{@link #SPARK}</td><td>0 (multiplier)</td><td>{@code 0} (signed like {@code x - mean})</td>
 *       <td>{@code mean}</td><td>Spark MLlib {@code StandardScaler}</td></tr>
 * </table>
 *
 * <p>The config key is {@code zero_variance_policy}, with the lower-case names {@code "keras"},
 * {@code "sklearn"} and {@code "spark"}.
 */
public enum ZeroVariancePolicy {
    /**
     * Keras's behaviour and the default: the standard deviation is floored at {@code 1e-7}, so a
     * zero-variance feature is divided by {@code 1e-7} and any value other than the mean becomes huge.
     */
    KERAS,
    /** scikit-learn's {@code StandardScaler}: the scale of a zero-variance feature is 1, so it is only centred. */
    SKLEARN,
    /**
     * Spark MLlib's {@code StandardScaler}: the multiplier of a zero-variance feature is 0, so its output is
     * 0 ({@code -0.0} where {@code x < mean}, NaN where {@code x} is infinite or NaN).
     */
    SPARK;

    /** The config name: {@code "keras"}, {@code "sklearn"} or {@code "spark"}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The policy named {@code name}, case-insensitive.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static ZeroVariancePolicy parse(String name) {
        if (name != null) {
            for (ZeroVariancePolicy p : values()) {
                if (p.name().equalsIgnoreCase(name.trim())) {
                    return p;
                }
            }
        }
        throw new IllegalArgumentException("zero_variance_policy = " + (name == null ? "null" : "\"" + name + "\"")
                + ": expected one of \"keras\", \"sklearn\", \"spark\"");
    }
}
