package org.norm4j.spark;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.norm4j.stats.ExactMoments;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.io.StatsFile;

/**
 * Standardizes features, {@code (x - mean) / std}, with statistics that are exactly rounded and identical bit for
 * bit for any partitioning (see {@link SparkStats}).
 *
 * <p>Parameters (besides the columns, {@code convention} and {@code nanPolicy} of {@link Norm4jEstimator}):
 * <ul>
 *   <li>{@code withMean}: subtract the mean. Default: true, except false under {@code convention=spark}
 *       (MLlib's default).</li>
 *   <li>{@code withStd}: divide by the standard deviation. Default true.</li>
 *   <li>{@code ddof}: 0 (population variance: scikit-learn, Keras) or 1 (sample variance: MLlib). Default: 0,
 *       except 1 under {@code convention=spark}.</li>
 * </ul>
 * A constant feature is divided by 1 (sklearn), by 1e-7 (keras) or multiplied by 0 (spark).
 */
public final class StandardScaler extends Norm4jEstimator<StandardScaler> {
    private static final long serialVersionUID = 1L;

    private final BooleanParam withMean;
    private final BooleanParam withStd;
    private final IntParam ddof;

    /** A scaler with a random uid (the public no-argument constructor Spark Connect ML needs). */
    public StandardScaler() {
        this(Identifiable.randomUID("norm4jStandardScaler"));
    }

    public StandardScaler(String uid) {
        super(uid);
        withMean = new BooleanParam(this, "withMean", "subtract the mean (default: true; false for spark)");
        withStd = new BooleanParam(this, "withStd", "divide by the standard deviation (default true)");
        ddof = new IntParam(this, "ddof", "delta degrees of freedom of the variance: 0 or 1 (default: 0; 1 for "
                + "spark)", ParamValidators.inRange(0, 1, true, true));
        setDefault(withStd, true);
    }

    public BooleanParam withMean() {
        return withMean;
    }

    public BooleanParam withStd() {
        return withStd;
    }

    public IntParam ddof() {
        return ddof;
    }

    /** Whether the mean is subtracted: as set, else the convention's default. */
    public boolean getWithMean() {
        return isSet(withMean) ? (Boolean) $(withMean) : !"spark".equals(getConvention());
    }

    public boolean getWithStd() {
        return (Boolean) $(withStd);
    }

    /** The variance's ddof: as set, else the convention's default. */
    public int getDdof() {
        return isSet(ddof) ? (Integer) $(ddof) : "spark".equals(getConvention()) ? 1 : 0;
    }

    public StandardScaler setWithMean(boolean value) {
        set(withMean, value);
        return this;
    }

    public StandardScaler setWithStd(boolean value) {
        set(withStd, value);
        return this;
    }

    public StandardScaler setDdof(int value) {
        set(ddof, value);
        return this;
    }

    @Override
    protected ScalingMethod method() {
        return ScalingMethod.STANDARD;
    }

    @Override
    protected StatsFile stats(SparkStats.Features features, ExactMoments moments, NanPolicy nan) {
        StatsFile.Options d = StatsFile.Options.DEFAULTS;
        StatsFile.Options o = new StatsFile.Options(getWithMean(), getWithStd(), d.featureRange(), d.clip(),
                d.withCentering(), d.withScaling(), d.quantileRange(), d.unitVariance(), d.norm());
        return statsFile(features, moments, nan, o, getDdof(), null);
    }

    public static MLReader<StandardScaler> read() {
        return new SparkModels.EstimatorReader<>(StandardScaler.class, StandardScaler::new);
    }

    public static StandardScaler load(String path) {
        return read().load(path);
    }
}
