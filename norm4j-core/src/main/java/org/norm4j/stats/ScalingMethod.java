package org.norm4j.stats;

import java.util.Locale;

/**
 * The scaling methods of {@link FeatureScaler} and {@link RowNorm}, by their names in stats files and on the
 * command line, each with the zero-variance policy used when none is given.
 */
public enum ScalingMethod {
    /** {@code (x - mean) / std}: Keras {@code Normalization}, scikit-learn {@code StandardScaler}. */
    STANDARD(ZeroVariancePolicy.KERAS),
    /** {@code x * scale + min_}: scikit-learn {@code MinMaxScaler}. */
    MINMAX(ZeroVariancePolicy.SKLEARN),
    /** {@code x / max|x|}: scikit-learn {@code MaxAbsScaler}. */
    MAXABS(ZeroVariancePolicy.SKLEARN),
    /** {@code (x - median) / (q_hi - q_lo)}: scikit-learn {@code RobustScaler}. */
    ROBUST(ZeroVariancePolicy.SKLEARN),
    /** Each row divided by its norm (l1, l2, max): scikit-learn {@code Normalizer}; nothing fitted. */
    NORMALIZE(ZeroVariancePolicy.SKLEARN);

    private final ZeroVariancePolicy defaultPolicy;

    ScalingMethod(ZeroVariancePolicy defaultPolicy) {
        this.defaultPolicy = defaultPolicy;
    }

    /** The policy used when none is given: Keras's for standard, scikit-learn's otherwise. */
    public ZeroVariancePolicy defaultPolicy() {
        return defaultPolicy;
    }

    /** The lower-case name used on the command line and in stats files. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The method named {@code name}, case-insensitive.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static ScalingMethod parse(String name) {
        return EnumNames.parse(values(), name, () ->
                "method '" + name + "': expected standard, minmax, maxabs, robust or "
                + "normalize");
    }
}
