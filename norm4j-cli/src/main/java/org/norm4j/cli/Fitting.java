package org.norm4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.norm4j.stats.ExactMoments;
import org.norm4j.stats.ExactQuantiles;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.ZeroVariancePolicy;
import org.norm4j.stats.io.StatsFile;
import org.norm4j.stats.sketch.KllQuantiles;

/**
 * What {@code norm4j fit} accumulates over the chunks of a file, whatever its format: the moments (exactly
 * rounded, {@link ExactMoments}: the same bits as the Spark scalers, on any split of the data) and, for the
 * robust method, the values for exact quantiles within the memory budget, or beyond it KLL sketches; then the
 * stats file and the warnings (constant features, approximate quantiles).
 */
final class Fitting {
    private static final int MAX_LISTED = 20;

    private final ScalingMethod method;
    private final StatsFile.Options options;
    private final int ddof;
    private final ZeroVariancePolicy policy;
    private final NanPolicy nanPolicy;
    private final long budgetBytes;
    private final String source;
    private final int kllK;
    private final PrintWriter err;
    private ExactMoments moments;
    private long rows;
    private ExactQuantiles quantiles;
    private KllQuantiles sketch;

    Fitting(ScalingMethod method, StatsFile.Options options, int ddof, ZeroVariancePolicy policy,
            NanPolicy nanPolicy, long budgetBytes, int kllK, String source, PrintWriter err) {
        this.method = method;
        this.options = options;
        this.ddof = ddof;
        this.policy = policy;
        this.nanPolicy = nanPolicy;
        this.budgetBytes = budgetBytes;
        this.source = source;
        this.kllK = kllK;
        this.err = err;
    }

    /** Starts accumulating {@code features} features. */
    void start(int features) {
        moments = new ExactMoments(features, nanPolicy);
        rows = 0;
        quantiles = method == ScalingMethod.ROBUST ? new ExactQuantiles(features, nanPolicy) : null;
    }

    /** Adds {@code rows} rows of the features, row-major. */
    void update(double[] buf, int rows) {
        moments.update(buf, rows);
        this.rows += rows;
        if (sketch != null) {
            sketch.update(buf, rows);
        } else if (quantiles != null) {
            quantiles.update(buf, rows);
            if (quantiles.bytes() > budgetBytes) {
                sketch = KllQuantiles.of(quantiles, kllK);
                quantiles = null;
                err.printf(java.util.Locale.ROOT, "warning: %s: the values for exact medians and quantiles passed "
                        + "the memory budget of %.1f MiB after %d rows; continuing with KLL sketches (k = %d, "
                        + "normalized rank error %.4f at 99%% confidence), recorded in the stats file; raise "
                        + "--memory-budget (and -Xmx) for exact values%n", source, budgetBytes / 1048576.0,
                        this.rows, kllK, sketch.normalizedRankError());
                err.flush();
            }
        }
    }

    /** The stats file of what was accumulated. */
    StatsFile result(StatsFile.Input layout, int[] cols, String[] names, long skipped) {
        StatsFile.Quantiles q = null;
        double[] range = options.quantileRange();
        if (quantiles != null) {
            q = new StatsFile.Quantiles(quantiles.median(), quantiles.percentile(range[0]),
                    quantiles.percentile(range[1]));
        } else if (sketch != null) {
            q = new StatsFile.Quantiles(sketch.median(), sketch.percentile(range[0]), sketch.percentile(range[1]),
                    "kll", sketch.k(), sketch.normalizedRankError());
        }
        return new StatsFile(method, options, ddof, policy, layout, cols, names, moments.toStreamingMoments(), q,
                skipped, List.of(source));
    }

    /**
     * Warns on {@code err} about constant features, as {@code Normalization.adapt} does: those whose values are
     * all equal, or that scikit-learn's test finds constant under the sklearn policy of the standard method.
     */
    void warnConstant(StatsFile stats, PrintWriter err) {
        if (method == ScalingMethod.NORMALIZE) {
            return;
        }
        double[] min = stats.min();
        double[] max = stats.max();
        double[] mean = stats.mean();
        double[] var = stats.variance();
        long[] counts = stats.moments().counts();
        List<Integer> constant = new ArrayList<>();
        for (int j = 0; j < min.length; j++) {
            boolean c = min[j] == max[j] || method == ScalingMethod.STANDARD && policy == ZeroVariancePolicy.SKLEARN
                    && ZeroVariancePolicy.isConstantFeature(var[j], mean[j], counts[j]);
            if (c) {
                constant.add(j);
            }
        }
        if (constant.isEmpty()) {
            return;
        }
        int[] cols = stats.columns();
        String[] names = stats.names();
        StringBuilder sb = new StringBuilder("warning: fit found ").append(constant.size()).append(" constant ")
                .append("feature(s) of ").append(min.length).append(": ");
        for (int i = 0; i < constant.size() && i < MAX_LISTED; i++) {
            int j = constant.get(i);
            sb.append(i > 0 ? ", " : "").append("column ").append(cols[j] + 1);
            if (names[j] != null) {
                sb.append(" '").append(names[j]).append('\'');
            }
        }
        if (constant.size() > MAX_LISTED) {
            sb.append(", ... (").append(constant.size() - MAX_LISTED).append(" more)");
        }
        sb.append("; --zero-variance ").append(policy.configName()).append(": ");
        switch (policy) {
            case KERAS:
                sb.append("they are divided by 1e-7, so any other value at transform time becomes huge (a 1 in a "
                        + "constant-0 column becomes 1e7); choose --zero-variance sklearn for scale 1 or spark "
                        + "for output 0");
                break;
            case SKLEARN:
                sb.append("they are scaled by 1 (only centred or shifted)");
                break;
            default:
                sb.append("their output is 0 (0.5 of the range for minmax)");
                break;
        }
        err.println(sb);
    }
}
