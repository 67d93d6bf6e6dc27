package org.norm4j.cli;

import java.util.Locale;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.RowNorm;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.io.StatsFile;
import picocli.CommandLine.Option;

/** The scaler options of {@code norm4j fit}, with scikit-learn's names and defaults. */
final class ScalerOptions {
    @Option(names = "--with-mean", negatable = true, description = "standard: subtract the mean "
            + "(StandardScaler's with_mean). Default: true.")
    Boolean withMean;

    @Option(names = "--with-std", negatable = true, description = "standard: divide by the standard deviation "
            + "(StandardScaler's with_std). Default: true.")
    Boolean withStd;

    @Option(names = "--feature-range", paramLabel = "MIN,MAX", description = "minmax: the output range "
            + "(MinMaxScaler's feature_range). Default: 0,1.")
    String featureRange;

    @Option(names = "--clip", negatable = true, description = "minmax: clip transformed values to the feature "
            + "range (MinMaxScaler's clip). Default: false.")
    Boolean clip;

    @Option(names = "--quantile-range", paramLabel = "LO,HI", description = "robust: the percentiles whose "
            + "difference is the scale (RobustScaler's quantile_range). Default: 25,75.")
    String quantileRange;

    @Option(names = "--with-centering", negatable = true, description = "robust: subtract the median. "
            + "Default: true.")
    Boolean withCentering;

    @Option(names = "--with-scaling", negatable = true, description = "robust: divide by the quantile range. "
            + "Default: true.")
    Boolean withScaling;

    @Option(names = "--unit-variance", negatable = true, description = "robust: scale so that normally "
            + "distributed features get variance 1 (RobustScaler's unit_variance). Default: false.")
    Boolean unitVariance;

    @Option(names = "--norm", paramLabel = "l1|l2|max", description = "normalize: the row norm (Normalizer's "
            + "norm). Default: l2.")
    String norm;

    @Option(names = "--nan-policy", defaultValue = "ignore", paramLabel = "ignore|propagate",
            description = "ignore: missing values (NaN) are skipped when fitting (per-feature counts in the stats "
                    + "file) and stay NaN in 'transform', as in scikit-learn; propagate: a feature with a NaN gets "
                    + "NaN statistics, as in NumPy and TensorFlow. Default: ${DEFAULT-VALUE}.")
    String nanPolicy;

    @Option(names = "--memory-budget", defaultValue = "256", paramLabel = "MiB",
            description = "robust: memory for the values kept to compute exact medians and quantiles (8 bytes "
                    + "per value), capped at half the Java heap; beyond it, KLL sketches (approximate, error "
                    + "recorded in the stats file). Default: ${DEFAULT-VALUE}.")
    double memoryBudgetMiB;

    @Option(names = "--sketch-k", defaultValue = "200", paramLabel = "K",
            description = "robust: the accuracy parameter of the KLL sketches used beyond the memory budget, "
                    + "8..65535 (200: rank error 1.3%%; 2000: 0.17%%). Default: ${DEFAULT-VALUE}.")
    int sketchK;

    /** The NaN policy. */
    NanPolicy nanPolicy() {
        return NanPolicy.parse(nanPolicy);
    }

    /** The memory budget in bytes: the option, at most half the heap. */
    long memoryBudgetBytes() {
        if (!(memoryBudgetMiB > 0) || Double.isInfinite(memoryBudgetMiB)) {
            throw new IllegalArgumentException(memoryBudgetMiB + ": expected a number of MiB > 0");
        }
        return (long) Math.min(memoryBudgetMiB * 1048576, Runtime.getRuntime().maxMemory() / 2);
    }

    /** The KLL accuracy parameter. */
    int sketchK() {
        if (sketchK < 8 || sketchK > 65535) {
            throw new IllegalArgumentException(sketchK + ": expected a KLL k in [8, 65535]");
        }
        return sketchK;
    }

    /**
     * The options of {@code method}, checked.
     *
     * @throws IllegalArgumentException for an option of another method or a malformed value
     */
    StatsFile.Options options(ScalingMethod method) {
        NanPolicy.parse(nanPolicy);
        only(method, ScalingMethod.STANDARD, withMean, "--with-mean");
        only(method, ScalingMethod.STANDARD, withStd, "--with-std");
        only(method, ScalingMethod.MINMAX, featureRange, "--feature-range");
        only(method, ScalingMethod.MINMAX, clip, "--clip");
        only(method, ScalingMethod.ROBUST, quantileRange, "--quantile-range");
        only(method, ScalingMethod.ROBUST, withCentering, "--with-centering");
        only(method, ScalingMethod.ROBUST, withScaling, "--with-scaling");
        only(method, ScalingMethod.ROBUST, unitVariance, "--unit-variance");
        only(method, ScalingMethod.NORMALIZE, norm, "--norm");
        StatsFile.Options d = StatsFile.Options.DEFAULTS;
        return new StatsFile.Options(or(withMean, true), or(withStd, true),
                featureRange == null ? d.featureRange() : pair(featureRange, "--feature-range"), or(clip, false),
                or(withCentering, true), or(withScaling, true),
                quantileRange == null ? d.quantileRange() : pair(quantileRange, "--quantile-range"),
                or(unitVariance, false), norm == null ? d.norm() : RowNorm.parse(norm));
    }

    private static boolean or(Boolean b, boolean d) {
        return b == null ? d : b;
    }

    private static void only(ScalingMethod method, ScalingMethod owner, Object value, String option) {
        if (value != null && method != owner) {
            throw new IllegalArgumentException(option + " applies to --method " + owner.configName()
                    + ": expected it only with that method");
        }
    }

    private static double[] pair(String s, String option) {
        String[] p = s.split(",", -1);
        if (p.length == 2) {
            try {
                return new double[] {Double.parseDouble(p[0].strip()), Double.parseDouble(p[1].strip())};
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException(option + " '" + s + "': expected two numbers LO,HI, e.g. "
                + (option.equals("--feature-range") ? "-1,1" : "10,90").toLowerCase(Locale.ROOT));
    }
}
