package org.norm4j.spark;

import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.norm4j.stats.ExactMoments;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.io.StatsFile;

/**
 * Scales each feature by its maximum absolute value, {@code x / max|x|} (scikit-learn's and MLlib's
 * {@code MaxAbsScaler}); the minimum and maximum are found exactly, so they do not depend on the partitioning.
 * A feature of zeros is divided by 1 (sklearn, keras) or multiplied by 0 (spark).
 */
public final class MaxAbsScaler extends Norm4jEstimator<MaxAbsScaler> {
    private static final long serialVersionUID = 1L;

    /** A scaler with a random uid (the public no-argument constructor Spark Connect ML needs). */
    public MaxAbsScaler() {
        this(Identifiable.randomUID("norm4jMaxAbsScaler"));
    }

    public MaxAbsScaler(String uid) {
        super(uid);
    }

    @Override
    protected ScalingMethod method() {
        return ScalingMethod.MAXABS;
    }

    @Override
    protected StatsFile stats(SparkStats.Features features, ExactMoments moments, NanPolicy nan) {
        return statsFile(features, moments, nan, StatsFile.Options.DEFAULTS, 0, null);
    }

    public static MLReader<MaxAbsScaler> read() {
        return new SparkModels.EstimatorReader<>(MaxAbsScaler.class, MaxAbsScaler::new);
    }

    public static MaxAbsScaler load(String path) {
        return read().load(path);
    }
}
