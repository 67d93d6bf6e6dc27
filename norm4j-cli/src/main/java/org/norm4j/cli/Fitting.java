package org.norm4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.norm4j.stats.ExactQuantiles;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.StreamingMoments;
import org.norm4j.stats.ZeroVariancePolicy;
import org.norm4j.stats.io.StatsFile;

/**
 * What {@code norm4j fit} accumulates over the chunks of a file, whatever its format: the moments and, for the
 * robust method, the values for exact quantiles within the memory budget; then the stats file and the
 * warning about constant features.
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
    private StreamingMoments moments;
    private ExactQuantiles quantiles;

    Fitting(ScalingMethod method, StatsFile.Options options, int ddof, ZeroVariancePolicy policy,
            NanPolicy nanPolicy, long budgetBytes, String source) {
        this.method = method;
        this.options = options;
        this.ddof = ddof;
        this.policy = policy;
        this.nanPolicy = nanPolicy;
        this.budgetBytes = budgetBytes;
        this.source = source;
    }

    /** Starts accumulating {@code features} features. */
    void start(int features) {
        moments = new StreamingMoments(features, nanPolicy);
        quantiles = method == ScalingMethod.ROBUST ? new ExactQuantiles(features, nanPolicy) : null;
    }

    /** Adds {@code rows} rows of the features, row-major. */
    void update(double[] buf, int rows) {
        moments.update(buf, rows);
        if (quantiles != null) {
            quantiles.update(buf, rows);
            if (quantiles.bytes() > budgetBytes) {
                throw new CliException(source + ": exact medians and quantiles of " + moments.count() + " rows x "
                        + moments.features() + " features need more than the memory budget of "
                        + (budgetBytes >> 20) + " MiB: expected a larger --memory-budget (and a larger -Xmx; the "
                        + "budget is capped at half the heap) or fewer --columns");
            }
        }
    }

    /** The stats file of what was accumulated. */
    StatsFile result(StatsFile.Input layout, int[] cols, String[] names, long skipped) {
        StatsFile.Quantiles q = null;
        if (quantiles != null) {
            double[] range = options.quantileRange();
            q = new StatsFile.Quantiles(quantiles.median(), quantiles.percentile(range[0]),
                    quantiles.percentile(range[1]));
        }
        return new StatsFile(method, options, ddof, policy, layout, cols, names, moments, q, skipped,
                List.of(source));
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
