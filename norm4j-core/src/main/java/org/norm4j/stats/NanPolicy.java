package org.norm4j.stats;

import java.util.Locale;

/**
 * What fitting statistics does with NaN (missing) values.
 *
 * <ul>
 *   <li>{@link #PROPAGATE}: NumPy's and TensorFlow's rule, the default of {@link StreamingMoments} and of the
 *       {@code Normalization} layer: a feature with one NaN gets a NaN mean, variance, min and max.</li>
 *   <li>{@link #IGNORE}: scikit-learn's rule (its scalers use {@code np.nanmean}, {@code np.nanvar},
 *       {@code np.nanmin}, {@code np.nanpercentile}), the default of {@code norm4j fit}: NaN values are skipped
 *       and each feature counts its own non-missing values; applying the statistics keeps NaN as NaN.</li>
 * </ul>
 *
 * <p>The config key is {@code nan_policy}, with the lower-case names {@code "propagate"} and {@code "ignore"}.
 */
public enum NanPolicy {
    /** NaN propagates into the statistics (NumPy, TensorFlow, Keras). */
    PROPAGATE,
    /** NaN values are skipped; per-feature counts of non-missing values (scikit-learn). */
    IGNORE;

    /** The config name: {@code "propagate"} or {@code "ignore"}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The policy named {@code name}, case-insensitive.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static NanPolicy parse(String name) {
        return EnumNames.parse(values(), name, () ->
                "nan_policy = " + (name == null ? "null" : "\"" + name + "\"")
                + ": expected \"propagate\" or \"ignore\"");
    }
}
