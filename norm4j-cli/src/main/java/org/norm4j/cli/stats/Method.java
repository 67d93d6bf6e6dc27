package org.norm4j.cli.stats;

import java.util.Locale;
import org.norm4j.stats.ZeroVariancePolicy;

/** What {@code norm4j fit} prepares and {@code norm4j transform} applies, per feature. */
public enum Method {
    /** {@code (x - mean) / max(sqrt(variance), 1e-7)}: Keras {@code Normalization}, scikit-learn StandardScaler. */
    STANDARD(ZeroVariancePolicy.KERAS),
    /** {@code (x - min) / (max - min)}: scikit-learn MinMaxScaler with the range [0, 1]. */
    MINMAX(ZeroVariancePolicy.SKLEARN),
    /** {@code x / max(|min|, |max|)}: scikit-learn MaxAbsScaler. */
    MAXABS(ZeroVariancePolicy.SKLEARN);

    private final ZeroVariancePolicy defaultPolicy;

    Method(ZeroVariancePolicy defaultPolicy) {
        this.defaultPolicy = defaultPolicy;
    }

    /** The zero-variance policy used when none is given: Keras's for standard, scikit-learn's otherwise. */
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
    public static Method parse(String name) {
        for (Method m : values()) {
            if (m.name().equalsIgnoreCase(name.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("method '" + name + "': expected standard, minmax or maxabs");
    }
}
